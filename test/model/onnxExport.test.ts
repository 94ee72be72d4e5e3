// An exported ONNX model runs in onnxruntime-node and gives whereto's own head outputs: every cell
// (LSTM, GRU, RNN), 1 and 2 layers, mean and Gaussian heads, at batch sizes and lengths the export
// never saw (the batch and step dimensions are symbolic). Its metadata carries the encoder and the
// training record, read back here with a protobuf field walker independent of the writer.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { FeatureName } from '../../src/encode/encoderSettings.ts';
import type { CellKind, HeadKind } from '../../src/model/architecture.ts';
import { createModel } from '../../src/model/model.ts';
import {
  decodeWeights,
  encodeWeights,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelArchitecture,
  type ModelFile,
} from '../../src/model/modelFile.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { exportOnnx, ONNX_INPUT, ONNX_OPSET, ONNX_OUTPUT } from '../../src/model/onnx/exportOnnx.ts';
import { expectClose, randn, shrinkageOf } from '../helpers.ts';

function modelFile(arch: ModelArchitecture, seed: number): ModelFile {
  const model = createModel(arch, { seed });
  // Initial weights are small; spread them so every gate block matters and a block put in the wrong place shows.
  const spread = randn(model.params.length, seed + 100, 0.3);
  for (let i = 0; i < model.params.length; i++) model.params[i] += spread[i];
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    architecture: arch,
    weights: encodeWeights(model.params),
    encoder: {
      stepSeconds: 15,
      window: 10,
      features: (['dx', 'dy', 'speed'] as FeatureName[]).slice(0, arch.inputSize),
      inputMean: [1, -2, 3].slice(0, arch.inputSize),
      inputStd: [150, 160, 20].slice(0, arch.inputSize),
      targetStd: 153,
      align: false,
      scaleWindows: false,
    },
    training: {
      fingerprint: 'sha256:' + '0'.repeat(64),
      seed,
      options: { epochs: 3 },
      data: { trainWindows: 10 },
      epochs: [{ epoch: 1, loss: 0.5, valErrorM: 80 }],
      bestEpoch: 1,
      stopped: 'completed',
      gradNormsThroughTime: [],
      finalMetrics: { valOneStepMeanErrorM: 80 },
      date: '2026-01-01T00:00:00.000Z',
    },
  };
}

/** The model's head at the last step, computed by whereto (float32 weights, as in the model file). */
function whereto(mf: ModelFile, x: Float32Array, B: number, T: number): Float32Array {
  const model = createModel(mf.architecture);
  model.params.set(decodeWeights(mf.weights));
  return Float32Array.from(model.forwardLast(x, B, T));
}
/** Top-level fields of a protobuf message: field number → the raw bytes of each length-delimited value. */
function lengthDelimitedFields(bytes: Uint8Array): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  let at = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 1;
    for (;;) {
      const b = bytes[at++];
      v += (b & 0x7f) * shift;
      shift *= 128;
      if (b < 0x80) return v;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 2) {
      const n = varint();
      out.set(field, [...(out.get(field) ?? []), bytes.subarray(at, at + n)]);
      at += n;
    } else throw new Error(`wire type ${wire} not expected in these messages`);
  }
  return out;
}

const cases: [CellKind, number, HeadKind][] = [];
for (const cell of ['lstm', 'gru', 'rnn'] as const)
  for (const layers of [1, 2])
    for (const head of ['mean', 'gaussian'] as const) cases.push([cell, layers, head]);

describe('whereto export --to onnx', () => {
  it.each(cases)(
    '%s, %i layer(s), %s head: onnxruntime gives whereto’s head outputs within 1e-5 at any batch size and length',
    async (cell, numLayers, head) => {
      const mf = modelFile({ cell, inputSize: 3, hiddenSize: 12, numLayers, head }, 7 + numLayers);
      const session = await ort.InferenceSession.create(exportOnnx(mf, '0.1.0'));
      expect(session.inputNames).toEqual([ONNX_INPUT]);
      expect(session.outputNames).toEqual([ONNX_OUTPUT]);
      for (const [B, T] of [
        [1, 10],
        [37, 4],
        [5, 23],
      ]) {
        const x = Float32Array.from(randn(B * T * 3, B + T));
        const out = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', x, [B, T, 3]) });
        const theirs = out[ONNX_OUTPUT];
        expect(theirs.dims).toEqual([B, head === 'gaussian' ? 5 : 2]);
        expectClose(theirs.data as Float32Array, whereto(mf, x, B, T), 1e-5, `B=${B} T=${T}`);
      }
      await session.release();
    },
  );

  it.each([
    ['lstm', 2],
    ['gru', 1],
  ] as const)(
    'an ensemble of 3 (%s, %i layer(s)): onnxruntime gives the mean of the members’ head outputs',
    async (cell, numLayers) => {
      const arch = { cell, inputSize: 3, hiddenSize: 8, numLayers, head: 'mean' } as const;
      const members = [1, 2, 3].map((m) => modelFile(arch, 20 + m));
      const mf: ModelFile = { ...members[0], members: [members[1].weights, members[2].weights] };
      const session = await ort.InferenceSession.create(exportOnnx(mf, '0.1.0'));
      const [B, T] = [9, 6];
      const x = Float32Array.from(randn(B * T * 3, 5));
      const out = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', x, [B, T, 3]) });
      const each = members.map((m) => whereto(m, x, B, T));
      const mean = each[0].map((v, i) => (v + each[1][i] + each[2][i]) / 3);
      expectClose(out[ONNX_OUTPUT].data as Float32Array, mean, 1e-5);
      // and the Predictor's ensemble head is the same mean
      expectClose(Predictor.fromModelFile(mf).headOutput(x, B, T), mean, 1e-5, 'whereto');
      await session.release();
    },
  );

  it('declares opset 14 and carries the architecture, the encoder, the shrinkage and the training record in metadata_props', () => {
    const mf = modelFile({ cell: 'gru', inputSize: 2, hiddenSize: 4, numLayers: 1, head: 'mean' }, 3);
    mf.shrinkage = shrinkageOf([0.5], { edges: [8], alpha: [[0.1], [0.9]] });
    const fields = lengthDelimitedFields(exportOnnx(mf, '9.9.9'));
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    const props = Object.fromEntries(
      (fields.get(14) ?? []).map((entry) => {
        const kv = lengthDelimitedFields(entry);
        return [text(kv.get(1)![0]), text(kv.get(2)![0])];
      }),
    );
    expect(JSON.parse(props['whereto.encoder'])).toEqual(mf.encoder);
    expect(JSON.parse(props['whereto.training'])).toEqual(mf.training);
    expect(JSON.parse(props['whereto.shrinkage'])).toEqual(mf.shrinkage);
    expect(JSON.parse(props['whereto.architecture'])).toEqual(mf.architecture);
    expect(text(fields.get(3)![0])).toBe('9.9.9'); // producer_version
    const opset = fields.get(8)!; // one OperatorSetIdProto: domain "" (0a 00), then version (10 VERSION)
    expect(opset.map((o) => Array.from(o))).toEqual([[0x0a, 0x00, 0x10, ONNX_OPSET]]);
  });
});
