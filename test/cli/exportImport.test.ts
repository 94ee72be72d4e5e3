// `whereto export --to torch|onnx` and `whereto import` from the command line: the torch document
// loads into torch.nn modules with strict=True and predicts what whereto predicts; importing it
// back gives the same model, which evaluates the same; mismatched or incomplete inputs are refused
// with the file named and exit code 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import { decodeWeights, parseModelFile, type ModelFile } from '../../src/model/modelFile.ts';
import { exportStateDict } from '../../src/model/stateDict.ts';
import { expectClose, randn } from '../helpers.ts';
import { hasTorch, runPython } from '../torchPython.ts';
import { portoSubset } from './portoSubset.ts';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'whereto-export-'));
const csv = join(dir, 'porto60.csv');
const model = join(dir, 'model.json');
const available = hasTorch();

function whereto(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'src/cli/bin.js'), ...args], {
    encoding: 'utf8',
    cwd: root,
  });
}
const read = (p: string): ModelFile => parseModelFile(readFileSync(p, 'utf8'), p);

beforeAll(() => {
  writeFileSync(csv, portoSubset(60));
  const r = whereto(
    'train',
    csv,
    '--out',
    model,
    '--cell',
    'gru',
    '--layers',
    '2',
    '--hidden',
    '8',
    '--head',
    'gaussian',
    '--epochs',
    '1',
  );
  if (r.status !== 0) throw new Error(`training failed: ${r.stderr}`);
}, 60_000);

describe('whereto export --to torch', () => {
  it.skipIf(!available)(
    'PyTorch loads the state_dict with strict=True into the modules the document names and predicts the same',
    () => {
      const out = join(dir, 'model.torch.json');
      expect(whereto('export', '--model', model, '--to', 'torch', '--out', out).status).toBe(0);
      const mf = read(model);
      const B = 6;
      const T = mf.encoder.window;
      const x = Array.from(randn(B * T * mf.architecture.inputSize, 2));
      const theirs = runPython<number[]>(
        `
import json, sys, torch
job = json.load(sys.stdin)
doc = json.load(open(job["path"]))
rnn, head = eval(doc["modules"]["rnn"]), eval(doc["modules"]["head"])
net = torch.nn.ModuleDict({"rnn": rnn, "head": head})
net.load_state_dict({k: torch.tensor(v["data"]).reshape(v["shape"]) for k, v in doc["state_dict"].items()}, strict=True)
x = torch.tensor(job["x"]).reshape(job["B"], job["T"], -1)
with torch.no_grad():
    out, _ = net["rnn"](x)
    print(json.dumps(net["head"](out[:, -1]).flatten().tolist()))
`,
        { path: out, x, B, T },
      );
      const mine = createModel(mf.architecture);
      mine.params.set(decodeWeights(mf.weights));
      expectClose(theirs, mine.forwardLast(x, B, T), 1e-5, 'head outputs');
    },
  );

  it('importing the document gives back the same weights and encoder, records where they came from, and evaluates the same', () => {
    const doc = join(dir, 'roundtrip.torch.json');
    const back = join(dir, 'roundtrip.json');
    expect(whereto('export', '--model', model, '--to', 'torch', '--out', doc).status).toBe(0);
    const r = whereto('import', '--state-dict', doc, '--out', back);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const a = read(model);
    const b = read(back);
    expect(b.weights).toEqual(a.weights);
    expect(b.encoder).toEqual(a.encoder);
    expect(b.training.fingerprint).toBe(a.training.fingerprint);
    expect(b.training.importedFrom).toMatchObject({ file: 'roundtrip.torch.json' });
    expect(b.training.importedFrom!.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    const evalOf = (m: string) =>
      JSON.parse(whereto('eval', '--model', m, csv, '--json', '--horizon', '2', '--samples', '8').stdout);
    expect(evalOf(back)).toEqual(evalOf(model));
  });

  it('an ensemble (train --ensemble 2) goes through the document and back with both networks, and evaluates the same', () => {
    const ens = join(dir, 'ensemble.json');
    const doc = join(dir, 'ensemble.torch.json');
    const back = join(dir, 'ensemble.back.json');
    const t = whereto(
      'train',
      csv,
      '--out',
      ens,
      '--hidden',
      '6',
      '--epochs',
      '1',
      '--ensemble',
      '2',
      '--threads',
      '1',
    );
    expect(t.status).toBe(0);
    expect(t.stderr).toContain('network 2/2, epoch 1/1');
    expect(t.stderr).toMatch(/2 networks, best epochs 1, 1, validation 1-step error \d/);
    expect(read(ens).members).toHaveLength(1);
    expect(whereto('export', '--model', ens, '--to', 'torch', '--out', doc).status).toBe(0);
    expect(JSON.parse(readFileSync(doc, 'utf8')).members).toHaveLength(1);
    expect(whereto('import', '--state-dict', doc, '--out', back).status).toBe(0);
    expect(read(back).members).toEqual(read(ens).members);
    const evalOf = (m: string) =>
      JSON.parse(whereto('eval', '--model', m, csv, '--json', '--horizon', '2').stdout);
    expect(evalOf(back)).toEqual(evalOf(ens));
  });

  it('refuses a state_dict whose shapes differ from the --model-like model, naming the file', () => {
    const doc = join(dir, 'other.torch.json');
    const other = createModel({ cell: 'lstm', inputSize: 2, hiddenSize: 6, numLayers: 1, head: 'mean' });
    writeFileSync(doc, JSON.stringify(exportStateDict(other)));
    const r = whereto('import', '--state-dict', doc, '--model-like', model, '--out', join(dir, 'x.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('other.torch.json');
    expect(r.stderr).toMatch(
      /1-layer LSTM \(input 2, hidden 6, mean head\) but the --model-like model is a 2-layer GRU/,
    );
  });

  it('a bare state_dict needs --model-like for its encoder; with it, the import loads', () => {
    const doc = JSON.parse(readFileSync(join(dir, 'roundtrip.torch.json'), 'utf8'));
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify(doc.state_dict));
    const without = whereto('import', '--state-dict', bare, '--out', join(dir, 'y.json'));
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/bare\.json: says nothing about the encoder: give --model-like/);
    const withLike = whereto(
      'import',
      '--state-dict',
      bare,
      '--model-like',
      model,
      '--out',
      join(dir, 'y.json'),
    );
    expect(withLike.status).toBe(0);
    expect(read(join(dir, 'y.json')).weights).toEqual(read(model).weights);
  });

  it('a misshapen tensor is refused with its name and shapes', () => {
    const doc = JSON.parse(readFileSync(join(dir, 'roundtrip.torch.json'), 'utf8'));
    doc.state_dict['rnn.bias_hh_l1'].shape = [23];
    const bad = join(dir, 'bad.torch.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = whereto('import', '--state-dict', bad, '--out', join(dir, 'z.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bad.torch.json: rnn.bias_hh_l1 has shape [23], expected [24]');
  });
});

describe('whereto export --to onnx', () => {
  it('writes a model onnxruntime loads, with the declared input and output', async () => {
    const out = join(dir, 'model.onnx');
    const r = whereto('export', '--model', model, '--to', 'onnx', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    const session = await ort.InferenceSession.create(out);
    expect([session.inputNames, session.outputNames]).toEqual([['inputs'], ['head']]);
    await session.release();
  });

  it('a missing --to is a usage error (exit 2)', () => {
    const r = whereto('export', '--model', model, '--out', join(dir, 'm.onnx'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--to is required');
  });
});
