// Adam with PyTorch's semantics (torch.optim.Adam, no weight decay, no amsgrad): bias-corrected
// moments, eps added to √v̂ after the correction. Loops over ONE flat parameter array; the two
// moments are flat arrays of the same length. Not here: clipping (clipGradNorm.ts), schedules.
import type { FloatArray } from '../model/kernels.ts';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamState {
  step: number;
  m: FloatArray;
  v: FloatArray;
}

export class Adam {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Steps taken so far (PyTorch's `state['step']`). */
  step = 0;
  /** First and second moments, same length and offsets as the parameters. */
  readonly m: FloatArray;
  readonly v: FloatArray;

  /** `alloc` lets the moments live where the parameters live (a kernel backend's memory). */
  constructor(
    size: number,
    opts: AdamOptions,
    alloc: (n: number) => FloatArray = (n) => new Float64Array(n),
  ) {
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.m = alloc(size);
    this.v = alloc(size);
  }

  /**
   * One update p −= lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps), the formula of torch/optim/_functional.py
   * (PyTorch 1.13). `lr` overrides the stored rate for this step (schedules).
   */
  update(params: FloatArray, grads: ArrayLike<number>, lr = this.lr): void {
    this.step++;
    const { beta1, beta2, eps, m, v } = this;
    const bc1 = 1 - Math.pow(beta1, this.step);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, this.step));
    const stepSize = lr / bc1;
    const n = params.length;
    for (let i = 0; i < n; i++) {
      const g = grads[i];
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  }

  /** Copies of the moments and the step count (to keep with the best weights). */
  snapshot(): AdamState {
    return { step: this.step, m: this.m.slice(), v: this.v.slice() };
  }

  restore(s: AdamState): void {
    this.step = s.step;
    this.m.set(s.m);
    this.v.set(s.v);
  }
}
