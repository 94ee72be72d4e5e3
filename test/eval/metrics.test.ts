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
});
