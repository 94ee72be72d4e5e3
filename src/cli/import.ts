// `whereto import --state-dict FILE [--model-like MODEL] --out NEW`: weights trained elsewhere (a
// PyTorch state_dict, e.g. from scale/train_ddp.py) become a whereto model file that loads,
// predicts and evaluates like one trained here. The checks and the record live in
// src/model/torchDocument.ts; this reads the files and writes the result.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ModelFile } from '../model/modelFile.ts';
import { serializeModelFile } from '../model/modelFile.ts';
import { modelFileFromTorch, parseTorchDocument } from '../model/torchDocument.ts';
import type { CommandSpec } from './args.ts';
import { parseCommandArgs, usageError } from './commandArgs.ts';
import { readModelFile } from './readModelFile.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from './exitCodes.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

export const importSpec: CommandSpec = {
  command: 'whereto import',
  positionals: '',
  minPositionals: 0,
  options: [
    {
      name: 'state-dict',
      type: 'string',
      required: true,
      arg: 'FILE',
      help: 'PyTorch state_dict JSON: a bare state_dict or a whereto-torch document (export --to torch, scale/train_ddp.py)',
    },
    {
      name: 'model-like',
      type: 'string',
      arg: 'MODEL',
      help: 'model file whose encoder (and, for a bare state_dict, training record) the weights go with; optional when FILE carries the encoder',
    },
    { name: 'out', short: 'o', type: 'string', required: true, arg: 'NEW', help: 'model file to write' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, importSpec);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length)
    return usageError(`whereto import: unexpected argument '${parsed.positionals[0]}'`, importSpec);
  const a = parsed.options;
  const path = String(a['state-dict']);
  try {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const like: ModelFile | undefined = a['model-like'] ? readModelFile(String(a['model-like'])) : undefined;
    const mf = modelFileFromTorch(parseTorchDocument(bytes.toString('utf8'), path), {
      path,
      file: basename(path),
      sha256: 'sha256:' + createHash('sha256').update(bytes).digest('hex'),
      like,
      date: new Date().toISOString(),
    });
    writeFileAtomic(String(a.out), serializeModelFile(mf));
  } catch (e) {
    process.stderr.write(`whereto import: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stdout.write(`${a.out}\n`);
  return EXIT_OK;
}
