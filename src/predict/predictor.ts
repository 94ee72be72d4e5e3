// The Predictor: a trained model plus its encoder, rolled forward autoregressively. Each step's
// predicted delta is appended to the window (the oldest dropped), re-encoded through the same
// featuresFromDeltas as training, and fed back. Works on metre deltas in batches (evaluation) and
// on tracks (lat/lon in, lat/lon out). No file system, no DOM.
import type { Track } from '../data/track.ts';
import { decodeHead, type DecodedStep } from '../encode/decodeHead.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import { encodeWindow } from '../encode/encodeWindow.ts';
import { windowFrame, type WindowFrame } from '../encode/windowFrame.ts';
import { createModel, type Model } from '../model/model.ts';
import { decodeWeights, type ModelArchitecture, type ModelFile } from '../model/modelFile.ts';
import { gaussianStream } from '../model/random.ts';
import { setPositionSpread, type DeltaForecast } from './deltaForecast.ts';
import { shrinkForecast, type Shrinkage } from './shrinkage.ts';
import type { Prediction } from './prediction.ts';
import { sampleDelta } from './sampleDelta.ts';
import { trackPrediction } from './trackPrediction.ts';
import { createLiveStepper, type LiveStepper } from './liveStepper.ts';

const CHUNK = 256;

/** How a Gaussian head's uncertainty is carried beyond step 1. */
export interface ForecastOptions {
  /**
   * Sample paths per window (Gaussian head only). 0 = analytic: the position covariance after k steps
   * is the sum of the k predicted delta covariances (independent steps, no feedback of uncertainty).
   * N > 0 = sampled rollouts: N paths drawn from the predicted bivariate normals, each sample fed back;
   * the reported positions stay those of the mean rollout and σx, σy, ρ are the empirical second
   * moments of the N sampled positions around them.
   * Default: predictor.uncertaintySamples.
   */
  samples?: number;
  /** Seed of the sample generator (model/random.ts's gaussianStream); default 1: the same input gives the same output. */
  seed?: number;
  /** Apply the model's shrinkage toward constant velocity (default true; false = the raw network rollout). */
  shrink?: boolean;
  /**
   * Index of past's first window within a larger forecast split into slices (default 0): each
   * window's sample stream is seeded by its index in the whole, so a slice draws what the whole would.
   */
  firstWindow?: number;
}

/** Default sample paths per window for a Gaussian head's uncertainty (see ForecastOptions.samples). */
export const DEFAULT_UNCERTAINTY_SAMPLES = 64;

export class Predictor {
  readonly architecture: ModelArchitecture;
  readonly encoder: EncoderSettings;
  /** The network (an ensemble's first member). */
  readonly model: Model;
  /**
   * An ensemble's further members (same architecture and encoder, other initial weights); empty for
   * one network. Every step's head output is the mean of all members' (headOutput).
   */
  readonly members: readonly Model[];
  /** Sample paths per window for a Gaussian head (0 = analytic sum of step covariances). */
  uncertaintySamples = DEFAULT_UNCERTAINTY_SAMPLES;
  /** Shrinkage toward constant velocity applied to every forecast (null: none, e.g. version-1 files). */
  shrinkage: Shrinkage | null;

  constructor(
    model: Model,
    encoder: EncoderSettings,
    shrinkage: Shrinkage | null = null,
    members: readonly Model[] = [],
  ) {
    this.model = model;
    this.architecture = model.architecture;
    this.encoder = encoder;
    this.shrinkage = shrinkage;
    this.members = members;
  }

  /** Builds the model(s) of a validated model file (see parseModelFile) and loads their weights. */
  static fromModelFile(mf: ModelFile): Predictor {
    const build = (w: ModelFile['weights']): Model => {
      const model = createModel(mf.architecture);
      model.params.set(decodeWeights(w));
      return model;
    };
    return new Predictor(build(mf.weights), mf.encoder, mf.shrinkage ?? null, (mf.members ?? []).map(build));
  }

  /** Networks averaged: 1, or an ensemble's size. */
  get ensembleSize(): number {
    return 1 + this.members.length;
  }

  /**
   * The head output (n,O) at the last step of each of the n encoded windows x (n,W,X): the model's,
   * or for an ensemble the mean of every member's.
   */
  headOutput(x: ArrayLike<number>, n: number, W: number): ReturnType<Model['forwardLast']> {
    const head = this.model.forwardLast(x, n, W);
    if (this.members.length === 0) return head;
    const sum = Float64Array.from(head);
    for (const m of this.members) {
      const h = m.forwardLast(x, n, W);
      for (let i = 0; i < sum.length; i++) sum[i] += h[i];
    }
    for (let i = 0; i < sum.length; i++) head[i] = sum[i] / this.ensembleSize;
    return head;
  }

  get gaussian(): boolean {
    return this.architecture.head === 'gaussian';
  }

  /**
   * Rolls every window of past (B, W, 2) metre deltas forward `steps` steps (see rawForecast), then
   * shrinks each rollout toward constant velocity with the model's α (shrinkage.ts) unless
   * opts.shrink is false. A Gaussian head's σ, ρ are those of the raw rollout.
   */
  forecast(past: Float64Array, B: number, steps: number, opts: ForecastOptions = {}): DeltaForecast {
    const out = this.rawForecast(past, B, steps, opts);
    if (this.shrinkage && opts.shrink !== false)
      shrinkForecast(out.dxM, out.dyM, past, B, this.encoder.window, steps, this.shrinkage);
    return out;
  }

  /**
   * Rolls every window of past (B, W, 2) metre deltas forward `steps` steps, no shrinkage. A direct
   * head predicts its K steps from one pass and continues beyond K with constant velocity from its
   * K-th delta. A mean head (or a Gaussian head with samples = 0) feeds its mean delta back. For a Gaussian head with samples N > 0
   * (the default, see ForecastOptions) N sampled paths per window are also rolled out and σx, σy, ρ
   * are their spread around the mean rollout at each step. With samples = 0
   * the covariance after k steps is the SUM of the k predicted delta covariances, which ignores the
   * feedback of an uncertain delta into later steps and under-covers beyond step 1.
   */
  private rawForecast(past: Float64Array, B: number, steps: number, opts: ForecastOptions): DeltaForecast {
    if (this.architecture.head === 'direct') return this.directForecast(past, B, steps);
    const samples = Math.max(0, Math.floor(opts.samples ?? this.uncertaintySamples));
    if (this.gaussian && samples > 0)
      return this.sampledForecast(past, B, steps, samples, opts.seed ?? 1, opts.firstWindow ?? 0);
    const enc = this.encoder;
    const W = enc.window;
    const X = enc.features.length;
    const O = this.gaussian ? 5 : 2;
    const out: DeltaForecast = { dxM: new Float64Array(B * steps), dyM: new Float64Array(B * steps) };
    if (this.gaussian) {
      out.sigmaXM = new Float64Array(B * steps);
      out.sigmaYM = new Float64Array(B * steps);
      out.rho = new Float64Array(B * steps);
    }
    const scratch = new Float64Array(W * 2);
    const x = new Float32Array(CHUNK * W * X);
    const win = new Float64Array(CHUNK * W * 2);
    const frames: WindowFrame[] = new Array(CHUNK);
    const step: DecodedStep = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
    const cov = new Float64Array(CHUNK * 3);
    for (let b0 = 0; b0 < B; b0 += CHUNK) {
      const nb = Math.min(CHUNK, B - b0);
      win.set(past.subarray(b0 * W * 2, (b0 + nb) * W * 2));
      cov.fill(0);
      for (let k = 0; k < steps; k++) {
        const head = this.forwardWindows(x, win, nb, frames, scratch);
        for (let b = 0; b < nb; b++) {
          decodeHead(head, b * O, O, frames[b], enc.targetStd, step);
          const i = (b0 + b) * steps + k;
          out.dxM[i] = step.dxM;
          out.dyM[i] = step.dyM;
          if (this.gaussian) {
            cov[3 * b] += step.sxx;
            cov[3 * b + 1] += step.syy;
            cov[3 * b + 2] += step.sxy;
            setPositionSpread(out, i, cov[3 * b], cov[3 * b + 1], cov[3 * b + 2]);
          }
          slideWindow(win, b * W * 2, W, step.dxM, step.dyM);
        }
      }
    }
    return out;
  }

  /**
   * The direct head's forecast: one pass per window gives the displacements after k = 1 … K steps
   * (decodeHead with steps = k: k·base + the rotated, scaled output); the deltas are their differences.
   * Beyond K every delta repeats the K-th (constant velocity from the last predicted delta).
   */
  private directForecast(past: Float64Array, B: number, steps: number): DeltaForecast {
    const enc = this.encoder;
    const W = enc.window;
    const X = enc.features.length;
    const O = this.model.outputSize;
    const K = O / 2;
    const out: DeltaForecast = { dxM: new Float64Array(B * steps), dyM: new Float64Array(B * steps) };
    const scratch = new Float64Array(W * 2);
    const x = new Float32Array(CHUNK * W * X);
    const frames: WindowFrame[] = new Array(CHUNK);
    const step: DecodedStep = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
    for (let b0 = 0; b0 < B; b0 += CHUNK) {
      const nb = Math.min(CHUNK, B - b0);
      const head = this.forwardWindows(x, past.subarray(b0 * W * 2, (b0 + nb) * W * 2), nb, frames, scratch);
      for (let b = 0; b < nb; b++) {
        let prevX = 0;
        let prevY = 0;
        for (let k = 0; k < steps; k++) {
          const i = (b0 + b) * steps + k;
          if (k >= K) {
            out.dxM[i] = out.dxM[i - 1];
            out.dyM[i] = out.dyM[i - 1];
            continue;
          }
          decodeHead(head, b * O + 2 * k, 2, frames[b], enc.targetStd, step, k + 1);
          out.dxM[i] = step.dxM - prevX;
          out.dyM[i] = step.dyM - prevY;
          prevX = step.dxM;
          prevY = step.dyM;
        }
      }
    }
    return out;
  }

  /**
   * Encodes the first n windows of win (n,W,2) metre deltas into x (n,W,X), recording each window's
   * frame in frames for decoding, and returns the model's head output (n,O) at each window's last step.
   */
  private forwardWindows(
    x: Float32Array,
    win: ArrayLike<number>,
    n: number,
    frames: WindowFrame[],
    scratch: Float64Array,
  ): ReturnType<Model['forwardLast']> {
    const enc = this.encoder;
    const W = enc.window;
    for (let r = 0; r < n; r++) {
      frames[r] = windowFrame(win, r * W * 2, enc);
      encodeWindow(x, r, win, r * W * 2, enc, scratch, frames[r]);
    }
    return this.headOutput(x, n, W);
  }

  /**
   * Sampled rollouts: each window is repeated N times; at every step each path's delta is drawn from
   * its predicted bivariate normal N(μ, Σ) as μ + L·z (L the Cholesky factor of Σ, z two standard
   * normals by Box–Muller from gaussianStream(seed, window)) and fed back. The reported path is the
   * mean rollout (as with samples = 0, so point errors do not depend on N); σx, σy, ρ per step are the
   * second moments (1/N) of the N sampled positions around it.
   */
  private sampledForecast(
    past: Float64Array,
    B: number,
    steps: number,
    N: number,
    seed: number,
    firstWindow: number,
  ): DeltaForecast {
    const enc = this.encoder;
    const W = enc.window;
    const X = enc.features.length;
    const O = 5;
    const mean = this.rawForecast(past, B, steps, { samples: 0 });
    const out: DeltaForecast = {
      dxM: mean.dxM,
      dyM: mean.dyM,
      sigmaXM: new Float64Array(B * steps),
      sigmaYM: new Float64Array(B * steps),
      rho: new Float64Array(B * steps),
    };
    const perChunk = sampledChunkWindows(N);
    const rows = perChunk * N;
    const scratch = new Float64Array(W * 2);
    const x = new Float32Array(rows * W * X);
    const win = new Float64Array(rows * W * 2);
    const posX = new Float64Array(rows);
    const posY = new Float64Array(rows);
    const frames: WindowFrame[] = new Array(rows);
    const step: DecodedStep = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
    const draw = new Float64Array(2); // (dx, dy) metres
    for (let b0 = 0; b0 < B; b0 += perChunk) {
      const nb = Math.min(perChunk, B - b0);
      const nr = nb * N;
      // one stream per window, seeded by (seed, window index): batching and chunking never change a window's draws
      const gauss = Array.from({ length: nb }, (_, b) => gaussianStream(seed, firstWindow + b0 + b));
      for (let b = 0; b < nb; b++)
        for (let s = 0; s < N; s++)
          win.set(past.subarray((b0 + b) * W * 2, (b0 + b + 1) * W * 2), (b * N + s) * W * 2);
      posX.fill(0);
      posY.fill(0);
      for (let k = 0; k < steps; k++) {
        const head = this.forwardWindows(x, win, nr, frames, scratch);
        for (let r = 0; r < nr; r++) {
          decodeHead(head, r * O, O, frames[r], enc.targetStd, step);
          sampleDelta(step, gauss[Math.floor(r / N)], draw);
          posX[r] += draw[0];
          posY[r] += draw[1];
          slideWindow(win, r * W * 2, W, draw[0], draw[1]);
        }
        for (let b = 0; b < nb; b++) {
          const i = (b0 + b) * steps + k;
          // spread of the N sampled positions around the mean rollout's position after k + 1 steps
          let px = 0;
          let py = 0;
          for (let q = 0; q <= k; q++) {
            px += out.dxM[(b0 + b) * steps + q];
            py += out.dyM[(b0 + b) * steps + q];
          }
          let cxx = 0;
          let cyy = 0;
          let cxy = 0;
          for (let s = 0; s < N; s++) {
            const ex = posX[b * N + s] - px;
            const ey = posY[b * N + s] - py;
            cxx += ex * ex;
            cyy += ey * ey;
            cxy += ex * ey;
          }
          setPositionSpread(out, i, cxx / N, cyy / N, cxy / N);
        }
      }
    }
    return out;
  }

  /**
   * The next `steps` locations after point endIndex of a track resampled at the model's step
   * (encoder.stepSeconds), from points at or before endIndex only.
   */
  predictTrack(track: Track, endIndex: number, steps: number): Prediction {
    return trackPrediction(track, endIndex, this.encoder.window, steps, (past) =>
      this.forecast(past, 1, steps),
    );
  }

  /**
   * Live prediction while a path grows: push each new position (one per model step, already at the
   * model's cadence); from the second point on, returns the next `steps` locations. One cell update
   * per push with the state carried (see liveStepper.ts), re-synced over the last W deltas every W
   * deltas (the model was trained on W-delta windows from a zero state); windowed for framed encoders.
   */
  liveStepper(steps = 5): LiveStepper {
    return createLiveStepper(this, { steps, resyncEvery: this.encoder.window });
  }
}

/** Windows per model call of a sampled forecast with N paths per window. */
function sampledChunkWindows(N: number): number {
  return Math.max(1, Math.floor(Math.max(CHUNK, N) / N));
}

/**
 * The windows a forecast hands the model together: a slice of a forecast that starts at a multiple
 * of this runs the same model calls as the whole forecast does (row for row), so its numbers are
 * the whole's exactly, whatever the kernels do at the edges of a batch.
 */
export function forecastChunkWindows(gaussian: boolean, samples: number): number {
  if (!gaussian || samples <= 0) return CHUNK;
  const perChunk = sampledChunkWindows(samples);
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return (CHUNK / gcd(CHUNK, perChunk)) * perChunk; // the mean rollout's chunks and the sampled ones
}

/** Feeds a predicted delta back: drops the oldest delta of the window at offset o of win (…,W,2) and appends (dxM, dyM). */
function slideWindow(win: Float64Array, o: number, W: number, dxM: number, dyM: number): void {
  win.copyWithin(o, o + 2, o + W * 2);
  win[o + 2 * (W - 1)] = dxM;
  win[o + 2 * (W - 1) + 1] = dyM;
}
