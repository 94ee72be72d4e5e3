// The eval worker's jobs (eval.worker.ts): the Evaluate panel's evaluation — unpack the tracks,
// parse the model file, pick the tracks to measure (all, or the held-out split) and score them as
// src/eval/evaluate.ts does (what `whereto eval --json` prints), the model's forecast split across
// workers as `whereto eval --threads` splits it (the same numbers) — and the explorer's quick
// verdict on the loaded tracks (src/eval/verdict.ts). Plain TypeScript, so tests run it in Node unchanged.
import {
  evalWindows,
  parallelForecast,
  parseModelFile,
  Predictor,
  quickVerdict,
  scoreWindows,
  type ParallelForecastOptions,
} from '../engine.ts';
import { heldOutTracks } from './heldOut.ts';
import { errorMessage, unpackTracks, type EvalReply, type EvalRequest } from '../workers/jobProtocol.ts';

/**
 * Runs one request; every outcome, failure included, is one reply. `threads` splits an evaluation's
 * forecast (by default this thread alone).
 */
export async function runEvalJob(
  req: EvalRequest,
  post: (reply: EvalReply) => void,
  threads?: ParallelForecastOptions,
): Promise<void> {
  try {
    const modelFile = parseModelFile(req.modelFileText, 'the active model');
    const all = unpackTracks(req.tracks);
    if (req.type === 'verdict') {
      post({ type: 'verdict', verdict: quickVerdict(modelFile, all) });
      return;
    }
    const tracks = req.split === 'heldout' ? heldOutTracks(all, modelFile) : all;
    if (tracks.length === 0)
      throw new Error(
        req.split === 'heldout'
          ? 'none of the loaded tracks is in the held-out split of this model'
          : 'no tracks are loaded',
      );
    post({ type: 'status', message: `Evaluating ${tracks.length} tracks over ${req.horizon} steps…` });
    const predictor = Predictor.fromModelFile(modelFile);
    const windows = evalWindows(tracks, modelFile.encoder.window, req.horizon);
    const forecast = threads
      ? await parallelForecast(predictor, windows.past, windows.n, req.horizon, {}, threads)
      : predictor.forecast(windows.past, windows.n, req.horizon);
    const { result } = scoreWindows(tracks, windows, forecast, modelFile.encoder.stepSeconds);
    if (result.windows === 0)
      throw new Error(
        `no track is long enough for a window of ${modelFile.encoder.window} observed and ${req.horizon} future steps`,
      );
    post({ type: 'done', result, tracks: tracks.length });
  } catch (err) {
    post({ type: 'error', message: errorMessage(err) });
  }
}
