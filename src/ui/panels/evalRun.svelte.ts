// One evaluation in the browser as reactive state: starts eval.worker.ts with the tracks and the
// active model file's text, shows its status and keeps the result ($state.raw). Cancel ends the
// worker; a new run replaces the old result. It does not compute any metric itself.
import type { EvalResult, Track } from '../engine.ts';
import type { WorkerLike } from './trainRun.svelte.ts';
import {
  packTracks,
  packedTransferables,
  type EvalReply,
  type EvalRequest,
  type EvalSplit,
} from '../workers/jobProtocol.ts';

/** The eval worker (evaluations here, the explorer's verdict in verdictRun.svelte.ts). */
export function createEvalWorker(): WorkerLike {
  return new Worker(new URL('../workers/eval.worker.ts', import.meta.url), { type: 'module', name: 'eval' });
}

export class EvalRun {
  result = $state.raw<EvalResult | null>(null);
  /** what the result was computed on, for its caption */
  caption = $state('');
  running = $state(false);
  message = $state('');
  error = $state('');

  #worker: WorkerLike | null = null;
  readonly #createWorker: () => WorkerLike;

  constructor(createWorker: () => WorkerLike = createEvalWorker) {
    this.#createWorker = createWorker;
  }

  /** Evaluates the model file's text on `tracks`; `onDone` hears how the run ended (for the status line). */
  start(
    tracks: readonly Track[],
    modelFileText: string,
    modelName: string,
    horizon: number,
    split: EvalSplit,
    onDone: (summary: string) => void = () => {},
  ): void {
    if (this.running) return;
    this.error = '';
    this.message = `Evaluating ${modelName} on ${tracks.length} tracks…`;
    this.running = true;
    const worker = this.#createWorker();
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent) => {
      if (this.#worker !== worker) return; // a reply that was in flight when the run was cancelled
      const reply = event.data as EvalReply;
      if (reply.type === 'status') this.message = reply.message;
      else if (reply.type === 'error') {
        this.#finish(reply.message);
        onDone(`Evaluation failed: ${reply.message}`);
      } else if (reply.type === 'done') {
        this.result = reply.result;
        this.caption = `${modelName} · ${split === 'heldout' ? 'held-out split' : 'all loaded tracks'} (${reply.tracks} tracks, ${reply.result.windows.toLocaleString('en')} windows of ${reply.result.stepSeconds} s steps)`;
        this.#finish('');
        onDone(`Evaluation finished: ${this.caption}`);
      }
    };
    worker.onerror = (event: ErrorEvent) =>
      this.#finish(`The evaluation worker failed: ${event.message || 'unknown error'}`);
    const packed = packTracks(tracks);
    const request: EvalRequest = { type: 'eval', tracks: packed, modelFileText, horizon, split };
    worker.postMessage(request, packedTransferables(packed));
  }

  /** Stops at once: an evaluation has no useful partial result, so the worker is simply ended. */
  cancel(): void {
    if (!this.#worker) return;
    this.#finish('Evaluation cancelled.');
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.running = false;
  }

  #finish(error: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.running = false;
    this.error = error;
    this.message = '';
  }
}
