// Where each named weight lives inside the ONE flat parameter array (and, at the same offsets,
// inside the gradient and Adam-moment arrays). Names and shapes follow PyTorch's state_dict for
// nn.LSTM / nn.GRU / nn.RNN + nn.Linear (`rnn.weight_ih_l{k}`, …, `head.weight`, `head.bias`).
// G = gates, H hidden, X input, O head outputs. No arithmetic on the weights here.
import { gateCount, headOutputs, type Architecture } from './architecture.ts';

export interface ParamEntry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Offsets of one layer's weights: Wih (G·H, in), Whh (G·H, H), bih (G·H), bhh (G·H). */
export interface LayerOffsets {
  inputSize: number;
  Wih: number;
  Whh: number;
  bih: number;
  bhh: number;
}

export interface ParameterLayout {
  entries: ParamEntry[];
  layers: LayerOffsets[];
  /** head.weight (O, H) and head.bias (O). */
  headW: number;
  headB: number;
  total: number;
}

/** Lays out every parameter of `arch` in PyTorch's state_dict order. */
export function parameterLayout(arch: Architecture): ParameterLayout {
  const G = gateCount(arch.cell) * arch.hiddenSize;
  const H = arch.hiddenSize;
  const O = headOutputs(arch);
  const entries: ParamEntry[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]): number => {
    const size = shape.reduce((a, b) => a * b, 1);
    entries.push({ name, shape, offset, size });
    offset += size;
    return offset - size;
  };
  const layers: LayerOffsets[] = [];
  for (let k = 0; k < arch.numLayers; k++) {
    const inputSize = k === 0 ? arch.inputSize : H;
    layers.push({
      inputSize,
      Wih: add(`rnn.weight_ih_l${k}`, [G, inputSize]),
      Whh: add(`rnn.weight_hh_l${k}`, [G, H]),
      bih: add(`rnn.bias_ih_l${k}`, [G]),
      bhh: add(`rnn.bias_hh_l${k}`, [G]),
    });
  }
  const headW = add('head.weight', [O, H]);
  const headB = add('head.bias', [O]);
  return { entries, layers, headW, headB, total: offset };
}
