// Specs for the time slider's index arithmetic (src/ui/lib/sliderWindow.ts).
import { describe, expect, it } from 'vitest';
import { sliderRange, sliderWindow } from '../../src/ui/lib/sliderWindow.ts';

describe('sliderRange()', () => {
  it('starts where the model has a full window and stops one point before the end', () => {
    expect(sliderRange(100, 10)).toEqual({ min: 10, max: 98 });
  });

  it('starts at point 1 for tracks shorter than the window, and needs two points', () => {
    expect(sliderRange(5, 10)).toEqual({ min: 3, max: 3 });
    expect(sliderRange(2, 10)).toEqual({ min: 1, max: 1 });
    expect(sliderRange(1, 10)).toBeNull();
  });
});

describe('sliderWindow()', () => {
  it('observes the last `window` deltas up to endIndex and compares with the next `horizon` points', () => {
    expect(sliderWindow(100, 40, 10, 5)).toEqual({ observedStart: 30, endIndex: 40, futureEnd: 45 });
  });

  it('cuts the future at the end of the track and the window at its start', () => {
    expect(sliderWindow(100, 97, 10, 5)).toEqual({ observedStart: 87, endIndex: 97, futureEnd: 99 });
    expect(sliderWindow(100, 3, 10, 5)).toEqual({ observedStart: 0, endIndex: 3, futureEnd: 8 });
  });

  it('clamps an out-of-range slider position into the track', () => {
    expect(sliderWindow(20, 500, 10, 5).endIndex).toBe(19);
    expect(sliderWindow(20, -4, 10, 5).endIndex).toBe(0);
  });
});
