// The data half of a training run: split the tracks (by source track, or by time; a fixed held-out
// set and a fine-tune's parent's test trips first), fit the encoder on the training split only (or
// take a fine-tune's parent's), and build the encoded training and validation windows. trainOnTracks
// trains on them; `whereto export-windows` writes them for an external trainer, so both see exactly
// the same windows. No model, no optimizer, no file system here.
import type { Track } from '../data/track.ts';
import { splitByTrack } from '../encode/splitByTrack.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import { fitEncoder } from '../encode/fitEncoder.ts';
import { buildWindows, type WindowSet } from '../encode/windowSet.ts';
import type { LossKind } from '../model/architecture.ts';
import type { ModelArchitecture, ModelFile } from '../model/modelFile.ts';
import { parentSplitIds } from './initFrom.ts';
import { splitByTime } from './splitByTime.ts';
import type { TrainOptions } from './trainOptions.ts';

export interface TrainingWindows {
  split: { train: Track[]; val: Track[]; test: Track[] };
  enc: EncoderSettings;
  train: WindowSet;
  /** The validation split's windows; the training windows when the validation split is empty. */
  val: WindowSet;
  /** Target steps per window: the direct head's K, else 1. */
  H: number;
}

/**
 * Splits, fits the encoder on the training split (a fine-tune keeps its parent's) and builds both
 * window sets; throws when nothing is left to train on.
 */
export function trainingWindows(tracks: Track[], o: TrainOptions, parent?: ModelFile): TrainingWindows {
  const split = splitTracks(tracks, o, parent ? parentSplitIds(parent) : { train: [], val: [], test: [] });
  if (split.train.length === 0) throw new Error('no tracks left for training after the split');
  const enc = parent ? structuredClone(parent.encoder) : fitEncoder(split.train, o);
  const H = o.head === 'direct' ? o.outputSteps : 1;
  const train = buildWindows(split.train, enc, H);
  const val = buildWindows(split.val.length ? split.val : split.train, enc, H);
  if (train.n === 0)
    throw new Error(
      `no training windows: every training track is shorter than ${o.window + 1 + H} points at ${o.stepSeconds} s`,
    );
  return { split, enc, train, val, H };
}

/**
 * The architecture a run of options `o` trains: its cell, layers, hidden size and head (with K for a
 * direct head) over the encoder's features; a fine-tune's parent's as it is.
 */
export function trainingArchitecture(
  o: TrainOptions,
  enc: EncoderSettings,
  parent?: ModelFile,
): ModelArchitecture {
  if (parent) return { ...parent.architecture };
  return {
    cell: o.cell,
    inputSize: enc.features.length,
    hiddenSize: o.hidden,
    numLayers: o.layers,
    head: o.head,
    ...(o.head === 'direct' ? { outputSteps: o.outputSteps } : {}),
  };
}

/**
 * Train / validation / test by source track. First the fixed roles: every source track a fine-tune's
 * parent trained on, validated on or held out keeps that role (so a fine-tune never validates on its
 * parent's training trips nor trains on its test trips), every source track named by testTracks
 * (its sourceId, a piece's id, or its file's name such as `run.gpx`) is held out, and every one named
 * by valTracks validates. The rest is split as usual: splitByTime or splitByTrack with valFraction
 * and testFraction (each 0 when tracks are named for its split).
 */
function splitTracks(
  tracks: Track[],
  o: TrainOptions,
  parent: { train: readonly string[]; val: readonly string[]; test: readonly string[] },
): { train: Track[]; val: Track[]; test: Track[] } {
  const source = (t: Track) => t.sourceId ?? t.id;
  const names = (t: Track) => [source(t), t.id, t.file.split(/[\\/]/).pop() ?? t.file];
  const namedSources = (list: readonly string[], what: string): Set<string> => {
    const unknown = list.filter((name) => !tracks.some((t) => names(t).includes(name)));
    if (unknown.length)
      throw new Error(
        `${what} tracks ${unknown.join(', ')}: no track has that id or file name (ids: ${[...new Set(tracks.map(source))].slice(0, 8).join(', ')}, …)`,
      );
    const named = new Set(list);
    return new Set(tracks.filter((t) => names(t).some((n) => named.has(n))).map(source));
  };
  const heldSources = new Set([...parent.test, ...namedSources(o.testTracks, 'test')]);
  const namedVal = namedSources(o.valTracks, 'validation');
  const clash = [...namedVal].filter((id) => heldSources.has(id) || parent.train.includes(id));
  if (clash.length)
    throw new Error(
      `validation tracks ${clash.join(', ')}: already ${heldSources.has(clash[0]) ? 'held out for testing' : 'trained on by the parent model'}`,
    );
  const trainSources = new Set(parent.train.filter((id) => !heldSources.has(id)));
  const valSources = new Set([
    ...namedVal,
    ...parent.val.filter((id) => !heldSources.has(id) && !trainSources.has(id)),
  ]);
  const role = (t: Track) =>
    heldSources.has(source(t))
      ? 'test'
      : trainSources.has(source(t))
        ? 'train'
        : valSources.has(source(t))
          ? 'val'
          : 'free';
  const rest = tracks.filter((t) => role(t) === 'free');
  const fractions = {
    val: o.valTracks.length ? 0 : o.valFraction,
    test: o.testTracks.length ? 0 : o.testFraction,
  };
  const s = o.splitBy === 'time' ? splitByTime(rest, fractions) : splitByTrack(rest, fractions, o.seed); // groups pieces by sourceId
  if (rest.length === tracks.length) return s;
  const free = { train: new Set(s.train), val: new Set(s.val), test: new Set(s.test) };
  const keep = (which: 'train' | 'val' | 'test') =>
    tracks.filter((t) => role(t) === which || free[which].has(t));
  return { train: keep('train'), val: keep('val'), test: keep('test') };
}

/** The training loss of the options' head and target (see TrainOptions.loss). */
export function trainingLoss(o: TrainOptions): LossKind {
  if (o.head === 'gaussian') {
    if (o.loss !== 'auto')
      throw new Error(
        `the gaussian head trains on its negative log-likelihood; loss '${o.loss}' is for a mean or direct head`,
      );
    return 'bivariate_nll_last';
  }
  const euclidean =
    o.loss === 'euclidean' || (o.loss === 'auto' && (o.target === 'cv-residual' || o.head === 'direct'));
  return euclidean ? 'euclidean_last' : 'mse_last';
}
