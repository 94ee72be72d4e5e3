// The data half of a training run: split the tracks (by source track, or by time), fit the encoder on
// the training split only, and build the encoded training and validation windows. trainOnTracks
// trains on them; `whereto export-windows` writes them for an external trainer, so both see exactly
// the same windows. No model, no optimizer, no file system here.
import type { Track } from '../data/track.ts';
import { splitByTrack } from '../encode/splitByTrack.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import { fitEncoder } from '../encode/fitEncoder.ts';
import { buildWindows, type WindowSet } from '../encode/windowSet.ts';
import type { ModelArchitecture } from '../model/modelFile.ts';
import { splitByTime } from './splitByTime.ts';
import type { TrainOptions } from './trainOptions.ts';

export interface TrainingWindows {
  split: { train: Track[]; val: Track[]; test: Track[] };
  enc: EncoderSettings;
  train: WindowSet;
  /** The validation split's windows; the training windows when the validation split is empty. */
  val: WindowSet;
}

/**
 * Splits, fits the encoder on the training split (or keeps `encoder`, a fine-tune's parent's, as it
 * is) and builds both window sets; throws when nothing is left to train on.
 */
export function trainingWindows(
  tracks: Track[],
  o: TrainOptions,
  encoder?: EncoderSettings,
): TrainingWindows {
  const fractions = { val: o.valFraction, test: o.testFraction };
  const split =
    o.splitBy === 'time' ? splitByTime(tracks, fractions) : splitByTrack(tracks, fractions, o.seed); // groups pieces by sourceId
  if (split.train.length === 0) throw new Error('no tracks left for training after the split');
  const enc = encoder ? structuredClone(encoder) : fitEncoder(split.train, o);
  const train = buildWindows(split.train, enc);
  const val = buildWindows(split.val.length ? split.val : split.train, enc);
  if (train.n === 0)
    throw new Error(
      `no training windows: every training track is shorter than ${o.window + 2} points at ${o.stepSeconds} s`,
    );
  return { split, enc, train, val };
}

/** The architecture a run of options `o` trains: its cell, layers, hidden size and head over the encoder's features. */
export function trainingArchitecture(o: TrainOptions, enc: EncoderSettings): ModelArchitecture {
  return {
    cell: o.cell,
    inputSize: enc.features.length,
    hiddenSize: o.hidden,
    numLayers: o.layers,
    head: o.head,
  };
}
