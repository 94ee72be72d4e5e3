// The Predictor: a trained model plus its encoder, rolled forward autoregressively. Each step's
// predicted delta is appended to the window (the oldest dropped), re-encoded through the same
// featuresFromDeltas as training, and fed back. Works on metre deltas in batches (evaluation) and
// on tracks (lat/lon in, lat/lon out). No file system, no DOM.
import type { Track } from '../data/track.ts';
import { decodeDeltas } from '../encode/trackDeltas.ts';
import type { LatLon } from '../geo/index.ts';
import { createModel, type Model } from '../model/model.ts';
import {
  decodeWeights,
  type ModelArchitecture,
  type ModelEncoder,
  type ModelFile,
} from '../model/modelFile.ts';
import { decodeHead, encodeWindow, windowFrame, type DecodedStep, type WindowFrame } from './windowInputs.ts';
import { windowDeltas } from './windowDeltas.ts';

export interface Prediction {
  points: LatLon[];
  /** Position uncertainty of each predicted point (Gaussian head only): σ east, σ north (metres), correlation. */
  sigmaXM?: number[];
  sigmaYM?: number[];
  rho?: number[];
}

/** A batch rollout: (B, steps) predicted deltas in metres and, for a Gaussian head, position σ and ρ. */
export interface BatchForecast {
  dxM: Float64Array;
  dyM: Float64Array;
  sigmaXM?: Float64Array;
  sigmaYM?: Float64Array;
  rho?: Float64Array;
}

const CHUNK = 256;

export class Predictor {
  readonly architecture: ModelArchitecture;
  readonly encoder: ModelEncoder;
  readonly model: Model;

  constructor(model: Model, encoder: ModelEncoder) {
    this.model = model;
    this.architecture = model.architecture;
    this.encoder = encoder;
  }

  /** Builds the model of a validated model file (see parseModelFile) and loads its weights. */
  static fromModelFile(mf: ModelFile): Predictor {
    const model = createModel(mf.architecture);
    model.params.set(decodeWeights(mf.weights));
    return new Predictor(model, mf.encoder);
  }

  get gaussian(): boolean {
    return this.architecture.head === 'gaussian';
  }

  /**
   * Rolls every window of past (B, W, 2) metre deltas forward `steps` steps. For the Gaussian head,
   * the position covariance after k steps is the SUM of the k predicted delta covariances: step
   * errors are treated as independent and the feedback of an uncertain delta into later steps is
   * ignored, so σ beyond step 1 is a lower bound (documented in the README).
   */
  forecast(past: Float64Array, B: number, steps: number): BatchForecast {
    const enc = this.encoder;
    const W = enc.window;
    const X = enc.features.length;
    const O = this.gaussian ? 5 : 2;
    const out: BatchForecast = { dxM: new Float64Array(B * steps), dyM: new Float64Array(B * steps) };
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
        for (let b = 0; b < nb; b++) {
          frames[b] = windowFrame(win, b * W * 2, enc);
          encodeWindow(x, b, win, b * W * 2, enc, scratch, frames[b]);
        }
        const head = this.model.forwardLast(x, nb, W);
        for (let b = 0; b < nb; b++) {
          decodeHead(head, b * O, O, frames[b], enc.targetStd, step);
          const i = (b0 + b) * steps + k;
          out.dxM[i] = step.dxM;
          out.dyM[i] = step.dyM;
          if (this.gaussian) {
            cov[3 * b] += step.sxx;
            cov[3 * b + 1] += step.syy;
            cov[3 * b + 2] += step.sxy;
            const sx = Math.sqrt(cov[3 * b]);
            const sy = Math.sqrt(cov[3 * b + 1]);
            out.sigmaXM![i] = sx;
            out.sigmaYM![i] = sy;
            out.rho![i] = cov[3 * b + 2] / (sx * sy);
          }
          const o = b * W * 2;
          win.copyWithin(o, o + 2, o + W * 2);
          win[o + 2 * (W - 1)] = step.dxM;
          win[o + 2 * (W - 1) + 1] = step.dyM;
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
    const W = this.encoder.window;
    const past = new Float64Array(W * 2);
    windowDeltas(track, endIndex, W, past, 0);
    const f = this.forecast(past, 1, steps);
    const deltas = new Float64Array(steps * 2);
    for (let k = 0; k < steps; k++) {
      deltas[2 * k] = f.dxM[k];
      deltas[2 * k + 1] = f.dyM[k];
    }
    const pos = decodeDeltas(track.lat[endIndex], track.lon[endIndex], deltas, steps);
    const points: LatLon[] = Array.from(pos.lat, (lat, k) => ({ lat, lon: pos.lon[k] }));
    const p: Prediction = { points };
    if (f.sigmaXM) {
      p.sigmaXM = Array.from(f.sigmaXM);
      p.sigmaYM = Array.from(f.sigmaYM!);
      p.rho = Array.from(f.rho!);
    }
    return p;
  }

  /**
   * Live prediction while a path grows: push each new position (one per model step, already at the
   * model's cadence); from the second point on, returns the next `steps` locations.
   */
  liveStepper(steps = 5): { push(lat: number, lon: number): Prediction | null } {
    const keep = this.encoder.window + 1;
    const lat: number[] = [];
    const lon: number[] = [];
    return {
      push: (la, lo) => {
        lat.push(la);
        lon.push(lo);
        if (lat.length > keep) {
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
        return this.predictTrack(track, lat.length - 1, steps);
      },
    };
  }
}
