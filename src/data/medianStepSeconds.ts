// The typical sampling interval of a set of tracks: the median of positive time steps.
// Linear-time selection (Hoare's FIND), no full sort, so a million steps cost a few milliseconds.
import type { Track } from './track.ts';

/** The k-th smallest value of `a` (0-based); reorders `a`. C. A. R. Hoare, "Algorithm 65: Find", CACM 4(7), 1961. */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Median of the values (the lower middle for an even count); NaN when empty. Does not modify `values`. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  const a = Float64Array.from(values);
  return selectKth(a, (a.length - 1) >> 1);
}

/**
 * Median in seconds of the positive steps t[i+1] − t[i] within each track (tracks need not be sorted:
 * each is read in time order). NaN when no track has two distinct times.
 */
export function medianStepSeconds(tracks: readonly Track[]): number {
  let n = 0;
  for (const tr of tracks) n += Math.max(0, tr.t.length - 1);
  const steps = new Float64Array(n);
  let m = 0;
  for (const tr of tracks) {
    let t = tr.t;
    for (let i = 1; i < t.length; i++)
      if (t[i] < t[i - 1]) {
        t = Float64Array.from(t).sort();
        break;
      }
    for (let i = 1; i < t.length; i++) {
      const dt = t[i] - t[i - 1];
      if (dt > 0) steps[m++] = dt;
    }
  }
  return m === 0 ? NaN : selectKth(steps.subarray(0, m), (m - 1) >> 1);
}
