// Every PyTorch reference fixture through the WebAssembly SIMD fast path in float32: forward
// outputs, final states, predictions, loss, every gradient (x, h0, c0 included) and three steps of
// clipping + Adam end to end, each within the fixture's own tolerance; and no kernel call may
// silently fall back to TypeScript. The float64 TypeScript path is tested in torchFixtures.test.ts.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import { architectureOfStateDict, loadStateDict } from '../../src/model/stateDict.ts';
import { createTsKernels } from '../../src/model/tsKernels.ts';
import { createWasmKernels } from '../../src/model/wasm/wasmKernels.ts';
import {
  expectEndToEnd,
  expectForwardAndGradients,
  fixtureFiles,
  fixtureFolder,
  loadFixture,
} from './torchFixture.ts';

const folder = fixtureFolder;
const files = fixtureFiles();

describe('PyTorch reference fixtures through the wasm SIMD kernels (float32)', () => {
  it(`the fixture folder ${folder} holds at least one *.json`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const fx = loadFixture(file);
      const kernels = createWasmKernels(createTsKernels('float32'));
      if (!kernels) throw new Error('this Node cannot run the WebAssembly SIMD kernels');
      const model = createModel(architectureOfStateDict(fx.state_dict), { kernels });
      expect(model.dtype).toBe('float32');
      loadStateDict(model, fx.state_dict);
      expectForwardAndGradients(model, fx);
      expectEndToEnd(model, fx);
      expect(kernels.stats.fallbackCalls).toBe(0);
      expect(kernels.stats.wasmCalls).toBeGreaterThan(0);
    });
  }
});
