// W1, W2 and W3's batch of 256 at N threads (`npm run bench -- --threads N`): the same models and
// data as workloads.ts, each batch split across N threads the way `whereto train --threads N`
// splits it (src/train/threadedGradients.ts, Node worker threads), one Adam step per batch on this
// thread; W3 splits the 256 rows of one forward across the threads. Not the single-thread suite.
import { spawnGradientThread } from '../src/cli/threads.ts';
import { createModel, type Model } from '../src/model/model.ts';
import { seededNormal } from '../src/model/random.ts';
import { Adam } from '../src/train/adam.ts';
import { threadedGradients, type ThreadedGradients } from '../src/train/threadedGradients.ts';
import { medianSecondsAsync, type BenchSuite } from './suite.ts';

const X = 4;

function threaded(H: number, T: number, B: number, N: number): { model: Model; g: ThreadedGradients } {
  const model = createModel(
    { cell: 'lstm', inputSize: X, hiddenSize: H, numLayers: 1, head: 'mean' },
    { seed: 0 },
  );
  const g = threadedGradients(
    model,
    { maxRows: B, T, X, Y: 2, loss: 'mse_last', tbpttK: 0 },
    { threads: N, spawn: spawnGradientThread },
  );
  const r = seededNormal(1);
  for (let i = 0; i < g.x.length; i++) g.x[i] = r();
  for (let i = 0; i < g.y.length; i++) g.y[i] = r();
  return { model, g };
}

async function trainRate(H: number, T: number, B: number, N: number, quick: boolean): Promise<number> {
  const { model, g } = threaded(H, T, B, N);
  const adam = new Adam(model.params.length, { lr: 1e-3 }, (n) => model.kernels.alloc(n));
  try {
    const step = async (): Promise<void> => {
      await g.compute(B);
      adam.update(model.params, model.grads);
    };
    await step(); // the workers start here, outside the timing
    return B / (await medianSecondsAsync(step, 3, quick ? 8 : 25));
  } finally {
    g.close();
  }
}

/** The threaded suite at N threads; its numbers are printed beside the single-thread suite's. */
export function threadSuite(N: number): BenchSuite {
  return {
    system: `whereto ${N} threads`,
    primary: false,
    workloads: [
      {
        id: 'W1',
        what: `train X=4 H=64 T=32 B=64, ${N} threads`,
        run: async (o) => ({ train_seq_per_s: await trainRate(64, 32, 64, N, o.quick) }),
      },
      {
        id: 'W2',
        what: `train X=4 H=128 T=64 B=32, ${N} threads`,
        run: async (o) => ({ train_seq_per_s: await trainRate(128, 64, 32, N, o.quick) }),
      },
      {
        id: 'W3',
        what: `infer X=4 H=64 T=32, batch 256, ${N} threads`,
        async run(o) {
          const { g } = threaded(64, 32, 256, N);
          try {
            const forward = async (): Promise<void> => void (await g.forwardLast(256));
            await forward();
            return { b256_seq_per_s: 256 / (await medianSecondsAsync(forward, 3, o.quick ? 10 : 30)) };
          } finally {
            g.close();
          }
        },
      },
    ],
  };
}
