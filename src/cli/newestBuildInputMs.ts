// When the app's build inputs last changed: the newest modification time under every file and folder
// `vite build` reads. `whereto serve` rebuilds when dist/ is older; the e2e harness names its build
// after it. Not a content hash: touching a file counts as a change.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUILD_INPUTS = ['src', 'public', 'data', 'index.html', 'vite.config.ts', 'package-lock.json'];

/** The newest mtime (ms since the epoch) of the build inputs, walking folders; 0 when none exist. */
export function newestBuildInputMs(): number {
  return Math.max(...BUILD_INPUTS.map((p) => newestMtimeMs(join(root, p))));
}

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}
