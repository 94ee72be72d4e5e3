// Live prediction while a path grows (the app's play button and "draw a path"): each pushed point
// costs ONE cell update of every layer, the recurrent state carried from the previous push (the
// engine's Stepper); the K-step forecast is then rolled out from a COPY of that state, feeding the
// predicted deltas back, so the carried state is never disturbed. Points are taken to be one model
// step apart (resample first); batches and evaluation windows are Predictor.forecast's job.
import type { Track } from '../data/track.ts';
import { decodeHead, type DecodedStep } from '../encode/decodeHead.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import { featuresFromDeltas } from '../encode/featuresFromDeltas.ts';
import { decodeDeltas, deltasInto } from '../encode/trackDeltas.ts';
import { IDENTITY_FRAME } from '../encode/windowFrame.ts';
import type { LatLon } from '../geo/index.ts';
import type { Model } from '../model/model.ts';
import { gaussianStream } from '../model/random.ts';
import { createStepper, type Stepper } from '../model/stepper.ts';
import { setPositionSpread, type DeltaForecast } from './deltaForecast.ts';
import type { Prediction } from './prediction.ts';
import { sampleDelta } from './sampleDelta.ts';
import { alphaFor, shrinkTowardCv, type Shrinkage } from './shrinkage.ts';
import { trackPrediction } from './trackPrediction.ts';

/** What a live stepper runs on: a Predictor (structurally, so this file does not import it). */
export interface LiveForecaster {
  readonly model: Model;
  /** An ensemble's further members (live prediction is then windowed: forecast averages them). */
  readonly members: readonly Model[];
  readonly encoder: EncoderSettings;
  /** Default sample paths for a Gaussian head's σ beyond step 1 (0 = analytic). */
  readonly uncertaintySamples: number;
  /** Shrinkage toward constant velocity, applied to every forecast (null: none). */
  readonly shrinkage: Shrinkage | null;
  /** Rolls B windows of past (B, W, 2) metre deltas forward `steps` steps. */
  forecast(past: Float64Array, B: number, steps: number): DeltaForecast;
}

export interface LiveStepperOptions {
  /** Predicted points per push (K, default 5). */
  steps?: number;
  /**
   * Re-sync period in deltas (0 = never, the default). The model was trained on windows of W deltas
   * from a zero state; with a period R > 0, once W + R, W + 2R, … deltas have been pushed the carried
   * state is rebuilt from zero over the last W deltas (W cell updates on that push instead of one), so
   * the state never covers more than W + R − 1 deltas. See `warmUp`.
   */
  resyncEvery?: number;
  /**
   * With resyncEvery: rebuild over the last W deltas (true, default) or just restart from the zero
   * state on that push (false: always one cell update per push, but the state then covers only the
   * deltas since the restart).
   */
  warmUp?: boolean;
  /** Gaussian head: sampled paths for σ beyond step 1 (default predictor.uncertaintySamples; 0 = analytic). */
  samples?: number;
  /** Seed of the sample generator (default 1: the same pushes give the same prediction). */
  seed?: number;
}

export interface LiveStepper {
  /**
   * Adds the next point of the path (degrees), one model step (encoder.stepSeconds) after the
   * previous one. Returns the next K locations, or null for the first point (no delta yet).
   * Throws a RangeError for a non-finite or out-of-range coordinate (the state is left unchanged).
   */
  push(lat: number, lon: number): Prediction | null;
  /** Forgets the path: the next push is a first point again, the state back to zero. */
  reset(): void;
  /**
   * 'carried': one cell update per push (identity-frame encoders, one-step heads). 'windowed': the
   * encoder rotates or rescales every window by its own content (align, scaleWindows, the cv-residual
   * frame), so no state can be carried from one window to the next, or the head is direct, or the
   * model is an ensemble; each push re-encodes the last W deltas (W cell updates per member).
   */
  readonly mode: 'carried' | 'windowed';
  /** Points pushed since the last reset. */
  readonly points: number;
  /** Cell updates (per layer) spent on the carried state since the last reset, rollouts excluded. */
  readonly cellUpdates: number;
}

/** True when the encoder's input of a delta does not depend on the rest of its window (no frame). */
export function carriesState(enc: EncoderSettings): boolean {
  return !enc.align && !enc.scaleWindows && enc.target !== 'cv-residual';
}

/** Copies every layer's carried state (h, and c for the LSTM) of `from` into `to` (same model). */
export function copyStepperState(from: Stepper, to: Stepper, numLayers: number): void {
  for (let l = 0; l < numLayers; l++) {
    const a = from.state(l);
    const b = to.state(l);
    b.h.set(a.h);
    if (a.c && b.c) b.c.set(a.c);
  }
}

/**
 * A live stepper over `predictor`'s model. In 'carried' mode each push projects the new point on the
 * plane tangent at the previous one (the encoder's delta definition), turns that one delta into
 * normalized inputs with featuresFromDeltas (training's statistics) and advances the carried state by
 * one step; the head output is step 1 of the forecast, steps 2…K come from a second stepper that
 * starts from a copy of the carried state. A Gaussian head's σ beyond step 1 comes from N sampled
 * paths rolled out the same way (as Predictor.forecast does for windows), or with samples = 0 from the
 * sum of the step covariances.
 */
export function createLiveStepper(predictor: LiveForecaster, opts: LiveStepperOptions = {}): LiveStepper {
  const steps = Math.max(1, Math.floor(opts.steps ?? 5));
  const enc = predictor.encoder;
  if (!carriesState(enc) || predictor.model.architecture.head === 'direct' || predictor.members.length > 0)
    return windowedStepper(predictor, steps);
  const W = enc.window;
  const L = predictor.model.architecture.numLayers;
  const O = predictor.model.outputSize;
  const gaussian = O === 5;
  const samples = gaussian ? Math.max(0, Math.floor(opts.samples ?? predictor.uncertaintySamples)) : 0;
  const seed = opts.seed ?? 1;
  const resyncEvery = Math.max(0, Math.floor(opts.resyncEvery ?? 0));
  const warmUp = opts.warmUp ?? true;
  const X = enc.features.length;
  const carried = createStepper(predictor.model);
  const roll = createStepper(predictor.model);
  const x = new Float32Array(X);
  const d = new Float64Array(2);
  const recent = new Float64Array(2 * W); // the last W deltas, oldest first (for re-syncs)
  const pair = { lat: new Float64Array(2), lon: new Float64Array(2) };
  const step: DecodedStep = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
  let prev: LatLon | null = null;
  let deltas = 0;
  let cellUpdates = 0;

  const feed = (s: Stepper, dxM: number, dyM: number): Float32Array => {
    d[0] = dxM;
    d[1] = dyM;
    featuresFromDeltas(x, d, 1, enc);
    return s.step(x);
  };

  const advance = (dxM: number, dyM: number): Float32Array => {
    recent.copyWithin(0, 2);
    recent[2 * W - 2] = dxM;
    recent[2 * W - 1] = dyM;
    deltas++;
    const resync = resyncEvery > 0 && deltas > W && (deltas - W) % resyncEvery === 0;
    if (!resync) {
      cellUpdates++;
      return feed(carried, dxM, dyM);
    }
    carried.reset();
    if (!warmUp) {
      cellUpdates++;
      return feed(carried, dxM, dyM);
    }
    let head: Float32Array = new Float32Array(O);
    for (let j = 0; j < W; j++) head = feed(carried, recent[2 * j], recent[2 * j + 1]);
    cellUpdates += W;
    return head;
  };

  const forecast = (head: Float32Array, from: LatLon): Prediction => {
    const out = new Float64Array(2 * steps);
    decodeHead(head, 0, O, IDENTITY_FRAME, enc.targetStd, step);
    const first = { ...step };
    const cov = new Float64Array(3 * steps);
    copyStepperState(carried, roll, L);
    for (let k = 0; k < steps; k++) {
      if (k > 0)
        decodeHead(feed(roll, out[2 * k - 2], out[2 * k - 1]), 0, O, IDENTITY_FRAME, enc.targetStd, step);
      out[2 * k] = step.dxM;
      out[2 * k + 1] = step.dyM;
      const c0 = k > 0 ? 3 * (k - 1) : -1;
      cov[3 * k] = step.sxx + (c0 >= 0 ? cov[c0] : 0);
      cov[3 * k + 1] = step.syy + (c0 >= 0 ? cov[c0 + 1] : 0);
      cov[3 * k + 2] = step.sxy + (c0 >= 0 ? cov[c0 + 2] : 0);
    }
    // σ from the raw rollout (as Predictor.forecast), then the points shrunk toward constant
    // velocity, which repeats the last pushed delta
    if (gaussian && samples > 0) sampledCovariance(first, out, cov);
    const shrink = predictor.shrinkage;
    if (shrink) {
      const alpha = alphaFor(shrink, recent, 0, W, Math.max(0, W - deltas)); // the deltas pushed so far
      shrinkTowardCv(out, out.subarray(1), 0, 2, steps, recent[2 * W - 2], recent[2 * W - 1], alpha);
    }
    const pos = decodeDeltas(from.lat, from.lon, out, steps);
    const p: Prediction = { points: Array.from(pos.lat, (lat, k) => ({ lat, lon: pos.lon[k] })) };
    if (!gaussian) return p;
    const spread: DeltaForecast = {
      dxM: out,
      dyM: out,
      sigmaXM: new Float64Array(steps),
      sigmaYM: new Float64Array(steps),
      rho: new Float64Array(steps),
    };
    for (let k = 0; k < steps; k++) setPositionSpread(spread, k, cov[3 * k], cov[3 * k + 1], cov[3 * k + 2]);
    p.sigmaXM = Array.from(spread.sigmaXM!);
    p.sigmaYM = Array.from(spread.sigmaYM!);
    p.rho = Array.from(spread.rho!);
    return p;
  };

  // N paths: each delta drawn from its predicted normal (μ + L·z, L the Cholesky factor) and fed back
  // from a copy of the carried state; cov[k] = second moments of the sampled positions around the mean path.
  const sampledCovariance = (first: DecodedStep, mean: Float64Array, cov: Float64Array): void => {
    cov.fill(0);
    const g = gaussianStream(seed, 0);
    const draw = new Float64Array(2); // (dx, dy) metres
    for (let s = 0; s < samples; s++) {
      copyStepperState(carried, roll, L);
      let px = 0;
      let py = 0;
      let mx = 0;
      let my = 0;
      let cur: DecodedStep = first;
      for (let k = 0; k < steps; k++) {
        if (k > 0) {
          decodeHead(feed(roll, draw[0], draw[1]), 0, O, IDENTITY_FRAME, enc.targetStd, step);
          cur = step;
        }
        sampleDelta(cur, g, draw);
        px += draw[0];
        py += draw[1];
        mx += mean[2 * k];
        my += mean[2 * k + 1];
        const ex = px - mx;
        const ey = py - my;
        cov[3 * k] += (ex * ex) / samples;
        cov[3 * k + 1] += (ey * ey) / samples;
        cov[3 * k + 2] += (ex * ey) / samples;
      }
    }
  };

  return {
    mode: 'carried',
    get points() {
      return prev === null ? 0 : deltas + 1;
    },
    get cellUpdates() {
      return cellUpdates;
    },
    reset() {
      carried.reset();
      recent.fill(0);
      prev = null;
      deltas = 0;
      cellUpdates = 0;
    },
    push(lat, lon) {
      checkPoint(lat, lon);
      const here = { lat, lon };
      if (prev === null) {
        prev = here;
        return null;
      }
      pair.lat[0] = prev.lat;
      pair.lat[1] = lat;
      pair.lon[0] = prev.lon;
      pair.lon[1] = lon;
      deltasInto(d, pair.lat, pair.lon, 2);
      prev = here;
      return forecast(advance(d[0], d[1]), here);
    },
  };
}

function checkPoint(lat: number, lon: number): void {
  if (!(Number.isFinite(lat) && Math.abs(lat) <= 90 && Number.isFinite(lon) && Math.abs(lon) <= 180))
    throw new RangeError(`live stepper: point (${lat}, ${lon}) is not a latitude/longitude in degrees`);
}

/**
 * The windowed fallback for encoders with a per-window frame: the last W + 1 points predicted with
 * Predictor.predictTrack does (W cell updates per push, every window from the zero state as in training).
 */
function windowedStepper(predictor: LiveForecaster, steps: number): LiveStepper {
  const W = predictor.encoder.window;
  const lat: number[] = [];
  const lon: number[] = [];
  let points = 0;
  let cellUpdates = 0;
  return {
    mode: 'windowed',
    get points() {
      return points;
    },
    get cellUpdates() {
      return cellUpdates;
    },
    reset() {
      lat.length = 0;
      lon.length = 0;
      points = 0;
      cellUpdates = 0;
    },
    push(la, lo) {
      checkPoint(la, lo);
      lat.push(la);
      lon.push(lo);
      points++;
      if (lat.length > W + 1) {
        lat.shift();
        lon.shift();
      }
      if (lat.length < 2) return null;
      const track: Track = {
        id: 'live',
        file: '',
        lat: Float64Array.from(lat),
        lon: Float64Array.from(lon),
        t: new Float64Array(lat.length),
      };
      cellUpdates += W;
      return trackPrediction(track, lat.length - 1, W, steps, (past) => predictor.forecast(past, 1, steps));
    },
  };
}
