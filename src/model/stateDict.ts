// PyTorch interop: a model's weights as a JSON state_dict in the layout of
// ../shared/fixtures/torch/README.md — `{ "rnn.weight_ih_l0": { "shape": [G·H, X], "data": [...] }, …,
// "head.weight", "head.bias" }`, row-major, gate blocks [i|f|g|o] (LSTM), [r|z|n] (GRU). Our flat
// layout already uses PyTorch's names, shapes and order, so this is a copy with checks.
import type { Architecture, CellKind } from './architecture.ts';
import type { Dtype } from './kernels.ts';
import { createModel, type Model } from './model.ts';

export interface TensorJSON {
  shape: number[];
  data: number[];
}
export type StateDictJSON = Record<string, TensorJSON>;

/** The model's parameters as a PyTorch-style state_dict (plain numbers, a new object). */
export function exportStateDict(model: Model): StateDictJSON {
  const out: StateDictJSON = {};
  for (const e of model.layout.entries)
    out[e.name] = {
      shape: [...e.shape],
      data: Array.from(model.params.subarray(e.offset, e.offset + e.size)),
    };
  return out;
}

/** The architecture a state_dict describes: cell from the gate rows (4H LSTM, 3H GRU, H RNN), head from head.weight's rows. */
export function architectureOfStateDict(sd: StateDictJSON): Architecture {
  const hh = sd['rnn.weight_hh_l0'];
  const ih = sd['rnn.weight_ih_l0'];
  const hw = sd['head.weight'];
  if (!hh || !ih || !hw)
    throw new Error('state_dict lacks rnn.weight_ih_l0, rnn.weight_hh_l0 or head.weight');
  const H = hh.shape[1];
  const ratio = hh.shape[0] / H;
  const cell: CellKind | undefined =
    ratio === 4 ? 'lstm' : ratio === 3 ? 'gru' : ratio === 1 ? 'rnn' : undefined;
  if (!cell)
    throw new Error(
      `rnn.weight_hh_l0 has shape [${hh.shape}], expected [G·H, H] with G = 4 (LSTM), 3 (GRU) or 1 (RNN)`,
    );
  let numLayers = 0;
  while (sd[`rnn.weight_ih_l${numLayers}`]) numLayers++;
  const O = hw.shape[0];
  if (O !== 5 && !(O >= 2 && O % 2 === 0))
    throw new Error(
      `head.weight has ${O} rows, expected 2 (mean head), 5 (Gaussian head) or 2K (direct head of K steps)`,
    );
  const base = { cell, inputSize: ih.shape[1], hiddenSize: H, numLayers };
  // 2 rows: the mean head (a direct head of one step reads the same and is told apart by a document)
  if (O === 2) return { ...base, head: 'mean' };
  return O === 5 ? { ...base, head: 'gaussian' } : { ...base, head: 'direct', outputSteps: O / 2 };
}

/** Copies a state_dict into `model`; throws naming the first entry that is missing, misshapen or not finite. */
export function loadStateDict(model: Model, sd: StateDictJSON): void {
  for (const e of model.layout.entries) {
    const t = sd[e.name];
    if (!t) throw new Error(`state_dict lacks ${e.name}`);
    if (
      !Array.isArray(t.shape) ||
      t.shape.length !== e.shape.length ||
      t.shape.some((s, i) => s !== e.shape[i])
    )
      throw new Error(`${e.name} has shape [${t.shape}], expected [${e.shape}]`);
    if (!Array.isArray(t.data) || t.data.length !== e.size)
      throw new Error(`${e.name} holds ${t.data?.length} numbers, expected ${e.size}`);
    for (let i = 0; i < e.size; i++) {
      const v = t.data[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`${e.name}[${i}] is ${JSON.stringify(v)}, not a finite number`);
    }
  }
  for (const e of model.layout.entries) model.params.set(sd[e.name].data, e.offset);
}

/** A new model holding the weights of a PyTorch state_dict (architecture inferred from the shapes). */
export function importStateDict(sd: StateDictJSON, opts: { dtype?: Dtype } = {}): Model {
  const model = createModel(architectureOfStateDict(sd), { dtype: opts.dtype });
  loadStateDict(model, sd);
  return model;
}
