// The shared start of the commands that apply a model to files (eval, predict): parse the arguments
// (usage error → exit 2), read the --model file (exit 1), then read the FILE… arguments and resample
// them at the model's step (bad input → exit 1). Each failure is printed here; the command gets a code.
// Also the options both commands declare: --model and --samples.
import type { Track } from '../data/track.ts';
import type { ModelFile } from '../model/modelFile.ts';
import { DEFAULT_UNCERTAINTY_SAMPLES } from '../predict/predictor.ts';
import type { CommandSpec, OptionSpec } from './args.ts';
import { parseCommandArgs, type ParsedArgs } from './commandArgs.ts';
import { loadPreparedTracks } from './loadTracks.ts';
import { readModelFile } from './readModelFile.ts';
import { EXIT_BAD_INPUT } from './exitCodes.ts';

export const modelOptionSpec: OptionSpec = {
  name: 'model',
  short: 'm',
  type: 'string',
  required: true,
  arg: 'MODEL',
  help: 'model file',
};

export const samplesOptionSpec: OptionSpec = {
  name: 'samples',
  type: 'int',
  min: 0,
  max: 100000,
  default: DEFAULT_UNCERTAINTY_SAMPLES,
  arg: 'N',
  help: 'Gaussian head: sampled paths per window for σ beyond step 1 (0 = analytic sum of step covariances)',
};

/**
 * The parsed arguments, the model and the tracks resampled at its encoder.stepSeconds, or the exit
 * code after printing why not. minPoints: shortest resampled track kept (prepareTracks' default 3).
 */
export async function startModelCommand(
  argv: readonly string[],
  spec: CommandSpec,
  prepare: { minPoints?: number } = {},
): Promise<{ parsed: ParsedArgs; modelFile: ModelFile; tracks: Track[] } | number> {
  const parsed = parseCommandArgs(argv, spec);
  if (typeof parsed === 'number') return parsed;
  let modelFile: ModelFile;
  try {
    modelFile = readModelFile(String(parsed.options.model));
  } catch (e) {
    process.stderr.write(`${spec.command}: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  const prepared = await loadPreparedTracks(parsed.positionals, parsed.options, {
    stepSeconds: modelFile.encoder.stepSeconds,
    ...prepare,
  });
  if (typeof prepared === 'number') return prepared;
  return { parsed, modelFile, tracks: prepared.tracks };
}
