// The loaded tracks and what reading them found: the prepared tracks, one summary per file, the
// resampling step, the cleaning report, and the current load's progress. One of the state
// classes the app composes (state.svelte.ts); the reading itself runs in the load worker
// (workers/loadClient.ts). It writes no status line: the app words that.
import type { CleanReport, Track } from './engine.ts';
import { LoadClient, type LoadOutcome, type LoadProgress } from './workers/loadClient.ts';
import type { FileSummary } from './workers/loadProtocol.ts';

export class LoadedTracks {
  /** Every loaded track, cleaned, split and resampled to `stepSeconds` (prepared; replaced, never mutated). */
  tracks = $state.raw<Track[]>([]);
  /** One summary per file read (rows, accepted, rejected rows with line numbers, or the error), newest last. */
  readResults = $state.raw<FileSummary[]>([]);
  /** The resampling step of `tracks`, seconds (null before anything loaded). */
  stepSeconds = $state<number | null>(null);
  /** prepareTracks' cleaning report for the last load. */
  prepareReport = $state.raw<CleanReport | null>(null);
  /** The current load's progress, null when idle. */
  loadProgress = $state.raw<LoadProgress | null>(null);

  #loader = new LoadClient();

  /**
   * Reads `sources` in the worker, resampled to `stepSeconds` (the data's own step when undefined),
   * and appends what they hold; rejects (adding nothing) when the worker fails.
   */
  async load(
    sources: Parameters<LoadClient['load']>[0],
    stepSeconds: number | undefined,
    onProgress: (p: LoadProgress) => void,
  ): Promise<LoadOutcome> {
    this.loadProgress = { file: sources[0].name, fileIndex: 0, fileCount: sources.length, fraction: 0 };
    try {
      const out = await this.#loader.load(sources, stepSeconds, (p) => {
        this.loadProgress = p;
        onProgress(p);
      });
      this.tracks = [...this.tracks, ...out.tracks];
      this.readResults = [...this.readResults, ...out.summaries];
      this.stepSeconds = out.stepSeconds;
      this.prepareReport = out.report;
      return out;
    } finally {
      this.loadProgress = null;
    }
  }

  /** Removes every loaded track and summary. */
  clear(): void {
    this.tracks = [];
    this.readResults = [];
  }
}
