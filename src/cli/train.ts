// `whereto train FILE… --out MODEL [--init PARENT]`: reads and prepares the tracks, calls
// trainOnTracks (the same function the app's worker runs) with options from the command line, shows
// progress on stderr and writes the model file. With --init it fine-tunes PARENT (its architecture
// and encoder kept; a flag that would change them is a usage error). Ctrl-C stops after the current
// batch and saves the best epoch so far.
import {
  bestEpochs,
  networkCount,
  serializeModelFile,
  validationErrorM,
  type ModelFile,
} from '../model/modelFile.ts';
import { inheritedOptions } from '../train/initFrom.ts';
import { trainOnTracks } from '../train/trainOnTracks.ts';
import { DEFAULT_TRAIN_OPTIONS as D, type TrainOptions } from '../train/trainOptions.ts';
import { trainOptionTable, type TrainOptionRow } from '../train/trainOptionTable.ts';
import type { CommandSpec, OptionSpec, OptionValue } from './args.ts';
import { parseCommandArgs, usageError } from './commandArgs.ts';
import { spawnGradientThread, threadsOptionSpec } from './threads.ts';
import { loaderOptionSpecs, loadPreparedTracks } from './loadTracks.ts';
import { trainingProgress } from './progress.ts';
import { readModelFile } from './readModelFile.ts';
import { EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK } from './exitCodes.ts';
import { shrinkageSummary } from '../predict/shrinkage.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

/** A table row as the argument parser's declaration, its default taken from DEFAULT_TRAIN_OPTIONS. */
function optionSpec(row: TrainOptionRow): OptionSpec {
  const { flag: name, arg, help } = row;
  switch (row.type) {
    case 'int':
    case 'number':
      return { name, type: row.type, min: row.min, max: row.max, default: D[row.key], arg, help };
    case 'choice':
      return { name, type: 'choice', choices: row.choices, default: D[row.key], help };
    case 'boolean':
      return { name, type: 'boolean', default: D[row.key], help };
    case 'list':
      return { name, type: 'string', default: D[row.key].join(','), arg, help };
    case 'range':
      return { name, type: 'string', default: row.keys.map((k) => D[k]).join(','), arg, help };
  }
}

export const trainSpec: CommandSpec = {
  command: 'whereto train',
  positionals: 'FILE…',
  minPositionals: 1,
  options: [
    { name: 'out', short: 'o', type: 'string', required: true, arg: 'MODEL', help: 'model file to write' },
    {
      name: 'init',
      type: 'string',
      arg: 'PARENT',
      help: 'fine-tune this model file: start from its weights and encoder (normalization kept), refit the shrinkage',
    },
    ...trainOptionTable.map(optionSpec),
    // Not a row of the table: the table is the recipe (recorded as training.options, offered by the
    // app's form); how many threads run it changes only float32 rounding (recorded as training.threads).
    {
      ...threadsOptionSpec,
      help: 'threads to split each batch across (1 = this thread only; the model differs only by float32 rounding)',
    },
    ...loaderOptionSpecs,
  ],
};

/** The training options from parsed `whereto train` flags, or the usage error of a malformed one. */
export function optionsFromArgs(
  a: Record<string, OptionValue>,
): { options: TrainOptions } | { error: string } {
  const options: Record<string, unknown> = {};
  for (const row of trainOptionTable as readonly TrainOptionRow[]) {
    const value = a[row.flag];
    if (row.type === 'list')
      options[row.key] = String(value)
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== '');
    else if (row.type === 'range') {
      const bounds = String(value)
        .split(',')
        .map((v) => Number(v.trim()));
      const [min, max] = bounds;
      if (bounds.length !== 2 || !(min > 0) || !(max >= min))
        return {
          error: `--${row.flag} expects MIN,MAX with 0 < MIN ≤ MAX (e.g. 0.2,1.5); got '${value}'`,
        };
      [options[row.keys[0]], options[row.keys[1]]] = [min, max];
    } else options[row.key] = value;
  }
  return { options: options as unknown as TrainOptions };
}

/**
 * The flags that would change what a fine-tune inherits from its parent: each one set away from its
 * default to a value other than the parent's is a conflict (a flag left at its default is ignored).
 */
export function initConflicts(options: TrainOptions, parent: ModelFile): string[] {
  const inherited = inheritedOptions(parent) as Record<string, unknown>;
  const given = options as unknown as Record<string, unknown>;
  const defaults = D as unknown as Record<string, unknown>;
  const same = (u: unknown, v: unknown) => JSON.stringify(u) === JSON.stringify(v);
  const conflicts: string[] = [];
  for (const row of trainOptionTable as readonly TrainOptionRow[]) {
    if (row.type === 'range' || !(row.key in inherited)) continue;
    const v = given[row.key];
    if (!same(v, defaults[row.key]) && !same(v, inherited[row.key]))
      conflicts.push(`--${row.flag} ${String(v)} (the parent's is ${String(inherited[row.key])})`);
  }
  return conflicts;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, trainSpec);
  if (typeof parsed === 'number') return parsed;
  const a = parsed.options;
  const fromArgs = optionsFromArgs(a);
  if ('error' in fromArgs) return usageError(fromArgs.error, trainSpec);
  let parent: ModelFile | undefined;
  if (a.init !== undefined) {
    try {
      parent = readModelFile(String(a.init));
    } catch (e) {
      process.stderr.write(`whereto train: ${(e as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
    const conflicts = initConflicts(fromArgs.options, parent);
    if (conflicts.length)
      return usageError(
        `--init ${String(a.init)} fixes the architecture and encoder; leave out ${conflicts.join(', ')}`,
        trainSpec,
      );
  }
  const options: TrainOptions = { ...fromArgs.options, ...(parent ? inheritedOptions(parent) : {}) };
  const prepared = await loadPreparedTracks(parsed.positionals, a, { stepSeconds: options.stepSeconds });
  if (typeof prepared === 'number') return prepared;
  process.stderr.write(
    `${prepared.tracks.length} tracks, ${prepared.report.outputPoints} points at ${options.stepSeconds} s ` +
      `(from ${prepared.report.inputTracks} tracks, ${prepared.report.inputPoints} points)\n`,
  );
  if (prepared.tracks.length === 0) {
    process.stderr.write(
      `whereto train: ${parsed.positionals.join(', ')}: no track has 3 points at ${options.stepSeconds} s after cleaning\n`,
    );
    return EXIT_BAD_INPUT;
  }
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write(
      '\nInterrupted: finishing the batch and saving the best epoch so far (Ctrl-C again to quit).\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = trainingProgress();
  const started = Date.now();
  try {
    const { modelFile } = await trainOnTracks(
      prepared.tracks,
      options,
      {
        signal: controller.signal,
        parallel: { threads: a.threads as number, spawn: spawnGradientThread },
        onBatch: (p) => progress.batch(p),
        onEpoch: (p) => progress.epoch(p),
      },
      { init: parent },
    );
    progress.stop();
    // How the tracks were read and cleaned belongs to the record too; trainOnTracks only sees the result.
    Object.assign(modelFile.training.data, {
      files: parsed.positionals.map((p) => p.split(/[\\/]/).pop()),
      ...(parent ? { parentFile: String(a.init).split(/[\\/]/).pop() } : {}),
      cleaning: prepared.report,
    });
    writeFileAtomic(String(a.out), serializeModelFile(modelFile));
    const t = modelFile.training;
    const bestVal = validationErrorM(t);
    const networks = networkCount(modelFile);
    process.stderr.write(
      `${t.stopped === 'completed' ? 'Trained' : t.stopped === 'early-stopping' ? 'Stopped early' : 'Interrupted'} after ` +
        `${t.epochs.length} epoch(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        (networks > 1 ? `${networks} networks, best epochs ` : 'best epoch ') +
        bestEpochs(t).join(', ') +
        (bestVal !== undefined ? `, validation 1-step error ${bestVal.toFixed(1)} m` : '') +
        '\n' +
        (modelFile.shrinkage
          ? `Shrinkage toward constant velocity: ${shrinkageSummary(modelFile.shrinkage)}\n`
          : ''),
    );
    process.stdout.write(`${a.out}\n`);
    return EXIT_OK;
  } catch (e) {
    progress.stop();
    process.stderr.write(`whereto train: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
