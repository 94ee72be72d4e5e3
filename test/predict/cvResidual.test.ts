// The cv-residual formulation: a zero network output IS constant velocity, for every head (mean,
// Gaussian, direct), over several rolled steps; its target encoding and decoding are inverses.
import { describe, expect, it } from 'vitest';
import { decodeHead } from '../../src/encode/decodeHead.ts';
import { encodeTarget } from '../../src/encode/encodeTarget.ts';
import type { EncoderSettings } from '../../src/encode/encoderSettings.ts';
import { windowFrame } from '../../src/encode/windowFrame.ts';
import type { HeadKind } from '../../src/model/architecture.ts';
import { createModel } from '../../src/model/model.ts';
import { constantVelocityForecast } from '../../src/predict/baselines.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { randn } from '../helpers.ts';

const W = 5;
const enc: EncoderSettings = {
  stepSeconds: 15,
  window: W,
  features: ['dx', 'dy'],
  inputMean: [1.5, -0.5],
  inputStd: [0.8, 0.9],
  targetStd: 1,
  align: false,
  scaleWindows: false,
  target: 'cv-residual',
  frameFloorM: 2,
  frameSteps: 3,
};

/** A model whose head weights and bias are all 0 (the recurrent weights stay random). */
function zeroHeadPredictor(head: HeadKind): Predictor {
  const model = createModel(
    {
      cell: 'lstm',
      inputSize: 2,
      hiddenSize: 6,
      numLayers: 1,
      head,
      ...(head === 'direct' ? { outputSteps: 3 } : {}),
    },
    { seed: 4 },
  );
  model.view('head.weight').fill(0);
  model.view('head.bias').fill(0);
  return new Predictor(model, enc);
}

describe('the cv-residual target', () => {
  // Four windows: walking, driving, standing still (below the frame floor) and a turn.
  const past = Float64Array.from([
    ...randn(2 * W, 1, 1.2),
    ...randn(2 * W, 2, 150),
    ...new Array(2 * W).fill(0),
    ...[0, 10, 2, 10, 5, 9, 8, 6, 10, 3],
  ]);
  const B = 4;
  const steps = 7; // beyond the direct head's 3

  for (const head of ['mean', 'gaussian', 'direct'] as const)
    it(`decodes a zero output of the ${head} head to constant velocity at every step`, () => {
      const f = zeroHeadPredictor(head).forecast(past, B, steps);
      for (let b = 0; b < B; b++) {
        const cv = constantVelocityForecast(past.subarray(b * W * 2, (b + 1) * W * 2), W, steps);
        for (let k = 0; k < steps; k++) {
          expect(Math.abs(f.dxM[b * steps + k] - cv.dxM[k])).toBeLessThan(1e-9);
          expect(Math.abs(f.dyM[b * steps + k] - cv.dyM[k])).toBeLessThan(1e-9);
        }
      }
    });

  it('frames a window by its last heading and recent RMS speed, floored', () => {
    const w = Float64Array.from([0, 0, 0, 0, 3, 4, 0, 10, 0, -20]);
    const f = windowFrame(w, 0, enc);
    expect([f.cos, f.sin, f.baseX, f.baseY]).toEqual([0, -1, 0, -20]);
    expect(f.scale).toBeCloseTo(Math.sqrt((25 + 100 + 400) / 3), 12);
    expect(windowFrame(new Float64Array(2 * W), 0, enc)).toEqual({
      cos: 1,
      sin: 0,
      scale: 2,
      baseX: 0,
      baseY: 0,
    });
  });

  it('encodes a displacement after k steps so that decoding gives it back', () => {
    const frame = windowFrame(past, 2 * W, enc);
    const out = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
    for (const k of [1, 3]) {
      const t = encodeTarget(400, -130, frame, enc.targetStd, k);
      decodeHead(t, 0, 2, frame, enc.targetStd, out, k);
      expect(out.dxM).toBeCloseTo(400, 9);
      expect(out.dyM).toBeCloseTo(-130, 9);
    }
    // constant velocity itself is the zero target
    const cv = encodeTarget(3 * frame.baseX, 3 * frame.baseY, frame, 1, 3);
    expect(Math.hypot(...cv)).toBeLessThan(1e-12);
  });

  it('rolls a live path in windowed mode (its frame is per window)', () => {
    const p = zeroHeadPredictor('mean');
    expect(p.liveStepper().mode).toBe('windowed');
  });
});
