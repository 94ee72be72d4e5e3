// Shared test helpers. expectClose is the one tolerance comparison every test uses (STYLE.md):
// numbers and array-likes, absolute tolerance, with a label naming what was compared.
import { expect } from 'vitest';

/** Asserts |actual − expected| ≤ tol elementwise; NaN only matches NaN. */
export function expectClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tol: number,
  label = 'value',
): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(a.length, `${label}: length`).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(e[i])) {
      expect(a[i], `${label}[${i}]`).toBeNaN();
      continue;
    }
    const diff = Math.abs(a[i] - e[i]);
    if (!(diff <= tol))
      expect.fail(`${label}[${i}]: ${a[i]} differs from ${e[i]} by ${diff} (tolerance ${tol})`);
  }
}
