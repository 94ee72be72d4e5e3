// The load worker: reads every file with readTracks (streaming the bytes so it can report
// progress), then cleans, splits and resamples all tracks with prepareTracks, and posts the
// prepared tracks back. A file that fails is reported by name; the others still load.
import { prepareTracks, readTracks, type ReadResult, type Track } from '../engine.ts';
import type { FileSummary, LoadReply, LoadRequest } from './loadProtocol.ts';

const post = (msg: LoadReply, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(msg, transfer);

/** The blob's bytes as chunks for readTracks, reporting the fraction read as they pass. */
async function* bytesWithProgress(blob: Blob, onFraction: (f: number) => void): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
    onFraction(blob.size ? read / blob.size : 1);
    yield value;
  }
}

async function load(req: LoadRequest): Promise<void> {
  const all: Track[] = [];
  const summaries: FileSummary[] = [];
  const fileCount = req.sources.length;
  for (const [fileIndex, src] of req.sources.entries()) {
    const progress = (fraction: number) =>
      post({ id: req.id, type: 'progress', file: src.name, fileIndex, fileCount, fraction });
    progress(0);
    let summary: FileSummary;
    try {
      const blob = 'blob' in src ? src.blob : await (await fetch(src.url)).blob();
      const result: ReadResult = await readTracks(src.name, bytesWithProgress(blob, progress));
      all.push(...result.tracks);
      const { tracks, ...rest } = result;
      summary = { ...rest, tracksRead: tracks.length };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      summary = {
        file: src.name,
        format: null,
        rows: 0,
        accepted: 0,
        merged: 0,
        rejectedCount: 0,
        rejected: [],
        tracksRead: 0,
        error: message,
      };
    }
    summaries.push(summary);
    post({ id: req.id, type: 'file', summary });
  }
  const prepared = prepareTracks(all, req.stepSeconds ? { stepSeconds: req.stepSeconds } : {});
  const transfer = prepared.tracks.flatMap((t) => [t.lat.buffer, t.lon.buffer, t.t.buffer]);
  post(
    {
      id: req.id,
      type: 'done',
      tracks: prepared.tracks,
      stepSeconds: prepared.stepSeconds,
      report: prepared.report,
      summaries,
    },
    [...new Set(transfer)] as ArrayBuffer[],
  );
}

self.onmessage = (e: MessageEvent<LoadRequest>) => {
  load(e.data).catch((err: unknown) =>
    post({ id: e.data.id, type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
};
