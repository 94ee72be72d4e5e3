// The fast path in the browser: bundled for the page and for a Web Worker, a float32 model in
// headless Chromium gets the WebAssembly SIMD kernels by itself and steps to the same outputs as
// in Node. Needs /usr/bin/chromium (CI installs it; see .ci/run).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import { createStepper } from '../../src/model/stepper.ts';
import { expectClose } from '../helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const modelPath = resolve(import.meta.dirname, '../../src/model/model.ts');
const stepperPath = resolve(import.meta.dirname, '../../src/model/stepper.ts');

// Runs in the page and in the worker: which kernels a default model got, and 20 steps of outputs.
const entry = `
import { createModel } from ${JSON.stringify(modelPath)};
import { createStepper } from ${JSON.stringify(stepperPath)};
const m = createModel({ cell: 'lstm', inputSize: 4, hiddenSize: 16, numLayers: 1, head: 'mean' });
const st = createStepper(m);
const out = [];
for (let t = 0; t < 20; t++) out.push(...st.step([Math.sin(t), Math.cos(t), 0.1 * t, -0.5]));
const result = { kernels: m.kernels.name, out };
globalThis.result = result;
if (typeof document === 'undefined') postMessage(result);
`;

describe('the wasm SIMD kernels in the browser', () => {
  it.skipIf(!existsSync(CHROMIUM))(
    'a default float32 model uses them in the page and in a Web Worker',
    async () => {
      const bundle = await build({
        stdin: { contents: entry, resolveDir: import.meta.dirname, loader: 'ts' },
        bundle: true,
        format: 'iife',
        write: false,
        logLevel: 'silent',
      });
      const code = bundle.outputFiles[0].text;
      const m = createModel({ cell: 'lstm', inputSize: 4, hiddenSize: 16, numLayers: 1, head: 'mean' });
      const st = createStepper(m);
      const expected: number[] = [];
      for (let t = 0; t < 20; t++) expected.push(...st.step([Math.sin(t), Math.cos(t), 0.1 * t, -0.5]));

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        await page.addScriptTag({ content: code });
        const inPage = (await page.evaluate(() => (globalThis as unknown as { result: unknown }).result)) as {
          kernels: string;
          out: number[];
        };
        const inWorker = (await page.evaluate(
          (src) =>
            new Promise((done) => {
              const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
              w.onmessage = (e) => done(e.data);
              w.onerror = (e) => done({ kernels: `error: ${e.message}`, out: [] });
            }),
          code,
        )) as { kernels: string; out: number[] };
        // Chromium validates relaxed SIMD, so it gets the fused-multiply-add build.
        expect(inPage.kernels).toBe('wasm-relaxed-simd');
        expect(inWorker.kernels).toBe('wasm-relaxed-simd');
        expectClose(inPage.out, expected, 2e-6, 'page outputs');
        expectClose(inWorker.out, expected, 2e-6, 'worker outputs');
      } finally {
        await browser.close();
      }
    },
  );
});
