// `whereto inspect FILE…`: what was read from each file, before any cleaning: formats, tracks,
// points, rejected rows with their lines, time range, bounding box and median step. With --json
// stdout holds one JSON document (the ReadSummary contract) and nothing else.
import { FORMAT_NAMES, type FormatName, type ReadOptions } from '../data/track.ts';
import { readSummary, type ReadSummary } from '../data/readSummary.ts';
import { timeZone } from '../data/timeZone.ts';
import type { CommandSpec } from './args.ts';
import { parseCommandArgs } from './commandArgs.ts';
import { noteLines, readFiles } from './readFiles.ts';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from './exitCodes.ts';

export const inspectSpec: CommandSpec = {
  command: 'whereto inspect',
  positionals: 'FILE…',
  minPositionals: 1,
  options: [
    { name: 'json', type: 'boolean', help: 'print one JSON document on stdout' },
    {
      name: 'tz',
      type: 'string',
      arg: 'ZONE',
      help: 'zone of timestamps written without one: IANA name or ±HH:MM (default UTC)',
    },
    {
      name: 'format',
      type: 'choice',
      choices: FORMAT_NAMES,
      arg: 'FORMAT',
      help: 'read every file as this format (default: detected)',
    },
    { name: 'lat', type: 'string', arg: 'COLUMN', help: 'latitude column (name or 1-based number)' },
    { name: 'lon', type: 'string', arg: 'COLUMN', help: 'longitude column' },
    { name: 'time', type: 'string', arg: 'COLUMN', help: 'time column' },
    { name: 'id', type: 'string', arg: 'COLUMN', help: 'track id column' },
  ],
};

/** The readable (non-JSON) report. */
export function formatSummary(s: ReadSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const count = (x: number, what: string) => `${n(x)} ${what}${x === 1 ? '' : 's'}`;
  const lines: string[] = [];
  for (const f of s.files)
    lines.push(
      f.error
        ? `${f.file}: not read: ${f.error}`
        : `${f.file}: ${f.format}, ${count(f.tracks, 'track')}, ${count(f.points, 'point')}, ${count(f.rejectedCount, 'rejected row')}`,
    );
  lines.push(
    '',
    `total: ${count(s.tracks, 'track')}, ${count(s.points, 'point')}, ${count(s.rejectedCount, 'rejected row')}`,
  );
  if (s.timeRange) lines.push(`time: ${s.timeRange[0]} … ${s.timeRange[1]}`);
  if (s.bbox) lines.push(`bbox (lon, lat): ${s.bbox[0]}, ${s.bbox[1]} … ${s.bbox[2]}, ${s.bbox[3]}`);
  if (s.medianStepSeconds !== null) lines.push(`median step: ${s.medianStepSeconds} s`);
  if (s.rejected.length > 0) {
    const shown = s.rejected.slice(0, 20);
    lines.push(
      '',
      `rejected rows${s.rejectedCount > shown.length ? ` (first ${shown.length} of ${n(s.rejectedCount)})` : ''}:`,
    );
    for (const r of shown) lines.push(`  ${r.file}:${r.line}: ${r.reason}`);
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, inspectSpec);
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const tz = o.tz as string | undefined;
  try {
    timeZone(tz);
  } catch (e) {
    process.stderr.write(`whereto inspect: --tz: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const columns: NonNullable<ReadOptions['columns']> = {};
  for (const k of ['lat', 'lon', 'time', 'id'] as const) if (o[k] !== undefined) columns[k] = String(o[k]);
  const { results, failures } = await readFiles(parsed.positionals, {
    tz,
    format: o.format as FormatName | undefined,
    columns,
  });
  const summary = readSummary(results, failures);
  process.stdout.write((o.json ? JSON.stringify(summary) : formatSummary(summary)) + '\n');
  for (const e of failures) process.stderr.write(`whereto: ${e.message}\n`);
  for (const r of results) for (const line of noteLines(r)) process.stderr.write(`${line}\n`);
  if (results.length === 0) return EXIT_BAD_INPUT;
  if (summary.rejectedCount > 0)
    process.stderr.write(
      `whereto: warning: ${summary.rejectedCount} rows rejected (listed ${o.json ? 'in "rejected"' : 'above'})\n`,
    );
  return EXIT_OK;
}
