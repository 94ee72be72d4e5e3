// `whereto eval --model MODEL FILE…`: every window of the files at the model's step, the model's
// rollout beside the baselines (constant velocity, last position, Kalman), errors in metres.
// `--json` prints only the result document; `--report DIR` writes report.md, errors.svg, windows.csv.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorsSvg } from '../eval/errorsSvg.ts';
import { evalWindows, scoreWindows } from '../eval/evaluate.ts';
import { recordedSplit } from '../eval/recordedSplit.ts';
import { reportMarkdown } from '../eval/reportMarkdown.ts';
import { verdictFromResult } from '../eval/verdict.ts';
import { windowsCsv } from '../eval/windowsCsv.ts';
import { parallelForecast } from '../predict/parallelForecast.ts';
import { Predictor } from '../predict/predictor.ts';
import type { CommandSpec } from './args.ts';
import { loaderOptionSpecs } from './loadTracks.ts';
import { modelOptionSpec, samplesOptionSpec, startModelCommand } from './startModelCommand.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from './exitCodes.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';
import { runForecastSliceInThread, threadsOptionSpec } from './threads.ts';

export const evalSpec: CommandSpec = {
  command: 'whereto eval',
  positionals: 'FILE…',
  minPositionals: 1,
  options: [
    modelOptionSpec,
    {
      name: 'horizon',
      type: 'int',
      min: 1,
      max: 1000,
      default: 5,
      arg: 'H',
      help: 'future steps per window',
    },
    { name: 'json', type: 'boolean', default: false, help: 'print only the result as one JSON document' },
    { name: 'report', type: 'string', arg: 'DIR', help: 'write report.md, errors.svg and windows.csv there' },
    {
      name: 'split',
      type: 'choice',
      choices: ['all', 'test', 'val'],
      default: 'all',
      help: "which tracks: all, only the model's held-out test split (train --test-fraction), or its validation split",
    },
    samplesOptionSpec,
    {
      ...threadsOptionSpec,
      help: 'threads to split the windows across (1 = this thread only); the output is the same at any count',
    },
    ...loaderOptionSpecs,
  ],
};

export async function run(argv: string[]): Promise<number> {
  const started = await startModelCommand(argv, evalSpec);
  if (typeof started === 'number') return started;
  const { parsed, modelFile: mf } = started;
  const a = parsed.options;
  let { tracks } = started;
  if (a.split === 'test' || a.split === 'val') {
    const split = recordedSplit(tracks, mf, a.split);
    if (split === null) {
      process.stderr.write(
        a.split === 'test'
          ? `whereto eval: ${a.model} records no held-out test split (train it with --test-fraction)\n`
          : `whereto eval: ${a.model} records no validation split (train it with --val-fraction)\n`,
      );
      return EXIT_BAD_INPUT;
    }
    tracks = split;
  }
  const H = a.horizon as number;
  const predictor = Predictor.fromModelFile(mf);
  predictor.uncertaintySamples = a.samples as number;
  const windows = evalWindows(tracks, mf.encoder.window, H);
  const forecast = await parallelForecast(
    predictor,
    windows.past,
    windows.n,
    H,
    {},
    { threads: a.threads as number, run: runForecastSliceInThread },
  );
  const { result, detail } = scoreWindows(tracks, windows, forecast, mf.encoder.stepSeconds);
  if (result.windows === 0) {
    process.stderr.write(
      `whereto eval: no windows to evaluate: no track has ${mf.encoder.window + H + 1} points at ${mf.encoder.stepSeconds} s ` +
        `(the model observes ${mf.encoder.window} steps and the horizon is ${H})\n`,
    );
    return EXIT_BAD_INPUT;
  }
  if (a.report) {
    const dir = String(a.report);
    mkdirSync(dir, { recursive: true });
    const title = `${a.model} on ${parsed.positionals.join(', ')}${a.split === 'test' ? ' (held-out test split)' : a.split === 'val' ? ' (validation split)' : ''}`;
    writeFileAtomic(join(dir, 'report.md'), reportMarkdown(result, title));
    writeFileAtomic(join(dir, 'errors.svg'), errorsSvg(result));
    writeFileAtomic(join(dir, 'windows.csv'), windowsCsv(detail));
    if (!a.json) process.stderr.write(`wrote ${join(dir, 'report.md')}, errors.svg, windows.csv\n`);
  }
  // from every window evaluated above, so the verdict never disagrees with the table it follows
  const verdict = verdictFromResult(result);
  if (a.json) process.stdout.write(JSON.stringify({ ...result, verdict }) + '\n');
  else
    process.stdout.write(
      reportMarkdown(result, `${a.model} on ${parsed.positionals.join(', ')}`) +
        `\nVerdict: on these tracks the model ${verdict.text}.\n`,
    );
  return EXIT_OK;
}
