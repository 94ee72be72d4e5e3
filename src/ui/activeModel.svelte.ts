// The active model: its validated file, its predictor, where it came from, and why the last
// install failed. One of the state classes the app composes (state.svelte.ts), which owns the one
// install path (AppState.installModelText) so every model — the bundled default, an uploaded file,
// one trained in the browser — is parsed, validated and switched to the same way.
import { Predictor, type ModelFile } from './engine.ts';

export class ActiveModel {
  /** The active model file (parsed and validated), null until one loads. */
  file = $state.raw<ModelFile | null>(null);
  /** Its predictor; null with `file`. */
  predictor = $state.raw<Predictor | null>(null);
  /** Where it came from ("default.json", "trained in the browser", a file name). */
  name = $state('');
  /** Increments every time the active model changes (tests and panels can watch it). */
  version = $state(0);
  /** Why the last install failed, '' after a success. */
  error = $state('');

  /** Makes `modelFile` active; on error keeps the current model and returns the problem ('' on success). */
  install(modelFile: ModelFile, name: string): string {
    let predictor: Predictor;
    try {
      predictor = Predictor.fromModelFile(modelFile);
    } catch (err) {
      return this.fail(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.file = modelFile;
    this.predictor = predictor;
    this.name = name;
    this.error = '';
    this.version++;
    return '';
  }

  /** Records why an install failed and returns it. */
  fail(problem: string): string {
    this.error = problem;
    return problem;
  }
}
