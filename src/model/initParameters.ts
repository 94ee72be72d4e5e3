// Seeded, reproducible initialization of the flat parameter array: PyTorch's default uniform
// ±1/√H for every recurrent weight and bias and for the head (nn.Linear's bound 1/√fan_in with
// fan_in = H), then the LSTM forget-gate bias set positive so the cell remembers from the start
// (Jozefowicz et al. 2015, "An empirical exploration of recurrent network architectures").
import type { Architecture } from './architecture.ts';
import type { FloatArray } from './kernels.ts';
import type { ParameterLayout } from './parameterLayout.ts';
import { seededRandom } from './random.ts';

/** The LSTM's initial forget-gate bias (b_ih's f block; b_hh's f block starts at 0, they add). */
export const LSTM_FORGET_BIAS = 1.0;

/** Fills params with the seeded initialization for `arch`. */
export function initParameters(
  params: FloatArray,
  arch: Architecture,
  layout: ParameterLayout,
  seed: number,
): void {
  const rand = seededRandom(seed);
  const bound = 1 / Math.sqrt(arch.hiddenSize);
  for (let i = 0; i < layout.total; i++) params[i] = (2 * rand() - 1) * bound;
  if (arch.cell !== 'lstm') return;
  const H = arch.hiddenSize;
  for (const lo of layout.layers)
    for (let j = 0; j < H; j++) {
      params[lo.bih + H + j] = LSTM_FORGET_BIAS;
      params[lo.bhh + H + j] = 0;
    }
}
