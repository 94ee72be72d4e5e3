// `whereto train FILE… --out MODEL`: reads and prepares the tracks, calls trainOnTracks (the same
// function the app's worker runs) with options from the command line, shows progress on stderr and
// writes the model file. Ctrl-C stops after the current batch and saves the best epoch so far.
import { writeFileSync } from 'node:fs';
import type { FeatureName } from '../encode/encoderSettings.ts';
import { serializeModelFile } from '../model/modelFile.ts';
import { trainOnTracks } from '../train/trainOnTracks.ts';
import { DEFAULT_TRAIN_OPTIONS as D, type TrainOptions } from '../train/trainOptions.ts';
import type { CommandSpec } from './args.ts';
import { parseCommandArgs, usageError } from './commandArgs.ts';
import { loaderOptionSpecs, loadPreparedTracks } from './loadTracks.ts';
import { trainingProgress } from './progress.ts';

export const trainSpec: CommandSpec = {
  command: 'whereto train',
  positionals: 'FILE…',
  minPositionals: 1,
  options: [
    { name: 'out', short: 'o', type: 'string', required: true, arg: 'MODEL', help: 'model file to write' },
    {
      name: 'cell',
      type: 'choice',
      choices: ['lstm', 'gru', 'rnn'],
      default: D.cell,
      help: 'recurrent cell',
    },
    { name: 'layers', type: 'int', min: 1, max: 8, default: D.layers, arg: 'N', help: 'stacked layers' },
    {
      name: 'hidden',
      type: 'int',
      min: 1,
      max: 4096,
      default: D.hidden,
      arg: 'N',
      help: 'hidden units per layer',
    },
    {
      name: 'window',
      type: 'int',
      min: 1,
      max: 1000,
      default: D.window,
      arg: 'W',
      help: 'observed steps per window',
    },
    {
      name: 'step',
      type: 'number',
      min: 0.001,
      default: D.stepSeconds,
      arg: 'SECONDS',
      help: 'resampling step',
    },
    { name: 'head', type: 'choice', choices: ['mean', 'gaussian'], default: D.head, help: 'output head' },
    {
      name: 'features',
      type: 'string',
      default: D.features.join(','),
      arg: 'LIST',
      help: 'input features from the deltas: dx,dy[,speed,sinHeading,cosHeading,dt]',
    },
    {
      name: 'align',
      type: 'boolean',
      default: D.align,
      help: 'rotate each window so its last step points along +x (--align=false to turn off)',
    },
    {
      name: 'scale-windows',
      type: 'boolean',
      default: D.scaleWindows,
      help: "rescale each window to the data's typical step length (one model for walking and driving)",
    },
    {
      name: 'augment-rotate',
      type: 'boolean',
      default: D.augmentRotate,
      help: 'rotate each training window by a random angle, redrawn every epoch',
    },
    {
      name: 'augment-mirror',
      type: 'boolean',
      default: D.augmentMirror,
      help: 'mirror half the training windows, redrawn every epoch',
    },
    {
      name: 'augment-speed',
      type: 'string',
      default: `${D.augmentSpeedMin},${D.augmentSpeedMax}`,
      arg: 'MIN,MAX',
      help: 'scale each training window by a factor drawn log-uniformly in [MIN, MAX] (1,1 = off)',
    },
    {
      name: 'split-by',
      type: 'choice',
      choices: ['track', 'time'],
      default: D.splitBy,
      help: 'split tracks at random (track) or by start time: oldest train, newest test (time)',
    },
    {
      name: 'epochs',
      type: 'int',
      min: 1,
      default: D.epochs,
      arg: 'N',
      help: 'passes over the training windows',
    },
    { name: 'batch', type: 'int', min: 1, default: D.batch, arg: 'N', help: 'windows per optimizer step' },
    { name: 'lr', type: 'number', min: 0, default: D.lr, arg: 'RATE', help: 'Adam learning rate' },
    {
      name: 'lr-schedule',
      type: 'choice',
      choices: ['constant', 'cosine'],
      default: D.lrSchedule,
      help: 'learning rate over training: constant, or cosine decay to lr/20',
    },
    {
      name: 'clip',
      type: 'number',
      min: 0,
      default: D.clip,
      arg: 'NORM',
      help: 'global gradient-norm clip (0 = off)',
    },
    {
      name: 'tbptt',
      type: 'int',
      min: 0,
      default: D.tbptt,
      arg: 'K',
      help: 'truncated BPTT chunk in steps (0 = full)',
    },
    {
      name: 'val-fraction',
      type: 'number',
      min: 0,
      max: 0.9,
      default: D.valFraction,
      arg: 'F',
      help: 'share of tracks for validation (early stopping)',
    },
    {
      name: 'test-fraction',
      type: 'number',
      min: 0,
      max: 0.9,
      default: D.testFraction,
      arg: 'F',
      help: 'share of tracks held out entirely; `eval --split test` uses them',
    },
    {
      name: 'seed',
      type: 'int',
      default: D.seed,
      arg: 'N',
      help: 'seed for the split, initialization and shuffling',
    },
    {
      name: 'patience',
      type: 'int',
      min: 0,
      default: D.patience,
      arg: 'N',
      help: 'stop after N epochs without a better validation error (0 = never)',
    },
    ...loaderOptionSpecs,
  ],
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, trainSpec);
  if (typeof parsed === 'number') return parsed;
  const a = parsed.options;
  const features = String(a.features)
    .split(',')
    .map((f) => f.trim()) as FeatureName[];
  const speed = String(a['augment-speed'])
    .split(',')
    .map((v) => Number(v.trim()));
  if (speed.length !== 2 || !(speed[0] > 0) || !(speed[1] >= speed[0]))
    return usageError(
      `--augment-speed expects MIN,MAX with 0 < MIN ≤ MAX (e.g. 0.2,1.5); got '${a['augment-speed']}'`,
      trainSpec,
    );
  const options: TrainOptions = {
    cell: a.cell as TrainOptions['cell'],
    layers: a.layers as number,
    hidden: a.hidden as number,
    window: a.window as number,
    stepSeconds: a.step as number,
    head: a.head as TrainOptions['head'],
    features,
    align: a.align as boolean,
    scaleWindows: a['scale-windows'] as boolean,
    augmentRotate: a['augment-rotate'] as boolean,
    augmentMirror: a['augment-mirror'] as boolean,
    augmentSpeedMin: speed[0],
    augmentSpeedMax: speed[1],
    splitBy: a['split-by'] as TrainOptions['splitBy'],
    epochs: a.epochs as number,
    batch: a.batch as number,
    lr: a.lr as number,
    lrSchedule: a['lr-schedule'] as TrainOptions['lrSchedule'],
    clip: a.clip as number,
    tbptt: a.tbptt as number,
    valFraction: a['val-fraction'] as number,
    testFraction: a['test-fraction'] as number,
    seed: a.seed as number,
    patience: a.patience as number,
  };
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
    return 1;
  }
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      '\nInterrupted: finishing the batch and saving the best epoch so far (Ctrl-C again to quit).\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = trainingProgress();
  const started = Date.now();
  try {
    const { modelFile } = await trainOnTracks(prepared.tracks, options, {
      signal: controller.signal,
      onBatch: (p) => progress.batch(p),
      onEpoch: (p) => progress.epoch(p),
    });
    progress.stop();
    // How the tracks were read and cleaned belongs to the record too; trainOnTracks only sees the result.
    Object.assign(modelFile.training.data, {
      files: parsed.positionals.map((p) => p.split(/[\\/]/).pop()),
      cleaning: prepared.report,
    });
    writeFileSync(String(a.out), serializeModelFile(modelFile));
    const t = modelFile.training;
    const bestVal = t.epochs.find((e) => e.epoch === t.bestEpoch)?.valErrorM;
    process.stderr.write(
      `${t.stopped === 'completed' ? 'Trained' : t.stopped === 'early-stopping' ? 'Stopped early' : 'Interrupted'} after ` +
        `${t.epochs.length} epoch(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; best epoch ${t.bestEpoch}` +
        (bestVal !== undefined ? `, validation 1-step error ${bestVal.toFixed(1)} m` : '') +
        '\n',
    );
    process.stdout.write(`${a.out}\n`);
    return 0;
  } catch (e) {
    progress.stop();
    process.stderr.write(`whereto train: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
