// Specs for the panels' chart arithmetic: linear and log scales, nice and log ticks, SVG paths.
import { describe, expect, it } from 'vitest';
import {
  chartPoints,
  extent,
  formatTick,
  linearScale,
  linePath,
  logScale,
  logTicks,
  niceTicks,
} from '../../src/ui/panels/chartScale.ts';
import { expectClose } from '../helpers.ts';

describe('linearScale()', () => {
  it('maps the domain ends onto the range ends, inverted ranges included (SVG y grows downward)', () => {
    const y = linearScale([0, 10], [100, 0]);
    expectClose([y(0), y(5), y(10)], [100, 50, 0], 1e-12, 'y');
  });
  it('puts every value of a flat domain in the middle of the range instead of dividing by zero', () => {
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });
});

describe('logScale()', () => {
  it('gives equal pixel distances to equal ratios', () => {
    const y = logScale([1e-4, 1], [200, 0]);
    expectClose([y(1e-4), y(1e-3), y(1e-2), y(1)], [200, 150, 100, 0], 1e-9, 'log y');
  });
  it('draws zero and negative values at the floor rather than at -Infinity', () => {
    const y = logScale([1e-3, 1], [90, 0]);
    expect(y(0)).toBe(90);
    expect(y(-5)).toBe(90);
  });
  it('refuses a domain that is not positive', () => {
    expect(() => logScale([0, 1], [0, 1])).toThrow(/positive/);
  });
});

describe('niceTicks()', () => {
  it('steps by 1, 2 or 5 times a power of ten and stays inside the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(12, 87, 4)).toEqual([20, 40, 60, 80]);
    expect(niceTicks(0.1, 0.35, 5)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });
  it('never prints floating-point drift such as 0.30000000000000004', () => {
    for (const t of niceTicks(0, 0.9, 9)) expect(String(t).length).toBeLessThan(6);
  });
  it('handles reversed, flat and non-finite input', () => {
    expect(niceTicks(10, 0, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(4, 4)).toEqual([4]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });
});

describe('logTicks()', () => {
  it('labels every power of ten over a wide range', () => {
    expect(logTicks(1e-6, 1)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
  });
  it('adds 2× and 5× ticks over a range of at most two decades', () => {
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(0.3, 4)).toEqual([0.5, 1, 2]);
  });
  it('returns nothing for a non-positive range', () => {
    expect(logTicks(0, 10)).toEqual([]);
  });
});

describe('extent()', () => {
  it('ignores non-finite values, and non-positive ones for a log axis', () => {
    expect(extent([3, NaN, -2, Infinity, 8])).toEqual([-2, 8]);
    expect(extent([0, -1, 0.5, 4], true)).toEqual([0.5, 4]);
    expect(extent([NaN])).toBeNull();
  });
});

describe('linePath()', () => {
  it('moves to the first point and draws lines to the rest', () => {
    const x = linearScale([0, 2], [0, 20]);
    const y = linearScale([0, 1], [10, 0]);
    expect(linePath([0, 1, 2], [0, 1, 0.5], x, y)).toBe('M0.0 10.0 L10.0 0.0 L20.0 5.0');
  });
  it('breaks the line at a NaN instead of drawing through it', () => {
    const x = linearScale([0, 3], [0, 30]);
    const y = linearScale([0, 1], [10, 0]);
    expect(linePath([0, 1, 2, 3], [0, NaN, 1, 1], x, y)).toBe('M0.0 10.0 M20.0 0.0 L30.0 0.0');
  });
  it('skips zeros on a log axis (a gradient norm of exactly 0 has no logarithm)', () => {
    const x = linearScale([0, 2], [0, 20]);
    const y = logScale([0.1, 10], [20, 0]);
    expect(linePath([0, 1, 2], [0.1, 0, 10], x, y)).toBe('M0.0 20.0 M20.0 0.0');
  });
});

describe('chartPoints()', () => {
  it('places a dot at every drawable point and none where linePath breaks', () => {
    const x = linearScale([0, 2], [0, 20]);
    const y = logScale([0.1, 10], [20, 0]);
    expect(chartPoints([0, 1, 2], [0.1, NaN, 10], x, y)).toEqual([
      { x: 0, y: 20 },
      { x: 20, y: 0 },
    ]);
    expect(chartPoints([0, 1], [0, 1], x, y)).toEqual([{ x: 10, y: 10 }]);
  });
});

describe('formatTick()', () => {
  it('uses exponent notation for tiny and huge values and 3 significant digits otherwise', () => {
    expect(formatTick(1e-6)).toBe('1e-6');
    expect(formatTick(2e-5)).toBe('2e-5');
    expect(formatTick(250000)).toBe('2.5e5');
    expect(formatTick(0.05)).toBe('0.05');
    expect(formatTick(123.456)).toBe('123');
    expect(formatTick(0)).toBe('0');
  });
});
