// L1 (DESIGN.md): load + clean + resample + encode a generated 1,000,000-point CSV in Node, reported
// as points/s and peak RSS, each measured in a fresh child process (resourceUsage().maxRSS) so other
// suites' memory does not count. Beside it, papaparse alone streaming the same file (the anchor).
// Runs inside `npm run bench` (listed in bench/run.ts) or alone: `npx tsx bench/l1.ts [--quick]`.
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { readFile } from '../src/cli/readFiles.ts';
import { prepareTracks } from '../src/data/prepareTracks.ts';
import { DEFAULT_FEATURES } from '../src/encode/encoderSettings.ts';
import { fitEncoder } from '../src/encode/fitEncoder.ts';
import { buildWindows } from '../src/encode/windowSet.ts';
import type { BenchSuite } from './suite.ts';

const POINTS = 1_000_000;
const QUICK_POINTS = 200_000;
const POINTS_PER_TRACK = 1000;

/**
 * Writes (once; reused while its size matches) a CSV of `points` rows `track_id,timestamp,lat,lon`:
 * tracks of 1,000 points around Porto, a seeded random walk at ~8 m/s sampled every 5 s with jitter,
 * ISO-8601 UTC times, 6 decimals. Returns its path.
 */
export async function generateCsv(points: number): Promise<string> {
  const path = join(tmpdir(), `whereto-l1-${points}.csv`);
  if (existsSync(path) && statSync(path).size > points * 40) return path;
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write('track_id,timestamp,lat,lon\n');
  const start = Date.UTC(2013, 6, 1) / 1000;
  for (let tr = 0; tr < points / POINTS_PER_TRACK; tr++) {
    let lat = 41.15 + (rand() - 0.5) * 0.1;
    let lon = -8.61 + (rand() - 0.5) * 0.1;
    let heading = rand() * 2 * Math.PI;
    let t = start + tr * 60;
    const lines: string[] = [];
    for (let i = 0; i < POINTS_PER_TRACK; i++) {
      lines.push(
        `trip${tr},${new Date(t * 1000).toISOString().slice(0, 19)}Z,${lat.toFixed(6)},${lon.toFixed(6)}`,
      );
      heading += (rand() - 0.5) * 0.5;
      const step = 8 * 5 * (0.5 + rand());
      lat += (step * Math.cos(heading)) / 111_195;
      lon += (step * Math.sin(heading)) / (111_195 * Math.cos((lat * Math.PI) / 180));
      t += 5 + (rand() < 0.1 ? 1 : 0);
    }
    await write(lines.join('\n') + '\n');
  }
  await new Promise<void>((r) => out.end(() => r()));
  return path;
}

/**
 * The measured pipeline, as the CLI runs it: readFile (the Node adapter streaming the file into
 * readTracks) → prepareTracks → fitEncoder → buildWindows (W = 10, H = 1, plain dx, dy).
 */
async function pipeline(path: string): Promise<{ points: number; windows: number }> {
  const read = await readFile(path);
  const prepared = prepareTracks(read.tracks);
  const enc = fitEncoder(prepared.tracks, {
    stepSeconds: prepared.stepSeconds,
    window: 10,
    features: [...DEFAULT_FEATURES],
    align: false,
  });
  const w = buildWindows(prepared.tracks, enc);
  return { points: read.accepted, windows: w.n };
}

/** papaparse alone: its Node stream mode over the same file, counting rows. */
function papaOnly(path: string): Promise<{ points: number; windows: number }> {
  return new Promise((resolve, reject) => {
    let rows = -1; // minus the header
    createReadStream(path, { highWaterMark: 1 << 20 })
      .pipe(Papa.parse(Papa.NODE_STREAM_INPUT, {}))
      .on('data', () => rows++)
      .on('end', () => resolve({ points: rows, windows: 0 }))
      .on('error', reject);
  });
}

/**
 * Runs one mode in a child process; returns points/s (wall clock), the child's peak RSS in MB, and
 * points per CPU-second (user + system of the whole process), which a busy machine disturbs less.
 */
function measure(
  mode: 'whereto' | 'papaparse',
  path: string,
): { points_per_s: number; peak_rss_mb: number; points_per_cpu_s: number } {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', mode, path], {
    encoding: 'utf8',
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as {
    points: number;
    seconds: number;
    cpuSeconds: number;
    maxRssKb: number;
  };
  return {
    points_per_s: r.points / r.seconds,
    peak_rss_mb: r.maxRssKb / 1024,
    points_per_cpu_s: r.points / r.cpuSeconds,
  };
}

async function child(mode: string, path: string): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = mode === 'papaparse' ? await papaOnly(path) : await pipeline(path);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    JSON.stringify({ ...r, seconds, cpuSeconds, maxRssKb: process.resourceUsage().maxRSS }) + '\n',
  );
}

function workload(mode: 'whereto' | 'papaparse') {
  return {
    id: 'L1',
    what:
      mode === 'whereto'
        ? 'load + clean + resample + encode a 1M-point CSV'
        : 'papaparse alone on the same CSV',
    run: async ({ quick }: { quick: boolean }) =>
      measure(mode, await generateCsv(quick ? QUICK_POINTS : POINTS)),
  };
}

/** L1 for bench/run.ts: whereto's pipeline (primary) and papaparse alone (comparison column). */
export function l1Suites(): BenchSuite[] {
  return [
    { system: 'whereto L1', primary: true, workloads: [workload('whereto')] },
    { system: 'papaparse alone', primary: false, workloads: [workload('papaparse')] },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await child(args[1], args[2]);
  else {
    const path = await generateCsv(args.includes('--quick') ? QUICK_POINTS : POINTS);
    const L1 = measure('whereto', path);
    const anchor = measure('papaparse', path);
    console.log(JSON.stringify({ file: path, L1, papaparse: anchor }));
  }
}
