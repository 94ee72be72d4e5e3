// Specs for the app state (src/ui/state.svelte.ts and the classes it composes) in Node: selection and
// the slider, predictions at the slider from a real (small, untrained) model, play with the live
// stepper, draw-a-path, the one reset of the live prediction they share, the tile URL setting, and
// switching models. No browser: the load worker is covered by test/e2e.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { createModel } from '../../src/model/model.ts';
import { encodeWeights, type ModelFile } from '../../src/model/modelFile.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { AppState } from '../../src/ui/state.svelte.ts';
import { tileUrlStorageKey } from '../../src/ui/lib/tileUrl.ts';
import { distanceMeters } from '../../src/geo/index.ts';
import { expectClose } from '../helpers.ts';

function modelFile(seed: number, head: 'mean' | 'gaussian' = 'mean'): ModelFile {
  const architecture = { cell: 'lstm', inputSize: 2, hiddenSize: 8, numLayers: 1, head } as const;
  const model = createModel(architecture, { seed });
  return {
    format: 'whereto-model',
    version: 1,
    architecture,
    weights: encodeWeights(model.params),
    encoder: {
      stepSeconds: 15,
      window: 6,
      features: ['dx', 'dy'],
      inputMean: [0, 0],
      inputStd: [80, 80],
      targetStd: 80,
      align: true,
    },
    training: {
      fingerprint: 'sha256:test',
      seed,
      options: {},
      data: {},
      epochs: [],
      bestEpoch: 0,
      stopped: 'completed',
      gradNormsThroughTime: [],
      finalMetrics: {},
      date: '2026-01-01T00:00:00Z',
      durationSeconds: 0,
    },
  } as ModelFile;
}

/** A 60-point track at 15 s heading north-east then turning east, near Porto. */
function curvingTrack(id = 'curve'): Track {
  const n = 60;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.min(i, 30) * 0.0006 + Math.max(0, i - 30) * 0.00005;
    lat[i] = 41.15 + a;
    lon[i] = -8.61 + i * 0.0005;
    t[i] = 1_372_636_800 + 15 * i;
  }
  return { id, file: 'test.csv', lat, lon, t };
}

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('AppState: choosing a track and moving the slider', () => {
  it('select(id) picks the track and puts the slider a third of the way in, inside the range', () => {
    const app = new AppState(memoryStorage());
    app.loaded.tracks = [curvingTrack('a'), curvingTrack('b')];
    app.select('b');
    expect(app.explorer.selected?.id).toBe('b');
    expect(app.explorer.endIndex).toBe(20);
    expect(app.range).toEqual({ min: 10, max: 58 });
  });

  it('without a model the view shows constant velocity only, with its errors in metres', () => {
    const app = new AppState(memoryStorage());
    const track = curvingTrack();
    app.loaded.tracks = [track];
    app.select(track);
    const v = app.view!;
    expect(v.model).toBeNull();
    expect(v.observed.length).toBe(11);
    expect(v.truth[0]).toEqual({ lat: track.lat[20], lon: track.lon[20] });
    expect(v.cv.points.length).toBe(5);
    // on the straight part, constant velocity is nearly exact
    for (const e of v.cvErrorsM) expect(e).toBeLessThan(1);
  });

  it('with a model the view holds its K predicted points and their distance to the true future', () => {
    const app = new AppState(memoryStorage());
    const mf = modelFile(3);
    app.installModel(mf, 'test model');
    const track = curvingTrack();
    app.loaded.tracks = [track];
    app.select(track);
    app.explorer.horizon = 3;
    app.explorer.setEndIndex(40);
    const v = app.view!;
    const expected = Predictor.fromModelFile(mf).predictTrack(track, 40, 3);
    expect(v.model!.points).toEqual(expected.points);
    expectClose(
      v.modelErrorsM,
      expected.points.map((p, k) => distanceMeters(p, { lat: track.lat[41 + k], lon: track.lon[41 + k] })),
      1e-9,
    );
  });
});

describe('AppState: play', () => {
  it('advances one point per tick and shows the live stepper prediction for the current point', () => {
    vi.useFakeTimers();
    const app = new AppState(memoryStorage());
    const mf = modelFile(4);
    app.installModel(mf, 'm');
    const track = curvingTrack();
    app.loaded.tracks = [track];
    app.select(track);
    app.explorer.play();
    expect(app.explorer.playing).toBe(true);
    const start = app.explorer.endIndex;
    vi.advanceTimersByTime(1000);
    expect(app.explorer.endIndex).toBeGreaterThan(start + 3);
    expect(app.explorer.liveIndex).toBe(app.explorer.endIndex);
    // the stepper sees the same window as a prediction from the track at that point
    const windowed = Predictor.fromModelFile(mf).predictTrack(
      track,
      app.explorer.endIndex,
      app.explorer.horizon,
    );
    expectClose(
      app.view!.model!.points.flatMap((p) => [p.lat, p.lon]),
      windowed.points.flatMap((p) => [p.lat, p.lon]),
      1e-7,
    );
    app.explorer.setEndIndex(15);
    expect(app.explorer.playing).toBe(false);
  });

  it('stops at the end of the slider range', () => {
    vi.useFakeTimers();
    const app = new AppState(memoryStorage());
    app.loaded.tracks = [curvingTrack()];
    app.select(app.loaded.tracks[0]);
    app.explorer.setEndIndex(55);
    app.explorer.play();
    vi.advanceTimersByTime(5000);
    expect(app.explorer.playing).toBe(false);
    expect(app.explorer.endIndex).toBe(58);
  });
});

describe('AppState: draw a path', () => {
  it('each click adds a point and the prediction follows from the drawn path', () => {
    const app = new AppState(memoryStorage());
    const mf = modelFile(5);
    app.installModel(mf, 'm');
    app.setDrawing(true);
    const pts = [
      { lat: 41.15, lon: -8.61 },
      { lat: 41.151, lon: -8.609 },
      { lat: 41.152, lon: -8.607 },
    ];
    app.addDrawnPoint(pts[0]);
    expect(app.view).toBeNull();
    app.addDrawnPoint(pts[1]);
    app.addDrawnPoint(pts[2]);
    expect(app.activeTrack?.t).toEqual(Float64Array.from([0, 15, 30]));
    const expected = Predictor.fromModelFile(mf).predictTrack(app.drawn.track!, 2, app.explorer.horizon);
    expect(app.view!.model!.points).toEqual(expected.points);
    // changing K restarts the stepper, which catches up with the drawn points
    app.setHorizon(3);
    app.addDrawnPoint({ lat: 41.153, lon: -8.604 });
    const again = Predictor.fromModelFile(mf).predictTrack(app.drawn.track!, 3, 3);
    expect(app.explorer.liveIndex).toBe(3);
    expect(app.view!.model!.points).toEqual(again.points);
    app.setDrawing(false);
    expect(app.drawn.points).toEqual([]);
  });

  it('clicks at another time step are resampled to the model step before predicting', () => {
    const app = new AppState(memoryStorage());
    const mf = modelFile(6);
    app.installModel(mf, 'm');
    app.setDrawing(true);
    app.setDrawStep(30);
    app.addDrawnPoint({ lat: 41.15, lon: -8.61 });
    app.addDrawnPoint({ lat: 41.152, lon: -8.608 });
    app.addDrawnPoint({ lat: 41.153, lon: -8.605 });
    const track = app.drawn.track!;
    expect(track.t).toEqual(Float64Array.from([0, 15, 30, 45, 60]));
    expect(app.explorer.endIndex).toBe(4);
    const expected = Predictor.fromModelFile(mf).predictTrack(track, 4, app.explorer.horizon);
    expect(app.view!.model!.points).toEqual(expected.points);
  });
});

describe('AppState: one reset of the live prediction for play and draw-a-path', () => {
  const pts = [
    { lat: 41.15, lon: -8.61 },
    { lat: 41.151, lon: -8.609 },
    { lat: 41.152, lon: -8.607 },
  ];

  it('starting to draw stops play and clears its live prediction', () => {
    vi.useFakeTimers();
    const app = new AppState(memoryStorage());
    app.installModel(modelFile(7), 'm');
    app.loaded.tracks = [curvingTrack()];
    app.select(app.loaded.tracks[0]);
    app.explorer.play();
    vi.advanceTimersByTime(500);
    expect(app.explorer.livePrediction).not.toBeNull();
    app.setDrawing(true);
    expect(app.explorer.playing).toBe(false);
    expect(app.explorer.livePrediction).toBeNull();
    expect(app.explorer.liveIndex).toBe(-1);
    const at = app.explorer.endIndex;
    vi.advanceTimersByTime(1000);
    expect(app.explorer.endIndex).toBe(at);
  });

  it('changing K while playing stops play', () => {
    vi.useFakeTimers();
    const app = new AppState(memoryStorage());
    app.loaded.tracks = [curvingTrack()];
    app.select(app.loaded.tracks[0]);
    app.explorer.play();
    app.setHorizon(3);
    expect(app.explorer.playing).toBe(false);
    expect(app.explorer.horizon).toBe(3);
  });

  it("selecting a track leaves draw mode and drops the drawn path's live prediction", () => {
    const app = new AppState(memoryStorage());
    app.installModel(modelFile(8), 'm');
    app.loaded.tracks = [curvingTrack()];
    app.setDrawing(true);
    for (const p of pts) app.addDrawnPoint(p);
    expect(app.explorer.livePrediction).not.toBeNull();
    app.select(app.loaded.tracks[0]);
    expect(app.drawn.drawing).toBe(false);
    expect(app.activeTrack).toBe(app.loaded.tracks[0]);
    expect(app.explorer.livePrediction).toBeNull();
  });

  it("a new model drops the drawn path's stepper: the next click predicts with the new model", () => {
    const app = new AppState(memoryStorage());
    app.installModel(modelFile(9), 'first');
    app.setDrawing(true);
    for (const p of pts) app.addDrawnPoint(p);
    const second = modelFile(10);
    app.installModel(second, 'second');
    expect(app.explorer.livePrediction).toBeNull();
    app.addDrawnPoint({ lat: 41.153, lon: -8.604 });
    const expected = Predictor.fromModelFile(second).predictTrack(app.drawn.track!, 3, app.explorer.horizon);
    expect(app.explorer.liveIndex).toBe(3);
    expect(app.view!.model!.points).toEqual(expected.points);
  });
});

describe('AppState: settings and models', () => {
  it('stores a valid tile URL, refuses an invalid one and keeps the old', () => {
    const storage = memoryStorage();
    const app = new AppState(storage);
    expect(app.mapSettings.setTileUrl('https://tiles.example.org/{z}/{x}/{y}.png')).toBeNull();
    expect(storage.getItem(tileUrlStorageKey)).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
    expect(app.mapSettings.setTileUrl('https://tiles.example.org/{z}/{x}.png')).toMatch(/\{y\}/);
    expect(app.mapSettings.tileUrl).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
    expect(new AppState(storage).mapSettings.tileUrl).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
  });

  it('no tiles is a choice the map says out loud', () => {
    const app = new AppState(memoryStorage());
    app.mapSettings.setTileUrl('');
    expect(app.mapSettings.tileUrl).toBe('');
    expect(app.mapSettings.tileNotice).toMatch(/No map tiles/);
  });

  it('installModel switches the predictor and bumps modelVersion; a broken file keeps the current model', () => {
    const app = new AppState(memoryStorage());
    app.installModel(modelFile(1), 'first');
    const v = app.model.version;
    const p = app.model.predictor;
    const problem = app.installModelText('{"format":"whereto-model"', 'broken.json');
    expect(problem).not.toBe('');
    expect(app.model.error).toMatch(/broken\.json/);
    expect(app.status).toBe(`Could not use broken.json: ${problem}`);
    expect(app.model.predictor).toBe(p);
    app.installModel(modelFile(2), 'second');
    expect(app.model.version).toBe(v + 1);
    expect(app.model.predictor).not.toBe(p);
    expect(app.model.name).toBe('second');
    expect(app.status).toMatch(/second/);
  });
});
