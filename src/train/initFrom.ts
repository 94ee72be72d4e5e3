// Fine-tuning (`whereto train --init MODEL.json`, the app's "Adapt to these tracks"): what a child
// model takes from its parent model file. The architecture and the encoder come from the parent as
// they are; the normalization is NOT refitted, because the weights were fitted to the parent's input
// statistics: refitting would change what the network sees, and a fine-tune of zero epochs would
// no longer reproduce the parent. Not the training itself (trainOnTracks.ts).
import { networkCount, type ModelFile } from '../model/modelFile.ts';
import type { TrainOptions } from './trainOptions.ts';

/** The training options a fine-tune cannot change: they are fixed by the parent's architecture and encoder. */
export function inheritedOptions(parent: ModelFile): Partial<TrainOptions> {
  const { architecture: a, encoder: e } = parent;
  return {
    cell: a.cell,
    layers: a.numLayers,
    hidden: a.hiddenSize,
    head: a.head,
    ensemble: networkCount(parent),
    ...(a.outputSteps !== undefined ? { outputSteps: a.outputSteps } : {}),
    target: e.target ?? 'delta',
    ...(e.frameFloorM !== undefined ? { frameFloorM: e.frameFloorM } : {}),
    ...(e.frameSteps !== undefined ? { frameSteps: e.frameSteps } : {}),
    window: e.window,
    stepSeconds: e.stepSeconds,
    features: [...e.features],
    align: e.align,
    scaleWindows: e.scaleWindows ?? false,
  };
}

/** What the child's model file records about its parent: the parent's training fingerprint and date. */
export function parentRecord(parent: ModelFile): { fingerprint: string; date: string } {
  return { fingerprint: parent.training.fingerprint, date: parent.training.date };
}

/** The source track ids of one split the parent recorded ('train', 'val' or 'test'); none when it recorded none. */
function parentIds(parent: ModelFile, key: 'trainSourceIds' | 'valSourceIds' | 'testSourceIds'): string[] {
  const ids = parent.training.data[key];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * The split roles a fine-tune inherits: a track the parent trained on stays in training (in the child's
 * validation it would flatter the epoch choice and the shrinkage), one it validated on stays in
 * validation, one it held out stays held out. Tracks the parent never saw are split as usual. Parents
 * written before trainSourceIds was recorded give only val and test.
 */
export function parentSplitIds(parent: ModelFile): { train: string[]; val: string[]; test: string[] } {
  return {
    train: parentIds(parent, 'trainSourceIds'),
    val: parentIds(parent, 'valSourceIds'),
    test: parentIds(parent, 'testSourceIds'),
  };
}
