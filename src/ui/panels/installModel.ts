// Validates a model file's text with parseModelFile and makes it the app's active model: the one
// path for an uploaded file and a model trained in the browser. Returns the problem, never throws.
import { parseModelFile } from '../engine.ts';
import type { PanelApp } from './panelApp.ts';
import { errorMessage } from '../workers/jobProtocol.ts';

/** '' when `text` became the active model, else what is wrong (the message names `name`). */
export function installModelText(app: PanelApp, text: string, name: string): string {
  try {
    app.setModel(parseModelFile(text, name), name);
    return '';
  } catch (err) {
    const problem = errorMessage(err);
    app.status = `Could not use ${name}: ${problem}`;
    return problem;
  }
}
