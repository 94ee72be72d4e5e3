// The Evaluate panel's Web Worker: receives an EvalRequest (packed tracks, model file text,
// horizon, split), runs runEvalJob off the main thread and posts its replies back.
// The panel cancels by terminating this worker; an evaluation has no partial result worth keeping.
import { runEvalJob } from '../panels/evalJob.ts';
import type { EvalReply, EvalRequest } from './jobProtocol.ts';

self.onmessage = (event: MessageEvent<EvalRequest>) => {
  runEvalJob(event.data, (reply: EvalReply) => self.postMessage(reply));
};
