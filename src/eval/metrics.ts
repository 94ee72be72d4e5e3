// Error statistics in metres for multi-step predictions: per-horizon mean, median and 90th
// percentile, ADE and FDE; and for a Gaussian head the bivariate normal NLL and the share of true
// points inside the 1σ and 2σ ellipses. Pure numbers in, numbers out: no geometry, no models here.

export interface HorizonStats {
  /** 1-based prediction step. */
  step: number;
  meanM: number;
  medianM: number;
  p90M: number;
}

export interface ErrorSummary {
  perHorizon: HorizonStats[];
  /** Average displacement error: mean over every window and every step, metres. */
  adeM: number;
  /** Final displacement error: mean error at the last step, metres. */
  fdeM: number;
}

/**
 * The q-quantile (0..1) of values, by linear interpolation between order statistics
 * (Hyndman & Fan type 7, NumPy's and PyTorch's default). NaN for no values.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Summarizes errors laid out (n windows, H steps) row-major, in metres. */
export function summarizeErrors(errorsM: ArrayLike<number>, n: number, H: number): ErrorSummary {
  const perHorizon: HorizonStats[] = [];
  let total = 0;
  const column = new Float64Array(n);
  for (let h = 0; h < H; h++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      column[i] = errorsM[i * H + h];
      sum += column[i];
    }
    total += sum;
    perHorizon.push({
      step: h + 1,
      meanM: sum / n,
      medianM: quantile(column, 0.5),
      p90M: quantile(column, 0.9),
    });
  }
  return { perHorizon, adeM: total / (n * H), fdeM: perHorizon.length ? perHorizon[H - 1].meanM : NaN };
}

/**
 * Squared Mahalanobis distance of the error (exM, eyM) = truth − mean under a bivariate normal
 * with standard deviations σx, σy (metres) and correlation ρ:
 * z / (1 − ρ²) with z = (ex/σx)² + (ey/σy)² − 2ρ·ex·ey/(σx·σy) (Bishop, PRML eq. 2.44).
 */
export function mahalanobis2(exM: number, eyM: number, sxM: number, syM: number, rho: number): number {
  const a = exM / sxM;
  const b = eyM / syM;
  return (a * a + b * b - 2 * rho * a * b) / (1 - rho * rho);
}

/**
 * Negative log-likelihood (nats) of the error under the bivariate normal:
 * log(2π σx σy √(1−ρ²)) + ½·mahalanobis². Graves 2013, "Generating sequences with RNNs", eq. 24–25.
 */
export function bivariateNll(exM: number, eyM: number, sxM: number, syM: number, rho: number): number {
  return (
    Math.log(2 * Math.PI * sxM * syM * Math.sqrt(1 - rho * rho)) + 0.5 * mahalanobis2(exM, eyM, sxM, syM, rho)
  );
}

export interface GaussianSummary {
  /** Mean NLL per point, nats; per horizon step and overall. */
  nllPerHorizon: number[];
  nll: number;
  /** Share of true points whose Mahalanobis distance is ≤ 1 (≤ 2). A calibrated 2-D normal gives
   * 1 − e^(−1/2) ≈ 0.393 and 1 − e^(−2) ≈ 0.865. */
  inside1Sigma: number;
  inside2Sigma: number;
  /** The same shares per horizon step (1-based step h at index h − 1). */
  inside1SigmaPerHorizon: number[];
  inside2SigmaPerHorizon: number[];
}

/** Gaussian summary over (n, H) errors and (n, H) σx, σy, ρ, all row-major, metres. */
export function summarizeGaussian(
  exM: ArrayLike<number>,
  eyM: ArrayLike<number>,
  sxM: ArrayLike<number>,
  syM: ArrayLike<number>,
  rho: ArrayLike<number>,
  n: number,
  H: number,
): GaussianSummary {
  const nllPerHorizon = new Array<number>(H).fill(0);
  const in1 = new Array<number>(H).fill(0);
  const in2 = new Array<number>(H).fill(0);
  for (let i = 0; i < n; i++)
    for (let h = 0; h < H; h++) {
      const k = i * H + h;
      nllPerHorizon[h] += bivariateNll(exM[k], eyM[k], sxM[k], syM[k], rho[k]) / n;
      const m2 = mahalanobis2(exM[k], eyM[k], sxM[k], syM[k], rho[k]);
      if (m2 <= 1) in1[h]++;
      if (m2 <= 4) in2[h]++;
    }
  const nll = nllPerHorizon.reduce((a, b) => a + b, 0) / H;
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return {
    nllPerHorizon,
    nll,
    inside1Sigma: sum(in1) / (n * H),
    inside2Sigma: sum(in2) / (n * H),
    inside1SigmaPerHorizon: in1.map((c) => c / n),
    inside2SigmaPerHorizon: in2.map((c) => c / n),
  };
}
