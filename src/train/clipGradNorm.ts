// Gradient clipping by one global L2 norm over every parameter, as torch.nn.utils.clip_grad_norm_:
// when the norm exceeds maxNorm, every gradient is scaled by maxNorm / (norm + 1e-6).
import type { FloatArray } from '../model/kernels.ts';

/** Scales grads in place if needed; returns the global L2 norm BEFORE clipping (NaN/∞ pass through unclipped). */
export function clipGradNorm(grads: FloatArray, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < grads.length; i++) ss += grads[i] * grads[i];
  const norm = Math.sqrt(ss);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (let i = 0; i < grads.length; i++) grads[i] *= coef;
  return norm;
}
