// The Model panel's training job as it runs inside train.worker.ts: unpack the tracks, call
// trainOnTracks (the function `whereto train` calls) with the form's options, and turn its
// callbacks into progress replies: batch losses at most every `batchIntervalMs`, every epoch with
// its gradient norms through time, then the model file's text. A fine-tune ("Adapt to these
// tracks", a request with `init`) starts from the parent model and also replies the parent's and
// the child's verdicts on the held-out tracks. Plain TypeScript, tested in Node.
import {
  parseModelFile,
  quickVerdict,
  serializeModelFile,
  trainOnTracks,
  type ModelFile,
  type ParallelOptions,
  type Track,
  type TrainOptions,
} from '../engine.ts';
import type { TrainForm } from './trainForm.ts';
import {
  errorMessage,
  unpackTracks,
  type HeldOutComparison,
  type TrainReply,
  type TrainRequest,
} from '../workers/jobProtocol.ts';

/** The trainOnTracks options for a form and the tracks' resampling step (same names as the CLI's flags). */
export function trainOptionsFromForm(form: TrainForm, stepSeconds: number): Partial<TrainOptions> {
  return { ...form, stepSeconds };
}

/**
 * Runs one training request to the end; every outcome is replied: 'done' with the model file (also
 * when `signal` aborted it: the best epoch so far is kept) or 'error'. `post`'s second argument lists
 * buffers to transfer. `threads` says what to split each batch across (threads.ts'
 * trainingThreads) and how to say so; by default this thread alone.
 */
export async function runTrainJob(
  req: Extract<TrainRequest, { type: 'train' }>,
  post: (reply: TrainReply, transfer?: Transferable[]) => void,
  signal: AbortSignal,
  batchIntervalMs = 100,
  threads: { parallel?: ParallelOptions; note: string } = { note: 'on 1 thread' },
): Promise<void> {
  try {
    const tracks = unpackTracks(req.tracks);
    const parent = req.init === undefined ? undefined : parseModelFile(req.init, 'the active model');
    if (parent && parent.encoder.stepSeconds !== req.stepSeconds)
      throw new Error(
        `the tracks were resampled to ${req.stepSeconds} s but the active model expects ${parent.encoder.stepSeconds} s steps: load the files again`,
      );
    post({
      type: 'status',
      message: `Cutting ${tracks.length} tracks into windows of ${parent?.encoder.window ?? req.form.window} steps, to train ${threads.note}…`,
    });
    let lastBatchPost = -Infinity;
    const { modelFile, split } = await trainOnTracks(
      tracks,
      trainOptionsFromForm(req.form, req.stepSeconds),
      {
        signal,
        parallel: threads.parallel,
        onBatch: (p) => {
          const now = performance.now();
          if (now - lastBatchPost < batchIntervalMs && p.batch !== p.batches) return;
          lastBatchPost = now;
          // An ensemble's further networks say where they are; the charts follow the first one.
          if ((p.member ?? 1) > 1)
            post({
              type: 'status',
              message: `Network ${p.member}/${p.members}: epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}, loss ${p.loss.toFixed(4)}`,
            });
          else post({ type: 'batch', epoch: p.epoch, batch: p.batch, batches: p.batches, loss: p.loss });
        },
        onEpoch: (p) => {
          if ((p.member ?? 1) > 1) return;
          const gradNorms = Float64Array.from(p.gradNormsThroughTime);
          post(
            {
              type: 'epoch',
              epoch: p.epoch,
              epochs: p.epochs,
              trainLoss: p.loss,
              valErrorM: p.valErrorM,
              best: p.best,
              gradNorms,
            },
            [gradNorms.buffer],
          );
        },
      },
      { init: parent },
    );
    const tr = modelFile.training;
    if (tr.bestEpoch === 0)
      throw new Error('training was cancelled before the first epoch finished, so there is no model to keep');
    const best = tr.epochs.find((e) => e.epoch === tr.bestEpoch);
    const how =
      tr.stopped === 'interrupted'
        ? `Cancelled after ${tr.epochs.length} epoch${tr.epochs.length === 1 ? '' : 's'}; kept the best`
        : tr.stopped === 'early-stopping'
          ? `Stopped early after ${tr.epochs.length} epochs; kept the best`
          : `Trained ${tr.epochs.length} epoch${tr.epochs.length === 1 ? '' : 's'}; kept the best`;
    const valText =
      best && Number.isFinite(best.valErrorM) ? `, validation error ${best.valErrorM.toFixed(1)} m` : '';
    const heldOut = parent && split.test.length ? compareOnHeldOut(parent, modelFile, split.test) : undefined;
    const noComparison =
      parent && !heldOut
        ? ' No track was held out (too few tracks), so there is no before/after comparison.'
        : '';
    post({
      type: 'done',
      modelFileText: serializeModelFile(modelFile),
      cancelled: tr.stopped === 'interrupted',
      message: `${how} (epoch ${tr.bestEpoch}${valText}), trained ${threads.note}. The ${parent ? 'adapted' : 'new'} model is active.${noComparison}`,
      ...(heldOut ? { heldOut } : {}),
    });
  } catch (err) {
    post({ type: 'error', message: `Training failed: ${errorMessage(err)}` });
  }
}

/**
 * Parent and child against constant velocity on the tracks trainOnTracks held out (split by track
 * before anything was fitted, recorded in the child's training.data.testSourceIds).
 */
function compareOnHeldOut(parent: ModelFile, child: ModelFile, heldOut: Track[]): HeldOutComparison {
  return {
    tracks: heldOut.length,
    before: quickVerdict(parent, heldOut),
    after: quickVerdict(child, heldOut),
  };
}
