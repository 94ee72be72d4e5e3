// Turns an evaluation result (the `whereto eval --json` shape) into what the Evaluate panel shows:
// models in a fixed order with readable names, a per-horizon-step table for one statistic, and the
// ADE/FDE summary with each model's ratio to constant velocity. Pure; no DOM.
import type { EvalResult } from '../engine.ts';

export type EvalStat = 'meanM' | 'medianM' | 'p90M';

const knownOrder = ['model', 'cv', 'kalman', 'last'];
const names: Record<string, string> = {
  model: 'Model',
  cv: 'Constant velocity',
  kalman: 'Kalman filter (CV)',
  last: 'Last position',
};
const shortNames: Record<string, string> = { model: 'Model', cv: 'CV', kalman: 'Kalman', last: 'Last' };
const colors: Record<string, string> = {
  model: '#2563eb',
  cv: '#f59e0b',
  kalman: '#7c3aed',
  last: '#64748b',
};

/** Model keys with the model first, then the baselines in a fixed order, then any others by name. */
export function modelKeys(result: EvalResult): string[] {
  const keys = Object.keys(result.models);
  const known = knownOrder.filter((k) => keys.includes(k));
  return [...known, ...keys.filter((k) => !knownOrder.includes(k)).sort()];
}

export const modelName = (key: string): string => names[key] ?? key;
/** A column header short enough for the sidebar's per-step table. */
export const modelShortName = (key: string): string => shortNames[key] ?? key;
export const modelColor = (key: string): string => colors[key] ?? '#0f766e';

/** Rows of the per-step table: step, its lead time in seconds, and each model's statistic in metres. */
export function horizonRows(
  result: EvalResult,
  stat: EvalStat,
): { step: number; seconds: number; valuesM: number[]; best: number }[] {
  const keys = modelKeys(result);
  const rows = [];
  for (let h = 0; h < result.horizon; h++) {
    const valuesM = keys.map((k) => result.models[k].perHorizon[h]?.[stat] ?? NaN);
    rows.push({ step: h + 1, seconds: (h + 1) * result.stepSeconds, valuesM, best: indexOfMin(valuesM) });
  }
  return rows;
}

/** ADE and FDE per model and their ratio to constant velocity (below 1: better than CV). */
export function summaryRows(
  result: EvalResult,
): { key: string; name: string; adeM: number; fdeM: number; adeVsCv: number; fdeVsCv: number }[] {
  const cv = result.models.cv;
  return modelKeys(result).map((key) => {
    const m = result.models[key];
    return {
      key,
      name: modelName(key),
      adeM: m.adeM,
      fdeM: m.fdeM,
      adeVsCv: cv ? m.adeM / cv.adeM : NaN,
      fdeVsCv: cv ? m.fdeM / cv.fdeM : NaN,
    };
  });
}

/** The forecasters that predicted an uncertainty (a Gaussian head, the Kalman filter): NLL and ellipse coverage. */
export function uncertaintyRows(
  result: EvalResult,
): { key: string; name: string; nll: number; inside1Sigma: number; inside2Sigma: number }[] {
  return modelKeys(result)
    .filter((k) => typeof result.models[k].nll === 'number')
    .map((key) => {
      const m = result.models[key];
      return {
        key,
        name: modelName(key),
        nll: m.nll ?? NaN,
        inside1Sigma: m.inside1Sigma ?? NaN,
        inside2Sigma: m.inside2Sigma ?? NaN,
      };
    });
}

/** Index of the smallest finite value, -1 when none is finite. */
export function indexOfMin(values: number[]): number {
  let best = -1;
  values.forEach((v, i) => {
    if (Number.isFinite(v) && (best < 0 || v < values[best])) best = i;
  });
  return best;
}

/** Metres for a table cell: one decimal below 100 m, whole metres above; '—' for missing. */
export function cellMetres(v: number): string {
  return Number.isFinite(v) ? (v < 100 ? v.toFixed(1) : Math.round(v).toString()) : '—';
}
