// A recurrent model: the architecture, its ONE flat parameter array and ONE flat gradient array
// (named views carved at the offsets of parameterLayout.ts), the activation caches, and the
// forward / loss-and-gradient / step-by-step entry points. Optimizers live in src/train; the
// model file in modelFile.ts.
// Inputs are batch-first x (B,T,X); letters: T steps, B batch, X input, H hidden, O head outputs, L layers.
import {
  architectureProblems,
  gateCount,
  headOutputs,
  lossFitsHead,
  lossOnAllSteps,
  targetWidth,
  type Architecture,
  type LossKind,
} from './architecture.ts';
import { initParameters } from './initParameters.ts';
import type { Dtype, FloatArray, Kernels } from './kernels.ts';
import { lossAndGradient } from './losses.ts';
import { parameterLayout, type ParamEntry, type ParameterLayout } from './parameterLayout.ts';
import { RecurrentStack } from './recurrentStack.ts';
import { createDefaultKernels } from './defaultKernels.ts';

export interface ModelOptions {
  /** Initialization seed (default 1). */
  seed?: number;
  /** Buffer element type (default float32); ignored when `kernels` is given. */
  dtype?: Dtype;
  /** The kernel backend (default: defaultKernels.ts — WebAssembly SIMD for float32 where available, else TypeScript). */
  kernels?: Kernels;
}

export interface StateOptions {
  /** Initial hidden state (L,B,H); zeros when absent. */
  h0?: ArrayLike<number>;
  /** Initial cell state (L,B,H), LSTM only; zeros when absent. */
  c0?: ArrayLike<number>;
}

export interface MeanOptions {
  /**
   * The batch the loss is a mean over when this call sees only rows of it (default B): the loss and
   * gradient are then these rows' share, and the shares of all slices add up to the whole batch's.
   */
  meanOverRows?: number;
}

export interface LossOptions extends StateOptions, MeanOptions {
  /** Truncated BPTT: chunks of k steps, the state carried, the gradient cut between chunks. 0 = full BPTT. */
  tbpttK?: number;
  /** Also return ∂L/∂x, ∂L/∂h0, ∂L/∂c0. */
  inputGrads?: boolean;
  /** Add into the gradient array instead of zeroing it first. */
  accumulate?: boolean;
}

export interface LossAndGradResult {
  loss: number;
  /** ‖∂L/∂h_t‖ (L2 over batch and units) of the top layer's output at each step t, (T). */
  gradNormsThroughTime: Float64Array;
  /** ‖∂L/∂h_t‖ for every layer, bottom first (L arrays of T); the last one is gradNormsThroughTime. */
  gradNormsByLayer: Float64Array[];
  /** With inputGrads: ∂L/∂x (B,T,X), ∂L/∂h0 (L,B,H), ∂L/∂c0 (L,B,H) for the LSTM. */
  dx?: Float64Array;
  dh0?: Float64Array;
  dc0?: Float64Array;
}

export interface ForwardDetail {
  /** Top layer's hidden state at every step (B,T,H). */
  output: Float64Array;
  /** Final states (L,B,H); cN only for the LSTM. */
  hN: Float64Array;
  cN?: Float64Array;
  /** The head on every step (B,T,O). */
  prediction: Float64Array;
}

export class Model {
  readonly architecture: Architecture;
  readonly kernels: Kernels;
  readonly dtype: Dtype;
  readonly layout: ParameterLayout;
  /** All parameters, one flat array, PyTorch state_dict order. */
  readonly params: FloatArray;
  /** All gradients, same length and offsets as params. */
  readonly grads: FloatArray;
  /** G·H: rows of each weight_ih / weight_hh. */
  readonly gateRows: number;
  /** O: 2 for the mean head, 5 for the Gaussian head, 2K for the direct head. */
  readonly outputSize: number;
  private readonly stack: RecurrentStack;

  constructor(arch: Architecture, opts: ModelOptions = {}) {
    const problems = architectureProblems(arch);
    if (problems.length > 0) throw new Error(`invalid architecture: ${problems.join('; ')}`);
    this.architecture = { ...arch };
    this.kernels = opts.kernels ?? createDefaultKernels(opts.dtype ?? 'float32');
    this.dtype = this.kernels.dtype;
    this.layout = parameterLayout(arch);
    this.params = this.kernels.alloc(this.layout.total);
    this.grads = this.kernels.alloc(this.layout.total);
    this.gateRows = gateCount(arch.cell) * arch.hiddenSize;
    this.outputSize = headOutputs(arch);
    initParameters(this.params, arch, this.layout, opts.seed ?? 1);
    const { inputSize: X, hiddenSize: H, numLayers: L, cell } = arch;
    this.stack = new RecurrentStack(
      { cell, X, H, G: this.gateRows, O: this.outputSize, L },
      this.layout,
      this.kernels,
    );
  }

  /** The layout entry of a PyTorch-named parameter, e.g. 'rnn.weight_hh_l0'. */
  entry(name: string): ParamEntry {
    const e = this.layout.entries.find((x) => x.name === name);
    if (!e) throw new Error(`no parameter named ${name}`);
    return e;
  }

  /** The named parameter as a view into `params` (writes go to the model). */
  view(name: string): FloatArray {
    const e = this.entry(name);
    return this.params.subarray(e.offset, e.offset + e.size);
  }

  /** The named gradient as a view into `grads`. */
  gradView(name: string): FloatArray {
    const e = this.entry(name);
    return this.grads.subarray(e.offset, e.offset + e.size);
  }

  /** Reserves caches for B rows × T steps up front so later calls never allocate. */
  reserve(B: number, T: number): void {
    this.stack.ensureCapacity(B, T);
  }

  /** Head outputs at every step, (B,T,O) batch-first, a new array. */
  forward(x: ArrayLike<number>, B: number, T: number, state: StateOptions = {}): FloatArray {
    this.checkInput(x, B, T);
    this.stack.forward(this.params, x, B, T, 'all', state.h0, state.c0);
    const O = this.outputSize;
    const out = this.kernels.dtype === 'float64' ? new Float64Array(B * T * O) : new Float32Array(B * T * O);
    const pred = this.stack.pred;
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++)
        for (let o = 0; o < O; o++) out[(b * T + t) * O + o] = pred[(t * B + b) * O + o];
    return out;
  }

  /** Head output at the last step only, (B,O), a new array. */
  forwardLast(x: ArrayLike<number>, B: number, T: number, state: StateOptions = {}): FloatArray {
    this.checkInput(x, B, T);
    // The state-only inference path where the backend has one; else the caching forward.
    if (!this.stack.forwardInference(this.params, x, B, T, state.h0, state.c0))
      this.stack.forward(this.params, x, B, T, 'last', state.h0, state.c0);
    const O = this.outputSize;
    return this.stack.pred.slice((T - 1) * B * O, T * B * O);
  }

  /** Everything the PyTorch fixtures compare: outputs, final states, predictions (new Float64Arrays). */
  forwardDetailed(x: ArrayLike<number>, B: number, T: number, state: StateOptions = {}): ForwardDetail {
    const prediction = Float64Array.from(this.forward(x, B, T, state));
    const { hiddenSize: H, numLayers: L } = this.architecture;
    const top = this.stack.layers[L - 1].hs;
    const output = new Float64Array(B * T * H);
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++)
        for (let j = 0; j < H; j++) output[(b * T + t) * H + j] = top[((t + 1) * B + b) * H + j];
    const hN = new Float64Array(L * B * H);
    const cN = this.architecture.cell === 'lstm' ? new Float64Array(L * B * H) : undefined;
    for (let l = 0; l < L; l++) {
      const c = this.stack.layers[l];
      hN.set(c.hs.subarray(T * B * H, (T + 1) * B * H), l * B * H);
      if (cN) cN.set(c.cs!.subarray(T * B * H, (T + 1) * B * H), l * B * H);
    }
    return { output, hN, cN, prediction };
  }

  /** The loss without gradients. */
  loss(
    x: ArrayLike<number>,
    target: ArrayLike<number>,
    B: number,
    T: number,
    loss: LossKind,
    state: StateOptions & MeanOptions = {},
  ): number {
    return this.forwardLoss(x, target, B, T, loss, state);
  }

  /** Checks the arguments, runs the forward the loss needs and returns the loss (∂L/∂pred left in the stack). */
  private forwardLoss(
    x: ArrayLike<number>,
    target: ArrayLike<number>,
    B: number,
    T: number,
    loss: LossKind,
    state: StateOptions & MeanOptions,
  ): number {
    this.checkLoss(loss);
    this.checkInput(x, B, T);
    this.checkTarget(target, B, T, loss);
    this.stack.forward(this.params, x, B, T, lossOnAllSteps(loss) ? 'all' : 'last', state.h0, state.c0);
    const meanB = state.meanOverRows ?? B;
    if (!Number.isInteger(meanB) || meanB < B)
      throw new Error(`meanOverRows must be a whole number ≥ B = ${B}, got ${meanB}`);
    return lossAndGradient(loss, this.stack.pred, this.stack.dPred, target, B, T, this.outputSize, meanB);
  }

  /**
   * Forward, loss, and backpropagation through time (truncated with `tbpttK`). Gradients go into
   * `grads` (zeroed first unless `accumulate`). Also records ‖∂L/∂h_t‖ for every step.
   */
  lossAndGrad(
    x: ArrayLike<number>,
    target: ArrayLike<number>,
    B: number,
    T: number,
    loss: LossKind,
    opts: LossOptions = {},
  ): LossAndGradResult {
    const value = this.forwardLoss(x, target, B, T, loss, opts);
    const { hiddenSize: H, numLayers: L, inputSize: X, cell } = this.architecture;
    const heads = lossOnAllSteps(loss) ? 'all' : 'last';
    if (!opts.accumulate) this.grads.fill(0);
    const gradNormsByLayer = Array.from({ length: L }, () => new Float64Array(T));
    const inputGrads = opts.inputGrads
      ? { dh0: new Float64Array(L * B * H), dc0: cell === 'lstm' ? new Float64Array(L * B * H) : null }
      : null;
    this.stack.backward(this.params, this.grads, B, T, heads, opts.tbpttK ?? 0, gradNormsByLayer, inputGrads);
    const result: LossAndGradResult = {
      loss: value,
      gradNormsThroughTime: gradNormsByLayer[L - 1],
      gradNormsByLayer,
    };
    if (inputGrads) {
      const dIn = this.stack.layers[0].dIn;
      const dx = new Float64Array(B * T * X);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++)
          for (let i = 0; i < X; i++) dx[(b * T + t) * X + i] = dIn[(t * B + b) * X + i];
      result.dx = dx;
      result.dh0 = inputGrads.dh0;
      if (inputGrads.dc0) result.dc0 = inputGrads.dc0;
    }
    return result;
  }

  private checkInput(x: ArrayLike<number>, B: number, T: number): void {
    if (!Number.isInteger(B) || !Number.isInteger(T) || B < 1 || T < 1)
      throw new Error(`batch and steps must be positive integers, got B=${B}, T=${T}`);
    const need = B * T * this.architecture.inputSize;
    if (x.length < need)
      throw new Error(
        `input holds ${x.length} numbers, B·T·X = ${B}·${T}·${this.architecture.inputSize} = ${need} needed`,
      );
  }

  private checkTarget(target: ArrayLike<number>, B: number, T: number, loss: LossKind): void {
    const width = targetWidth(this.architecture);
    const need = lossOnAllSteps(loss) ? B * T * 2 : B * width;
    if (target.length < need)
      throw new Error(
        `target holds ${target.length} numbers, ${loss} needs ${need} (${lossOnAllSteps(loss) ? 'B·T·2' : `B·${width}`})`,
      );
  }

  private checkLoss(loss: LossKind): void {
    if (!lossFitsHead(loss, this.architecture.head))
      throw new Error(`loss ${loss} cannot train the ${this.architecture.head} head of this model`);
  }
}

/** Creates a model with seeded initialization (see initParameters.ts). */
export function createModel(arch: Architecture, opts: ModelOptions = {}): Model {
  return new Model(arch, opts);
}
