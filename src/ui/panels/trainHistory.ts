// What the Model panel draws about a training run, folded from the train worker's replies:
// per-batch loss, per-epoch loss and validation error in metres, and the latest gradient norms
// through time. Pure and immutable (each reply gives a new object), so it can be $state.raw.
import type { ModelFile } from '../engine.ts';
import type { CellChoice } from './trainForm.ts';
import type { TrainReply } from '../workers/jobProtocol.ts';

export interface TrainHistory {
  cell: CellChoice;
  hidden: number;
  /** '' for a run in this panel; the model's name for a history read from a model file's record */
  source: string;
  /** x = epoch + batch fraction (1-based epochs, so epoch 1's batches lie in (0, 1]) */
  batchX: number[];
  batchLoss: number[];
  epochs: number[];
  trainLoss: number[];
  valErrorM: number[];
  /** ‖∂L/∂h_t‖ for t = 0 … T-1, from the latest epoch */
  gradNorms: Float64Array | null;
  epoch: number;
  epochsTotal: number;
  batch: number;
  batches: number;
}

export function emptyHistory(cell: CellChoice, hidden: number, epochsTotal: number): TrainHistory {
  return {
    cell,
    hidden,
    source: '',
    batchX: [],
    batchLoss: [],
    epochs: [],
    trainLoss: [],
    valErrorM: [],
    gradNorms: null,
    epoch: 0,
    epochsTotal,
    batch: 0,
    batches: 0,
  };
}

/** A model file's training record as a history (per-epoch curves and the last epoch's gradient norms). */
export function historyFromModelFile(mf: ModelFile, source: string): TrainHistory {
  const epochs = mf.training.epochs ?? [];
  const norms = mf.training.gradNormsThroughTime ?? [];
  const last = norms.length ? norms[norms.length - 1] : [];
  return {
    ...emptyHistory(mf.architecture.cell, mf.architecture.hiddenSize, epochs.length),
    source,
    epochs: epochs.map((e) => e.epoch),
    trainLoss: epochs.map((e) => e.loss),
    valErrorM: epochs.map((e) => e.valErrorM),
    gradNorms: last.length ? Float64Array.from(last) : null,
    epoch: epochs.length,
  };
}

const cellNames: Record<string, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };

/** "LSTM h64", and for a comparison line where it came from: "previous run: RNN h6", "default.json: LSTM h64". */
export function historyLabel(h: TrainHistory, asComparison = false): string {
  const what = `${cellNames[h.cell] ?? h.cell} h${h.hidden}`;
  if (!asComparison) return what;
  return `${h.source || 'previous run'}: ${what}`;
}

/** The history after one reply; replies that carry no curve data return the same object. */
export function foldTrainReply(h: TrainHistory, reply: TrainReply): TrainHistory {
  switch (reply.type) {
    case 'batch': {
      const x = reply.epoch - 1 + reply.batch / Math.max(1, reply.batches);
      return {
        ...h,
        batchX: [...h.batchX, x],
        batchLoss: [...h.batchLoss, reply.loss],
        epoch: reply.epoch,
        batch: reply.batch,
        batches: reply.batches,
      };
    }
    case 'epoch':
      return {
        ...h,
        epochs: [...h.epochs, reply.epoch],
        trainLoss: [...h.trainLoss, reply.trainLoss],
        valErrorM: [...h.valErrorM, reply.valErrorM],
        gradNorms: reply.gradNorms.length > 0 ? reply.gradNorms : h.gradNorms,
        epoch: reply.epoch,
        epochsTotal: reply.epochs,
      };
    default:
      return h;
  }
}

/** Share of the run done, 0 … 1, from the epoch and batch counters. */
export function progressFraction(h: TrainHistory): number {
  if (h.epochsTotal <= 0) return 0;
  const within = h.batches > 0 ? h.batch / h.batches : 0;
  const done = h.epochs.length >= h.epoch ? h.epoch : h.epoch - 1 + within;
  return Math.min(1, Math.max(0, done / h.epochsTotal));
}

/**
 * How much the gradient shrinks on its way back through the window: ‖∂L/∂h‖ at the last step
 * divided by its value at the first step (NaN when either is not positive). A vanilla RNN's factor
 * grows geometrically with the window (vanishing gradients); an LSTM's stays far smaller.
 */
export function gradientFalloff(norms: ArrayLike<number>): number {
  const n = norms.length;
  if (n < 2 || !(norms[0] > 0) || !(norms[n - 1] > 0)) return NaN;
  return norms[n - 1] / norms[0];
}
