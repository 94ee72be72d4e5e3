// The training and validation windows of a training run (trainingWindows.ts) as files an external
// trainer reads with numpy alone: per split, shards of x (n,W,X), y (n,2) and scale (n) float32 .npy
// files, and a manifest with the shapes, the encoder, the split, the data's fingerprint, the options
// and the seeded initial weights (so a PyTorch run starts exactly where `whereto train` would).
// scale/train_ddp.py is the reader. Bytes and JSON only; src/cli writes them.
import type { Track } from '../data/track.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import type { WindowSet } from '../encode/windowSet.ts';
import type { LossKind } from '../model/architecture.ts';
import { createModel } from '../model/model.ts';
import type { ModelArchitecture } from '../model/modelFile.ts';
import { exportStateDict, type StateDictJSON } from '../model/stateDict.ts';
import { npyFloat32 } from './npyFloat32.ts';
import { splitRecord } from './splitRecord.ts';
import { trainingArchitecture, trainingLoss, type TrainingWindows } from './trainingWindows.ts';
import type { TrainOptions } from './trainOptions.ts';

export const WINDOWS_FORMAT = 'whereto-windows';
export const WINDOWS_VERSION = 1;

export interface ShardEntry {
  windows: number;
  /** File names, relative to the manifest: x (windows, W, X), y (windows, 2), scale (windows). */
  x: string;
  y: string;
  scale: string;
}

export interface WindowsManifest {
  format: typeof WINDOWS_FORMAT;
  version: typeof WINDOWS_VERSION;
  architecture: ModelArchitecture;
  /** mse_last (mean head) or bivariate_nll_last (Gaussian head), on the normalized target y. */
  loss: LossKind;
  encoder: EncoderSettings;
  options: TrainOptions;
  fingerprint: string;
  /** training.data of a model trained on these windows: counts and held-out source ids. */
  split: Record<string, unknown>;
  shapes: { x: [string, number, number]; y: [string, number]; scale: [string] };
  /**
   * One window's 1-step error in metres is |head[:2] − y| · encoder.targetStd · scale (the target's
   * rotation into the window frame keeps lengths), the score `whereto train` early-stops on.
   */
  shards: { train: ShardEntry[]; val: ShardEntry[] };
  /** True when the validation split is empty and, as in `whereto train`, the training windows validate. */
  valIsTrain: boolean;
  initialStateDict: StateDictJSON;
}

/** The manifest and every shard's bytes (file name → bytes), at most shardWindows windows per shard. */
export function windowShards(
  tracks: Track[],
  tw: TrainingWindows,
  o: TrainOptions,
  fingerprint: string,
  shardWindows: number,
): { manifest: WindowsManifest; files: Map<string, Uint8Array> } {
  if (tw.H !== 1) throw new Error('export-windows writes one-step windows: the direct head is not supported');
  const architecture = trainingArchitecture(o, tw.enc);
  const W = tw.enc.window;
  const X = tw.enc.features.length;
  const files = new Map<string, Uint8Array>();
  const shard = (name: string, set: WindowSet): ShardEntry[] => {
    const out: ShardEntry[] = [];
    for (let i0 = 0, k = 0; i0 < set.n; i0 += shardWindows, k++) {
      const n = Math.min(shardWindows, set.n - i0);
      const base = `${name}-${String(k).padStart(5, '0')}`;
      const e: ShardEntry = {
        windows: n,
        x: `${base}.x.npy`,
        y: `${base}.y.npy`,
        scale: `${base}.scale.npy`,
      };
      files.set(e.x, npyFloat32(set.x.subarray(i0 * W * X, (i0 + n) * W * X), [n, W, X]));
      files.set(e.y, npyFloat32(set.y.subarray(i0 * 2, (i0 + n) * 2), [n, 2]));
      files.set(
        e.scale,
        npyFloat32(
          Float32Array.from(set.frames.slice(i0, i0 + n), (f) => f.scale),
          [n],
        ),
      );
      out.push(e);
    }
    return out;
  };
  const valIsTrain = tw.split.val.length === 0;
  const manifest: WindowsManifest = {
    format: WINDOWS_FORMAT,
    version: WINDOWS_VERSION,
    architecture,
    loss: trainingLoss(o),
    encoder: tw.enc,
    options: o,
    fingerprint,
    split: splitRecord(tracks, tw.split, { train: tw.train.n, val: valIsTrain ? 0 : tw.val.n }, o.splitBy),
    shapes: { x: ['windows', W, X], y: ['windows', 2], scale: ['windows'] },
    shards: { train: shard('train', tw.train), val: shard('val', tw.val) },
    valIsTrain,
    initialStateDict: exportStateDict(createModel(architecture, { seed: o.seed })),
  };
  return { manifest, files };
}
