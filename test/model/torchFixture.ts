// The PyTorch reference fixtures (../shared/fixtures/torch/README.md): where they live (env
// TORCH_FIXTURES, else ../shared/fixtures/torch from the project root), their JSON shape, and
// loading one. Shared by the TypeScript (float64) and WebAssembly (float32) fixture tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LossKind } from '../../src/model/architecture.ts';
import type { StateDictJSON, TensorJSON } from '../../src/model/stateDict.ts';

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
