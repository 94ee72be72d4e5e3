// One training run in the browser as reactive state: starts train.worker.ts, folds its progress
// replies into a TrainHistory for the charts, cancels on request (the worker keeps the best epoch)
// and hands the finished model file's text to the caller. Keeps the previous run for comparison.
// A fine-tune ("Adapt to these tracks") is the same job started from the active model's text; its
// before/after comparison on the held-out tracks lands in `heldOut`.
// It does not validate or install the model; ModelPanel does that with parseModelFile.
import type { Track } from '../engine.ts';
import { emptyHistory, foldTrainReply, type TrainHistory } from './trainHistory.ts';
import type { TrainForm } from './trainForm.ts';
import { coresToUse } from '../workers/threads.ts';
import {
  packTracks,
  packedTransferables,
  type HeldOutComparison,
  type TrainReply,
  type TrainRequest,
} from '../workers/jobProtocol.ts';

/** The minimal Worker surface used here, so tests can pass an in-process stand-in. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

function createTrainWorker(): WorkerLike {
  return new Worker(new URL('../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'train',
  });
}

export class TrainRun {
  history = $state.raw<TrainHistory | null>(null);
  /** the last run that finished, drawn faintly behind the current one */
  previous = $state.raw<TrainHistory | null>(null);
  running = $state(false);
  cancelling = $state(false);
  message = $state('');
  error = $state('');
  /** The last fine-tune's parent and child against constant velocity on its held-out tracks. */
  heldOut = $state.raw<HeldOutComparison | null>(null);
  /** Whether the current (or last) run is a fine-tune of the active model. */
  adapting = $state(false);

  #worker: WorkerLike | null = null;
  readonly #createWorker: () => WorkerLike;

  constructor(createWorker: () => WorkerLike = createTrainWorker) {
    this.#createWorker = createWorker;
  }

  /**
   * Starts training on `tracks` (resampled at `stepSeconds`). `onModel` gets the model file text
   * when the run ends with one; `onEpoch` each finished epoch's one-line summary (for the status
   * line). `baseline` (the active model's record) is what the first run is compared with.
   * `parentText` (the active model file's text) makes it a fine-tune of that model.
   */
  start(
    tracks: readonly Track[],
    stepSeconds: number,
    form: TrainForm,
    onModel: (modelFileText: string, message: string) => void,
    onEpoch: (summary: string) => void = () => {},
    baseline: TrainHistory | null = null,
    parentText: string | null = null,
  ): void {
    if (this.running) return;
    if (this.history && this.history.epochs.length > 0) this.previous = this.history;
    else this.previous ??= baseline;
    this.history = emptyHistory(form.cell, form.hidden, form.epochs);
    this.error = '';
    this.heldOut = null;
    this.adapting = parentText !== null;
    this.message = `Packing ${tracks.length} tracks for the training worker…`;
    this.running = true;
    this.cancelling = false;
    const worker = this.#createWorker();
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent) => {
      if (this.#worker === worker) this.#receive(event.data as TrainReply, onModel, onEpoch);
    };
    worker.onerror = (event: ErrorEvent) =>
      this.#finish(`The training worker failed: ${event.message || 'unknown error'}`);
    const packed = packTracks(tracks);
    const request: TrainRequest = {
      type: 'train',
      tracks: packed,
      stepSeconds,
      form: { ...form },
      ...(parentText !== null ? { init: parentText } : {}),
      threads: coresToUse(),
    };
    worker.postMessage(request, packedTransferables(packed));
  }

  /** Asks the worker to stop after the current batch; it still replies with the best model so far. */
  cancel(): void {
    if (!this.#worker || !this.running) return;
    this.cancelling = true;
    this.message = 'Cancelling — keeping the best epoch so far…';
    this.#worker.postMessage({ type: 'cancel' } satisfies TrainRequest);
  }

  /** Stops the worker at once (the panel is going away); nothing is kept. */
  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.running = false;
  }

  #receive(
    reply: TrainReply,
    onModel: (text: string, message: string) => void,
    onEpoch: (summary: string) => void,
  ): void {
    if (this.history) this.history = foldTrainReply(this.history, reply);
    switch (reply.type) {
      case 'status':
        this.message = reply.message;
        break;
      case 'batch':
        if (!this.cancelling)
          this.message = `Epoch ${reply.epoch}, batch ${reply.batch}/${reply.batches}, loss ${reply.loss.toFixed(4)}`;
        break;
      case 'epoch': {
        const summary = `Epoch ${reply.epoch}/${reply.epochs}: loss ${reply.trainLoss.toFixed(4)}${
          Number.isFinite(reply.valErrorM) ? `, validation error ${reply.valErrorM.toFixed(1)} m` : ''
        }${reply.best ? ' (best so far)' : ''}`;
        if (!this.cancelling) this.message = summary;
        onEpoch(summary);
        break;
      }
      case 'done':
        this.heldOut = reply.heldOut ?? null;
        this.#finish('', reply.message);
        onModel(reply.modelFileText, reply.message);
        break;
      case 'error':
        this.#finish(reply.message);
        break;
    }
  }

  #finish(error: string, message = ''): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.running = false;
    this.cancelling = false;
    this.error = error;
    this.message = message;
  }
}
