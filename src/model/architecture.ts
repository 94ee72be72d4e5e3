// The architecture of a recurrent model: which cell, how big, how many layers, which head. Pure
// data plus its validation; no weights here (see parameterLayout.ts) and no arithmetic.
import { GRU_GATES, LSTM_GATES, RNN_GATES } from './kernels.ts';

export type CellKind = 'lstm' | 'gru' | 'rnn';
/** 'mean' predicts (μx, μy); 'gaussian' predicts (μx, μy, log σx, log σy, ρ̂) with ρ = tanh ρ̂. */
export type HeadKind = 'mean' | 'gaussian';
export type LossKind = 'mse_last' | 'mse_all' | 'bivariate_nll_last' | 'bivariate_nll_all';

export interface Architecture {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  head: HeadKind;
}

export const CELL_KINDS: readonly CellKind[] = ['lstm', 'gru', 'rnn'];
export const HEAD_KINDS: readonly HeadKind[] = ['mean', 'gaussian'];
export const LOSS_KINDS: readonly LossKind[] = [
  'mse_last',
  'mse_all',
  'bivariate_nll_last',
  'bivariate_nll_all',
];

/** Gate blocks per cell: LSTM 4 [i|f|g|o], GRU 3 [r|z|n], RNN 1. */
export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? LSTM_GATES : cell === 'gru' ? GRU_GATES : RNN_GATES;
}

/** Head outputs: 2 for the mean head, 5 for the bivariate Gaussian head. */
export function headOutputs(head: HeadKind): number {
  return head === 'gaussian' ? 5 : 2;
}

/** True when the loss needs the head on every step rather than the last one only. */
export function lossOnAllSteps(loss: LossKind): boolean {
  return loss === 'mse_all' || loss === 'bivariate_nll_all';
}

/** The head a loss needs: MSE uses the mean head, the bivariate NLL the Gaussian head. */
export function headForLoss(loss: LossKind): HeadKind {
  return loss.startsWith('bivariate') ? 'gaussian' : 'mean';
}

/** Problems with an architecture, one sentence each; empty when it is usable. */
export function architectureProblems(arch: Partial<Record<keyof Architecture, unknown>>): string[] {
  const problems: string[] = [];
  if (!CELL_KINDS.includes(arch.cell as CellKind))
    problems.push(`unknown cell ${JSON.stringify(arch.cell)} (expected one of ${CELL_KINDS.join(', ')})`);
  if (!HEAD_KINDS.includes(arch.head as HeadKind))
    problems.push(`unknown head ${JSON.stringify(arch.head)} (expected one of ${HEAD_KINDS.join(', ')})`);
  for (const key of ['inputSize', 'hiddenSize', 'numLayers'] as const) {
    const v = arch[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100_000)
      problems.push(`${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return problems;
}
