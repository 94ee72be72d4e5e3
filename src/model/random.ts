// Seeded randomness so initialization, shuffling and sampled rollouts are reproducible from one
// integer seed in Node, a worker and the page alike: one uniform generator (mulberry32) and one
// Box–Muller transform on it. Not cryptographic.

/** Returns a function giving uniform numbers in [0, 1); same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    // mulberry32, Tommy Ettinger (public domain)
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Box–Muller (Box & Muller 1958): two independent standard normals from two uniforms of rand,
 * r·cos a into out[0] and r·sin a into out[1], with r = sqrt(−2 ln u1), u1 ∈ (0, 1], a = 2π·u2.
 */
function boxMuller(rand: () => number, out: Float64Array): void {
  const r = Math.sqrt(-2 * Math.log(1 - rand()));
  const a = 2 * Math.PI * rand();
  out[0] = r * Math.cos(a);
  out[1] = r * Math.sin(a);
}

/** Standard normal samples from seededRandom(seed), one Box–Muller pair per sample (the sine half unused). */
export function seededNormal(seed: number): () => number {
  const u = seededRandom(seed);
  const pair = new Float64Array(2);
  return () => {
    boxMuller(u, pair);
    return pair[0];
  };
}

/**
 * Standard normal draws for window `index` of a sampled rollout seeded with `seed`, both halves of
 * each Box–Muller pair used. The stream's seed mixes both with a multiplicative hash so neighbouring
 * windows are unrelated.
 */
export function gaussianStream(seed: number, index: number): () => number {
  const rand = seededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const pair = new Float64Array(2);
  let spare = false;
  return () => {
    if (spare) {
      spare = false;
      return pair[1];
    }
    boxMuller(rand, pair);
    spare = true;
    return pair[0];
  };
}
