// Messages between the page and the load worker (load.worker.ts). Types only.
import type { CleanReport, ReadResult, Track } from '../engine.ts';

export interface LoadRequest {
  id: number;
  /** Files to read (Blob/File), or a URL of the app's own origin (the bundled sample). */
  sources: ({ name: string; blob: Blob } | { name: string; url: string })[];
  /** Resample to this step (the active model's), or let prepareTracks choose. */
  stepSeconds?: number;
}

/** A file's read result without its tracks, plus the error that stopped it, if any. */
export type FileSummary = Omit<ReadResult, 'tracks' | 'format'> & {
  /** null when the file could not be read at all (see error). */
  format: ReadResult['format'] | null;
  tracksRead: number;
  error?: string;
};

export type LoadReply =
  | { id: number; type: 'progress'; file: string; fileIndex: number; fileCount: number; fraction: number }
  | { id: number; type: 'file'; summary: FileSummary }
  | {
      id: number;
      type: 'done';
      tracks: Track[];
      stepSeconds: number;
      report: CleanReport;
      summaries: FileSummary[];
    }
  | { id: number; type: 'error'; message: string };
