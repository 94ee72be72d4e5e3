// The held-out split of a model: the loaded tracks whose recording (sourceId, else id) the model
// file lists in training.data.testSourceIds — tracks it was never trained or validated on. The same
// rule (recordedSplit) as `whereto eval --split test`, so the panel and the CLI measure the same tracks.
import { recordedSplit, type ModelFile } from '../engine.ts';

/** Tracks of the model's held-out test split; throws when the model records none. */
export function heldOutTracks<T extends { id: string; sourceId?: string }>(
  tracks: readonly T[],
  mf: ModelFile,
): T[] {
  const held = recordedSplit(tracks, mf, 'test');
  if (held === null)
    throw new Error(
      'this model records no held-out test split (train it with a test fraction above 0); evaluate on all loaded tracks instead',
    );
  return held;
}
