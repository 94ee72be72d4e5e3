// `whereto export-windows FILE… --out DIR [train options]`: the cleaned, encoded, normalized training
// and validation windows, split by track exactly as `whereto train` splits them, as .npy shards and a
// manifest.json for an external trainer (scale/train_ddp.py). Augmentation is not exported: the
// windows are written as observed, and the manifest's options say so.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readableJson } from '../model/modelFile.ts';
import { fingerprintTracks } from '../train/fingerprintTracks.ts';
import { trainingWindows } from '../train/trainingWindows.ts';
import { windowShards } from '../train/windowShards.ts';
import type { CommandSpec } from './args.ts';
import { parseCommandArgs, usageError } from './commandArgs.ts';
import { loadPreparedTracks } from './loadTracks.ts';
import { optionsFromArgs, trainSpec } from './train.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from './exitCodes.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

const NOT_EXPORTED = new Set(['out', 'augment-rotate', 'augment-mirror', 'augment-speed']);

export const exportWindowsSpec: CommandSpec = {
  command: 'whereto export-windows',
  positionals: 'FILE…',
  minPositionals: 1,
  options: [
    {
      name: 'out',
      short: 'o',
      type: 'string',
      required: true,
      arg: 'DIR',
      help: 'folder for manifest.json and the shards',
    },
    {
      name: 'shard-windows',
      type: 'int',
      min: 1,
      default: 100_000,
      arg: 'N',
      help: 'windows per shard file',
    },
    ...trainSpec.options.filter((o) => !NOT_EXPORTED.has(o.name)),
  ],
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, exportWindowsSpec);
  if (typeof parsed === 'number') return parsed;
  const a = parsed.options;
  const fromArgs = optionsFromArgs({
    ...a,
    'augment-rotate': false,
    'augment-mirror': false,
    'augment-speed': '1,1',
  });
  if ('error' in fromArgs) return usageError(fromArgs.error, exportWindowsSpec);
  const { options } = fromArgs;
  const prepared = await loadPreparedTracks(parsed.positionals, a, { stepSeconds: options.stepSeconds });
  if (typeof prepared === 'number') return prepared;
  const dir = String(a.out);
  try {
    const tw = trainingWindows(prepared.tracks, options);
    const { manifest, files } = windowShards(
      prepared.tracks,
      tw,
      options,
      await fingerprintTracks(prepared.tracks),
      a['shard-windows'] as number,
    );
    Object.assign(manifest.split, {
      files: parsed.positionals.map((p) => p.split(/[\\/]/).pop()),
      cleaning: prepared.report,
    });
    mkdirSync(dir, { recursive: true });
    for (const [name, bytes] of files) writeFileAtomic(join(dir, name), bytes);
    // The manifest last: a folder with a manifest holds every shard it names.
    writeFileAtomic(join(dir, 'manifest.json'), readableJson(manifest));
    process.stderr.write(
      `${manifest.split.trainWindows} training and ${tw.val.n} validation windows ` +
        `(${manifest.shards.train.length + manifest.shards.val.length} shards) in ${dir}\n`,
    );
  } catch (e) {
    process.stderr.write(`whereto export-windows: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stdout.write(`${join(dir, 'manifest.json')}\n`);
  return EXIT_OK;
}
