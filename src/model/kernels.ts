// What src/model needs to name the kernels: the contract every backend implements (declared in
// src/model/wasm/kernelContract.ts, a leaf the wasm backend can import without reaching back into
// src/model) and the gate-block constants. No arithmetic.
export type {
  Dtype,
  FloatArray,
  Kernels,
  LstmLayerBuffers,
  LstmWeightOffsets,
} from './wasm/kernelContract.ts';

/** Gates per cell, in PyTorch's block order: LSTM [i|f|g|o], GRU [r|z|n], RNN a single block. */
export const LSTM_GATES = 4;
export const GRU_GATES = 3;
export const RNN_GATES = 1;
