// The PyTorch reference test: every *.json in the fixture folder (env TORCH_FIXTURES, else
// ../shared/fixtures/torch from the project root) is one test case named after its file. Each is
// checked for forward outputs, final states, predictions, loss, every gradient (x, h0, c0 too),
// clipping + Adam on the given gradients step by step, and three steps end to end.
import { describe, expect, it } from 'vitest';
import { importStateDict } from '../../src/model/stateDict.ts';
import { clipGradNorm } from '../../src/train/clipGradNorm.ts';
import { expectClose } from '../helpers.ts';
import {
  expectEndToEnd,
  expectForwardAndGradients,
  fixtureAdam,
  fixtureFiles,
  fixtureFolder,
  flatParams,
  loadFixture,
} from './torchFixture.ts';

const folder = fixtureFolder;
const files = fixtureFiles();

describe('PyTorch reference fixtures', () => {
  it(`the fixture folder ${folder} holds at least one *.json`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const fx = loadFixture(file);
      const tol = fx.tolerance;
      const model = importStateDict(fx.state_dict, { dtype: 'float64' });
      expect(model.architecture.cell).toBe(fx.cell === 'rnn_tanh' ? 'rnn' : fx.cell);
      expect(model.architecture.numLayers).toBe(fx.num_layers);
      expectForwardAndGradients(model, fx);

      // Clipping + Adam fed PyTorch's own gradients, compared after every step.
      const names = model.layout.entries.map((e) => e.name);
      const given = importStateDict(fx.state_dict, { dtype: 'float64' });
      const adamGiven = fixtureAdam(fx, given.params.length);
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

      // End to end: our gradients, our clipping, our Adam, on the same batch.
      expectEndToEnd(model, fx);
    });
  }
});
