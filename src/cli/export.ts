// `whereto export --model MODEL --to onnx|torch --out FILE`: a model file as an ONNX model (for
// onnxruntime in Node, the browser, Python, Spark, …) or as a PyTorch state_dict document (for
// torch.nn.LSTM / GRU / RNN + Linear). The conversions live in src/model; this reads and writes.
import { exportOnnx } from '../model/onnx/exportOnnx.ts';
import { torchDocument } from '../model/torchDocument.ts';
import type { CommandSpec } from './args.ts';
import { parseCommandArgs, usageError } from './commandArgs.ts';
import { version } from './main.ts';
import { readModelFile } from './readModelFile.ts';
import { modelOptionSpec } from './startModelCommand.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from './exitCodes.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

export const exportSpec: CommandSpec = {
  command: 'whereto export',
  positionals: '',
  minPositionals: 0,
  options: [
    modelOptionSpec,
    {
      name: 'to',
      type: 'choice',
      choices: ['onnx', 'torch'],
      required: true,
      help: 'onnx: an ONNX model (opset 14); torch: the state_dict JSON with the architecture, encoder and record',
    },
    { name: 'out', short: 'o', type: 'string', required: true, arg: 'FILE', help: 'file to write' },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, exportSpec);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length)
    return usageError(`whereto export: unexpected argument '${parsed.positionals[0]}'`, exportSpec);
  const a = parsed.options;
  try {
    const mf = readModelFile(String(a.model));
    const bytes = a.to === 'onnx' ? exportOnnx(mf, version()) : JSON.stringify(torchDocument(mf)) + '\n';
    writeFileAtomic(String(a.out), bytes);
  } catch (e) {
    process.stderr.write(`whereto export: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stdout.write(`${a.out}\n`);
  return EXIT_OK;
}
