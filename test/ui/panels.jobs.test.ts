// Specs for the panels' worker jobs, run in Node on real bundled Porto tracks with the real
// trainOnTracks and evaluate: progress replies, cancellation keeping the best epoch, and evaluation
// numbers identical to calling evaluate() directly (what `whereto eval --json` prints).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runForecastSliceInThread, spawnGradientThread } from '../../src/cli/threads.ts';
import { prepareTracks, readTracks, type Track } from '../../src/data/index.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import { quickVerdict } from '../../src/eval/verdict.ts';
import { parseModelFile, serializeModelFile, type ModelFile } from '../../src/model/modelFile.ts';
import { recordedSplit } from '../../src/eval/recordedSplit.ts';
import { adaptTrainForm, defaultAdaptSettings } from '../../src/ui/panels/adaptForm.ts';
import { runEvalJob } from '../../src/ui/panels/evalJob.ts';
import { defaultTrainForm, type TrainForm } from '../../src/ui/panels/trainForm.ts';
import { runTrainJob } from '../../src/ui/panels/trainJob.ts';
import { trainingThreads } from '../../src/ui/workers/threads.ts';
import { packTracks, type EvalReply, type TrainReply } from '../../src/ui/workers/jobProtocol.ts';

let tracks: Track[] = [];
let stepSeconds = 15;
const form: TrainForm = {
  ...defaultTrainForm,
  cell: 'rnn',
  hidden: 8,
  window: 6,
  epochs: 2,
  batch: 32,
  seed: 3,
};

async function train(
  f: TrainForm,
  abortAfterEpoch = 0,
  init?: string,
  threads?: Parameters<typeof runTrainJob>[4],
): Promise<TrainReply[]> {
  const replies: TrainReply[] = [];
  const controller = new AbortController();
  await runTrainJob(
    {
      type: 'train',
      tracks: packTracks(tracks),
      stepSeconds,
      form: f,
      ...(init ? { init } : {}),
      threads: 1,
    },
    (r) => {
      replies.push(r);
      if (r.type === 'epoch' && r.epoch === abortAfterEpoch) controller.abort();
    },
    controller.signal,
    100,
    threads,
  );
  return replies;
}

function doneModel(replies: TrainReply[]): ModelFile {
  const done = replies.at(-1);
  if (done?.type !== 'done') throw new Error(`expected a done reply, got ${JSON.stringify(done)}`);
  return parseModelFile(done.modelFileText, 'trained.json');
}

beforeAll(async () => {
  const text = readFileSync(new URL('../../data/porto_train_points.csv', import.meta.url), 'utf8');
  const read = await readTracks('porto_train_points.csv', text);
  const prepared = prepareTracks(read.tracks.slice(0, 40), { stepSeconds: 15 });
  tracks = prepared.tracks;
  stepSeconds = prepared.stepSeconds;
});

describe('runTrainJob()', () => {
  it('reports batches and epochs with gradient norms per window step, then a valid model file made with the form', async () => {
    const replies = await train(form);
    const epochs = replies.filter((r) => r.type === 'epoch');
    expect(replies.some((r) => r.type === 'batch')).toBe(true);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of epochs) {
      expect(e.gradNorms.length).toBe(form.window);
      expect(Number.isFinite(e.trainLoss) && Number.isFinite(e.valErrorM)).toBe(true);
    }
    const mf = doneModel(replies);
    expect(mf.architecture).toMatchObject({ cell: 'rnn', hiddenSize: 8, numLayers: 1, head: 'mean' });
    expect(mf.encoder).toMatchObject({ window: 6, stepSeconds });
    expect(mf.training.seed).toBe(3);
    expect(mf.training.epochs.length).toBe(2);
  });

  it('the same form and tracks give the same model (seeded)', async () => {
    const a = doneModel(await train({ ...form, epochs: 1 }));
    const b = doneModel(await train({ ...form, epochs: 1 }));
    expect(a.weights.data).toBe(b.weights.data);
  });

  it('cancelling keeps the best epoch so far and says so', async () => {
    const replies = await train({ ...form, epochs: 4 }, 1);
    const done = replies.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(done.cancelled).toBe(true);
    expect(done.message).toMatch(/^Cancelled after 1 epoch; kept the best/);
    expect(doneModel(replies).training.stopped).toBe('interrupted');
  });

  it('a run cancelled before its first epoch ends with an error, not an untrained model', async () => {
    const controller = new AbortController();
    controller.abort();
    const replies: TrainReply[] = [];
    await runTrainJob(
      { type: 'train', tracks: packTracks(tracks), stepSeconds, form, threads: 1 },
      (r) => replies.push(r),
      controller.signal,
    );
    expect(replies.at(-1)).toEqual({
      type: 'error',
      message:
        'Training failed: training was cancelled before the first epoch finished, so there is no model to keep',
    });
  });

  it('split across 2 threads it trains, records them and says so; the same run on 1 thread is within float32 rounding', async () => {
    const replies = await train({ ...form, epochs: 1 }, 0, undefined, {
      parallel: { threads: 2, spawn: spawnGradientThread },
      note: 'on 2 threads',
    });
    expect(replies[0]).toMatchObject({
      type: 'status',
      message: expect.stringMatching(/to train on 2 threads…$/),
    });
    expect(replies.at(-1)).toMatchObject({
      message: expect.stringMatching(/trained on 2 threads\. The new model is active\.$/),
    });
    const two = doneModel(replies);
    const one = doneModel(await train({ ...form, epochs: 1 }));
    expect(two.training.threads).toBe(2);
    expect(one.training.threads).toBe(1);
    expect(two.training.epochs[0].loss).toBeCloseTo(one.training.epochs[0].loss, 5);
  });

  it('trainingThreads(): the cores where memory can be shared, else one thread and why', () => {
    expect(trainingThreads(4).parallel).toBeUndefined(); // Node has no crossOriginIsolated
    expect(trainingThreads(4).note).toMatch(/^on 1 thread \(this page is not cross-origin isolated/);
    vi.stubGlobal('crossOriginIsolated', true);
    try {
      expect(trainingThreads(4)).toMatchObject({ parallel: { threads: 4 }, note: 'on 4 threads' });
      expect(trainingThreads(1)).toEqual({ note: 'on 1 thread' });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a failure inside training becomes an error reply naming the cause', async () => {
    const replies = await train({ ...form, window: 150 });
    const last = replies.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type === 'error') expect(last.message).toMatch(/^Training failed: no training windows/);
  });
});

describe('runTrainJob() adapting the active model (a request with init)', () => {
  it('fine-tunes the parent on the tracks it does not hold out, records it, and compares both on the held-out ones', async () => {
    const parent = doneModel(await train({ ...form, epochs: 1 }));
    const settings = { ...defaultAdaptSettings, epochs: 1 };
    // the adapt form's own architecture fields are the parent's: a form asking for another is overridden
    const replies = await train(
      { ...adaptTrainForm(parent, settings), hidden: 20 },
      0,
      serializeModelFile(parent),
    );
    const done = replies.at(-1);
    if (done?.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    expect(done.message).toMatch(/The adapted model is active\.$/);
    const child = parseModelFile(done.modelFileText, 'child.json');
    expect(child.architecture).toEqual(parent.architecture);
    expect(child.encoder).toEqual(parent.encoder);
    expect(child.weights.data).not.toBe(parent.weights.data);
    expect(child.training.parent).toEqual({
      fingerprint: parent.training.fingerprint,
      date: parent.training.date,
    });
    // the held-out tracks are the child's recorded test split: never trained or validated on
    const heldOut = recordedSplit(tracks, child, 'test')!;
    const data = child.training.data as {
      testSourceIds: string[];
      valSourceIds: string[];
      trainTracks: number;
      valTracks: number;
    };
    // the parent's held-out trips stay held out, and of the recordings the parent never saw at least
    // the held-out share (the parent's training and validation trips keep their roles)
    const parentData = parent.training.data as Record<string, string[]>;
    expect(data.testSourceIds).toEqual(expect.arrayContaining(parentData.testSourceIds));
    const seen = new Set([
      ...parentData.trainSourceIds,
      ...parentData.valSourceIds,
      ...parentData.testSourceIds,
    ]);
    const unseen = new Set(tracks.map((t) => t.sourceId ?? t.id).filter((id) => !seen.has(id))).size;
    expect(data.testSourceIds.length - parentData.testSourceIds.length).toBeGreaterThanOrEqual(
      Math.round(unseen * settings.heldOutFraction),
    );
    expect(data.trainTracks + data.valTracks + heldOut.length).toBe(tracks.length);
    for (const id of data.valSourceIds) expect(data.testSourceIds).not.toContain(id);
    // before = the parent, after = the child, both quick verdicts on exactly those tracks
    const cmp = done.heldOut!;
    expect(cmp.tracks).toBe(heldOut.length);
    expect(cmp.before).toEqual(quickVerdict(parent, heldOut));
    expect(cmp.after).toEqual(quickVerdict(child, heldOut));
    expect(cmp.after.steps.map((s) => s.ratio)).not.toEqual(cmp.before.steps.map((s) => s.ratio));
  });

  it('refuses tracks resampled at another step than the parent’s', async () => {
    const parent = doneModel(await train({ ...form, epochs: 1 }));
    const replies: TrainReply[] = [];
    await runTrainJob(
      {
        type: 'train',
        tracks: packTracks(tracks),
        stepSeconds: 30,
        form,
        init: serializeModelFile(parent),
        threads: 1,
      },
      (r) => replies.push(r),
      new AbortController().signal,
    );
    expect(replies.at(-1)).toEqual({
      type: 'error',
      message: `Training failed: the tracks were resampled to 30 s but the active model expects ${stepSeconds} s steps: load the files again`,
    });
  });
});

describe('runEvalJob() with a verdict request', () => {
  it('replies the quick verdict of the model on all the tracks', async () => {
    const mf = doneModel(await train({ ...form, epochs: 1 }));
    const replies: EvalReply[] = [];
    runEvalJob({ type: 'verdict', tracks: packTracks(tracks), modelFileText: serializeModelFile(mf) }, (r) =>
      replies.push(r),
    );
    expect(replies).toEqual([{ type: 'verdict', verdict: quickVerdict(mf, tracks) }]);
  });
});

describe('runEvalJob()', () => {
  let model: ModelFile;
  let modelText: string;
  beforeAll(async () => {
    const replies = await train({ ...form, epochs: 1, testFraction: 0.25 });
    model = doneModel(replies);
    const done = replies.at(-1);
    modelText = done?.type === 'done' ? done.modelFileText : '';
  });

  const run = async (
    split: 'all' | 'heldout',
    horizon = 4,
    threads?: Parameters<typeof runEvalJob>[2],
  ): Promise<EvalReply[]> => {
    const replies: EvalReply[] = [];
    await runEvalJob(
      { type: 'eval', tracks: packTracks(tracks), modelFileText: modelText, horizon, split },
      (r) => replies.push(r),
      threads,
    );
    return replies;
  };

  it('gives exactly what evaluate() gives on the same tracks (the numbers `whereto eval --json` prints)', async () => {
    const done = (await run('all')).at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(done.result).toEqual(evaluate(model, tracks, { horizon: 4 }));
    expect(Object.keys(done.result.models).sort()).toEqual(['cv', 'kalman', 'last', 'model']);
    expect(done.tracks).toBe(tracks.length);
  });

  it('the same with the forecast split across 3 threads', async () => {
    const threads = { threads: 3, run: runForecastSliceInThread, minWorkPerThread: 1 };
    const done = (await run('all', 4, threads)).at(-1);
    if (done?.type !== 'done') throw new Error(JSON.stringify(done));
    expect(done.result).toEqual(evaluate(model, tracks, { horizon: 4 }));
  });

  it('on the held-out split measures only the tracks the model file lists as never trained on', async () => {
    const ids = new Set(model.training.data.testSourceIds as string[]);
    const held = tracks.filter((t) => ids.has(t.sourceId ?? t.id));
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(tracks.length);
    const done = (await run('heldout')).at(-1);
    if (done?.type !== 'done') throw new Error(JSON.stringify(done));
    expect(done.tracks).toBe(held.length);
    expect(done.result).toEqual(evaluate(model, held, { horizon: 4 }));
  });

  it('explains when the model records no held-out split', async () => {
    const noTest = {
      ...model,
      training: { ...model.training, data: { ...model.training.data, testSourceIds: [] } },
    };
    const replies: EvalReply[] = [];
    await runEvalJob(
      {
        type: 'eval',
        tracks: packTracks(tracks),
        modelFileText: JSON.stringify(noTest),
        horizon: 3,
        split: 'heldout',
      },
      (r) => replies.push(r),
    );
    expect(replies.at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/records no held-out test split/),
    });
  });

  it('explains a horizon too long for every track', async () => {
    expect((await run('all', 2000)).at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/no track is long enough/),
    });
  });

  it('trains a Gaussian head whose evaluation carries the NLL and ellipse coverage the panel shows', async () => {
    const replies = await train({ ...form, head: 'gaussian', epochs: 1 });
    const done = replies.at(-1);
    if (done?.type !== 'done') throw new Error(JSON.stringify(done));
    expect(parseModelFile(done.modelFileText).architecture.head).toBe('gaussian');
    const out: EvalReply[] = [];
    await runEvalJob(
      {
        type: 'eval',
        tracks: packTracks(tracks),
        modelFileText: done.modelFileText,
        horizon: 3,
        split: 'all',
      },
      (r) => out.push(r),
    );
    const last = out.at(-1);
    if (last?.type !== 'done') throw new Error(JSON.stringify(last));
    const m = last.result.models.model;
    expect(Number.isFinite(m.nll)).toBe(true);
    expect(m.inside1Sigma).toBeGreaterThan(0);
    expect(m.inside2Sigma).toBeGreaterThanOrEqual(m.inside1Sigma ?? 1);
  });

  it('names the problem in a broken model file', async () => {
    const replies: EvalReply[] = [];
    await runEvalJob(
      {
        type: 'eval',
        tracks: packTracks(tracks),
        modelFileText: '{"format":"keras"}',
        horizon: 3,
        split: 'all',
      },
      (r) => replies.push(r),
    );
    expect(replies.at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/not a whereto model file/),
    });
  });
});
