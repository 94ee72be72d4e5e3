// A whereto model file as an ONNX model (opset 14): the recurrent stack as ONNX LSTM / GRU / RNN
// nodes and the head as MatMul + Add, over normalized inputs (batch, steps, features) of any batch
// size and length, giving the head's output at the last step (batch, 2 or 5); an ensemble's networks
// side by side and the Mean of their heads. The encoder, the architecture, the shrinkage and the
// training record travel in metadata_props so the file stands alone. Encoding
// the windows and decoding the head stay with the caller (src/encode/encodeWindow.ts, decodeHead.ts).
// Operators: https://onnx.ai/onnx/operators/ (LSTM-14, GRU-14, RNN-14, Transpose, Squeeze-13, Mean-13).
import { parameterLayout } from '../parameterLayout.ts';
import { gateCount, headOutputs } from '../architecture.ts';
import { decodeWeights, MODEL_FORMAT, MODEL_VERSION, type ModelFile } from '../modelFile.ts';
import { ProtoWriter } from './protoWriter.ts';

export const ONNX_OPSET = 14;
/** IR version 7 is the one ONNX 1.9 wrote with opset 14: the oldest runtime that reads opset 14 reads it. */
const IR_VERSION = 7;
export const ONNX_INPUT = 'inputs';
export const ONNX_OUTPUT = 'head';

/** TensorProto.DataType */
const FLOAT = 1;
const INT64 = 7;
/** AttributeProto.AttributeType */
const ATTR_INT = 2;
const ATTR_INTS = 7;

/**
 * ONNX gate order, as indices of PyTorch's blocks: LSTM [i|f|g|o] → [i|o|f|c]; GRU [r|z|n] → [z|r|h]
 * (with linear_before_reset = 1, PyTorch's GRU: the reset gate multiplies W_hn·h + b_hn); RNN [h].
 */
const ONNX_GATE_ORDER = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnn: [0] } as const;
const ONNX_OP = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' } as const;

type Dim = number | string;

interface Tensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/**
 * The ONNX bytes of a validated model file (see parseModelFile). An ensemble becomes one graph: each
 * member's layers and head (names prefixed m0_, m1_, …) over the same inputs, then `Mean` of their heads.
 */
export function exportOnnx(mf: ModelFile, producerVersion: string): Uint8Array {
  const arch = mf.architecture;
  const O = headOutputs(arch);
  const initializers: Tensor[] = [{ name: 'axis0', dims: [1], data: BigInt64Array.of(0n) }];
  if (arch.numLayers > 1) initializers.push({ name: 'axis1', dims: [1], data: BigInt64Array.of(1n) });
  const nodes: ProtoWriter[] = [
    node('Transpose', [ONNX_INPUT], ['steps_first_0'], [intsAttr('perm', [1, 0, 2])]),
  ];
  const weights = [mf.weights, ...(mf.members ?? [])];
  if (weights.length === 1)
    memberGraph(arch, decodeWeights(mf.weights), '', ONNX_OUTPUT, nodes, initializers);
  else {
    const heads = weights.map((w, m) => {
      memberGraph(arch, decodeWeights(w), `m${m}_`, `m${m}_head`, nodes, initializers);
      return `m${m}_head`;
    });
    nodes.push(node('Mean', heads, [ONNX_OUTPUT]));
  }

  const graph = new ProtoWriter();
  for (const n of nodes) graph.message(1, n); // GraphProto.node
  graph.string(2, 'whereto'); // name
  for (const t of initializers) graph.message(5, tensor(t)); // initializer
  graph.string(10, GRAPH_DOC);
  graph.message(11, valueInfo(ONNX_INPUT, ['batch', 'steps', arch.inputSize])); // input
  graph.message(12, valueInfo(ONNX_OUTPUT, ['batch', O])); // output

  const model = new ProtoWriter()
    .varint(1, IR_VERSION) // ir_version
    .string(2, 'whereto') // producer_name
    .string(3, producerVersion) // producer_version
    .message(7, graph) // graph
    .message(8, new ProtoWriter().string(1, '').varint(2, ONNX_OPSET)); // opset_import (default domain)
  for (const [key, value] of Object.entries(onnxMetadata(mf)))
    model.message(14, new ProtoWriter().string(1, key).string(2, value)); // metadata_props
  return model.finish();
}

/**
 * Appends one network's nodes and initializers (names prefixed by `p`) reading `steps_first_0` (the
 * inputs steps-first) and writing its head to `out`.
 */
function memberGraph(
  arch: ModelFile['architecture'],
  params: Float32Array,
  p: string,
  out: string,
  nodes: ProtoWriter[],
  initializers: Tensor[],
): void {
  const layout = parameterLayout(arch);
  const H = arch.hiddenSize;
  const G = gateCount(arch.cell);
  const O = headOutputs(arch);
  const order = ONNX_GATE_ORDER[arch.cell];
  /** rows (G·H, cols) at `offset`, gate blocks of H rows put in ONNX order. */
  const reorder = (offset: number, cols: number): Float32Array => {
    const r = new Float32Array(G * H * cols);
    order.forEach((src, dst) =>
      r.set(params.subarray(offset + src * H * cols, offset + (src + 1) * H * cols), dst * H * cols),
    );
    return r;
  };
  const L = arch.numLayers;
  const input = (l: number) => (l === 0 ? 'steps_first_0' : `${p}steps_first_${l}`);
  layout.layers.forEach((lay, l) => {
    const q = `${p}l${l}_`;
    const bias = new Float32Array(2 * G * H);
    bias.set(reorder(lay.bih, 1), 0);
    bias.set(reorder(lay.bhh, 1), G * H);
    initializers.push(
      { name: `${q}W`, dims: [1, G * H, lay.inputSize], data: reorder(lay.Wih, lay.inputSize) },
      { name: `${q}R`, dims: [1, G * H, H], data: reorder(lay.Whh, H) },
      { name: `${q}B`, dims: [1, 2 * G * H], data: bias },
    );
    const attrs = [intAttr('hidden_size', H)];
    if (arch.cell === 'gru') attrs.push(intAttr('linear_before_reset', 1));
    const last = l === L - 1;
    // Y (steps, 1, batch, H) feeds the next layer; the top layer's Y_h (1, batch, H) is its last step.
    const outputs = last ? ['', `${q}Y_h`] : [`${q}Y`];
    nodes.push(node(ONNX_OP[arch.cell], [input(l), `${q}W`, `${q}R`, `${q}B`], outputs, attrs));
    if (!last) nodes.push(node('Squeeze', [`${q}Y`, 'axis1'], [input(l + 1)]));
    else nodes.push(node('Squeeze', [`${q}Y_h`, 'axis0'], [`${p}last_hidden`]));
  });
  const headW = new Float32Array(H * O); // head.weight (O, H) transposed to (H, O) for MatMul
  for (let o = 0; o < O; o++) for (let h = 0; h < H; h++) headW[h * O + o] = params[layout.headW + o * H + h];
  initializers.push(
    { name: `${p}head_WT`, dims: [H, O], data: headW },
    { name: `${p}head_b`, dims: [O], data: params.slice(layout.headB, layout.headB + O) },
  );
  nodes.push(node('MatMul', [`${p}last_hidden`, `${p}head_WT`], [`${p}head_linear`]));
  nodes.push(node('Add', [`${p}head_linear`, `${p}head_b`], [out]));
}

/**
 * The metadata_props written: everything needed to encode inputs, decode outputs and shrink the
 * rollout toward constant velocity (when the model has a shrinkage), as JSON strings.
 */
export function onnxMetadata(mf: ModelFile): Record<string, string> {
  return {
    'whereto.format': `${MODEL_FORMAT} ${MODEL_VERSION}`,
    'whereto.architecture': JSON.stringify(mf.architecture),
    'whereto.encoder': JSON.stringify(mf.encoder),
    ...(mf.shrinkage ? { 'whereto.shrinkage': JSON.stringify(mf.shrinkage) } : {}),
    'whereto.training': JSON.stringify(mf.training),
  };
}

const GRAPH_DOC =
  `${ONNX_INPUT}: (batch, steps, features) float32, the normalized inputs of each window (features ` +
  'from the deltas in metres in the window frame, minus encoder.inputMean, over encoder.inputStd). ' +
  `${ONNX_OUTPUT}: (batch, 2) the next delta over encoder.targetStd in the window frame, or (batch, 5) ` +
  '[mu_x, mu_y, log sigma_x, log sigma_y, atanh rho] for the Gaussian head. Encoder, shrinkage toward ' +
  'constant velocity and training record: metadata_props.';

function node(op: string, inputs: string[], outputs: string[], attrs: ProtoWriter[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i); // NodeProto.input
  for (const o of outputs) w.string(2, o); // output
  w.string(3, `${op}_${outputs.find((o) => o) ?? ''}`); // name
  w.string(4, op); // op_type
  for (const a of attrs) w.message(5, a); // attribute
  return w;
}

function intAttr(name: string, value: number): ProtoWriter {
  return new ProtoWriter().string(1, name).varint(3, value).varint(20, ATTR_INT); // name, i, type
}

function intsAttr(name: string, values: number[]): ProtoWriter {
  return new ProtoWriter().string(1, name).packedVarints(8, values).varint(20, ATTR_INTS); // name, ints, type
}

/** TensorProto with the values little-endian in raw_data. */
function tensor(t: Tensor): ProtoWriter {
  const float = t.data instanceof Float32Array;
  const raw = new Uint8Array(t.data.length * (float ? 4 : 8));
  const view = new DataView(raw.buffer);
  for (let i = 0; i < t.data.length; i++)
    if (float) view.setFloat32(4 * i, (t.data as Float32Array)[i], true);
    else view.setBigInt64(8 * i, (t.data as BigInt64Array)[i], true);
  return new ProtoWriter()
    .packedVarints(1, t.dims) // dims
    .varint(2, float ? FLOAT : INT64) // data_type
    .string(8, t.name) // name
    .bytesField(9, raw); // raw_data
}

/** ValueInfoProto of a float tensor; string dims are symbolic (any size). */
function valueInfo(name: string, dims: Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d)); // dim_value | dim_param
  const tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape); // elem_type, shape
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType)); // name, type.tensor_type
}
