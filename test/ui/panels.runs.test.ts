// Specs for the panels' run controllers (TrainRun, EvalRun) driving the real jobs through an
// in-process stand-in for the Worker transport: curves fold in, the previous run is kept for
// comparison, cancel ends with the best epoch, and evaluation results arrive with their caption;
// a fine-tune carries its held-out comparison; the explorer's verdict keeps only the newest answer.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareTracks, readTracks, type Track } from '../../src/data/index.ts';
import { quickVerdict } from '../../src/eval/verdict.ts';
import { parseModelFile } from '../../src/model/modelFile.ts';
import { EvalRun } from '../../src/ui/panels/evalRun.svelte.ts';
import { VerdictRun } from '../../src/ui/tracks/verdictRun.svelte.ts';
import { runEvalJob } from '../../src/ui/panels/evalJob.ts';
import { defaultTrainForm, type TrainForm } from '../../src/ui/panels/trainForm.ts';
import { runTrainJob } from '../../src/ui/panels/trainJob.ts';
import { TrainRun, type WorkerLike } from '../../src/ui/panels/trainRun.svelte.ts';
import type { EvalRequest, TrainRequest } from '../../src/ui/workers/jobProtocol.ts';

/** The worker's message loop without the thread: same requests, same replies, same cancellation. */
function inProcessTrainWorker(): WorkerLike {
  let controller = new AbortController();
  const w: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(message) {
      const req = message as TrainRequest;
      if (req.type === 'cancel') return controller.abort();
      controller = new AbortController();
      void runTrainJob(req, (reply) => w.onmessage?.({ data: reply } as MessageEvent), controller.signal);
    },
    terminate() {},
  };
  return w;
}

function inProcessEvalWorker(): WorkerLike {
  const w: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(message) {
      setTimeout(() =>
        runEvalJob(message as EvalRequest, (reply) => w.onmessage?.({ data: reply } as MessageEvent)),
      );
    },
    // unlike a real worker, this one keeps running: the run itself must ignore its late reply
    terminate() {},
  };
  return w;
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
}

let tracks: Track[] = [];
const form: TrainForm = {
  ...defaultTrainForm,
  cell: 'lstm',
  hidden: 6,
  window: 6,
  epochs: 2,
  batch: 32,
  testFraction: 0.25,
};

beforeAll(async () => {
  const text = readFileSync(new URL('../../data/porto_train_points.csv', import.meta.url), 'utf8');
  tracks = prepareTracks((await readTracks('porto_train_points.csv', text)).tracks.slice(0, 40), {
    stepSeconds: 15,
  }).tracks;
});

describe('TrainRun', () => {
  it('folds a run into curves, hands over the model, and keeps it as the comparison for the next run', async () => {
    const run = new TrainRun(inProcessTrainWorker);
    const models: string[] = [];
    const epochs: string[] = [];
    run.start(
      tracks,
      15,
      form,
      (text) => models.push(text),
      (s) => epochs.push(s),
    );
    expect(run.running).toBe(true);
    await until(() => !run.running);
    expect(run.error).toBe('');
    expect(models).toHaveLength(1);
    expect(epochs).toHaveLength(2);
    expect(epochs[0]).toMatch(/^Epoch 1\/2: loss \d+\.\d{4}, validation error \d+\.\d m/);
    expect(run.history?.epochs).toEqual([1, 2]);
    expect(run.history?.gradNorms?.length).toBe(6);
    expect(run.message).toMatch(/^Trained 2 epochs; kept the best/);

    run.start(tracks, 15, { ...form, cell: 'rnn', epochs: 1 }, () => {});
    expect(run.previous?.cell).toBe('lstm');
    expect(run.history?.cell).toBe('rnn');
    await until(() => !run.running);
  });

  it('cancel stops the run and the best epoch still arrives as a model', async () => {
    const run = new TrainRun(inProcessTrainWorker);
    let model = '';
    run.start(
      tracks,
      15,
      { ...form, epochs: 100, patience: 0 },
      (text) => (model = text),
      () => run.cancel(),
    );
    await until(() => !run.running);
    expect(JSON.parse(model).training.stopped).toBe('interrupted');
    expect(run.message).toMatch(/^Cancelled after 1 epoch; kept the best/);
  });

  it('shows the failure of a run that cannot train', async () => {
    const run = new TrainRun(inProcessTrainWorker);
    run.start(tracks, 15, { ...form, window: 190 }, () => expect.fail('no model expected'));
    await until(() => !run.running);
    expect(run.error).toMatch(/^Training failed: no training windows/);
  });
});

describe('EvalRun', () => {
  it('keeps the result and says what it was computed on', async () => {
    const train = new TrainRun(inProcessTrainWorker);
    let model = '';
    train.start(tracks, 15, { ...form, epochs: 1 }, (text) => (model = text));
    await until(() => !train.running);
    const run = new EvalRun(inProcessEvalWorker);
    let said = '';
    run.start(tracks, model, 'trained.json', 3, 'heldout', (summary) => (said = summary));
    await until(() => !run.running);
    expect(said).toBe(`Evaluation finished: ${run.caption}`);
    expect(run.error).toBe('');
    expect(run.result?.horizon).toBe(3);
    expect(run.caption).toMatch(
      /^trained\.json · held-out split \(\d+ tracks, [\d,]+ windows of 15 s steps\)$/,
    );
  });

  it('cancel ends at once, says so, and ignores a reply still in flight', async () => {
    const run = new EvalRun(inProcessEvalWorker);
    run.start(tracks, '{}', 'x.json', 3, 'all');
    run.cancel();
    expect(run.running).toBe(false);
    expect(run.error).toBe('Evaluation cancelled.');
    await new Promise((r) => setTimeout(r, 20));
    expect(run.error).toBe('Evaluation cancelled.');
  });
});

describe('TrainRun adapting the active model', () => {
  it('sends the parent, marks the run as adapting and keeps the held-out comparison', async () => {
    const first = new TrainRun(inProcessTrainWorker);
    let parent = '';
    first.start(tracks, 15, { ...form, epochs: 1 }, (text) => (parent = text));
    await until(() => !first.running);
    expect(first.adapting).toBe(false);
    expect(first.heldOut).toBeNull();
    let child = '';
    first.start(
      tracks,
      15,
      { ...form, epochs: 1, testFraction: 0.3 },
      (text) => (child = text),
      undefined,
      null,
      parent,
    );
    expect(first.adapting).toBe(true);
    await until(() => !first.running);
    expect(first.error).toBe('');
    expect(parseModelFile(child, 'child.json').training.parent?.fingerprint).toBe(
      parseModelFile(parent, 'parent.json').training.fingerprint,
    );
    expect(first.heldOut?.before.steps).toHaveLength(5);
    expect(first.heldOut?.after.steps).toHaveLength(5);
  });
});

describe('VerdictRun', () => {
  it('keeps the verdict of the newest request only', async () => {
    const train = new TrainRun(inProcessTrainWorker);
    let model = '';
    train.start(tracks, 15, { ...form, epochs: 1 }, (text) => (model = text));
    await until(() => !train.running);
    const run = new VerdictRun(inProcessEvalWorker);
    run.start(tracks, '{}'); // a broken model whose error reply arrives late and must be ignored
    run.start(tracks.slice(0, 10), model);
    expect(run.running).toBe(true);
    await until(() => !run.running);
    await new Promise((r) => setTimeout(r, 20));
    expect(run.error).toBe('');
    expect(run.tracks).toBe(10);
    expect(run.verdict).toEqual(quickVerdict(parseModelFile(model, 'm.json'), tracks.slice(0, 10)));
    run.clear();
    expect(run.verdict).toBeNull();
  });
});
