// The explorer's state: the selected track, the time slider, K (the steps to predict), and play
// with the live stepper's prediction. One of the state classes the app composes (state.svelte.ts);
// the app decides which track is on the slider (the selected one or the drawn path) and what resets
// the live prediction when the track, K or the model change.
import type { Predictor, Prediction, Track } from './engine.ts';
import { sliderRange } from './lib/sliderWindow.ts';

/** Steps the play button advances per second. */
const playStepsPerSecond = 6;

/** What play follows, read again at every tick: the track on the slider, its range and the model. */
export interface OnSlider {
  readonly track: Track | null;
  readonly range: ReturnType<typeof sliderRange>;
  readonly predictor: Predictor | null;
}

export class TrackExplorer {
  /** The track chosen in the list or on the map (prepared; replaced, never mutated). */
  selected = $state.raw<Track | null>(null);
  /** Slider position: index of the last observed point of the track on the slider. */
  endIndex = $state(0);
  /** Steps to predict (K). */
  horizon = $state(5);
  playing = $state(false);
  /** The live stepper's prediction at `liveIndex` while playing or drawing. */
  livePrediction = $state.raw<Prediction | null>(null);
  liveIndex = $state(-1);
  /** Bumped to ask the map to frame the prediction (observed window, truth and predicted points). */
  focusRequest = $state(0);

  #onSlider: () => OnSlider;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(onSlider: () => OnSlider) {
    this.#onSlider = onSlider;
  }

  /** Makes `track` the selected one with the slider a third of the way in (`window`: the model's). */
  select(track: Track | null, window: number): void {
    this.selected = track;
    if (!track) return;
    const r = sliderRange(track.t.length, window);
    this.endIndex = r ? Math.min(r.max, Math.max(r.min, Math.round(track.t.length / 3))) : 0;
  }

  /** Moves the slider (stops playing: the live state no longer matches). */
  setEndIndex(i: number): void {
    if (this.playing) this.stop();
    this.endIndex = i;
  }

  /** Asks the map to zoom to the prediction at the slider. */
  focusPrediction(): void {
    this.focusRequest++;
  }

  /** Plays along the track on the slider: each tick one point, one cell update with the carried state. */
  play(): void {
    const { track, range, predictor } = this.#onSlider();
    if (!track || !range || this.playing) return;
    if (this.endIndex >= range.max) this.endIndex = range.min;
    this.playing = true;
    const stepper = predictor?.liveStepper(this.horizon) ?? null;
    // carry the state up to the slider once, then one push per tick
    let pred: Prediction | null = null;
    for (let i = 0; i <= this.endIndex; i++) pred = stepper?.push(track.lat[i], track.lon[i]) ?? null;
    this.showLive(pred, this.endIndex);
    this.#timer = setInterval(() => {
      const now = this.#onSlider();
      if (!now.range || now.track !== track || this.endIndex >= now.range.max) return this.stop();
      const i = this.endIndex + 1;
      this.showLive(stepper?.push(track.lat[i], track.lon[i]) ?? null, i);
      this.endIndex = i;
    }, 1000 / playStepsPerSecond);
  }

  /** Stops playing (the live prediction stays until the app clears it). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.playing = false;
  }

  /** Shows a live stepper's prediction for the point at `index` (null: none, the view predicts itself). */
  showLive(pred: Prediction | null, index: number): void {
    this.livePrediction = pred;
    this.liveIndex = pred ? index : -1;
  }
}
