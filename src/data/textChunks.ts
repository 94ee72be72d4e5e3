// Turns any reader input (a string, a Blob/File, or an async iterable of bytes or strings such as a
// Node ReadStream) into a stream of UTF-8 text chunks, never one big string. Strips the BOM.
// Knows nothing about formats; it only refuses content that is plainly not text.

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

/**
 * Why the first characters of a file show it is not text, or null. Decided on decoded text so the
 * answer does not depend on how the bytes were chunked (0x8b, invalid UTF-8, decodes to U+FFFD).
 */
export function binaryReason(head: string): string | null {
  if (head.charCodeAt(0) === 0x1f && head.charCodeAt(1) === 0xfffd) return 'it is gzip-compressed; decompress it first';
  if (head.startsWith('PK\u0003\u0004')) return 'it is a zip archive; extract it first';
  const n = Math.min(head.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return 'it is binary, not text (NUL bytes)';
    if (c < 9 || (c > 13 && c < 32)) control++;
  }
  return control > n / 10 ? 'it is binary, not text' : null;
}

/**
 * Decoded text chunks of `input`, BOM removed. Invalid UTF-8 becomes U+FFFD (the row holding it is
 * then rejected by the reader, not the file).
 */
export async function* textChunks(input: ReadInput): AsyncGenerator<string> {
  if (typeof input === 'string') {
    yield* stringChunks(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
    return;
  }
  const source = typeof Blob !== 'undefined' && input instanceof Blob ? blobChunks(input) : input;
  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
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
