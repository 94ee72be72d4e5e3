// The body of one gradient worker of data-parallel training: builds its own model (its own kernels,
// wasm memory and activation caches), then for every COMPUTE command copies the shared weights in,
// runs loss and backpropagation on its slice of the shared batch and writes its gradient, loss share
// and norms into its slot; for a FORWARD command, its rows' head outputs. It blocks in Atomics.wait
// between commands, so it runs in any worker (Node's worker_threads, a Web Worker) but never on a
// page's main thread. Not the spawning.
import { createModel } from '../model/model.ts';
import {
  CMD,
  COMPUTE,
  DONE,
  FORWARD,
  GEN,
  ROWS,
  reportFailure,
  sharedViews,
  sliceRows,
  type GradientWorkerInit,
} from './gradientShare.ts';

/** Serves COMPUTE and FORWARD commands until STOP; an error is reported in shared memory and ends the loop. */
export function runGradientWorker(init: GradientWorkerInit): void {
  const v = sharedViews(init.buffers, init.dtype);
  const { T, X, Y, P, index: k, threads: N } = init;
  const L = init.architecture.numLayers;
  const slot = v.grads.subarray((k - 1) * P, k * P);
  const out = v.results.subarray((k - 1) * (1 + L * T), k * (1 + L * T));
  let model: ReturnType<typeof createModel> | null = null;
  let seen = 0;
  for (;;) {
    Atomics.wait(v.control, GEN, seen);
    seen = Atomics.load(v.control, GEN);
    const cmd = Atomics.load(v.control, CMD);
    if (cmd !== COMPUTE && cmd !== FORWARD) return;
    let failed = false;
    try {
      if (!model) {
        model = createModel(init.architecture, { dtype: init.dtype });
        if (model.params.length !== P)
          throw new Error(`the worker's model has ${model.params.length} parameters, expected ${P}`);
        model.reserve(init.maxRows, T);
      }
      const rows = Atomics.load(v.control, ROWS);
      const [r0, r1] = sliceRows(rows, N, k);
      const x = v.x.subarray(r0 * T * X, r1 * T * X);
      if (r1 > r0) model.params.set(v.weights);
      if (r1 > r0 && cmd === FORWARD) v.out.set(model.forwardLast(x, r1 - r0, T), r0 * model.outputSize);
      else if (r1 > r0) {
        const y = v.y.subarray(r0 * Y, r1 * Y);
        const res = model.lossAndGrad(x, y, r1 - r0, T, init.loss, {
          tbpttK: init.tbpttK,
          meanOverRows: rows,
        });
        slot.set(model.grads);
        out[0] = res.loss;
        for (let l = 0; l < L; l++)
          for (let t = 0; t < T; t++) out[1 + l * T + t] = res.gradNormsByLayer[l][t] ** 2;
      }
    } catch (e) {
      reportFailure(v, k, e instanceof Error ? (e.stack ?? e.message) : String(e));
      failed = true;
    }
    Atomics.add(v.control, DONE, 1);
    Atomics.notify(v.control, DONE);
    if (failed) return;
  }
}
