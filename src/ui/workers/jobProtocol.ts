// The typed messages between the panels and their job workers (train.worker.ts, eval.worker.ts),
// and the packing of tracks into a few flat typed arrays so they cross to a worker by transfer
// (one copy on our side, none in postMessage) instead of thousands of small structured clones.
import type { EvalResult, Track, Verdict } from '../engine.ts';
import type { TrainForm } from '../panels/trainForm.ts';

/** Many tracks in flat columns: track i holds points offsets[i] … offsets[i+1]-1. */
export interface PackedTracks {
  ids: string[];
  files: string[];
  /** null where a track has no sourceId */
  sourceIds: (string | null)[];
  /** (n+1) point offsets */
  offsets: Int32Array;
  /** degrees, Float64 because Float32 rounds a degree to about a metre */
  lat: Float64Array;
  lon: Float64Array;
  /** Unix seconds UTC */
  t: Float64Array;
}

/** Copies the tracks into one set of columns (the app's own arrays stay untouched and usable). */
export function packTracks(tracks: readonly Track[]): PackedTracks {
  const offsets = new Int32Array(tracks.length + 1);
  for (let i = 0; i < tracks.length; i++) offsets[i + 1] = offsets[i] + tracks[i].lat.length;
  const total = offsets[tracks.length];
  const lat = new Float64Array(total);
  const lon = new Float64Array(total);
  const t = new Float64Array(total);
  tracks.forEach((track, i) => {
    lat.set(track.lat, offsets[i]);
    lon.set(track.lon, offsets[i]);
    t.set(track.t, offsets[i]);
  });
  return {
    ids: tracks.map((tr) => tr.id),
    files: tracks.map((tr) => tr.file),
    sourceIds: tracks.map((tr) => tr.sourceId ?? null),
    offsets,
    lat,
    lon,
    t,
  };
}

/** The buffers to list as postMessage's transfer argument (they are detached on the sending side). */
export function packedTransferables(packed: PackedTracks): ArrayBuffer[] {
  return [packed.offsets.buffer, packed.lat.buffer, packed.lon.buffer, packed.t.buffer] as ArrayBuffer[];
}

/** Tracks again, as views into the packed columns (no copy). */
export function unpackTracks(packed: PackedTracks): Track[] {
  const tracks: Track[] = [];
  for (let i = 0; i < packed.ids.length; i++) {
    const a = packed.offsets[i];
    const b = packed.offsets[i + 1];
    const track: Track = {
      id: packed.ids[i],
      file: packed.files[i],
      lat: packed.lat.subarray(a, b),
      lon: packed.lon.subarray(a, b),
      t: packed.t.subarray(a, b),
    };
    const sourceId = packed.sourceIds[i];
    if (sourceId !== null) track.sourceId = sourceId;
    tracks.push(track);
  }
  return tracks;
}

/** Page → train worker. */
export type TrainRequest =
  | {
      type: 'train';
      tracks: PackedTracks;
      /** the step the tracks were resampled to, seconds */
      stepSeconds: number;
      form: TrainForm;
      /**
       * "Adapt to these tracks": the parent (active) model file's text; training starts from its
       * weights and encoder, and the form's test fraction of the tracks is held out for the comparison.
       */
      init?: string;
      /** threads the page asks for (its cores); the worker uses one where memory cannot be shared */
      threads: number;
    }
  | { type: 'cancel' };

/** A fine-tune's check: parent (before) and child (after) against constant velocity on the held-out tracks. */
export interface HeldOutComparison {
  tracks: number;
  before: Verdict;
  after: Verdict;
}

/** Train worker → page. */
export type TrainReply =
  | { type: 'status'; message: string }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number }
  | {
      type: 'epoch';
      epoch: number;
      epochs: number;
      trainLoss: number;
      /** validation error in metres (1-step mean), NaN when there is no validation split */
      valErrorM: number;
      /** whether this epoch is the best so far (its weights are the ones kept) */
      best: boolean;
      /** the epoch's mean ‖∂L/∂h_t‖ for t = 0 … W-1 (transferred) */
      gradNorms: Float64Array;
    }
  | {
      type: 'done';
      modelFileText: string;
      cancelled: boolean;
      message: string;
      /** only for a fine-tune (a request with `init`) */
      heldOut?: HeldOutComparison;
    }
  | { type: 'error'; message: string };

/** Which tracks the Evaluate panel measures on. */
export type EvalSplit = 'all' | 'heldout';

/** Page → eval worker: an evaluation (Evaluate panel), or the quick verdict on the loaded tracks (explorer). */
export type EvalRequest =
  | {
      type: 'eval';
      tracks: PackedTracks;
      modelFileText: string;
      horizon: number;
      split: EvalSplit;
    }
  | { type: 'verdict'; tracks: PackedTracks; modelFileText: string };

/** Eval worker → page. */
export type EvalReply =
  | { type: 'status'; message: string }
  | { type: 'done'; result: EvalResult; tracks: number }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'error'; message: string };

/** The message of any thrown value, for an error reply (never "[object Object]"). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
