// Reading the FILE… arguments of train, predict and eval: each file streamed from disk (readFiles.ts),
// reader notes and rejected rows reported on stderr as `file:line: reason` (the rest still loads),
// a file that yields nothing is bad input (exit 1); then cleaned and resampled at the command's step.
// Also the loader's command-line options, declared once.
import { prepareTracks } from '../data/prepareTracks.ts';
import { ReadError } from '../data/readError.ts';
import { FORMAT_NAMES, type FormatName, type Track } from '../data/track.ts';
import type { OptionSpec, OptionValue } from './args.ts';
import { noteLines, readFile } from './readFiles.ts';
import { EXIT_BAD_INPUT } from './exitCodes.ts';

export const loaderOptionSpecs: OptionSpec[] = [
  {
    name: 'input-format',
    type: 'choice',
    choices: FORMAT_NAMES,
    arg: 'FORMAT',
    help: 'read every file as this format (default: detected from the name and content)',
  },
  {
    name: 'tz',
    type: 'string',
    arg: 'ZONE',
    help: 'time zone of timestamps without one (IANA name or ±HH:MM; default UTC)',
  },
];

/**
 * Tracks are split where the time between two points exceeds GAP_STEPS × the resampling step (the
 * accuracy probe's rule). Fixed to the step, not to the data's median interval, so a 1 s GPX file
 * read beside 15 s ones does not cut them all into pieces.
 */
export const GAP_STEPS = 4;

/** How many rejected rows to print per file; all are counted. */
const SHOWN_REJECTIONS = 10;

export class LoadError extends Error {}

/** Reads every file into tracks; warns about rejected rows on stderr; throws ReadError/LoadError. */
export async function loadTracks(paths: string[], options: Record<string, OptionValue>): Promise<Track[]> {
  const tracks: Track[] = [];
  for (const path of paths) {
    const result = await readFile(path, {
      format: options['input-format'] as FormatName | undefined,
      tz: options.tz as string | undefined,
    });
    for (const line of noteLines(result)) process.stderr.write(`${line}\n`);
    for (const r of result.rejected.slice(0, SHOWN_REJECTIONS))
      process.stderr.write(`${r.file}:${r.line}: ${r.reason} (row skipped)\n`);
    if (result.rejectedCount > SHOWN_REJECTIONS)
      process.stderr.write(`${path}: ${result.rejectedCount - SHOWN_REJECTIONS} more rows skipped\n`);
    tracks.push(...result.tracks);
  }
  if (tracks.length === 0) throw new LoadError(`${paths.join(', ')}: no tracks`);
  return tracks;
}

/** Prints a load failure and returns the bad-input exit code (1). */
function reportLoadError(e: unknown): number {
  if (e instanceof ReadError || e instanceof LoadError) {
    process.stderr.write(`whereto: ${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  throw e;
}

/**
 * The files read (loadTracks), then cleaned and resampled at stepSeconds with gaps over GAP_STEPS
 * steps split; or exit code 1 after printing why nothing could be read.
 */
export async function loadPreparedTracks(
  paths: string[],
  options: Record<string, OptionValue>,
  prepare: { stepSeconds: number; minPoints?: number },
): Promise<ReturnType<typeof prepareTracks> | number> {
  let loaded: Track[];
  try {
    loaded = await loadTracks(paths, options);
  } catch (e) {
    return reportLoadError(e);
  }
  return prepareTracks(loaded, { ...prepare, maxGapSeconds: GAP_STEPS * prepare.stepSeconds });
}
