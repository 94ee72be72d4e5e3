import { describe, expect, it } from 'vitest';
import {
  bivariateNll,
  mahalanobis2,
  quantile,
  summarizeErrors,
  summarizeGaussian,
} from '../../src/eval/metrics.ts';
import { expectClose } from '../helpers.ts';

describe('quantile()', () => {
  it('interpolates linearly between order statistics (NumPy default)', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expectClose(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1, 1e-12);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('summarizeErrors()', () => {
  // 3 windows × 2 steps, row-major: window i, step h
  const errors = [1, 10, 2, 20, 6, 60];
  const s = summarizeErrors(errors, 3, 2);

  it('gives each horizon step its mean, median and 90th percentile', () => {
    expect(s.perHorizon[0]).toEqual({ step: 1, meanM: 3, medianM: 2, p90M: 2 + 0.8 * 4 });
    expect(s.perHorizon[1].step).toBe(2);
    expectClose(s.perHorizon[1].meanM, 30, 1e-12);
    expect(s.perHorizon[1].medianM).toBe(20);
    expectClose(s.perHorizon[1].p90M, 20 + 0.8 * 40, 1e-12);
  });

  it('ADE is the mean over every window and step; FDE the mean at the last step', () => {
    expectClose(s.adeM, 99 / 6, 1e-12);
    expectClose(s.fdeM, 30, 1e-12);
  });
});

describe('bivariate Gaussian metrics', () => {
  it('reduce to the independent case when ρ = 0', () => {
    // NLL of N(0, diag(σx², σy²)) at (ex, ey) = log(2π σx σy) + ½ ((ex/σx)² + (ey/σy)²)
    expectClose(bivariateNll(3, 4, 2, 8, 0), Math.log(2 * Math.PI * 16) + 0.5 * (2.25 + 0.25), 1e-12);
    expectClose(mahalanobis2(3, 4, 2, 8, 0), 2.5, 1e-12);
  });

  it('account for correlation: an error along the correlated direction is closer', () => {
    // Σ = [[1, .8], [.8, 1]], e = (1, 1): eᵀΣ⁻¹e = (1 + 1 − 1.6) / (1 − .64) = 10/9
    expectClose(mahalanobis2(1, 1, 1, 1, 0.8), 10 / 9, 1e-12);
    expect(mahalanobis2(1, -1, 1, 1, 0.8)).toBeGreaterThan(mahalanobis2(1, 1, 1, 1, 0.8));
    expectClose(bivariateNll(1, 1, 1, 1, 0.8), Math.log(2 * Math.PI * 0.6) + 5 / 9, 1e-12);
  });

  it('count the share of points inside the 1σ and 2σ ellipses', () => {
    // σ = 1, ρ = 0: distances 0.5, 1.5, 3 → inside 1σ: 1 of 3; inside 2σ: 2 of 3
    const g = summarizeGaussian([0.5, 1.5, 3], [0, 0, 0], [1, 1, 1], [1, 1, 1], [0, 0, 0], 3, 1);
    expectClose(g.inside1Sigma, 1 / 3, 1e-12);
    expectClose(g.inside2Sigma, 2 / 3, 1e-12);
    const nll = (d: number) => Math.log(2 * Math.PI) + 0.5 * d * d;
    expectClose(g.nll, (nll(0.5) + nll(1.5) + nll(3)) / 3, 1e-12);
  });

  it('count coverage per horizon step, with correlation and unequal σ', () => {
    // 2 windows × 2 steps. Step 1: σ = (2, 1), ρ = 0: errors (1.8, 0) → m² = 0.81 (inside 1σ) and
    // (0, 1.5) → 2.25 (inside 2σ only). Step 2: σ = (1, 1), ρ = 0.8: (1, 1) → 10/9 (2σ only) and
    // (1, −1) → 2/0.36 = 5.56 (outside 2σ).
    const g = summarizeGaussian(
      [1.8, 1, 0, 1],
      [0, 1, 1.5, -1],
      [2, 1, 2, 1],
      [1, 1, 1, 1],
      [0, 0.8, 0, 0.8],
      2,
      2,
    );
    expect(g.inside1SigmaPerHorizon).toEqual([0.5, 0]);
    expect(g.inside2SigmaPerHorizon).toEqual([1, 0.5]);
    expectClose(g.inside1Sigma, 1 / 4, 1e-12);
    expectClose(g.inside2Sigma, 3 / 4, 1e-12);
  });

  it('a calibrated Gaussian covers about 39 % inside 1σ and 86 % inside 2σ', () => {
    // errors drawn from N(0, Σ) with σ = (3, 2), ρ = −0.6 by a seeded Box–Muller
    const n = 20000;
    const [sx, sy, r] = [3, 2, -0.6];
    let a = 12345;
    const u = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
    const ex: number[] = [];
    const ey: number[] = [];
    for (let i = 0; i < n; i++) {
      const rad = Math.sqrt(-2 * Math.log(u()));
      const th = 2 * Math.PI * u();
      const z1 = rad * Math.cos(th);
      const z2 = rad * Math.sin(th);
      ex.push(sx * z1);
      ey.push(sy * (r * z1 + Math.sqrt(1 - r * r) * z2));
    }
    const g = summarizeGaussian(ex, ey, Array(n).fill(sx), Array(n).fill(sy), Array(n).fill(r), n, 1);
    expectClose(g.inside1Sigma, 1 - Math.exp(-0.5), 0.015);
    expectClose(g.inside2Sigma, 1 - Math.exp(-2), 0.01);
  });
});
