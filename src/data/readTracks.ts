// Reads one file of GPS tracks in any supported format into columnar Tracks, counting every row as
// accepted, merged or rejected. Runs unchanged in Node, a Web Worker and the page: the input is
// text, a Blob/File, or an async iterable of chunks (a Node ReadStream), never a path.
import { detectFormat } from './detectFormat.ts';
import { readDelimited, PLT_COLUMNS, PLT_HEADER_LINES } from './readDelimited.ts';
import { ReadError } from './readError.ts';
import { readGeoJson } from './readGeoJson.ts';
import { readGpx } from './readGpx.ts';
import { readPorto } from './readPorto.ts';
import { binaryReason, peekText, textChunks, type ReadInput } from './textChunks.ts';
import { timeZone, type TimeZone } from './timeZone.ts';
import { TrackCollector } from './trackCollector.ts';
import type { ReadOptions, ReadResult } from './track.ts';

/** The file name without folders and extension: the track id of a file without an id column. */
export function baseName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? name;
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(0, dot) : last;
}

/**
 * Reads `input` (named `name` in messages) as tracks. Throws ReadError, naming the file and why,
 * when it yields no point at all (empty, header only, no coordinate columns, binary, not the format);
 * any other problem is a rejected row. Never throws anything else for any content.
 */
export async function readTracks(name: string, input: ReadInput, options: ReadOptions = {}): Promise<ReadResult> {
  let zone: TimeZone;
  try {
    zone = timeZone(options.tz);
  } catch (e) {
    throw new ReadError(name, (e as Error).message);
  }
  const out = new TrackCollector(name, options.maxRejected ?? 1000);
  const chunks = textChunks(input)[Symbol.asyncIterator]();
  const { head, rest } = await peekText(chunks, 64 * 1024);
  if (head.trim() === '') throw new ReadError(name, 'it is empty');
  const binary = binaryReason(head);
  if (binary) throw new ReadError(name, binary);
  const format = options.format ?? detectFormat(name, head);
  const notes: string[] = [];
  try {
    switch (format) {
      case 'csv': {
        const note = await readDelimited(rest, head, out, { zone, overrides: options.columns, defaultId: baseName(name) });
        if (note) notes.push(note);
        break;
      }
      case 'plt':
        await readDelimited(rest, head, out, {
          zone,
          defaultId: baseName(name),
          fixed: { columns: PLT_COLUMNS, skipLines: PLT_HEADER_LINES },
        });
        break;
      case 'porto':
        await readPorto(rest, head, out);
        break;
      case 'gpx':
        await readGpx(rest, out, zone);
        break;
      case 'geojson':
        await readGeoJson(rest, out, zone, baseName(name));
        break;
    }
  } catch (e) {
    if (e instanceof ReadError) throw e;
    // Anything else is our bug or the platform's (e.g. a string too long to build): still name the file.
    throw new ReadError(name, `could not be read as ${format}: ${(e as Error)?.message ?? String(e)}`);
  }
  const result = out.finish(format);
  if (notes.length > 0) result.notes = notes;
  if (result.accepted === 0) {
    const why =
      result.rows === 0
        ? `no data rows (${format})`
        : `none of its ${result.rows} rows is usable; first problem: line ${result.rejected[0]?.line}: ${result.rejected[0]?.reason}`;
    throw new ReadError(name, why);
  }
  return result;
}
