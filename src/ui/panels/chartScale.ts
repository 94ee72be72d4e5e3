// Pure scale and tick arithmetic for the panels' hand-drawn SVG charts (LineChart.svelte):
// linear and base-10 log scales, "nice" tick values, and SVG path strings from data series.
// No DOM and no Svelte here, so it is unit-tested in Node; drawing lives in the components.

/** A map from data values to pixels, with the ticks to draw along it. */
export interface Scale {
  (value: number): number;
  domain: [number, number];
  range: [number, number];
  ticks: number[];
  log: boolean;
}

/** Linear interpolation of `value` from domain [d0, d1] onto range [r0, r1]; a flat domain maps to the range's middle. */
export function linearScale(domain: [number, number], range: [number, number], tickCount = 5): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0)) as Scale;
  scale.domain = [d0, d1];
  scale.range = [r0, r1];
  scale.ticks = niceTicks(d0, d1, tickCount);
  scale.log = false;
  return scale;
}

/**
 * Base-10 log scale: equal pixel distances are equal ratios. The domain must be positive; values at
 * or below 0 are clamped to the domain's lower end so a zero gradient norm still draws at the floor.
 */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  if (!(d0 > 0) || !(d1 > 0)) throw new RangeError(`log scale needs a positive domain, got [${d0}, ${d1}]`);
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const [r0, r1] = range;
  const span = l1 - l0;
  const scale = ((value: number) => {
    const l = value > 0 ? Math.log10(value) : l0;
    return span === 0 ? (r0 + r1) / 2 : r0 + ((l - l0) / span) * (r1 - r0);
  }) as Scale;
  scale.domain = [d0, d1];
  scale.range = [r0, r1];
  scale.ticks = logTicks(d0, d1);
  scale.log = true;
  return scale;
}

/**
 * Round tick values covering [min, max]: steps of 1, 2 or 5 × 10^k chosen so about `count` ticks
 * fall inside (the rule d3-array's `ticks` uses). Returns [] for non-finite input.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const step = (fraction >= 7.5 ? 10 : fraction >= 3.5 ? 5 : fraction >= 1.5 ? 2 : 1) * power;
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  // Multiply rather than accumulate, so 0.1 + 0.2 style drift never reaches a label.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/**
 * Ticks for a log axis on [min, max] (both > 0): every power of ten inside; when the range spans
 * less than two decades also 2× and 5× each power, so a narrow axis still has labels.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const multipliers = hi - lo <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let p = lo; p <= hi; p++) {
    for (const m of multipliers) {
      const v = Number((m * 10 ** p).toPrecision(12));
      if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)) ticks.push(v);
    }
  }
  return ticks;
}

/** [min, max] of the finite values (and positive ones only when `positiveOnly`), or null when there are none. */
export function extent(values: Iterable<number>, positiveOnly = false): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : null;
}

/**
 * An SVG path ("M x y L x y …") through the points (xs[i], ys[i]); a non-finite y (or y ≤ 0 on a
 * log scale) breaks the line instead of drawing to a bogus place.
 */
export function linePath(xs: ArrayLike<number>, ys: ArrayLike<number>, x: Scale, y: Scale): string {
  const parts: string[] = [];
  let pen = false;
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const yv = ys[i];
    if (!Number.isFinite(yv) || (y.log && yv <= 0) || !Number.isFinite(xs[i])) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${x(xs[i]).toFixed(1)} ${y(yv).toFixed(1)}`);
    pen = true;
  }
  return parts.join(' ');
}

/** Pixel positions of the drawable points (the ones linePath would not skip). */
export function chartPoints(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: Scale,
  y: Scale,
): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(ys[i]) || (y.log && ys[i] <= 0) || !Number.isFinite(xs[i])) continue;
    out.push({ x: x(xs[i]), y: y(ys[i]) });
  }
  return out;
}

/** A short label for a tick value: 1e-3 style for tiny or huge magnitudes, otherwise at most 3 significant digits. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e5 || a < 1e-3) {
    const exp = Math.floor(Math.log10(a));
    const mantissa = value / 10 ** exp;
    const m = Number(mantissa.toPrecision(2));
    return m === 1 ? `1e${exp}` : m === -1 ? `-1e${exp}` : `${m}e${exp}`;
  }
  return String(Number(value.toPrecision(3)));
}
