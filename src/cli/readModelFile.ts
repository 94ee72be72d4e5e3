// Reading a model file from disk for the commands that use one (eval, predict). Validation and the
// file's format live in src/model/modelFile.ts; this only adds the file system and the path to errors.
import { readFileSync } from 'node:fs';
import { parseModelFile, type ModelFile } from '../model/modelFile.ts';

/** Loads and validates a model file; throws with the file's name and what is wrong. */
export function readModelFile(path: string): ModelFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `${path}: cannot read the model file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  return parseModelFile(text, path);
}
