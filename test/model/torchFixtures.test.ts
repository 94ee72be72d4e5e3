// The PyTorch reference test: every *.json in the fixture folder (env TORCH_FIXTURES, else
// ../shared/fixtures/torch from the project root) is one test case named after its file. Each is
// checked for forward outputs, final states, predictions, loss, every gradient (x, h0, c0 too),
// clipping + Adam on the given gradients step by step, and three steps end to end.
import { describe, expect, it } from 'vitest';
import { importStateDict, type StateDictJSON } from '../../src/model/stateDict.ts';
import { Adam } from '../../src/train/adam.ts';
import { clipGradNorm } from '../../src/train/clipGradNorm.ts';
import { expectClose } from '../helpers.ts';
import { fixtureFiles, fixtureFolder, loadFixture } from './torchFixture.ts';

const folder = fixtureFolder;
const files = fixtureFiles();

function flatParams(sd: StateDictJSON, names: string[]): number[] {
  return names.flatMap((n) => sd[n].data);
}

describe('PyTorch reference fixtures', () => {
  it(`the fixture folder ${folder} holds at least one *.json`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const fx = loadFixture(file);
      const tol = fx.tolerance;
      const B = fx.batch;
      const T = fx.seq_len;
      const model = importStateDict(fx.state_dict, { dtype: 'float64' });
      expect(model.architecture.cell).toBe(fx.cell === 'rnn_tanh' ? 'rnn' : fx.cell);
      expect(model.architecture.numLayers).toBe(fx.num_layers);
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

      // Clipping + Adam fed PyTorch's own gradients, compared after every step.
      const names = model.layout.entries.map((e) => e.name);
      const given = importStateDict(fx.state_dict, { dtype: 'float64' });
      const adamGiven = new Adam(given.params.length, {
        lr: fx.adam.lr,
        beta1: fx.adam.betas[0],
        beta2: fx.adam.betas[1],
        eps: fx.adam.eps,
      });
      fx.adam.steps_detail.forEach((s, i) => {
        const g = Float64Array.from(flatParams(s.grads_before_clip, names));
        expectClose(
          clipGradNorm(g, fx.adam.clip_norm),
          s.grad_norm_before_clip,
          tol.grad_abs,
          `step ${i} norm before clip`,
        );
        adamGiven.update(given.params, g);
        expectClose(
          given.params,
          flatParams(s.params_after, names),
          tol.adam_given_grads_abs,
          `step ${i} params (given grads)`,
        );
      });

      // End to end: our gradients, our clipping, our Adam, three steps on the same batch.
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
        flatParams(fx.adam.params_after, names),
        tol.adam_e2e_abs,
        'params after 3 steps (end to end)',
      );
    });
  }
});
