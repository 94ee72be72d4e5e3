// The "draw a path" state: whether the map is in draw mode, the clicked points, the seconds
// between clicks, the path as a track at the model's step, and the live stepper that follows the
// clicks. One of the state classes the app composes (state.svelte.ts); the app shows the stepper's
// prediction on the slider and resets it when the model, K or the mode change.
import type { LatLon, Prediction, Predictor, Track } from './engine.ts';
import { resamplePath } from './lib/resamplePath.ts';

export class DrawnPath {
  /** Draw mode: clicks on the map add points. */
  drawing = $state(false);
  /** The clicked points, in order (replaced, never mutated). */
  points = $state.raw<LatLon[]>([]);
  /** Seconds between two clicks (null = the model's step: one click, one step). */
  stepSeconds = $state<number | null>(null);

  /** The path as a track at the model's step (clicks resampled when `stepSeconds` differs), t = i · step. */
  track = $derived.by((): Track | null => {
    const step = this.#modelStepSeconds();
    const pts = resamplePath(this.points, this.stepSeconds ?? step, step);
    if (pts.length === 0) return null;
    return {
      id: 'drawn path',
      file: '(drawn on the map)',
      lat: Float64Array.from(pts, (p) => p.lat),
      lon: Float64Array.from(pts, (p) => p.lon),
      t: Float64Array.from(pts, (_p, i) => i * step),
    };
  });

  #modelStepSeconds: () => number;
  #stepper: ReturnType<Predictor['liveStepper']> | null = null;

  /** `modelStepSeconds` gives the step, seconds, the path is sampled at (read reactively). */
  constructor(modelStepSeconds: () => number) {
    this.#modelStepSeconds = modelStepSeconds;
  }

  /** Enters or leaves draw mode with no points. */
  setDrawing(on: boolean): void {
    this.drawing = on;
    this.clear();
  }

  /**
   * Adds a point and returns the prediction from the path so far: at the model's step one update
   * of the live stepper; at another step null (the resampled path is predicted from its last point).
   */
  add(p: LatLon, predictor: Predictor | null, horizon: number): Prediction | null {
    this.points = [...this.points, p];
    if (this.stepSeconds !== null && this.stepSeconds !== this.#modelStepSeconds()) return null;
    if (!this.#stepper && predictor) {
      // a new stepper (new model or K) first catches up with the points drawn so far
      this.#stepper = predictor.liveStepper(horizon);
      for (const q of this.points.slice(0, -1)) this.#stepper.push(q.lat, q.lon);
    }
    return this.#stepper?.push(p.lat, p.lon) ?? null;
  }

  /** Sets the seconds between clicks (null = the model's step) and starts the path over. */
  setStep(seconds: number | null): void {
    this.stepSeconds = seconds;
    this.clear();
  }

  /** Removes the points (stays in draw mode). */
  clear(): void {
    this.points = [];
    this.resetStepper();
  }

  /** Drops the live stepper: the next click starts a new one (for the current model and K). */
  resetStepper(): void {
    this.#stepper = null;
  }
}
