// Turns any reader input (a string, a Blob/File, or an async iterable of bytes or strings such as a
// Node ReadStream) into a stream of UTF-8 text chunks, never one big string. Strips the BOM.
// Knows nothing about formats; it only refuses content that is plainly not text.
import { ReadError } from './readError.ts';

export type ReadInput = string | Blob | AsyncIterable<string | Uint8Array>;

/** Size of the slices a string or Blob is cut into (characters or bytes). */
export const CHUNK_SIZE = 1 << 20;

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  // ReadableStream's async iteration is missing in some browsers; the reader loop is everywhere.
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

function* stringChunks(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += CHUNK_SIZE) yield text.slice(i, i + CHUNK_SIZE);
}

function looksBinary(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'it is gzip-compressed; decompress it first';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return 'it is a zip archive; extract it first';
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return 'it is binary, not text (NUL bytes)';
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > n / 10 ? 'it is binary, not text' : null;
}

/**
 * Decoded text chunks of `input`. Throws ReadError when the first bytes show a binary file.
 * Invalid UTF-8 becomes U+FFFD (the row holding it is then rejected by the reader, not the file).
 */
export async function* textChunks(file: string, input: ReadInput): AsyncGenerator<string> {
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    if (text.indexOf('\u0000') >= 0 && text.indexOf('\u0000') < 4096)
      throw new ReadError(file, 'it is binary, not text (NUL characters)');
    yield* stringChunks(text);
    return;
  }
  const source = typeof Blob !== 'undefined' && input instanceof Blob ? blobChunks(input) : input;
  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    if (typeof chunk === 'string') {
      let text = chunk;
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (text.slice(0, 4096).indexOf('\u0000') >= 0)
          throw new ReadError(file, 'it is binary, not text (NUL characters)');
      }
      first = false;
      if (text) yield text;
      continue;
    }
    if (first && chunk.length > 0) {
      const why = looksBinary(chunk);
      if (why) throw new ReadError(file, why);
      first = false;
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Reads chunks until at least `minChars` are buffered (or the input ends); returns them and the rest. */
export async function peekText(
  chunks: AsyncIterator<string>,
  minChars: number,
): Promise<{ head: string; rest: AsyncIterable<string> }> {
  const parts: string[] = [];
  let size = 0;
  let ended = false;
  while (size < minChars) {
    const r = await chunks.next();
    if (r.done) {
      ended = true;
      break;
    }
    parts.push(r.value);
    size += r.value.length;
  }
  const head = parts.join('');
  async function* rest(): AsyncGenerator<string> {
    if (head) yield head;
    if (ended) return;
    for (;;) {
      const r = await chunks.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, rest: rest() };
}
