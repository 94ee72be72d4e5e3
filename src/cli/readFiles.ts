// The Node file-system adapter for readTracks: opens each path as a byte stream (never one big
// string) and turns file-system failures into ReadError naming the file. Expands nothing: no globs,
// no folders. Only src/cli touches node:fs.
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ReadError } from '../data/readError.ts';
import { readTracks } from '../data/readTracks.ts';
import type { ReadOptions, ReadResult } from '../data/track.ts';

/**
 * The text of the file at `path`, streamed in 1 MiB chunks. Chunks of pure ASCII (most GPS files)
 * become strings directly (ASCII bytes are the same characters in Latin-1 and UTF-8, and the copy is
 * far cheaper than UTF-8 decoding); from the first chunk holding any other byte on, one streaming
 * TextDecoder decodes the rest, so a character cut between chunks is still joined. The text equals
 * what readTracks' own decoding of the bytes gives (invalid UTF-8 becomes U+FFFD, the BOM goes).
 */
export async function* fileText(path: string): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (decoder === null && isAscii(chunk)) yield chunk.toString('latin1');
    else yield (decoder ??= new TextDecoder('utf-8')).decode(chunk, { stream: true });
  }
  const rest = decoder?.decode() ?? '';
  if (rest) yield rest;
}

/** Reads one file from disk. Throws ReadError (file + why) when it cannot be opened or yields nothing. */
export async function readFile(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new ReadError(path, 'is a directory, not a file');
    return await readTracks(path, fileText(path), options);
  } catch (e) {
    if (e instanceof ReadError) throw e;
    const code = (e as NodeJS.ErrnoException)?.code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : ((e as Error)?.message ?? String(e));
    throw new ReadError(path, why);
  }
}

/** The reader's notes on one file (decisions a user should know about), as stderr lines: `whereto: warning: FILE: NOTE`. */
export function noteLines(result: ReadResult): string[] {
  return (result.notes ?? []).map((note) => `whereto: warning: ${result.file}: ${note}`);
}

/** Reads the files one after another; a file that fails is reported in `failures`, the others still load. */
export async function readFiles(
  paths: string[],
  options: ReadOptions = {},
): Promise<{ results: ReadResult[]; failures: ReadError[] }> {
  const results: ReadResult[] = [];
  const failures: ReadError[] = [];
  for (const p of paths) {
    try {
      results.push(await readFile(p, options));
    } catch (e) {
      failures.push(e instanceof ReadError ? e : new ReadError(p, String(e)));
    }
  }
  return { results, failures };
}
