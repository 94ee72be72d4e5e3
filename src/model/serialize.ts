// The model part of a model file: architecture + weights as one versioned JSON object, and its
// validated inverse. Weights are a PyTorch-layout state_dict (stateDict.ts), so every problem can be
// named by parameter and index. Not here: the encoder, training record or file I/O (modelFile.ts).
import { architectureProblems, type Architecture } from './architecture.ts';
import type { Dtype } from './kernels.ts';
import { createModel, type Model } from './model.ts';
import { exportStateDict, loadStateDict, type StateDictJSON } from './stateDict.ts';

export const MODEL_JSON_FORMAT = 'whereto-recurrent-model';
export const MODEL_JSON_VERSION = 1;

export interface ModelJSON {
  format: typeof MODEL_JSON_FORMAT;
  version: number;
  architecture: Architecture;
  stateDict: StateDictJSON;
}

/** A model JSON that cannot be loaded; the message says what is wrong and where. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/** Architecture and weights of `model` as plain JSON (numbers exact for float64 models). */
export function modelToJSON(model: Model): ModelJSON {
  return {
    format: MODEL_JSON_FORMAT,
    version: MODEL_JSON_VERSION,
    architecture: { ...model.architecture },
    stateDict: exportStateDict(model),
  };
}

/** Builds a model from modelToJSON's output; throws ModelFormatError naming the first problem. */
export function modelFromJSON(obj: unknown, opts: { dtype?: Dtype } = {}): Model {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new ModelFormatError('model JSON must be an object');
  const o = obj as Partial<ModelJSON>;
  if (o.format !== MODEL_JSON_FORMAT)
    throw new ModelFormatError(`format is ${JSON.stringify(o.format)}, expected "${MODEL_JSON_FORMAT}"`);
  if (o.version !== MODEL_JSON_VERSION)
    throw new ModelFormatError(
      `unsupported model version ${JSON.stringify(o.version)} (this build reads version ${MODEL_JSON_VERSION})`,
    );
  if (typeof o.architecture !== 'object' || o.architecture === null)
    throw new ModelFormatError('architecture is missing');
  const problems = architectureProblems(o.architecture);
  if (problems.length > 0) throw new ModelFormatError(`architecture: ${problems.join('; ')}`);
  if (typeof o.stateDict !== 'object' || o.stateDict === null)
    throw new ModelFormatError('stateDict (the weights) is missing');
  const a = o.architecture;
  const model = createModel(
    { cell: a.cell, inputSize: a.inputSize, hiddenSize: a.hiddenSize, numLayers: a.numLayers, head: a.head },
    { dtype: opts.dtype },
  );
  const extra = Object.keys(o.stateDict).filter((k) => !model.layout.entries.some((e) => e.name === k));
  if (extra.length > 0)
    throw new ModelFormatError(
      `stateDict has ${extra.join(', ')}, which a ${a.numLayers}-layer ${a.cell} with a ${a.head} head does not have`,
    );
  try {
    loadStateDict(model, o.stateDict);
  } catch (e) {
    throw new ModelFormatError(`weights: ${(e as Error).message}`);
  }
  return model;
}
