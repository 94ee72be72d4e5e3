// `npm run bench [-- --quick] [--no-anchor] [--repeat N] [--json FILE] [--threads N]`: runs every suite
// listed below single-threaded, prints a table, and beside it the PyTorch anchor (../shared/bench/torch_anchor.py)
// run in the same session when /usr/bin/python3 has torch. With `--threads N` it runs whereto's
// default suite and W1, W2, W3 (batch 256) at N threads (bench/threads.ts) instead, the anchor at 1
// and at N threads in every round, and adds a table of the scaling from 1 to N threads and the ratio
// to PyTorch at N threads and at its best thread count (on a 2-core machine often 1). Everything runs N times (default 3) in
// rounds, whereto's default kernels right before the anchor in each round; the table shows medians
// and the ratio to the anchor as the median of the per-round ratios with their range, because this
// shared machine's speed drifts by ±10 % between minutes. `--json` writes the primary suites' medians:
// {"W1":{"train_seq_per_s"},"W2":{…},"W3":{"latency_us","b256_seq_per_s"},"W4":{"step_latency_us"}, …}.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { kernelSuites } from './kernelSuites.ts';
import { l1Suites } from './l1.ts';
import { tfjsSuite } from './tfjs.ts';
import type { BenchSuite } from './suite.ts';
import { threadSuite } from './threads.ts';

/** One line per suite: L1 (bench/l1.ts), comparisons (TF.js, WebAssembly kernels) are added here. */
function suitesFor(threads: number): BenchSuite[] {
  if (threads > 1) return [kernelSuites()[0], threadSuite(threads)];
  return [...kernelSuites(), tfjsSuite(), ...l1Suites()];
}

type Results = Record<string, Record<string, number>>;

function parseArgs(argv: string[]): {
  quick: boolean;
  anchor: boolean;
  json: string | null;
  suite: number | null;
  repeat: number;
  threads: number;
} {
  const o = {
    quick: false,
    anchor: true,
    json: null as string | null,
    suite: null as number | null,
    repeat: 3,
    threads: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') o.quick = true;
    else if (argv[i] === '--no-anchor') o.anchor = false;
    else if (argv[i] === '--json') o.json = argv[++i] ?? null;
    else if (argv[i] === '--suite') o.suite = Number(argv[++i]);
    else if (argv[i] === '--repeat') o.repeat = Number(argv[++i]);
    else if (argv[i] === '--threads') o.threads = Number(argv[++i]);
    else
      throw new Error(
        `unknown option ${argv[i]} (use --quick, --no-anchor, --repeat N, --json FILE, --threads N)`,
      );
  }
  if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new Error('--repeat wants a whole number ≥ 1');
  if (!Number.isInteger(o.threads) || o.threads < 1) throw new Error('--threads wants a whole number ≥ 1');
  return o;
}

function runAnchor(quick: boolean, threads = 1): { system: string; results: Results } | null {
  const script = resolve(import.meta.dirname, '../../shared/bench/torch_anchor.py');
  const python = '/usr/bin/python3';
  if (!existsSync(python) || !existsSync(script)) return null;
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    OMP_NUM_THREADS: String(threads),
  };
  if (readFileSync('/proc/cpuinfo', 'utf8').includes('avx512f')) env.OPENBLAS_CORETYPE = 'SkylakeX';
  const args = [
    script,
    ...(quick ? ['--quick'] : []),
    ...(threads > 1 ? ['--threads', String(threads)] : []),
  ];
  const out = execFileSync(python, args, { env, encoding: 'utf8' });
  const parsed = JSON.parse(out.trim().split('\n').pop()!) as Results & { system: string };
  const { system, ...results } = parsed;
  return { system: String(system), results: results as Results };
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '—';
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}

/** Runs one suite in this process and prints its results as JSON on stdout (the child's side). */
async function runSuite(suite: BenchSuite, quick: boolean): Promise<void> {
  const results: Results = {};
  for (const w of suite.workloads) {
    process.stderr.write(`${suite.system}: ${w.id} ${w.what} …\n`);
    results[w.id] = await w.run({ quick });
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

/**
 * Each suite runs in a fresh Node process, so what one suite loads or compiles (TF.js and its
 * polyfills, the data pipeline, another kernel backend) cannot change another suite's numbers. One
 * such effect was large: once any ArrayBuffer in a process is detached (a WebAssembly.Memory grows,
 * tsx's module lexer grows its memory when it reads a big CommonJS file such as papaparse), V8 checks
 * every typed-array access for detachment, which cost the TypeScript products ~15 %; they now read
 * their operands from plain JS arrays (src/model/tsKernels.ts) and no longer care.
 */
function runSuiteInChild(index: number, quick: boolean, threads: number): Results {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      import.meta.filename,
      '--suite',
      String(index),
      '--threads',
      String(threads),
      ...(quick ? ['--quick'] : []),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Results;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Per system, per workload, per metric: the median over the rounds that produced it. */
function medians(rounds: Results[]): Results {
  const out: Results = {};
  for (const id of new Set(rounds.flatMap((r) => Object.keys(r))))
    for (const metric of new Set(rounds.flatMap((r) => Object.keys(r[id] ?? {})))) {
      const vs = rounds.map((r) => r[id]?.[metric]).filter((v): v is number => v !== undefined);
      (out[id] ??= {})[metric] = median(vs);
    }
  return out;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const suites = suitesFor(opts.threads);
  if (opts.suite !== null) return runSuite(suites[opts.suite], opts.quick);
  const runs: Results[][] = suites.map(() => []);
  const anchorRuns: Results[] = [];
  const anchorThreadRuns: Results[] = [];
  let anchorSystem = '';
  // Primary suites first, then the anchor, then the comparisons: ours and PyTorch's minutes apart
  // at most, so the per-round ratio sees the same machine.
  const order = suites.map((_, i) => i).sort((a, b) => Number(suites[b].primary) - Number(suites[a].primary));
  const nPrimary = suites.filter((s) => s.primary).length;
  for (let round = 0; round < opts.repeat; round++) {
    if (opts.repeat > 1) process.stderr.write(`round ${round + 1} of ${opts.repeat}\n`);
    order.forEach((index, pos) => {
      runs[index].push(runSuiteInChild(index, opts.quick, opts.threads));
      if (pos === nPrimary - 1 && opts.anchor) {
        const anchor = runAnchor(opts.quick);
        if (anchor) {
          anchorSystem = anchor.system;
          anchorRuns.push(anchor.results);
        }
        const atN = opts.threads > 1 && anchor ? runAnchor(opts.quick, opts.threads) : null;
        if (atN) anchorThreadRuns.push(atN.results);
      }
    });
  }
  if (opts.anchor && anchorRuns.length === 0)
    process.stderr.write('PyTorch anchor skipped: /usr/bin/python3 has no torch\n');
  const columns = suites.map((suite, index) => ({ system: suite.system, results: medians(runs[index]) }));
  const primary: Results = {};
  const primaryRounds: Results[] = Array.from({ length: opts.repeat }, () => ({}));
  suites.forEach((suite, index) => {
    if (!suite.primary) return;
    for (const [id, m] of Object.entries(columns[index].results)) primary[id] = { ...primary[id], ...m };
    runs[index].forEach((r, round) => {
      for (const [id, m] of Object.entries(r))
        primaryRounds[round][id] = { ...primaryRounds[round][id], ...m };
    });
  });
  const anchor = anchorRuns.length > 0 ? medians(anchorRuns) : null;

  const rows: string[][] = [];
  const header = ['workload', 'metric', ...columns.map((c) => c.system)];
  if (anchor) header.push(anchorSystem, 'vs anchor', 'range');
  for (const id of Object.keys(primary)) {
    for (const metric of Object.keys(primary[id])) {
      const row = [id, metric, ...columns.map((c) => fmt(c.results[id]?.[metric]))];
      if (anchor) {
        // Speed relative to the anchor, round by round: > 1 means faster than PyTorch.
        const ratios = anchorRuns
          .map((a, round) => {
            const ours = primaryRounds[round][id]?.[metric];
            const theirs = a[id]?.[metric];
            if (ours === undefined || theirs === undefined) return undefined;
            return metric.endsWith('_us') ? theirs / ours : ours / theirs;
          })
          .filter((v): v is number => v !== undefined);
        row.push(fmt(anchor[id]?.[metric]));
        row.push(ratios.length ? `${median(ratios).toFixed(2)}×` : '—');
        row.push(
          ratios.length > 1 ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '—',
        );
      }
      rows.push(row);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const threaded = opts.threads > 1 ? runs[suites.findIndex((x) => !x.primary)] : null;
  if (threaded) printThreadTable(opts.threads, primaryRounds, threaded, anchorRuns, anchorThreadRuns);
  if (opts.json) {
    const round = (v: number): number => Math.round(v * 100) / 100;
    const rounded = (r: Results) =>
      Object.fromEntries(
        Object.entries(r).map(([id, m]) => [
          id,
          Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)])),
        ]),
      );
    // At --threads N the threaded medians go beside the single-thread ones, under "threads_N".
    const out = {
      ...rounded(primary),
      ...(threaded ? { [`threads_${opts.threads}`]: rounded(medians(threaded)) } : {}),
    };
    writeFileSync(opts.json, JSON.stringify(out, null, 2) + '\n');
  }
}

/**
 * Scaling from 1 to N threads and the ratio to PyTorch at N threads and at its better thread count,
 * each the median over rounds of that round's ratio (ours and theirs measured minutes apart).
 */
function printThreadTable(
  N: number,
  one: Results[],
  many: Results[],
  torchOne: Results[],
  torchMany: Results[],
): void {
  const ratio = (xs: (number | undefined)[]): string => {
    const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
    return v.length ? `${median(v).toFixed(2)}×` : '—';
  };
  const rows = (
    [
      ['W1', 'train_seq_per_s'],
      ['W2', 'train_seq_per_s'],
      ['W3', 'b256_seq_per_s'],
    ] as const
  ).map(([id, metric]) => {
    const at = (rs: Results[], r: number) => rs[r]?.[id]?.[metric];
    const rounds = many.map((_, r) => r);
    const best = (r: number) => Math.max(at(torchOne, r) ?? -Infinity, at(torchMany, r) ?? -Infinity);
    return [
      id,
      metric,
      fmt(median(rounds.map((r) => at(one, r) ?? NaN))),
      fmt(median(rounds.map((r) => at(many, r) ?? NaN))),
      ratio(rounds.map((r) => at(many, r)! / at(one, r)!)),
      torchOne.length ? fmt(median(rounds.map((r) => at(torchOne, r) ?? NaN))) : '—',
      torchMany.length ? fmt(median(rounds.map((r) => at(torchMany, r) ?? NaN))) : '—',
      ratio(rounds.map((r) => (torchMany.length ? at(many, r)! / at(torchMany, r)! : undefined))),
      ratio(rounds.map((r) => (torchOne.length ? at(many, r)! / best(r) : undefined))),
    ];
  });
  const header = [
    'workload',
    'metric',
    'whereto 1',
    `whereto ${N}`,
    `scaling 1→${N}`,
    'PyTorch 1',
    `PyTorch ${N}`,
    `vs PyTorch ${N}`,
    'vs PyTorch best',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`\n${N} threads (whereto: each batch split across threads; PyTorch: torch.set_num_threads)`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
