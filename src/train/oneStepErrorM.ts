// The validation score trainOnTracks early-stops on: the model's mean 1-step error in metres over a
// window set, batched through forwardLast (fit's, on the threads training uses). Not the
// multi-step evaluation (src/eval).
import { decodeHead } from '../encode/decodeHead.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import type { WindowSet } from '../encode/windowSet.ts';
import type { BatchForward } from './gradients.ts';

/**
 * Mean 1-step error (metres, in the plane tangent at each window's last point) on a window set of the
 * model whose head (O outputs) `forward` runs.
 */
export async function oneStepErrorM(
  O: number,
  forward: BatchForward,
  set: WindowSet,
  enc: EncoderSettings,
): Promise<number> {
  if (set.n === 0) return NaN;
  const W = enc.window;
  const X = enc.features.length;
  const first = O === 5 ? 5 : 2; // a direct head's first step is its first (x, y) pair
  const H = set.H;
  const step = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
  let total = 0;
  for (let b0 = 0; b0 < set.n; b0 += 512) {
    const nb = Math.min(512, set.n - b0);
    const head = await forward(set.x.subarray(b0 * W * X, (b0 + nb) * W * X), nb);
    for (let b = 0; b < nb; b++) {
      const i = b0 + b;
      decodeHead(head, b * O, first, set.frames[i], enc.targetStd, step);
      total += Math.hypot(step.dxM - set.targetM[2 * H * i], step.dyM - set.targetM[2 * H * i + 1]);
    }
  }
  return total / set.n;
}
