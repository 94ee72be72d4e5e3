// What a forecaster predicts on a track, in the shape the app and `whereto predict` show: lat/lon
// points and, when known, their uncertainty. Built by trackPrediction.ts and the live stepper.
import type { LatLon } from '../geo/index.ts';

export interface Prediction {
  points: LatLon[];
  /** Position uncertainty of each predicted point (Gaussian head only): σ east, σ north (metres), correlation. */
  sigmaXM?: number[];
  sigmaYM?: number[];
  rho?: number[];
}
