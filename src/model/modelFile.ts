// The complete model file: one JSON document with the format name and version, the architecture,
// the weights (float32, little-endian, base64), the encoder's settings and normalization, the
// shrinkage toward constant velocity (version 2; per band of recent CV error since version 3) and the training record. parseModelFile validates all of it and says what is wrong; it does not build a
// model (src/predict/predictor.ts does) and does not touch the file system.

import { FEATURE_NAMES, TARGET_KINDS, type EncoderSettings } from '../encode/encoderSettings.ts';
import type { Shrinkage } from '../predict/shrinkage.ts';
import { CELL_KINDS, ensembleProblem, HEAD_KINDS, type Architecture, type HeadKind } from './architecture.ts';
import { parameterLayout } from './parameterLayout.ts';

export const MODEL_FORMAT = 'whereto-model';
/**
 * The version written. Still read: version 1 (no target, shrinkage, direct head or parent; its
 * encoder's target is 'delta') and version 2 (one shrinkage α per step, no bands).
 */
export const MODEL_VERSION = 3;
export const READABLE_VERSIONS: readonly number[] = [1, 2, 3];

/** Networks the model averages: 1, or an ensemble's size (its weights and members). */
export function networkCount(mf: Pick<ModelFile, 'members'>): number {
  return 1 + (mf.members?.length ?? 0);
}

/** Each network's best validation epoch, in order (one for a single network). */
export function bestEpochs(tr: TrainingRecord): number[] {
  return tr.ensemble ? tr.ensemble.map((m) => m.bestEpoch) : [tr.bestEpoch];
}

/**
 * The model's validation 1-step mean error (metres): for an ensemble the averaged networks'
 * (finalMetrics), else its best epoch's; undefined when the record has none.
 */
export function validationErrorM(tr: TrainingRecord): number | undefined {
  return tr.ensemble
    ? tr.finalMetrics?.valOneStepMeanErrorM
    : tr.epochs?.find((e) => e.epoch === tr.bestEpoch)?.valErrorM;
}

/** The architecture section is the engine's Architecture as it is. */
export type ModelArchitecture = Architecture;

/** Every parameter, flat in the engine's order, float32 little-endian in base64. */
export interface ModelWeights {
  encoding: 'float32-le-base64';
  count: number;
  data: string;
}

export interface EpochRecord {
  epoch: number;
  /** Mean training loss (normalized units). */
  loss: number;
  /** Mean 1-step error on the validation split, metres. */
  valErrorM: number;
}

export interface TrainingRecord {
  /** 'sha256:<hex>' of the cleaned, resampled training input (every track's id, t, lat, lon). */
  fingerprint: string;
  seed: number;
  options: Record<string, unknown>;
  data: Record<string, unknown>;
  epochs: EpochRecord[];
  bestEpoch: number;
  stopped: 'completed' | 'early-stopping' | 'interrupted';
  /** Mean gradient norm reaching each input step of the window, per epoch (epochs × W). */
  gradNormsThroughTime: number[][];
  finalMetrics: Record<string, number>;
  /**
   * An ensemble's members in order (the first is `weights` and `epochs`): the initialization seed,
   * best epoch, why training stopped and the best validation 1-step error in metres of each;
   * finalMetrics.valOneStepMeanErrorM is then the ensemble's.
   */
  ensemble?: { seed: number; bestEpoch: number; stopped: TrainingRecord['stopped']; valErrorM: number }[];
  /**
   * Threads the batches were split across (absent in older files = 1). Not part of the recipe: at
   * another count the same seed gives the same model up to float32 summation order.
   */
  threads?: number;
  /** When training started (ISO 8601). The only field that differs between two runs with the same seed and threads. */
  date: string;
  /** A fine-tuned model's parent (`train --init`): its training fingerprint and date. */
  parent?: { fingerprint: string; date: string };
  /** Present when the weights were trained elsewhere and brought in by `whereto import` (src/model/torchDocument.ts). */
  importedFrom?: {
    file: string;
    /** 'sha256:<hex>' of the imported file. */
    sha256: string;
    /** What trained the weights, as the imported document says (e.g. scale/train_ddp.py). */
    trainer: string;
    importedAt: string;
  };
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: 1 | 2 | 3;
  architecture: ModelArchitecture;
  weights: ModelWeights;
  /**
   * An ensemble's further members (version 3): same architecture and encoder, trained from other
   * initial weights; predictions average every member's head output at each step. Absent: one network.
   */
  members?: ModelWeights[];
  encoder: EncoderSettings;
  /** Shrinkage toward constant velocity fitted on the validation split (absent: none). */
  shrinkage?: Shrinkage;
  training: TrainingRecord;
}

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/** Encodes parameters as float32 little-endian base64 (exact for float32 weights; 4 bytes each). */
export function encodeWeights(params: ArrayLike<number>): ModelWeights {
  const f32 = Float32Array.from(params);
  const bytes = new Uint8Array(f32.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < f32.length; i++) view.setFloat32(i * 4, f32[i], true);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { encoding: 'float32-le-base64', count: f32.length, data: btoa(binary) };
}

/** Decodes weights written by encodeWeights. */
export function decodeWeights(w: ModelWeights): Float32Array {
  const binary = atob(w.data);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and validates a model file. Throws ModelFileError naming the file and the first thing
 * wrong (a missing field, a wrong type, a size that does not match the architecture).
 */
export function parseModelFile(text: string, name = 'model'): ModelFile {
  const fail = (what: string): never => {
    throw new ModelFileError(`${name}: ${what}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`not JSON (${(e as Error).message})`);
  }
  if (!isObj(doc)) return fail('not a whereto model file (expected a JSON object)');
  if (doc.format !== MODEL_FORMAT)
    return fail(
      `not a whereto model file (format is ${JSON.stringify(doc.format)}, expected "${MODEL_FORMAT}")`,
    );
  if (!READABLE_VERSIONS.includes(doc.version as number))
    return fail(
      `unsupported version ${JSON.stringify(doc.version)} (this whereto reads versions ${READABLE_VERSIONS.slice(0, -1).join(', ')} and ${READABLE_VERSIONS.at(-1)})`,
    );
  const section = (key: string): Obj => (isObj(doc[key]) ? doc[key] : fail(`missing the "${key}" section`));
  const posInt = (o: Obj, path: string, key: string): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      fail(`${path}.${key} must be a positive whole number, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const oneOf = (o: Obj, path: string, key: string, allowed: readonly string[]): void => {
    if (!allowed.includes(o[key] as string))
      fail(`${path}.${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(o[key])}`);
  };
  const numbers = (o: Obj, path: string, key: string, length: number, positive: boolean): void => {
    const v = o[key];
    if (!Array.isArray(v) || v.length !== length)
      fail(`${path}.${key} must be an array of ${length} numbers, got ${JSON.stringify(v)?.slice(0, 60)}`);
    (v as unknown[]).forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0))
        fail(
          `${path}.${key}[${i}] must be a finite${positive ? ' positive' : ''} number, got ${JSON.stringify(x)}`,
        );
    });
  };

  const arch = section('architecture');
  oneOf(arch, 'architecture', 'cell', CELL_KINDS);
  oneOf(arch, 'architecture', 'head', HEAD_KINDS);
  for (const k of ['inputSize', 'hiddenSize', 'numLayers']) posInt(arch, 'architecture', k);
  if (arch.head === 'direct') posInt(arch, 'architecture', 'outputSteps');
  else if (arch.outputSteps !== undefined)
    fail(`architecture.outputSteps is for the direct head only, this is a ${String(arch.head)} head`);

  const enc = section('encoder');
  const stepSeconds = enc.stepSeconds;
  if (typeof stepSeconds !== 'number' || !(stepSeconds > 0))
    fail(`encoder.stepSeconds must be a positive number of seconds, got ${JSON.stringify(stepSeconds)}`);
  posInt(enc, 'encoder', 'window');
  if (!Array.isArray(enc.features) || enc.features.some((f) => !FEATURE_NAMES.includes(f)))
    fail(`encoder.features must be an array of feature names (${FEATURE_NAMES.join(', ')})`);
  const X = arch.inputSize as number;
  if ((enc.features as string[]).length !== X)
    fail(
      `encoder.features has ${(enc.features as string[]).length} names but architecture.inputSize is ${X}`,
    );
  numbers(enc, 'encoder', 'inputMean', X, false);
  numbers(enc, 'encoder', 'inputStd', X, true);
  if (typeof enc.targetStd !== 'number' || !(enc.targetStd > 0) || !Number.isFinite(enc.targetStd))
    fail(`encoder.targetStd must be a positive number of metres, got ${JSON.stringify(enc.targetStd)}`);
  if (typeof enc.align !== 'boolean')
    fail(`encoder.align must be true or false, got ${JSON.stringify(enc.align)}`);
  if (enc.scaleWindows !== undefined && typeof enc.scaleWindows !== 'boolean')
    fail(`encoder.scaleWindows must be true or false, got ${JSON.stringify(enc.scaleWindows)}`);
  if (enc.target !== undefined) oneOf(enc, 'encoder', 'target', TARGET_KINDS);
  if (enc.target === 'cv-residual') {
    if (typeof enc.frameFloorM !== 'number' || !(enc.frameFloorM > 0) || !Number.isFinite(enc.frameFloorM))
      fail(`encoder.frameFloorM must be a positive number of metres, got ${JSON.stringify(enc.frameFloorM)}`);
    posInt(enc, 'encoder', 'frameSteps');
    if (enc.align || enc.scaleWindows)
      fail(
        'encoder.align and encoder.scaleWindows must be false with the cv-residual target (it has its own frame)',
      );
  } else
    for (const k of ['frameFloorM', 'frameSteps'])
      if (enc[k] !== undefined) fail(`encoder.${k} is for the cv-residual target only`);

  if (doc.shrinkage !== undefined) {
    const sh = section('shrinkage');
    const K = posInt(sh, 'shrinkage', 'horizon');
    numbers(sh, 'shrinkage', 'alpha', K, false);
    (sh.alpha as number[]).forEach((a, i) => {
      if (a < 0 || a > 1) fail(`shrinkage.alpha[${i}] must be between 0 and 1, got ${a}`);
    });
    if (sh.fittedOn !== 'validation')
      fail(`shrinkage.fittedOn must be "validation", got ${JSON.stringify(sh.fittedOn)}`);
    posInt(sh, 'shrinkage', 'windows');
    for (const k of ['cvErrorM', 'modelErrorM', 'shrunkErrorM']) numbers(sh, 'shrinkage', k, K, false);
    if (sh.bands !== undefined) {
      if (doc.version !== 3)
        fail(`shrinkage.bands needs version 3, this file is version ${String(doc.version)}`);
      const b = isObj(sh.bands) ? sh.bands : fail('shrinkage.bands must be an object');
      if (b.by !== 'recentStepM')
        fail(`shrinkage.bands.by must be "recentStepM", got ${JSON.stringify(b.by)}`);
      const edges = Array.isArray(b.edges)
        ? (b.edges as unknown[])
        : fail('shrinkage.bands.edges must be an array');
      numbers(b, 'shrinkage.bands', 'edges', edges.length, true);
      (edges as number[]).forEach((x, i) => {
        if (i > 0 && !(x > (edges[i - 1] as number)))
          fail(`shrinkage.bands.edges must ascend, got ${x} after ${String(edges[i - 1])}`);
      });
      const B = edges.length + 1;
      if (!Array.isArray(b.alpha) || b.alpha.length !== B)
        fail(
          `shrinkage.bands.alpha must hold ${B} arrays (one per band), got ${JSON.stringify(b.alpha)?.slice(0, 60)}`,
        );
      (b.alpha as unknown[]).forEach((row, i) => {
        numbers(b.alpha as unknown as Obj, 'shrinkage.bands.alpha', String(i), K, false);
        (row as number[]).forEach((a, k) => {
          if (a < 0 || a > 1) fail(`shrinkage.bands.alpha[${i}][${k}] must be between 0 and 1, got ${a}`);
        });
      });
      numbers(b, 'shrinkage.bands', 'windows', B, false);
    }
  }

  const expected = parameterLayout(arch as unknown as Architecture).total;
  const checkWeights = (w: Obj, path: string): void => {
    if (w.encoding !== 'float32-le-base64')
      fail(`${path}.encoding must be "float32-le-base64", got ${JSON.stringify(w.encoding)}`);
    if (w.count !== expected)
      fail(`${path}.count is ${JSON.stringify(w.count)} but a ${describe(arch)} has ${expected} parameters`);
    if (typeof w.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(w.data))
      fail(`${path}.data must be a base64 string`);
    const bytes =
      Math.floor(((w.data as string).length * 3) / 4) - ((w.data as string).match(/=+$/)?.[0].length ?? 0);
    if (bytes !== expected * 4)
      fail(`${path}.data holds ${bytes} bytes, expected ${expected * 4} (${expected} float32)`);
    const values = decodeWeights(w as unknown as ModelWeights);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`${path} hold a non-finite value at index ${bad}`);
  };
  checkWeights(section('weights'), 'weights');
  if (doc.members !== undefined) {
    if (doc.version !== 3)
      fail(`members (an ensemble) needs version 3, this file is version ${String(doc.version)}`);
    if (!Array.isArray(doc.members) || doc.members.length === 0)
      fail("members must be a non-empty array of weights (the ensemble's further networks)");
    const members = doc.members as unknown[];
    const problem = ensembleProblem(arch.head as HeadKind, 1 + members.length);
    if (problem) fail(`members: ${problem}`);
    members.forEach((m, i) =>
      isObj(m) ? checkWeights(m, `members[${i}]`) : fail(`members[${i}] must be a weights object`),
    );
  }

  const tr = section('training');
  if (typeof tr.fingerprint !== 'string') fail('training.fingerprint must be a string');
  if (typeof tr.seed !== 'number') fail('training.seed must be a number');
  if (!Array.isArray(tr.epochs)) fail('training.epochs must be an array');
  if (tr.parent !== undefined) {
    const p = tr.parent;
    if (!isObj(p) || typeof p.fingerprint !== 'string' || typeof p.date !== 'string')
      fail('training.parent must be an object with the parent model\'s "fingerprint" and "date" strings');
  }
  if (tr.threads !== undefined && !(Number.isInteger(tr.threads) && (tr.threads as number) >= 1))
    fail('training.threads must be a whole number ≥ 1');
  return doc as unknown as ModelFile;
}

function describe(a: Obj): string {
  return `${a.numLayers}-layer ${String(a.cell).toUpperCase()} (input ${a.inputSize}, hidden ${a.hiddenSize}, ${a.head} head)`;
}

/** The model file as JSON text: indented objects, each array of plain values on one line. */
export function serializeModelFile(mf: ModelFile): string {
  return readableJson(mf);
}

/** JSON text with indented objects and each array of plain values on one line (long weight arrays stay compact). */
export function readableJson(value: unknown): string {
  const text = JSON.stringify(value, null, 1).replace(/\[[^[\]{}]*\]/g, (arr) =>
    arr
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\[ /, '[')
      .replace(/ \]$/, ']'),
  );
  return text + '\n';
}
