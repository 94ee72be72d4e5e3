// The verdict on the loaded tracks as reactive state: asks the eval worker for a quick verdict
// (src/eval/verdict.ts: model vs constant velocity per step on at most 2,000 sampled windows) so the
// page never freezes, and keeps the answer. A new request ends the one in flight. It computes nothing itself.
import type { Track, Verdict } from '../engine.ts';
import { createEvalWorker } from '../panels/evalRun.svelte.ts';
import type { WorkerLike } from '../panels/trainRun.svelte.ts';
import { packTracks, packedTransferables, type EvalReply, type EvalRequest } from '../workers/jobProtocol.ts';

export class VerdictRun {
  /** the last verdict, null while none (or while a new one is computed) */
  verdict = $state.raw<Verdict | null>(null);
  /** how many tracks `verdict` is on */
  tracks = $state(0);
  running = $state(false);
  error = $state('');

  #worker: WorkerLike | null = null;
  readonly #createWorker: () => WorkerLike;

  constructor(createWorker: () => WorkerLike = createEvalWorker) {
    this.#createWorker = createWorker;
  }

  /** Computes the verdict of the model file's text on `tracks` (resampled at its step). */
  start(tracks: readonly Track[], modelFileText: string): void {
    this.clear();
    this.running = true;
    const worker = this.#createWorker();
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent) => {
      if (this.#worker !== worker) return;
      const reply = event.data as EvalReply;
      if (reply.type === 'verdict') {
        this.verdict = reply.verdict;
        this.tracks = tracks.length;
        this.#end('');
      } else if (reply.type === 'error') this.#end(reply.message);
    };
    worker.onerror = (event: ErrorEvent) =>
      this.#end(`The evaluation worker failed: ${event.message || 'unknown error'}`);
    const packed = packTracks(tracks);
    const request: EvalRequest = { type: 'verdict', tracks: packed, modelFileText };
    worker.postMessage(request, packedTransferables(packed));
  }

  /** Forgets the verdict and ends any request in flight (tracks or model went away). */
  clear(): void {
    this.#end('');
    this.verdict = null;
  }

  #end(error: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.running = false;
    this.error = error;
  }
}
