// The tracks of a split a model file recorded when it was trained (training.data.testSourceIds or
// valSourceIds): the loaded tracks whose recording (sourceId, else id) is listed there. One rule for
// `whereto eval --split` and the app's Evaluate tab, so both measure the same tracks.
import type { ModelFile } from '../model/modelFile.ts';

/** The tracks in the model's recorded `split`; null when the model records no ids for it. */
export function recordedSplit<T extends { id: string; sourceId?: string }>(
  tracks: readonly T[],
  mf: ModelFile,
  split: 'test' | 'val',
): T[] | null {
  const raw = mf.training.data[split === 'test' ? 'testSourceIds' : 'valSourceIds'];
  const ids = new Set(Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []);
  if (ids.size === 0) return null;
  return tracks.filter((t) => ids.has(t.sourceId ?? t.id));
}
