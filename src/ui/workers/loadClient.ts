// The page side of the load worker: one worker for the app's life, one promise per load,
// progress through a callback. Knows nothing about Svelte.
import type { FileSummary, LoadReply, LoadRequest } from './loadProtocol.ts';
import type { CleanReport, Track } from '../engine.ts';

export interface LoadOutcome {
  tracks: Track[];
  stepSeconds: number;
  report: CleanReport;
  summaries: FileSummary[];
}

export interface LoadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  /** 0..1 over all files of this load. */
  fraction: number;
}

export class LoadClient {
  #worker: Worker | null = null;
  #nextId = 1;
  #pending = new Map<
    number,
    { resolve: (o: LoadOutcome) => void; reject: (e: Error) => void; onProgress: (p: LoadProgress) => void }
  >();

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(new URL('./load.worker.ts', import.meta.url), {
      type: 'module',
      name: 'whereto-load',
    });
    w.onmessage = (e: MessageEvent<LoadReply>) => this.#onReply(e.data);
    w.onerror = (e) => {
      for (const p of this.#pending.values()) p.reject(new Error(`the load worker failed: ${e.message}`));
      this.#pending.clear();
      this.#worker = null;
    };
    return (this.#worker = w);
  }

  #onReply(msg: LoadReply): void {
    const p = this.#pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress({
        file: msg.file,
        fileIndex: msg.fileIndex,
        fileCount: msg.fileCount,
        fraction: (msg.fileIndex + msg.fraction) / msg.fileCount,
      });
    } else if (msg.type === 'done') {
      this.#pending.delete(msg.id);
      p.resolve({
        tracks: msg.tracks,
        stepSeconds: msg.stepSeconds,
        report: msg.report,
        summaries: msg.summaries,
      });
    } else if (msg.type === 'error') {
      this.#pending.delete(msg.id);
      p.reject(new Error(msg.message));
    }
  }

  /** Reads and prepares the sources in the worker. */
  load(
    sources: LoadRequest['sources'],
    stepSeconds: number | undefined,
    onProgress: (p: LoadProgress) => void,
  ): Promise<LoadOutcome> {
    const id = this.#nextId++;
    const worker = this.#ensure();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ id, sources, stepSeconds } satisfies LoadRequest);
    });
  }
}
