// The TensorFlow.js comparison column: the standard workloads (DESIGN.md) on TF.js 4.22 with its
// WebAssembly backend (SIMD, one thread), built like ../shared/bench/torch_anchor.py: a 1-layer
// LSTM + Dense(2), MSE on the last step, Adam lr 1e-3, random normal data. Benchmark only: TF.js is
// a dev dependency and nothing in src/ imports it. W4 (one step, carried state) is not measured here.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { medianSeconds, type BenchSuite } from './suite.ts';

const X = 4;
let ready: Promise<void> | null = null;
// Loaded only when a TF.js workload runs (in its own process, see run.ts): importing TF.js into a
// process slowed whereto's TypeScript kernels there (W1 1,470 → 1,245 seq/s, measured).
let tf: typeof TF;

/** Selects TF.js's wasm backend once, single-threaded, loading its .wasm files from node_modules. */
function useWasmBackend(): Promise<void> {
  ready ??= (async () => {
    tf = await import('@tensorflow/tfjs');
    const { setThreadsCount, setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(join(dist, '/'));
    setThreadsCount(1);
    await tf.setBackend('wasm');
    await tf.ready();
    if (tf.getBackend() !== 'wasm') throw new Error(`TF.js backend is ${tf.getBackend()}, not wasm`);
  })();
  return ready;
}

function lstm(H: number, T: number): TF.Sequential {
  const model = tf.sequential();
  // Glorot instead of the default orthogonal recurrent init: same speed, and no slowness warning on stdout.
  model.add(tf.layers.lstm({ units: H, inputShape: [T, X], recurrentInitializer: 'glorotUniform' }));
  model.add(tf.layers.dense({ units: 2 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

async function trainRate(H: number, T: number, B: number, quick: boolean): Promise<number> {
  await useWasmBackend();
  const model = lstm(H, T);
  const x = tf.randomNormal([B, T, X]);
  const y = tf.randomNormal([B, 2]);
  const step = async (): Promise<void> => {
    await model.trainOnBatch(x, y);
  };
  const times: number[] = [];
  for (let i = 0; i < 3; i++) await step();
  for (let i = 0; i < (quick ? 5 : 15); i++) {
    const t0 = performance.now();
    await step();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  tf.dispose([x, y]);
  model.dispose();
  return B / times[Math.floor(times.length / 2)];
}

/** TF.js 4.22, wasm backend (SIMD, 1 thread), on W1–W3. */
export const tfjsSuite = (): BenchSuite => ({
  system: 'TF.js 4.22 wasm',
  primary: false,
  workloads: [
    {
      id: 'W1',
      what: 'train X=4 H=64 T=32 B=64',
      run: async (o) => ({ train_seq_per_s: await trainRate(64, 32, 64, o.quick) }),
    },
    {
      id: 'W2',
      what: 'train X=4 H=128 T=64 B=32',
      run: async (o) => ({ train_seq_per_s: await trainRate(128, 64, 32, o.quick) }),
    },
    {
      id: 'W3',
      what: 'infer X=4 H=64 T=32, 1 sequence / batch 256',
      async run(o) {
        await useWasmBackend();
        const model = lstm(64, 32);
        const x1 = tf.randomNormal([1, 32, X]);
        const xb = tf.randomNormal([256, 32, X]);
        // dataSync() waits for the result, so the time covers the whole prediction.
        const predict = (x: TF.Tensor): void => {
          const y = model.predict(x) as TF.Tensor;
          y.dataSync();
          y.dispose();
        };
        const lat = medianSeconds(() => predict(x1), 10, o.quick ? 30 : 100);
        const b256 = medianSeconds(() => predict(xb), 2, o.quick ? 5 : 10);
        tf.dispose([x1, xb]);
        model.dispose();
        return { latency_us: lat * 1e6, b256_seq_per_s: 256 / b256 };
      },
    },
  ],
});
