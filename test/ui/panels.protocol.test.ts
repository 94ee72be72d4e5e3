// Specs for the worker protocol helpers and the training history the Model panel draws from.
import type { Track } from '../../src/data/track.ts';
import { describe, expect, it } from 'vitest';
import {
  errorMessage,
  packTracks,
  packedTransferables,
  unpackTracks,
} from '../../src/ui/workers/jobProtocol.ts';
import {
  emptyHistory,
  foldTrainReply,
  gradientFalloff,
  progressFraction,
} from '../../src/ui/panels/trainHistory.ts';

const track = (id: string, n: number, base: number): Track => ({
  id,
  file: `${id}.csv`,
  lat: Float64Array.from({ length: n }, (_, i) => 41.1 + base + i * 1e-7),
  lon: Float64Array.from({ length: n }, (_, i) => -8.6 - i * 1e-7),
  t: Float64Array.from({ length: n }, (_, i) => 1.4e9 + i * 15),
});

describe('packTracks() / unpackTracks()', () => {
  it('round-trips ids, files and every Float64 coordinate exactly, empty tracks included', () => {
    const tracks = [track('a', 3, 0), track('b<i>', 0, 1), track('c', 5, 2)];
    const back = unpackTracks(packTracks(tracks));
    expect(back.map((t) => t.id)).toEqual(['a', 'b<i>', 'c']);
    expect(back.map((t) => t.file)).toEqual(['a.csv', 'b<i>.csv', 'c.csv']);
    back.forEach((t, i) => {
      expect(Array.from(t.lat)).toEqual(Array.from(tracks[i].lat));
      expect(Array.from(t.lon)).toEqual(Array.from(tracks[i].lon));
      expect(Array.from(t.t)).toEqual(Array.from(tracks[i].t));
    });
  });
  it('copies, so transferring the packed buffers leaves the original tracks usable', () => {
    const tracks = [track('a', 4, 0)];
    const packed = packTracks(tracks);
    const { port1 } = new MessageChannel();
    port1.postMessage(packed, packedTransferables(packed));
    port1.close();
    expect(packed.lat.length).toBe(0); // detached by the transfer
    expect(tracks[0].lat.length).toBe(4);
  });
});

describe('errorMessage()', () => {
  it('gives the message of an Error and the text of anything else', () => {
    expect(errorMessage(new Error('bad epoch'))).toBe('bad epoch');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ code: 3 })).toBe('{"code":3}');
  });
});

describe('foldTrainReply()', () => {
  it('places batch losses at fractional epochs and appends epoch curves', () => {
    let h = emptyHistory('lstm', 8, 2);
    h = foldTrainReply(h, { type: 'batch', epoch: 1, batch: 1, batches: 4, loss: 0.9 });
    h = foldTrainReply(h, { type: 'batch', epoch: 1, batch: 4, batches: 4, loss: 0.5 });
    const norms = Float64Array.from([1e-4, 1e-2, 1]);
    h = foldTrainReply(h, {
      type: 'epoch',
      epoch: 1,
      epochs: 2,
      trainLoss: 0.6,
      valErrorM: 80,
      best: true,
      gradNorms: norms,
    });
    expect(h.batchX).toEqual([0.25, 1]);
    expect(h.batchLoss).toEqual([0.9, 0.5]);
    expect(h.epochs).toEqual([1]);
    expect(h.trainLoss).toEqual([0.6]);
    expect(h.valErrorM).toEqual([80]);
    expect(h.gradNorms).toBe(norms);
    expect(progressFraction(h)).toBe(0.5);
  });
  it('returns a new object per curve update (so $state.raw sees the change) and the same one otherwise', () => {
    const h = emptyHistory('rnn', 8, 1);
    expect(foldTrainReply(h, { type: 'batch', epoch: 1, batch: 1, batches: 2, loss: 1 })).not.toBe(h);
    expect(foldTrainReply(h, { type: 'status', message: 'x' })).toBe(h);
  });
  it('counts progress within an epoch from its batches', () => {
    let h = emptyHistory('gru', 8, 4);
    h = foldTrainReply(h, { type: 'batch', epoch: 2, batch: 1, batches: 2, loss: 1 });
    expect(progressFraction(h)).toBe(0.375);
  });
});

describe('gradientFalloff()', () => {
  it("is the last step's norm over the first step's", () => {
    expect(gradientFalloff([1e-4, 1e-2, 1])).toBeCloseTo(1e4, 6);
    expect(gradientFalloff([0.5, 1])).toBe(2);
  });
  it('is NaN when there is nothing to divide', () => {
    expect(gradientFalloff([])).toBeNaN();
    expect(gradientFalloff([0, 1])).toBeNaN();
  });
});
