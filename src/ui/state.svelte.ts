// The app's state: the selected track, the slider and playback, draw-a-path, and the status line;
// the loaded tracks in `loaded` (loadedTracks.svelte.ts), the active model in `model` (activeModel.svelte.ts, installed only through
// installModel here) and the map's settings in `mapSettings` (mapSettings.svelte.ts). One instance
// is created by App.svelte and handed to every tab (the panels get it as the prop `app`). It holds no Leaflet objects; map components get its data as
// props and push it into Leaflet.
import {
  parseModelFile,
  type Predictor,
  type LatLon,
  type ModelFile,
  type Prediction,
  type Track,
} from './engine.ts';
import { predictionView, type PredictionView } from './lib/predictionView.ts';
import { resamplePath } from './lib/resamplePath.ts';
import { sliderRange } from './lib/sliderWindow.ts';
import { ActiveModel } from './activeModel.svelte.ts';
import { LoadedTracks } from './loadedTracks.svelte.ts';
import { MapSettings } from './mapSettings.svelte.ts';

/** Steps the play button advances per second. */
const playStepsPerSecond = 6;

export class AppState {
  // ---- data ----------------------------------------------------------------------------------
  /** The loaded tracks, their read summaries, step and cleaning report (added to by loadFiles / loadUrl). */
  readonly loaded = new LoadedTracks();

  // ---- model ---------------------------------------------------------------------------------
  /** The active model and its predictor; changed only through installModel / installModelText. */
  readonly model = new ActiveModel();

  // ---- selection and prediction ----------------------------------------------------------------
  selected = $state.raw<Track | null>(null);
  /** Slider position: index of the last observed point of `selected`. */
  endIndex = $state(0);
  /** Steps to predict (K). */
  horizon = $state(5);
  playing = $state(false);
  /** The live stepper's prediction at `liveIndex` while playing or drawing. */
  livePrediction = $state.raw<Prediction | null>(null);
  liveIndex = $state(-1);

  /** Bumped to ask the map to frame the prediction (observed window, truth and predicted points). */
  focusRequest = $state(0);

  // ---- draw a path -----------------------------------------------------------------------------
  drawing = $state(false);
  drawnPoints = $state.raw<LatLon[]>([]);
  /** Seconds between two clicks of a drawn path (null = the model's step: one click, one step). */
  drawStepSeconds = $state<number | null>(null);

  // ---- map and status --------------------------------------------------------------------------
  /** Tile URL and tile notice. */
  readonly mapSettings: MapSettings;
  /** The status line: what is happening now. */
  status = $state('Starting…');

  /** The drawn path as a track, sampled at the model's step (t = i · stepSeconds). */
  /** The model's step, seconds (the data's when no model is loaded). */
  modelStepSeconds = $derived(this.model.predictor?.encoder.stepSeconds ?? this.loaded.stepSeconds ?? 15);

  /** The drawn path as a track at the model's step (clicks resampled when drawStepSeconds differs). */
  drawnTrack = $derived.by((): Track | null => {
    const step = this.modelStepSeconds;
    const pts = resamplePath(this.drawnPoints, this.drawStepSeconds ?? step, step);
    if (pts.length === 0) return null;
    return {
      id: 'drawn path',
      file: '(drawn on the map)',
      lat: Float64Array.from(pts, (p) => p.lat),
      lon: Float64Array.from(pts, (p) => p.lon),
      t: Float64Array.from(pts, (_p, i) => i * step),
    };
  });

  /** The track being explored: the drawn path in draw mode, otherwise the selected track. */
  activeTrack = $derived(this.drawing ? this.drawnTrack : this.selected);

  /** The slider's range for the active track. */
  range = $derived(
    this.activeTrack
      ? sliderRange(this.activeTrack.t.length, this.model.predictor?.encoder.window ?? 10)
      : null,
  );

  /** What the map draws at the slider (null without a track with 2+ points). */
  view = $derived.by((): PredictionView | null => {
    const track = this.activeTrack;
    if (!track || track.t.length < 2) return null;
    const live = this.liveIndex === this.endIndex ? this.livePrediction : null;
    return predictionView(track, this.endIndex, this.horizon, this.model.predictor, live);
  });

  #timer: ReturnType<typeof setInterval> | null = null;
  constructor(storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage) {
    this.mapSettings = new MapSettings(storage);
  }

  /**
   * Makes `modelFile` the active model (predictions switch to it): the one install path, for the
   * bundled default, an uploaded file and a model trained in the browser. On error keeps the
   * current model and returns the problem ('' on success).
   */
  installModel(modelFile: ModelFile, name: string): string {
    this.stop();
    const problem = this.model.install(modelFile, name);
    if (problem) return this.#installFailed(name, problem);
    this.#resetLive();
    this.status = `Model ${name} is active: ${describeModel(modelFile)}`;
    return '';
  }

  /** Parses a model file's text (validated by parseModelFile) and installs it; returns the problem, never throws. */
  installModelText(text: string, name: string): string {
    let modelFile: ModelFile;
    try {
      modelFile = parseModelFile(text, name);
    } catch (err) {
      this.stop();
      return this.#installFailed(name, err instanceof Error ? err.message : String(err));
    }
    return this.installModel(modelFile, name);
  }

  #installFailed(name: string, problem: string): string {
    this.status = this.model.fail(`Could not use ${name}: ${problem}`);
    return problem;
  }

  /** Fetches the bundled default model (public/models/default.json). */
  async loadDefaultModel(url: string): Promise<void> {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`no default model (${res.status})`);
      this.installModelText(await res.text(), 'default.json');
    } catch (err) {
      this.model.fail(err instanceof Error ? err.message : String(err));
    }
  }

  /** Reads files in the worker and adds their prepared tracks to `tracks`. */
  async loadFiles(files: Iterable<File>): Promise<void> {
    const sources = [...files].map((f) => ({ name: f.name, blob: f as Blob }));
    if (sources.length) await this.#load(sources);
  }

  /** Reads a file the app serves itself (the bundled sample). */
  async loadUrl(url: string, name: string): Promise<void> {
    await this.#load([{ name, url }]);
  }

  async #load(sources: Parameters<LoadedTracks['load']>[0]): Promise<void> {
    const names = sources.map((s) => s.name).join(', ');
    this.status = `Reading ${names}…`;
    try {
      const step = this.model.predictor?.encoder.stepSeconds ?? this.loaded.stepSeconds ?? undefined;
      const out = await this.loaded.load(sources, step, (p) => {
        this.status = `Reading ${p.file} (${Math.round(p.fraction * 100)} %)…`;
      });
      const rejected = out.summaries.reduce((s, r) => s + r.rejectedCount, 0);
      const failed = out.summaries.filter((s) => s.error);
      this.status =
        `Loaded ${out.tracks.length} track${out.tracks.length === 1 ? '' : 's'} from ${names}` +
        (rejected ? `; ${rejected} row${rejected === 1 ? '' : 's'} rejected` : '') +
        (failed.length ? `; ${failed.map((f) => f.error).join('; ')}` : '');
    } catch (err) {
      this.status = `Could not read ${names}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Removes every loaded track and summary. */
  clearTracks(): void {
    this.stop();
    this.loaded.clear();
    this.selected = null;
    this.status = 'Cleared all tracks';
  }

  /** Selects a track (or its id; the first with that id) and puts the slider a third of the way in. */
  select(trackOrId: Track | string | null): void {
    this.stop();
    this.drawing = false;
    const track =
      typeof trackOrId === 'string'
        ? (this.loaded.tracks.find((t) => t.id === trackOrId) ?? null)
        : trackOrId;
    this.selected = track;
    this.#resetLive();
    if (!track) return;
    const r = sliderRange(track.t.length, this.model.predictor?.encoder.window ?? 10);
    this.endIndex = r ? Math.min(r.max, Math.max(r.min, Math.round(track.t.length / 3))) : 0;
    this.status = `Track ${track.id}: ${track.t.length} points`;
  }

  /** Sets K, the steps to predict (stops playing and restarts a drawn path's stepper: both fix K). */
  setHorizon(k: number): void {
    this.stop();
    this.horizon = k;
    this.#resetLive();
  }

  /** Asks the map to zoom to the prediction at the slider. */
  focusPrediction(): void {
    this.focusRequest++;
  }

  /** Moves the slider (stops playing: the live state no longer matches). */
  setEndIndex(i: number): void {
    if (this.playing) this.stop();
    this.endIndex = i;
  }

  /** Plays along the active track: each tick one point, one cell update with the carried state. */
  play(): void {
    const track = this.activeTrack;
    const range = this.range;
    if (!track || !range || this.playing) return;
    if (this.endIndex >= range.max) this.endIndex = range.min;
    this.playing = true;
    const stepper = this.model.predictor?.liveStepper(this.horizon) ?? null;
    // carry the state up to the slider once, then one push per tick
    let pred: Prediction | null = null;
    for (let i = 0; i <= this.endIndex; i++) pred = stepper?.push(track.lat[i], track.lon[i]) ?? null;
    this.#showLive(pred, this.endIndex);
    this.#timer = setInterval(() => {
      const r = this.range;
      if (!r || this.activeTrack !== track || this.endIndex >= r.max) return this.stop();
      const i = this.endIndex + 1;
      this.#showLive(stepper?.push(track.lat[i], track.lon[i]) ?? null, i);
      this.endIndex = i;
    }, 1000 / playStepsPerSecond);
  }

  #showLive(pred: Prediction | null, index: number): void {
    this.livePrediction = pred;
    this.liveIndex = pred ? index : -1;
  }

  /** Stops playing. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.playing = false;
  }

  /** Starts or ends "draw a path": clicks on the map add points, the prediction follows each click. */
  setDrawing(on: boolean): void {
    this.stop();
    this.drawing = on;
    this.drawnPoints = [];
    this.#resetLive();
    this.status = on ? 'Draw a path: click on the map to add points, one per model step' : 'Left draw mode';
  }

  /**
   * Adds a point to the drawn path. At the model's step, one live-stepper update gives the
   * prediction; at another step the resampled path is predicted from its last point.
   */
  addDrawnPoint(p: LatLon): void {
    if (!this.drawing) return;
    this.drawnPoints = [...this.drawnPoints, p];
    const n = this.drawnTrack?.t.length ?? 0;
    if (this.drawStepSeconds === null || this.drawStepSeconds === this.modelStepSeconds) {
      if (!this.#drawStepper && this.model.predictor) {
        // a new stepper (new model or K) first catches up with the points drawn so far
        this.#drawStepper = this.model.predictor.liveStepper(this.horizon);
        for (const q of this.drawnPoints.slice(0, -1)) this.#drawStepper.push(q.lat, q.lon);
      }
      this.#showLive(this.#drawStepper?.push(p.lat, p.lon) ?? null, n - 1);
    } else {
      this.#showLive(null, -1);
    }
    this.endIndex = n - 1;
    this.status = `Drawn path: ${this.drawnPoints.length} point${this.drawnPoints.length === 1 ? '' : 's'}`;
  }

  /** Sets the seconds between clicks (null = the model's step) and starts the path over. */
  setDrawStep(seconds: number | null): void {
    this.drawStepSeconds = seconds;
    this.clearDrawn();
  }
  #drawStepper: ReturnType<Predictor['liveStepper']> | null = null;

  /** Removes the drawn path's points (stays in draw mode). */
  clearDrawn(): void {
    this.drawnPoints = [];
    this.#drawStepper = null;
    this.#resetLive();
  }

  #resetLive(): void {
    this.livePrediction = null;
    this.liveIndex = -1;
    this.#drawStepper = null;
  }
}

/** "LSTM, 1 × 64 hidden, Gaussian head, 15 s steps, window 10". */
export function describeModel(mf: ModelFile): string {
  const a = mf.architecture;
  return `${a.cell.toUpperCase()}, ${a.numLayers} × ${a.hiddenSize} hidden, ${a.head} head, ${mf.encoder.stepSeconds} s steps, window ${mf.encoder.window}`;
}
