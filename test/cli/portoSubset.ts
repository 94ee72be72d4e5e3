// A small track file for command-line tests: the first trips of the bundled Porto sample.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

/** The first `trips` trips of data/porto_train_points.csv, as a CSV of their own. */
export function portoSubset(trips: number): string {
  const lines = readFileSync(join(root, 'data/porto_train_points.csv'), 'utf8').trim().split('\n');
  const ids = new Set<string>();
  const out = [lines[0]];
  for (const line of lines.slice(1)) {
    const id = line.slice(0, line.indexOf(','));
    if (!ids.has(id)) {
      if (ids.size === trips) break;
      ids.add(id);
    }
    out.push(line);
  }
  return out.join('\n') + '\n';
}
