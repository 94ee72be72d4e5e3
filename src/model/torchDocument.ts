// The file `whereto export --to torch` writes and `whereto import` reads: a JSON document with the
// state_dict in the layout of ../shared/fixtures/torch/README.md and, beside it, the architecture
// (and the torch.nn modules it means), the encoder and the training record, so a Python script can
// rebuild the modules and feed them the same inputs. A bare state_dict (names → tensors) is read
// too. Tensor checks live in stateDict.ts; the model file's in modelFile.ts. No file system here.
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import type { Shrinkage } from '../predict/shrinkage.ts';
import { headOutputs } from './architecture.ts';
import { createModel } from './model.ts';
import {
  decodeWeights,
  encodeWeights,
  MODEL_FORMAT,
  MODEL_VERSION,
  parseModelFile,
  serializeModelFile,
  type ModelArchitecture,
  type ModelFile,
  type TrainingRecord,
} from './modelFile.ts';
import { architectureOfStateDict, exportStateDict, loadStateDict, type StateDictJSON } from './stateDict.ts';

export const TORCH_FORMAT = 'whereto-torch';
export const TORCH_VERSION = 1;

export interface TorchDocument {
  format: typeof TORCH_FORMAT;
  version: typeof TORCH_VERSION;
  architecture: ModelArchitecture;
  /** The modules the state_dict loads into with strict=True, as Python. */
  modules: { rnn: string; head: string };
  encoder?: EncoderSettings;
  /** The shrinkage toward constant velocity of the model file, when it has one (applied after the network). */
  shrinkage?: Shrinkage;
  /** How the weights were trained: a whereto TrainingRecord, or the same fields from another trainer. */
  training?: Partial<TrainingRecord> & { trainer?: string };
  state_dict: StateDictJSON;
  /**
   * An ensemble's further networks, each a state_dict like `state_dict` (which is the first): the
   * model's output is the mean of every network's head output at each step.
   */
  members?: StateDictJSON[];
}

/** The `--to torch` document of a validated model file. */
export function torchDocument(mf: ModelFile): TorchDocument {
  const stateDict = (w: ModelFile['weights']): StateDictJSON => {
    const model = createModel(mf.architecture);
    model.params.set(decodeWeights(w));
    return exportStateDict(model);
  };
  return {
    format: TORCH_FORMAT,
    version: TORCH_VERSION,
    architecture: mf.architecture,
    modules: torchModules(mf.architecture),
    encoder: mf.encoder,
    ...(mf.shrinkage ? { shrinkage: mf.shrinkage } : {}),
    training: mf.training,
    state_dict: stateDict(mf.weights),
    ...(mf.members ? { members: mf.members.map(stateDict) } : {}),
  };
}

/** torch.nn constructors whose parameters are exactly the state_dict's, named `rnn` and `head`. */
export function torchModules(a: ModelArchitecture): TorchDocument['modules'] {
  const cls = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' }[a.cell];
  return {
    rnn: `torch.nn.${cls}(${a.inputSize}, ${a.hiddenSize}, num_layers=${a.numLayers}, batch_first=True)`,
    head: `torch.nn.Linear(${a.hiddenSize}, ${headOutputs(a)})`,
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `import` reads from a document: the tensors, and whatever else the document says. */
export type ImportedDocument = Pick<TorchDocument, 'state_dict'> &
  Partial<Pick<TorchDocument, 'architecture' | 'encoder' | 'training' | 'shrinkage' | 'members'>>;

/** A torch document (or a bare state_dict) read from text; throws naming `name` and what is wrong. */
export function parseTorchDocument(text: string, name: string): ImportedDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not JSON (${(e as Error).message})`);
  }
  if (!isObj(doc))
    throw new Error(`${name}: expected a JSON object (a state_dict or a ${TORCH_FORMAT} document)`);
  if (doc.format === undefined) return { state_dict: doc as StateDictJSON };
  if (doc.format !== TORCH_FORMAT)
    throw new Error(
      `${name}: format is ${JSON.stringify(doc.format)}, expected "${TORCH_FORMAT}" (or a bare state_dict)`,
    );
  if (doc.version !== TORCH_VERSION)
    throw new Error(
      `${name}: unsupported version ${JSON.stringify(doc.version)} (this whereto reads ${TORCH_VERSION})`,
    );
  if (!isObj(doc.state_dict)) throw new Error(`${name}: missing the "state_dict" object`);
  for (const key of ['architecture', 'encoder', 'training', 'shrinkage'])
    if (doc[key] !== undefined && !isObj(doc[key])) throw new Error(`${name}: "${key}" must be an object`);
  if (doc.members !== undefined && !(Array.isArray(doc.members) && doc.members.every(isObj)))
    throw new Error(`${name}: "members" must be an array of state_dict objects`);
  return doc as unknown as TorchDocument;
}

export interface ImportSource {
  /** The state_dict file as given, for messages. */
  path: string;
  /** Its name without the folder, for the record. */
  file: string;
  /** 'sha256:<hex>' of the file's bytes. */
  sha256: string;
  /** The encoder and, unless the document says otherwise, the training record the weights go with. */
  like?: ModelFile;
  /** When the import happened (ISO 8601). */
  date: string;
}

/**
 * A whereto model file holding the document's weights: the architecture is read from the tensor
 * shapes and must match the document's and the `like` model's; the encoder comes from `like` or
 * the document (and must agree when both give one). The training record keeps the document's (or
 * `like`'s) record and says where the weights came from (training.importedFrom). The result is
 * checked by parseModelFile, so it loads like any other model file.
 */
export function modelFileFromTorch(doc: ImportedDocument, src: ImportSource): ModelFile {
  const fail = (what: string): never => {
    throw new Error(`${src.path}: ${what}`);
  };
  let arch: ModelArchitecture;
  try {
    arch = architectureOfStateDict(doc.state_dict);
  } catch (e) {
    return fail((e as Error).message);
  }
  // a direct head of one step has the mean head's shapes: the document's word decides
  const declaredHead = doc.architecture ?? src.like?.architecture;
  if (
    declaredHead?.head === 'direct' &&
    declaredHead.outputSteps === headOutputs(arch) / 2 &&
    arch.head !== 'gaussian'
  )
    arch = { ...arch, head: 'direct', outputSteps: declaredHead.outputSteps };
  for (const [what, declared] of [
    ['the document', doc.architecture],
    [src.like ? 'the --model-like model' : '', src.like?.architecture],
  ] as const)
    if (declared && !sameArchitecture(declared, arch))
      fail(`the state_dict holds a ${describe(arch)} but ${what} is a ${describe(declared)}`);
  const encoder = src.like?.encoder ?? doc.encoder;
  if (!encoder)
    return fail(
      'says nothing about the encoder: give --model-like MODEL (a model file with the same inputs)',
    );
  if (
    src.like &&
    doc.encoder &&
    JSON.stringify(sortKeys(doc.encoder)) !== JSON.stringify(sortKeys(src.like.encoder))
  )
    fail('was trained on inputs encoded differently from the --model-like model (the encoders differ)');
  const load = (sd: StateDictJSON, what: string): Float32Array => {
    const model = createModel(arch);
    try {
      loadStateDict(model, sd);
    } catch (e) {
      return fail(`${what}${(e as Error).message}`);
    }
    return Float32Array.from(model.params);
  };
  const params = load(doc.state_dict, '');
  const members = (doc.members ?? []).map((sd, i) => load(sd, `members[${i}]: `));
  const t = doc.training ?? {};
  const base = src.like?.training;
  const training: TrainingRecord = {
    fingerprint: t.fingerprint ?? base?.fingerprint ?? 'unknown',
    seed: t.seed ?? base?.seed ?? 0,
    options: t.options ?? base?.options ?? {},
    data: t.data ?? base?.data ?? {},
    epochs: t.epochs ?? [],
    bestEpoch: t.bestEpoch ?? 0,
    stopped: t.stopped ?? 'completed',
    gradNormsThroughTime: t.gradNormsThroughTime ?? [],
    finalMetrics: t.finalMetrics ?? {},
    date: t.date ?? src.date,
    importedFrom: {
      file: src.file,
      sha256: src.sha256,
      trainer: t.trainer ?? (doc.training ? 'unknown' : 'unknown (a bare state_dict)'),
      importedAt: src.date,
    },
  };
  const mf: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    architecture: arch,
    weights: encodeWeights(params),
    ...(members.length ? { members: members.map((m) => encodeWeights(m)) } : {}),
    encoder,
    // the shrinkage was fitted for these weights only if the document carries it
    ...(doc.shrinkage ? { shrinkage: doc.shrinkage } : {}),
    training,
  };
  return parseModelFile(serializeModelFile(mf), src.path);
}

function sameArchitecture(a: ModelArchitecture, b: ModelArchitecture): boolean {
  return (['cell', 'inputSize', 'hiddenSize', 'numLayers', 'head', 'outputSteps'] as const).every(
    (k) => a[k] === b[k],
  );
}

function describe(a: ModelArchitecture): string {
  return `${a.numLayers}-layer ${a.cell.toUpperCase()} (input ${a.inputSize}, hidden ${a.hiddenSize}, ${a.head} head)`;
}

/** The same object with its keys in order, so two objects compare by JSON text. */
function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}
