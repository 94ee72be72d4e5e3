// A plain verdict on a set of tracks: does the model beat constant velocity (CV) at each of the
// first H steps? Either from a quick evaluation on a deterministic sample of at most maxWindows
// windows (the app, when tracks load), or from a full EvalResult (`whereto eval`). The rollout and
// the CV baseline are evaluate.ts's; this file only samples windows and words the comparison.
// Pure: no DOM, no file system.
import type { Track } from '../data/track.ts';
import { windowEnds } from '../encode/windowEnds.ts';
import type { ModelFile } from '../model/modelFile.ts';
import { Predictor } from '../predict/predictor.ts';
import type { EvalResult } from './evalResult.ts';
import { evaluateWindows } from './evaluate.ts';

/** One step's comparison: mean errors in metres over the windows, and their ratio. */
export interface VerdictStep {
  /** 1-based prediction step */
  step: number;
  modelM: number;
  cvM: number;
  /** modelM / cvM (1 when both are 0, Infinity when only CV is exact) */
  ratio: number;
}

/** 'too-few': fewer windows than the minimum, so no verdict is given. */
export type VerdictKind = 'beats' | 'ties' | 'loses' | 'too-few';

export interface Verdict {
  kind: VerdictKind;
  /** windows the errors are means over */
  windows: number;
  steps: VerdictStep[];
  /** steps where the model is worse than CV by more than TIE_TOLERANCE */
  losingSteps: number[];
  /** the plain sentence, e.g. "beats constant velocity at every step (model/CV 0.91, …, 0.84)" */
  text: string;
}

/** At most this many windows in a quick verdict: a few seconds' work on a phone. */
export const VERDICT_MAX_WINDOWS = 2000;
/** Below this many windows the means are too noisy to call. */
export const VERDICT_MIN_WINDOWS = 30;
/** A ratio within ±0.5 % of 1 is a tie: two decimals show it as 1.00. */
export const TIE_TOLERANCE = 0.005;

/**
 * At most maxWindows of windowEnds(tracks, W, H), evenly spaced through the list (which runs track
 * by track), so every track is sampled in proportion to its windows and the same tracks always
 * give the same sample.
 */
export function sampleWindows(
  tracks: Track[],
  W: number,
  H: number,
  maxWindows: number,
): { track: Int32Array; end: Int32Array } {
  const all = windowEnds(tracks, W, H);
  const n = all.end.length;
  if (n <= maxWindows) return all;
  const pick = Int32Array.from({ length: maxWindows }, (_, i) => Math.floor(((i + 0.5) * n) / maxWindows));
  return { track: pick.map((j) => all.track[j]), end: pick.map((j) => all.end[j]) };
}

/**
 * The quick verdict of a model (file or predictor) on tracks resampled at its step: model and CV
 * over `horizon` steps (default 5) on at most maxWindows sampled windows. A Gaussian head is rolled
 * out on its means only (the verdict compares positions, so its σ sampling is skipped).
 */
export function quickVerdict(
  model: ModelFile | Predictor,
  tracks: Track[],
  opts: { horizon?: number; maxWindows?: number; minWindows?: number } = {},
): Verdict {
  const source = model instanceof Predictor ? model : Predictor.fromModelFile(model);
  const predictor = new Predictor(source.model, source.encoder);
  predictor.uncertaintySamples = 0;
  const H = opts.horizon ?? 5;
  const windows = sampleWindows(tracks, predictor.encoder.window, H, opts.maxWindows ?? VERDICT_MAX_WINDOWS);
  const { result } = evaluateWindows(predictor, tracks, {
    horizon: H,
    stepSeconds: predictor.encoder.stepSeconds,
    windows,
  });
  return verdictFromResult(result, opts.minWindows);
}

/** The verdict of an evaluation that has 'model' and 'cv' scores. */
export function verdictFromResult(result: EvalResult, minWindows = VERDICT_MIN_WINDOWS): Verdict {
  const model = result.models.model?.perHorizon ?? [];
  const cv = result.models.cv?.perHorizon ?? [];
  const steps: VerdictStep[] = model.map((m, k) => ({
    step: m.step,
    modelM: m.meanM,
    cvM: cv[k].meanM,
    ratio: errorRatio(m.meanM, cv[k].meanM),
  }));
  const losingSteps = steps.filter((s) => !(s.ratio <= 1 + TIE_TOLERANCE)).map((s) => s.step);
  const beatingSteps = steps.filter((s) => s.ratio < 1 - TIE_TOLERANCE).map((s) => s.step);
  const ratios = (of: VerdictStep[]) => of.map((s) => formatRatio(s.ratio)).join(', ');
  let kind: VerdictKind;
  let text: string;
  if (result.windows < minWindows || steps.length === 0) {
    kind = 'too-few';
    text = `too few windows to tell (${result.windows}; at least ${minWindows} are needed)`;
  } else if (losingSteps.length > 0) {
    kind = 'loses';
    const losing = steps.filter((s) => losingSteps.includes(s.step));
    text = `loses to constant velocity at ${stepList(losingSteps)} (model/CV ${ratios(losing)})`;
  } else if (beatingSteps.length === steps.length) {
    kind = 'beats';
    text = `beats constant velocity at every step (model/CV ${ratios(steps)})`;
  } else {
    kind = 'ties';
    const tied = steps.map((s) => s.step).filter((k) => !beatingSteps.includes(k));
    text =
      `never loses to constant velocity: ties at ${stepList(tied)}` +
      (beatingSteps.length ? `, beats it at ${stepList(beatingSteps)}` : '') +
      ` (model/CV ${ratios(steps)})`;
  }
  return { kind, windows: result.windows, steps, losingSteps, text };
}

/** Mean errors below a micrometre are rounding (decoding a delta is not exact to 1e-9 m): CV is exact there. */
const EXACT_M = 1e-6;

/** model / CV, with 0/0 a tie and x/0 (x > 0) a loss. */
function errorRatio(modelM: number, cvM: number): number {
  if (cvM < EXACT_M) return modelM < EXACT_M ? 1 : Infinity;
  return modelM / cvM;
}

/** "0.91" (`digits` decimals); "> 100" for a ratio that large; "∞" when CV was exact and the model not. */
export function formatRatio(r: number, digits = 2): string {
  if (!Number.isFinite(r)) return '∞';
  return r >= 100 ? '> 100' : r.toFixed(digits);
}

/** "step 2", "steps 1–3", "steps 1, 3–5" (runs of consecutive steps joined with an en dash). */
export function stepList(steps: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < steps.length;) {
    let j = i;
    while (j + 1 < steps.length && steps[j + 1] === steps[j] + 1) j++;
    runs.push(j > i ? `${steps[i]}–${steps[j]}` : `${steps[i]}`);
    i = j + 1;
  }
  return `${steps.length === 1 ? 'step' : 'steps'} ${runs.join(', ')}`;
}
