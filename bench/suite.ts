// The shape of a benchmark suite: a system (ours, or something to compare with) and its
// workloads, each returning named metrics. bench/run.ts lists the suites; adding one is one line
// there. Metrics ending in `_us` are latencies (lower is better), the rest rates.

export interface BenchOptions {
  /** Fewer repetitions for a short smoke run. */
  quick: boolean;
}

export interface BenchWorkload {
  /** The DESIGN.md id: W1, W2, W3, W4, L1, … */
  id: string;
  what: string;
  run(o: BenchOptions): Promise<Record<string, number>> | Record<string, number>;
}

export interface BenchSuite {
  /** Column title, e.g. 'whereto ts-tiled', 'TF.js wasm'. */
  system: string;
  /** True for whereto's own numbers: they go into the `--json` file. Comparison suites are printed only. */
  primary: boolean;
  workloads: BenchWorkload[];
}

/** Median seconds of fn over n timed runs after `warm` untimed ones. */
export function medianSeconds(fn: () => void, warm: number, n: number): number {
  for (let i = 0; i < warm; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return middle(times);
}

/** medianSeconds for work that finishes asynchronously (other threads). */
export async function medianSecondsAsync(fn: () => Promise<void>, warm: number, n: number): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return middle(times);
}

function middle(times: number[]): number {
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
