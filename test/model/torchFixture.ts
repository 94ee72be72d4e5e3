// The PyTorch reference fixtures (../shared/fixtures/torch/README.md): where they live (env
// TORCH_FIXTURES, else ../shared/fixtures/torch from the project root), their JSON shape, and
// loading one, and the checks both the TypeScript (float64) and WebAssembly (float32) fixture tests
// make of a model loaded from one.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LossKind } from '../../src/model/architecture.ts';
import type { Model } from '../../src/model/model.ts';
import type { StateDictJSON, TensorJSON } from '../../src/model/stateDict.ts';
import { Adam } from '../../src/train/adam.ts';
import { clipGradNorm } from '../../src/train/clipGradNorm.ts';
import { expectClose } from '../helpers.ts';

export interface Fixture {
  cell: string;
  num_layers: number;
  batch: number;
  seq_len: number;
  loss: LossKind;
  tbptt_k?: number;
  state_dict: StateDictJSON;
  x: TensorJSON;
  h0: TensorJSON;
  c0?: TensorJSON;
  target: TensorJSON;
  expected: {
    output: TensorJSON;
    h_n: TensorJSON;
    c_n?: TensorJSON;
    prediction: TensorJSON;
    loss: number;
    grad: Record<string, TensorJSON>;
  };
  adam: {
    lr: number;
    betas: [number, number];
    eps: number;
    clip_norm: number;
    steps: number;
    steps_detail: {
      grads_before_clip: StateDictJSON;
      grad_norm_before_clip: number;
      params_after: StateDictJSON;
    }[];
    params_after: StateDictJSON;
  };
  tolerance: { forward_abs: number; grad_abs: number; adam_given_grads_abs: number; adam_e2e_abs: number };
}

export const fixtureFolder = process.env.TORCH_FIXTURES
  ? resolve(process.env.TORCH_FIXTURES)
  : resolve(import.meta.dirname, '../..', '../shared/fixtures/torch');

/** The *.json files of the folder, sorted; empty when the folder is missing (the tests then fail). */
export function fixtureFiles(): string[] {
  try {
    return readdirSync(fixtureFolder)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
}

export function loadFixture(file: string): Fixture {
  return JSON.parse(readFileSync(join(fixtureFolder, file), 'utf8')) as Fixture;
}

/** The fixture's parameters in the model's flat order (state_dict entries by name). */
export function flatParams(sd: StateDictJSON, names: string[]): number[] {
  return names.flatMap((n) => sd[n].data);
}

/** An Adam with the fixture's settings over n parameters. */
export function fixtureAdam(fx: Fixture, n: number): Adam {
  return new Adam(n, { lr: fx.adam.lr, beta1: fx.adam.betas[0], beta2: fx.adam.betas[1], eps: fx.adam.eps });
}

/**
 * Forward outputs, final states, predictions, loss and every gradient (x, h0, c0 included) of a model
 * holding the fixture's weights, each within the fixture's tolerance.
 */
export function expectForwardAndGradients(model: Model, fx: Fixture): void {
  const tol = fx.tolerance;
  const state = { h0: fx.h0.data, c0: fx.c0?.data };
  const fwd = model.forwardDetailed(fx.x.data, fx.batch, fx.seq_len, state);
  expectClose(fwd.output, fx.expected.output.data, tol.forward_abs, 'output');
  expectClose(fwd.hN, fx.expected.h_n.data, tol.forward_abs, 'h_n');
  if (fx.expected.c_n) expectClose(fwd.cN!, fx.expected.c_n.data, tol.forward_abs, 'c_n');
  expectClose(fwd.prediction, fx.expected.prediction.data, tol.forward_abs, 'prediction');

  const r = model.lossAndGrad(fx.x.data, fx.target.data, fx.batch, fx.seq_len, fx.loss, {
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
}

/** End to end: the model's gradients, clipping and Adam, the fixture's steps on its batch. */
export function expectEndToEnd(model: Model, fx: Fixture): void {
  const tol = fx.tolerance;
  const state = { h0: fx.h0.data, c0: fx.c0?.data };
  const adam = fixtureAdam(fx, model.params.length);
  for (let s = 0; s < fx.adam.steps; s++) {
    model.lossAndGrad(fx.x.data, fx.target.data, fx.batch, fx.seq_len, fx.loss, {
      ...state,
      tbpttK: fx.tbptt_k ?? 0,
    });
    const norm = clipGradNorm(model.grads, fx.adam.clip_norm);
    expectClose(
      norm,
      fx.adam.steps_detail[s].grad_norm_before_clip,
      tol.adam_e2e_abs,
      `step ${s} norm (end to end)`,
    );
    adam.update(model.params, model.grads);
  }
  const names = model.layout.entries.map((e) => e.name);
  expectClose(
    model.params,
    flatParams(fx.adam.params_after, names),
    tol.adam_e2e_abs,
    `params after ${fx.adam.steps} steps (end to end)`,
  );
}
