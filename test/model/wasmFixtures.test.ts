// Every PyTorch reference fixture through the WebAssembly SIMD fast path in float32: forward
// outputs, final states, predictions, loss, every gradient (x, h0, c0 included) and three steps of
// clipping + Adam end to end, each within the fixture's own tolerance; and no kernel call may
// silently fall back to TypeScript. The float64 TypeScript path is tested in torchFixtures.test.ts.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import { architectureOfStateDict, loadStateDict } from '../../src/model/stateDict.ts';
import { createWasmKernels } from '../../src/model/wasm/wasmKernels.ts';
import { Adam } from '../../src/train/adam.ts';
import { clipGradNorm } from '../../src/train/clipGradNorm.ts';
import { expectClose } from '../helpers.ts';
import { fixtureFiles, fixtureFolder, loadFixture } from './torchFixture.ts';

const folder = fixtureFolder;
const files = fixtureFiles();

describe('PyTorch reference fixtures through the wasm SIMD kernels (float32)', () => {
  it(`the fixture folder ${folder} holds at least one *.json`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const fx = loadFixture(file);
      const tol = fx.tolerance;
      const B = fx.batch;
      const T = fx.seq_len;
      const kernels = createWasmKernels();
      if (!kernels) throw new Error('this Node cannot run the WebAssembly SIMD kernels');
      const model = createModel(architectureOfStateDict(fx.state_dict), { kernels });
      expect(model.dtype).toBe('float32');
      loadStateDict(model, fx.state_dict);
      const state = { h0: fx.h0.data, c0: fx.c0?.data };

      const fwd = model.forwardDetailed(fx.x.data, B, T, state);
      expectClose(fwd.output, fx.expected.output.data, tol.forward_abs, 'output');
      expectClose(fwd.hN, fx.expected.h_n.data, tol.forward_abs, 'h_n');
      if (fx.expected.c_n) expectClose(fwd.cN!, fx.expected.c_n.data, tol.forward_abs, 'c_n');
      expectClose(fwd.prediction, fx.expected.prediction.data, tol.forward_abs, 'prediction');

      const r = model.lossAndGrad(fx.x.data, fx.target.data, B, T, fx.loss, {
        ...state,
        tbpttK: fx.tbptt_k ?? 0,
        inputGrads: true,
      });
      expectClose(r.loss, fx.expected.loss, tol.forward_abs, 'loss');
      for (const [name, g] of Object.entries(fx.expected.grad)) {
        const mine =
          name === 'x' ? r.dx! : name === 'h0' ? r.dh0! : name === 'c0' ? r.dc0! : model.gradView(name);
        expectClose(mine, g.data, tol.grad_abs, `grad ${name}`);
      }

      const names = model.layout.entries.map((e) => e.name);
      const adam = new Adam(model.params.length, {
        lr: fx.adam.lr,
        beta1: fx.adam.betas[0],
        beta2: fx.adam.betas[1],
        eps: fx.adam.eps,
      });
      for (let s = 0; s < fx.adam.steps; s++) {
        model.lossAndGrad(fx.x.data, fx.target.data, B, T, fx.loss, { ...state, tbpttK: fx.tbptt_k ?? 0 });
        const norm = clipGradNorm(model.grads, fx.adam.clip_norm);
        expectClose(
          norm,
          fx.adam.steps_detail[s].grad_norm_before_clip,
          tol.adam_e2e_abs,
          `step ${s} norm (end to end)`,
        );
        adam.update(model.params, model.grads);
      }
      expectClose(
        model.params,
        names.flatMap((n) => fx.adam.params_after[n].data),
        tol.adam_e2e_abs,
        'params after 3 steps (end to end)',
      );
      expect(kernels.stats.fallbackCalls).toBe(0);
      expect(kernels.stats.wasmCalls).toBeGreaterThan(0);
    });
  }
});
