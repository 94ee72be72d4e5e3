// parallelForecast(): the windows split across worker threads at the forecast's chunk boundaries
// give one thread's forecast to the last bit (mean head, and a Gaussian head's sampled σ whose
// streams are seeded by each window's index in the whole), and a failing thread fails the forecast.
import { describe, expect, it } from 'vitest';
import { runForecastSliceInThread } from '../../src/cli/threads.ts';
import type { EncoderSettings } from '../../src/encode/encoderSettings.ts';
import { createModel } from '../../src/model/model.ts';
import { seededNormal } from '../../src/model/random.ts';
import { parallelForecast } from '../../src/predict/parallelForecast.ts';
import { forecastChunkWindows, Predictor } from '../../src/predict/predictor.ts';

const W = 6;
const encoder: EncoderSettings = {
  stepSeconds: 15,
  window: W,
  features: ['dx', 'dy', 'speed'],
  inputMean: [3, -2, 40],
  inputStd: [90, 80, 30],
  targetStd: 85,
  align: false,
  scaleWindows: false,
};
const predictor = (head: 'mean' | 'gaussian') =>
  new Predictor(
    createModel({ cell: 'gru', inputSize: 3, hiddenSize: 12, numLayers: 2, head }, { seed: 3 }),
    encoder,
  );

function randomPast(B: number): Float64Array {
  const r = seededNormal(9);
  return Float64Array.from({ length: B * W * 2 }, () => 60 * r());
}

describe('parallelForecast', () => {
  it.each([
    ['mean', 0, 700],
    ['gaussian', 7, 5000],
  ] as const)(
    '%s head (samples %i): 2 and 3 threads give one thread’s numbers bit for bit',
    async (head, samples, B) => {
      const p = predictor(head);
      const past = randomPast(B);
      const one = p.forecast(past, B, 4, { samples, seed: 2 });
      // Slices start at chunk boundaries that are not multiples of 256 for 7 samples: 36 windows per chunk.
      expect(forecastChunkWindows(head === 'gaussian', samples)).toBe(head === 'mean' ? 256 : 256 * 9);
      for (const threads of [2, 3]) {
        let slices = 0;
        const many = await parallelForecast(
          p,
          past,
          B,
          4,
          { samples, seed: 2 },
          { threads, run: (req) => (slices++, runForecastSliceInThread(req)), minWorkPerThread: 1 },
        );
        expect(slices).toBe(threads - 1);
        expect(Object.keys(many).sort()).toEqual(Object.keys(one).sort());
        for (const key of Object.keys(one) as (keyof typeof one)[])
          expect(Array.from(many[key]!), `${key} at ${threads} threads`).toEqual(Array.from(one[key]!));
      }
    },
  );

  it('a thread that fails rejects the forecast with its message', async () => {
    const p = predictor('mean');
    const past = randomPast(600);
    const run = parallelForecast(
      p,
      past,
      600,
      2,
      {},
      {
        threads: 2,
        run: (req) =>
          runForecastSliceInThread({ ...req, architecture: { ...req.architecture, numLayers: 0 } }),
        minWorkPerThread: 1,
      },
    );
    await expect(run).rejects.toThrow(/forecast thread for windows from 512 failed: .*invalid architecture/);
  });
});
