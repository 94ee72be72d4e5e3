// The eval Web Worker: receives an EvalRequest (the Evaluate panel's evaluation, or the explorer's
// quick verdict on the loaded tracks), runs runEvalJob off the main thread and posts its replies back.
// Its callers cancel by terminating this worker; an evaluation has no partial result worth keeping.
// An evaluation's forecast is split across forecast workers, one per core.
import { runEvalJob } from '../panels/evalJob.ts';
import type { EvalReply, EvalRequest } from './jobProtocol.ts';
import { coresToUse, runForecastSliceInWebWorker } from './threads.ts';

self.onmessage = (event: MessageEvent<EvalRequest>) => {
  void runEvalJob(event.data, (reply: EvalReply) => self.postMessage(reply), {
    threads: coresToUse(),
    run: runForecastSliceInWebWorker,
  });
};
