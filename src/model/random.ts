// A small seeded pseudo-random generator (mulberry32) so initialization and shuffling are
// reproducible from one integer seed in Node, a worker and the page alike. Not cryptographic.

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

/** Standard normal samples by Box–Muller from a uniform source. */
export function seededNormal(seed: number): () => number {
  const u = seededRandom(seed);
  return () => {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    return r * Math.cos(2 * Math.PI * u());
  };
}
