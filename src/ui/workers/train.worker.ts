// The Model panel's Web Worker: receives a TrainRequest, runs runTrainJob off the main thread and
// posts progress back (typed arrays transferred). A { type: 'cancel' } message aborts the run's
// AbortController; trainOnTracks then stops after the current batch and the best epoch is kept.
// Each batch is split across the threads the request asks for, where the page is cross-origin isolated.
import { runTrainJob } from '../panels/trainJob.ts';
import { trainingThreads } from './threads.ts';
import type { TrainReply, TrainRequest } from './jobProtocol.ts';

let controller: AbortController | null = null;

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const req = event.data;
  if (req.type === 'cancel') {
    controller?.abort();
    return;
  }
  controller = new AbortController();
  void runTrainJob(
    req,
    (reply: TrainReply, transfer: Transferable[] = []) => self.postMessage(reply, { transfer }),
    controller.signal,
    100,
    trainingThreads(req.threads),
  );
};
