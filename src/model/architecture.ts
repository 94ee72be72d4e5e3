// The architecture of a recurrent model: which cell, how big, how many layers, which head. Pure
// data plus its validation; no weights here (see parameterLayout.ts) and no arithmetic.
import { GRU_GATES, LSTM_GATES, RNN_GATES } from './kernels.ts';

export type CellKind = 'lstm' | 'gru' | 'rnn';
/**
 * 'mean' predicts (μx, μy); 'gaussian' predicts (μx, μy, log σx, log σy, ρ̂) with ρ = tanh ρ̂;
 * 'direct' predicts K = outputSteps future steps at once, (x, y) per step (O = 2K): still a plain Linear(H, O).
 */
export type HeadKind = 'mean' | 'gaussian' | 'direct';
/** euclidean_last: mean over samples (and a direct head's steps) of the distance ‖o − t‖ of each (x, y) pair. */
export type LossKind = 'mse_last' | 'mse_all' | 'bivariate_nll_last' | 'bivariate_nll_all' | 'euclidean_last';

export interface Architecture {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  head: HeadKind;
  /** K, the direct head's steps (required for it, absent for the others). */
  outputSteps?: number;
}

export const CELL_KINDS: readonly CellKind[] = ['lstm', 'gru', 'rnn'];
export const HEAD_KINDS: readonly HeadKind[] = ['mean', 'gaussian', 'direct'];
export const LOSS_KINDS: readonly LossKind[] = [
  'mse_last',
  'mse_all',
  'bivariate_nll_last',
  'bivariate_nll_all',
  'euclidean_last',
];

/** Gate blocks per cell: LSTM 4 [i|f|g|o], GRU 3 [r|z|n], RNN 1. */
export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? LSTM_GATES : cell === 'gru' ? GRU_GATES : RNN_GATES;
}

/** Head outputs: 2 for the mean head, 5 for the bivariate Gaussian head, 2K for the direct head. */
export function headOutputs(arch: Pick<Architecture, 'head' | 'outputSteps'>): number {
  return arch.head === 'gaussian' ? 5 : arch.head === 'direct' ? 2 * (arch.outputSteps ?? 0) : 2;
}

/** Numbers per sample of a `_last` loss's target: every output of a mean or direct head, (x, y) for the Gaussian. */
export function targetWidth(arch: Pick<Architecture, 'head' | 'outputSteps'>): number {
  return arch.head === 'gaussian' ? 2 : headOutputs(arch);
}

/** True when the loss needs the head on every step rather than the last one only. */
export function lossOnAllSteps(loss: LossKind): boolean {
  return loss === 'mse_all' || loss === 'bivariate_nll_all';
}

/** The head a loss is written for first: MSE and Euclidean the mean head, the bivariate NLL the Gaussian head. */
export function headForLoss(loss: LossKind): HeadKind {
  return loss.startsWith('bivariate') ? 'gaussian' : 'mean';
}

/** True when the loss can train the head: the NLL needs the Gaussian head; a direct head takes MSE or Euclidean on its last step. */
export function lossFitsHead(loss: LossKind, head: HeadKind): boolean {
  if (head === 'direct') return loss === 'mse_last' || loss === 'euclidean_last';
  return headForLoss(loss) === head;
}

/**
 * Why `networks` networks with this head cannot be an ensemble (null when they can): an ensemble
 * averages head outputs, and averaging Gaussian heads' raw outputs is not a mixture.
 */
export function ensembleProblem(head: HeadKind, networks: number): string | null {
  return networks > 1 && head === 'gaussian'
    ? 'an ensemble is for the mean and direct heads (averaging Gaussian heads is not a mixture)'
    : null;
}

/** Problems with an architecture, one sentence each; empty when it is usable. */
export function architectureProblems(arch: Partial<Record<keyof Architecture, unknown>>): string[] {
  const problems: string[] = [];
  if (!CELL_KINDS.includes(arch.cell as CellKind))
    problems.push(`unknown cell ${JSON.stringify(arch.cell)} (expected one of ${CELL_KINDS.join(', ')})`);
  if (!HEAD_KINDS.includes(arch.head as HeadKind))
    problems.push(`unknown head ${JSON.stringify(arch.head)} (expected one of ${HEAD_KINDS.join(', ')})`);
  if (arch.head === 'direct') {
    const k = arch.outputSteps;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 1000)
      problems.push(`a direct head needs outputSteps, a whole number of steps ≥ 1, got ${JSON.stringify(k)}`);
  } else if (arch.outputSteps !== undefined)
    problems.push(`outputSteps is for the direct head only, this is a ${String(arch.head)} head`);
  for (const key of ['inputSize', 'hiddenSize', 'numLayers'] as const) {
    const v = arch[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100_000)
      problems.push(`${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return problems;
}
