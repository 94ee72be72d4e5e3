// The app's state, composed of small $state classes: the loaded tracks in `loaded`
// (loadedTracks.svelte.ts), the active model in `model` (activeModel.svelte.ts, installed only
// through installModel here), the selection, slider and play in `explorer` (trackExplorer.svelte.ts),
// draw-a-path in `drawn` (drawnPath.svelte.ts) and the map's settings in `mapSettings`
// (mapSettings.svelte.ts). This class holds what spans them: the track on the slider, the view at
// the slider, the status line, and the actions that reset the live prediction. One instance is
// created by App.svelte and handed to every tab (the panels get it as the prop `app`). It holds no
// Leaflet objects; map components get its data as props and push it into Leaflet.
import { networkCount, parseModelFile, type LatLon, type ModelFile, type Track } from './engine.ts';
import { predictionView, type PredictionView } from './lib/predictionView.ts';
import { sliderRange } from './lib/sliderWindow.ts';
import { ActiveModel } from './activeModel.svelte.ts';
import { DrawnPath } from './drawnPath.svelte.ts';
import { LoadedTracks } from './loadedTracks.svelte.ts';
import { MapSettings } from './mapSettings.svelte.ts';
import { TrackExplorer } from './trackExplorer.svelte.ts';

export class AppState {
  /** The loaded tracks, their read summaries, step and cleaning report (added to by loadFiles / loadUrl). */
  readonly loaded = new LoadedTracks();
  /** The active model and its predictor; changed only through installModel / installModelText. */
  readonly model = new ActiveModel();
  /** The selected track, the slider, K and play; it plays along `activeTrack`. */
  readonly explorer: TrackExplorer = new TrackExplorer(() => ({
    track: this.activeTrack,
    range: this.range,
    predictor: this.model.predictor,
  }));
  /** Draw-a-path: the mode, the clicked points, the path at the model's step. */
  readonly drawn = new DrawnPath(() => this.modelStepSeconds);
  /** Tile URL and tile notice. */
  readonly mapSettings: MapSettings;
  /** The status line: what is happening now. */
  status = $state('Starting…');

  /** The model's step, seconds (the data's when no model is loaded). */
  modelStepSeconds = $derived(this.model.predictor?.encoder.stepSeconds ?? this.loaded.stepSeconds ?? 15);

  /** The track being explored: the drawn path in draw mode, otherwise the selected track. */
  activeTrack = $derived(this.drawn.drawing ? this.drawn.track : this.explorer.selected);

  /** Deltas the model reads before predicting (10 when no model is loaded): where the slider starts. */
  #modelWindow = $derived(this.model.predictor?.encoder.window ?? 10);

  /** The slider's range for the active track. */
  range = $derived(this.activeTrack ? sliderRange(this.activeTrack.t.length, this.#modelWindow) : null);

  /** What the map draws at the slider (null without a track with 2+ points). */
  view = $derived.by((): PredictionView | null => {
    const track = this.activeTrack;
    if (!track || track.t.length < 2) return null;
    const { endIndex, liveIndex, livePrediction, horizon } = this.explorer;
    const live = liveIndex === endIndex ? livePrediction : null;
    return predictionView(track, endIndex, horizon, this.model.predictor, live);
  });

  constructor(storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage) {
    this.mapSettings = new MapSettings(storage);
  }

  /**
   * Makes `modelFile` the active model (predictions switch to it): the one install path, for the
   * bundled default, an uploaded file and a model trained in the browser. On error keeps the
   * current model and returns the problem ('' on success).
   */
  installModel(modelFile: ModelFile, name: string): string {
    this.explorer.stop();
    const problem = this.model.install(modelFile, name);
    if (problem) return this.#installFailed(name, problem);
    this.#restartLive();
    this.status = `Model ${name} is active: ${describeModel(modelFile)}`;
    return '';
  }

  /** Parses a model file's text (validated by parseModelFile) and installs it; returns the problem, never throws. */
  installModelText(text: string, name: string): string {
    let modelFile: ModelFile;
    try {
      modelFile = parseModelFile(text, name);
    } catch (err) {
      this.explorer.stop();
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

  /** Reads files in the worker and adds their prepared tracks to `loaded.tracks`. */
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
    this.explorer.stop();
    this.loaded.clear();
    this.explorer.selected = null;
    this.status = 'Cleared all tracks';
  }

  /** Selects a track (or its id; the first with that id), leaving draw mode; the slider goes a third of the way in. */
  select(trackOrId: Track | string | null): void {
    this.#restartLive();
    this.drawn.drawing = false;
    const track =
      typeof trackOrId === 'string'
        ? (this.loaded.tracks.find((t) => t.id === trackOrId) ?? null)
        : trackOrId;
    this.explorer.select(track, this.#modelWindow);
    if (track) this.status = `Track ${track.id}: ${track.t.length} points`;
  }

  /** Sets K, the steps to predict (stops playing and restarts a drawn path's stepper: both fix K). */
  setHorizon(k: number): void {
    this.#restartLive();
    this.explorer.horizon = k;
  }

  /** Starts or ends "draw a path": clicks on the map add points, the prediction follows each click. */
  setDrawing(on: boolean): void {
    this.#restartLive();
    this.drawn.setDrawing(on);
    this.status = on ? 'Draw a path: click on the map to add points, one per model step' : 'Left draw mode';
  }

  /** Adds a point to the drawn path and moves the slider to it, with the drawn path's live prediction. */
  addDrawnPoint(p: LatLon): void {
    if (!this.drawn.drawing) return;
    const pred = this.drawn.add(p, this.model.predictor, this.explorer.horizon);
    const last = (this.drawn.track?.t.length ?? 0) - 1;
    this.explorer.showLive(pred, last);
    this.explorer.endIndex = last;
    const n = this.drawn.points.length;
    this.status = `Drawn path: ${n} point${n === 1 ? '' : 's'}`;
  }

  /** Sets the seconds between clicks (null = the model's step) and starts the path over. */
  setDrawStep(seconds: number | null): void {
    this.#restartLive();
    this.drawn.setStep(seconds);
  }

  /** Removes the drawn path's points (stays in draw mode). */
  clearDrawn(): void {
    this.#restartLive();
    this.drawn.clear();
  }

  /**
   * The one reset of the live prediction, for every change to what a live stepper follows (the
   * track, K, the model, draw mode, the drawn points): stops play, clears the shown live prediction
   * and drops the drawn path's stepper, so the next click or play starts a fresh one.
   */
  #restartLive(): void {
    this.explorer.stop();
    this.explorer.showLive(null, -1);
    this.drawn.resetStepper();
  }
}

/** "LSTM, 1 × 64 hidden, Gaussian head, 15 s steps, window 10". */
export function describeModel(mf: ModelFile): string {
  const a = mf.architecture;
  const ensemble = networkCount(mf) > 1 ? `, ensemble of ${networkCount(mf)}` : '';
  return `${a.cell.toUpperCase()}, ${a.numLayers} × ${a.hiddenSize} hidden, ${a.head} head${ensemble}, ${mf.encoder.stepSeconds} s steps, window ${mf.encoder.window}`;
}
