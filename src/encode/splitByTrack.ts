// Seeded train/validation/test split by track, never by window: overlapping windows of one track
// must all land on the same side. Pieces cut from one recording (same sourceId) stay together too.
import { seededRandom } from '../model/random.ts';

/** mulberry32(seed): uniform numbers in [0, 1); the project's one seeded generator (model/random.ts), kept under this name for its callers. */
export const mulberry32 = seededRandom;

function defaultKey(item: unknown, index: number): string {
  if (typeof item === 'object' && item !== null) {
    const o = item as { sourceId?: unknown; id?: unknown };
    if (typeof o.sourceId === 'string') return o.sourceId;
    if (typeof o.id === 'string') return o.id;
  }
  return `#${index}`;
}

/**
 * Splits items into train/val/test by group (default group: `sourceId`, else `id`, else each item alone).
 * Groups are shuffled with mulberry32(seed); round(G × test) groups go to test, round(G × val) to
 * validation, the rest to training. Items keep their input order within each split. Deterministic in seed.
 */
export function splitByTrack<T>(
  items: T[],
  fractions: { val: number; test: number },
  seed: number,
  key: (item: T, index: number) => string = defaultKey,
): { train: T[]; val: T[]; test: T[] } {
  if (!(fractions.val >= 0 && fractions.test >= 0 && fractions.val + fractions.test <= 1))
    throw new Error(
      `split fractions must be ≥ 0 and sum to at most 1; got val ${fractions.val}, test ${fractions.test}`,
    );
  const groupOf = items.map((it, i) => key(it, i));
  const groups = [...new Set(groupOf)];
  const rand = seededRandom(seed);
  for (let i = groups.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [groups[i], groups[j]] = [groups[j], groups[i]];
  }
  const nTest = Math.round(groups.length * fractions.test);
  const nVal = Math.min(groups.length - nTest, Math.round(groups.length * fractions.val));
  const side = new Map<string, 'train' | 'val' | 'test'>();
  groups.forEach((g, i) => side.set(g, i < nTest ? 'test' : i < nTest + nVal ? 'val' : 'train'));
  const out = { train: [] as T[], val: [] as T[], test: [] as T[] };
  items.forEach((it, i) => out[side.get(groupOf[i])!].push(it));
  return out;
}
