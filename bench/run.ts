// `npm run bench [-- --quick] [--no-anchor] [--json FILE]`: runs every suite listed below single-
// threaded, prints a table, and beside it the PyTorch anchor (../shared/bench/torch_anchor.py) run
// in the same session when /usr/bin/python3 has torch. `--json` writes the primary suites' numbers:
// {"W1":{"train_seq_per_s"},"W2":{…},"W3":{"latency_us","b256_seq_per_s"},"W4":{"step_latency_us"}, …}.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { kernelSuites } from './kernelSuites.ts';
import { l1Suites } from './l1.ts';
import { tfjsSuite } from './tfjs.ts';
import type { BenchSuite } from './suite.ts';

// One line per suite: L1 (bench/l1.ts), comparisons (TF.js, WebAssembly kernels) are added here.
const suites: BenchSuite[] = [...kernelSuites(), tfjsSuite(), ...l1Suites()];

type Results = Record<string, Record<string, number>>;

function parseArgs(argv: string[]): {
  quick: boolean;
  anchor: boolean;
  json: string | null;
  suite: number | null;
} {
  const o = { quick: false, anchor: true, json: null as string | null, suite: null as number | null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') o.quick = true;
    else if (argv[i] === '--no-anchor') o.anchor = false;
    else if (argv[i] === '--json') o.json = argv[++i] ?? null;
    else if (argv[i] === '--suite') o.suite = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]} (use --quick, --no-anchor, --json FILE)`);
  }
  return o;
}

function runAnchor(quick: boolean): { system: string; results: Results } | null {
  const script = resolve(import.meta.dirname, '../../shared/bench/torch_anchor.py');
  const python = '/usr/bin/python3';
  if (!existsSync(python) || !existsSync(script)) return null;
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const env: Record<string, string> = { ...(process.env as Record<string, string>), OMP_NUM_THREADS: '1' };
  if (readFileSync('/proc/cpuinfo', 'utf8').includes('avx512f')) env.OPENBLAS_CORETYPE = 'SkylakeX';
  const out = execFileSync(python, [script, ...(quick ? ['--quick'] : [])], { env, encoding: 'utf8' });
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
function runSuiteInChild(index: number, quick: boolean): Results {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--suite', String(index), ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Results;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.suite !== null) return runSuite(suites[opts.suite], opts.quick);
  const columns: { system: string; results: Results }[] = [];
  const primary: Results = {};
  suites.forEach((suite, index) => {
    const results = runSuiteInChild(index, opts.quick);
    for (const id of Object.keys(results))
      if (suite.primary) primary[id] = { ...primary[id], ...results[id] };
    columns.push({ system: suite.system, results });
  });
  const anchor = opts.anchor ? runAnchor(opts.quick) : null;
  if (opts.anchor && !anchor) process.stderr.write('PyTorch anchor skipped: /usr/bin/python3 has no torch\n');

  const rows: string[][] = [];
  const header = ['workload', 'metric', ...columns.map((c) => c.system)];
  if (anchor) header.push(anchor.system, 'vs anchor');
  for (const id of Object.keys(primary)) {
    for (const metric of Object.keys(primary[id])) {
      const row = [id, metric, ...columns.map((c) => fmt(c.results[id]?.[metric]))];
      if (anchor) {
        const ours = primary[id][metric];
        const theirs = anchor.results[id]?.[metric];
        row.push(fmt(theirs));
        // Speed relative to the anchor: > 1 means faster than PyTorch.
        row.push(
          theirs === undefined
            ? '—'
            : `${(metric.endsWith('_us') ? theirs / ours : ours / theirs).toFixed(2)}×`,
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
  if (opts.json) {
    const round = (v: number): number => Math.round(v * 100) / 100;
    const out = Object.fromEntries(
      Object.entries(primary).map(([id, m]) => [
        id,
        Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)])),
      ]),
    );
    writeFileSync(opts.json, JSON.stringify(out, null, 2) + '\n');
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
