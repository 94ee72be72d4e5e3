// Shared test helpers. One closeness check for numbers and array-likes, with a label and the
// first offending index in the failure message.
import { expect } from 'vitest';

/** Asserts |actual − expected| ≤ tol element-wise (numbers or array-likes of equal length). */
export function expectClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tol: number,
  label = 'value',
): void {
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = Number(actual);
    const e = Number(expected);
    if (!(Math.abs(a - e) <= tol))
      expect.fail(`${label}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
    return;
  }
  if (actual.length !== expected.length)
    expect.fail(`${label}: length ${actual.length}, expected ${expected.length}`);
  let worst = -1;
  let worstDiff = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worstDiff) || Number.isNaN(d)) {
      worstDiff = Number.isNaN(d) ? Infinity : d;
      worst = i;
    }
  }
  if (worst >= 0 && !(worstDiff <= tol))
    expect.fail(
      `${label}[${worst}]: got ${actual[worst]}, expected ${expected[worst]} (|diff| ${worstDiff} > ${tol})`,
    );
}
