// How the map draws each kind of line: colour, width, dashes, opacity. The layers pass these to
// Leaflet and the legend draws its samples from them, so the two cannot drift apart. Plain data
// in Leaflet's path option names (a subset of L.PathOptions).

export interface LineStyle {
  color: string;
  /** Stroke width, CSS pixels. */
  weight: number;
  opacity: number;
  /** SVG dash pattern ('6 6'), absent for a solid line. */
  dashArray?: string;
  /** For filled shapes (the 1σ ellipses, point markers). */
  fillOpacity?: number;
}

export const lineStyles = {
  /** Every loaded track, thin and quiet (dimmed further while one is chosen). */
  track: { color: '#51708f', weight: 1.2, opacity: 0.35 },
  /** The chosen track over the others. */
  selected: { color: '#1d2939', weight: 2.5, opacity: 0.55 },
  /** The observed window up to the slider. */
  observed: { color: '#1c64f2', weight: 4, opacity: 0.95 },
  /** What really happened after the slider. */
  truth: { color: '#101828', weight: 2.5, opacity: 0.9, dashArray: '6 6' },
  /** The model's next K points. */
  model: { color: '#e8590c', weight: 4, opacity: 1 },
  /** The model's 1σ ellipse around each point (Gaussian head). */
  modelSigma: { color: '#e8590c', weight: 1, opacity: 0.5, fillOpacity: 0.1 },
  /** Constant velocity's guess, quieter than the model. */
  cv: { color: '#7b8794', weight: 2.5, opacity: 0.9, dashArray: '2 6' },
  /** A path drawn by clicking on the map. */
  drawn: { color: '#7a2ee0', weight: 2, opacity: 0.6 },
} as const satisfies Record<string, LineStyle>;

/** Opacity of the other tracks while one is chosen or a path is drawn. */
export const dimmedTrackOpacity = 0.1;
