// Streams the records of delimited text one chunk at a time, with the 1-based physical line each
// record starts on: chunks holding a quote go through papaparse's parser, quote-free chunks are split
// at line breaks and delimiters here (papaparse's own quote-free rule). Detects the delimiter and line
// ending from the head. Holds at most one chunk plus one partial record; knows nothing about columns.
import Papa from 'papaparse';

export interface DelimitedDialect {
  delimiter: string;
  newline: '\n' | '\r\n' | '\r';
}

/** A record longer than this (characters) is cut at its next line break and rejected: an unterminated quote. */
export const MAX_RECORD_CHARS = 64 << 20;

/** Delimiter and line ending of a file from its first characters: the most frequent of , ; tab | in the first line outside quotes. */
export function detectDialect(head: string): DelimitedDialect {
  const lf = head.indexOf('\n');
  const cr = head.indexOf('\r');
  const newline = cr >= 0 && (lf < 0 || cr < lf) ? (head[cr + 1] === '\n' ? '\r\n' : '\r') : '\n';
  // First non-blank line.
  const lines = head.split(newline === '\r' ? '\r' : '\n');
  const first = (lines.find((l) => l.trim() !== '') ?? '').replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const count = first.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return { delimiter: best, newline };
}

export type RowHandler = (fields: string[], line: number) => void;

/**
 * A fast path for one line of quote-free text, text[start, end) without the line break: returns
 * true when it handled the line, false to have it split into fields and passed to the RowHandler.
 * `textSerial` changes exactly when `text` is another string, so a handler may remember positions
 * found in one text (lines of one text come in order) without comparing strings.
 */
export type LineHandler = (text: string, start: number, end: number, line: number, textSerial: number) => boolean;

/**
 * Calls `onRow(fields, line)` for every non-blank record of `chunks`, in order. Records that span
 * line breaks (quoted) report the line they start on. A record running past MAX_RECORD_CHARS is
 * passed to `onOverlong(line)` and skipped up to the next line break. When given, `onLine` sees each
 * line of quote-free text first (see LineHandler) and may take it without any field strings.
 */
export async function forEachRecord(
  chunks: AsyncIterable<string>,
  dialect: DelimitedDialect,
  onRow: RowHandler,
  onOverlong: (line: number) => void,
  onLine?: LineHandler,
): Promise<void> {
  const nl = dialect.newline === '\r' ? '\r' : '\n';
  const { delimiter, newline } = dialect;
  let line = 1; // line of the next record's first character
  let carry = '';
  let scanFrom = 0; // position in the current text where line counting continues
  let text = '';
  const parser = new Papa.Parser({
    delimiter,
    newline,
    step: (r: Papa.ParseStepResult<string[]>) => {
      const end = r.meta.cursor;
      const fields = (r.data as unknown as string[][])[0];
      const startLine = line;
      let i = text.indexOf(nl, scanFrom);
      while (i >= 0 && i < end) {
        line++;
        i = text.indexOf(nl, i + 1);
      }
      scanFrom = end;
      if (fields.length === 1 && fields[0].trim() === '') return;
      onRow(fields, startLine);
    },
  } as Papa.ParseConfig);
  let textSerial = 0;
  const plainLine = (input: string, start: number, end: number, at: number) => {
    if (onLine && onLine(input, start, end, at, textSerial)) return;
    const f = input.slice(start, end).split(delimiter);
    if (f.length === 1 && f[0].trim() === '') return;
    onRow(f, at);
  };
  // Text without quotes has one record per line: split it here exactly as papaparse's own
  // quote-free mode does (records at `newline`, fields at `delimiter`) and number the lines by
  // position, which avoids a parser callback, a line scan and an array of fields per record.
  /** The lines of quote-free `input` from `from` on; returns the unfinished last one ('' when final). */
  const plain = (input: string, from: number, final: boolean): string => {
    textSerial++;
    let start = from;
    for (let end = input.indexOf(newline, start); end >= 0; end = input.indexOf(newline, start)) {
      plainLine(input, start, end, line++);
      start = end + newline.length;
    }
    if (!final) return start === 0 ? input : input.slice(start);
    plainLine(input, start, input.length, line++);
    return '';
  };
  const run = (input: string, final: boolean) => {
    if (input.indexOf('"') < 0) return plain(input, 0, final);
    text = input;
    scanFrom = 0;
    const r = parser.parse(input, 0, !final) as unknown as Papa.ParseResult<string[]>;
    return final ? '' : input.slice(r.meta.cursor);
  };
  for await (const chunk of chunks) {
    const cut = carry === '' ? -1 : chunk.indexOf(newline);
    if (cut < 0 || chunk.indexOf('"') >= 0 || carry.indexOf('"') >= 0) carry = run(carry + chunk, false);
    else {
      // Quote-free: the carried line is finished on its own, then the chunk is scanned in place
      // (V8 reads a flat string much faster than the concatenation carry + chunk).
      plain(carry + chunk.slice(0, cut + newline.length), 0, false);
      carry = plain(chunk, cut + newline.length, false);
    }
    while (carry.length > MAX_RECORD_CHARS) {
      const cut = carry.indexOf(nl);
      if (cut < 0) break;
      onOverlong(line);
      line++;
      carry = run(carry.slice(cut + nl.length), false);
    }
  }
  if (carry) run(carry, true);
}
