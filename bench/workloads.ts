// The engine's standard workloads W1–W4 (DESIGN.md), set up like ../shared/bench/torch_anchor.py:
// float32, 1-layer LSTM + Linear(H, 2), MSE on the last step, Adam lr 1e-3, random normal data,
// single thread, median of repeated runs. Not here: L1 (bench/l1.ts) or comparisons with other systems.
import type { Kernels } from '../src/model/kernels.ts';
import { createModel, type Model } from '../src/model/model.ts';
import { createStepper } from '../src/model/stepper.ts';
import { seededNormal } from '../src/model/random.ts';
import { Adam } from '../src/train/adam.ts';
import { medianSeconds, type BenchSuite } from './suite.ts';

const X = 4;

function randn(n: number, seed: number): Float32Array {
  const r = seededNormal(seed);
  return Float32Array.from({ length: n }, () => r());
}

/** Training sequences per second: one Adam step per batch (gradients zeroed, loss, BPTT, update). */
function trainRate(model: Model, T: number, B: number, quick: boolean): number {
  const adam = new Adam(model.params.length, { lr: 1e-3 }, (n) => model.kernels.alloc(n));
  const x = randn(B * T * X, 1);
  const y = randn(B * 2, 2);
  const step = (): void => {
    model.lossAndGrad(x, y, B, T, 'mse_last');
    adam.update(model.params, model.grads);
  };
  return B / medianSeconds(step, 3, quick ? 8 : 25);
}

/**
 * W1–W4 on a kernel backend (`kernels` undefined = createModel's default). `primary` suites write
 * the `--json` file; when several are primary, the later one's numbers win.
 */
export function engineSuite(system: string, kernels?: () => Kernels, primary = true): BenchSuite {
  const lstm = (H: number): Model =>
    createModel(
      { cell: 'lstm', inputSize: X, hiddenSize: H, numLayers: 1, head: 'mean' },
      { seed: 0, kernels: kernels?.() },
    );
  return {
    system,
    primary,
    workloads: [
      {
        id: 'W1',
        what: 'train X=4 H=64 T=32 B=64',
        run: (o) => ({ train_seq_per_s: trainRate(lstm(64), 32, 64, o.quick) }),
      },
      {
        id: 'W2',
        what: 'train X=4 H=128 T=64 B=32',
        run: (o) => ({ train_seq_per_s: trainRate(lstm(128), 64, 32, o.quick) }),
      },
      {
        id: 'W3',
        what: 'infer X=4 H=64 T=32, 1 sequence / batch 256',
        run(o) {
          const model = lstm(64);
          const x1 = randn(32 * X, 3);
          const xb = randn(256 * 32 * X, 4);
          model.reserve(256, 32);
          const lat = medianSeconds(() => model.forwardLast(x1, 1, 32), 50, o.quick ? 100 : 400);
          const b256 = medianSeconds(() => model.forwardLast(xb, 256, 32), 3, o.quick ? 10 : 30);
          return { latency_us: lat * 1e6, b256_seq_per_s: 256 / b256 };
        },
      },
      {
        id: 'W4',
        what: 'one LSTM step, H=64, state carried',
        run(o) {
          const stepper = createStepper(lstm(64));
          const xs = randn(X, 5);
          // Each timed unit is 100 steps so the timer's resolution does not dominate.
          const per = medianSeconds(
            () => {
              for (let i = 0; i < 100; i++) stepper.step(xs);
            },
            20,
            o.quick ? 50 : 200,
          );
          return { step_latency_us: (per / 100) * 1e6 };
        },
      },
    ],
  };
}
