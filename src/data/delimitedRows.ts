// Streams the records of delimited text through papaparse's parser one chunk at a time, with the
// 1-based physical line each record starts on. Detects the delimiter and line ending from the head.
// Holds at most one chunk plus one partial record in memory; it knows nothing about columns.
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
 * Calls `onRow(fields, line)` for every non-blank record of `chunks`, in order. Records that span
 * line breaks (quoted) report the line they start on. A record running past MAX_RECORD_CHARS is
 * passed to `onOverlong(line)` and skipped up to the next line break.
 */
export async function forEachRecord(
  chunks: AsyncIterable<string>,
  dialect: DelimitedDialect,
  onRow: RowHandler,
  onOverlong: (line: number) => void,
): Promise<void> {
  const nl = dialect.newline === '\r' ? '\r' : '\n';
  let line = 1; // line of the next record's first character
  let carry = '';
  let scanFrom = 0; // position in the current text where line counting continues
  let text = '';
  const parser = new Papa.Parser({
    delimiter: dialect.delimiter,
    newline: dialect.newline,
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
  // Text without quotes has one record per line: parse it in one call and number the lines by
  // position, which avoids a callback and a line scan per record (most files, all the large ones).
  const bulk = new Papa.Parser({ delimiter: dialect.delimiter, newline: dialect.newline } as Papa.ParseConfig);
  const run = (input: string, final: boolean) => {
    if (input.indexOf('"') < 0) {
      const r = bulk.parse(input, 0, !final) as unknown as Papa.ParseResult<string[]>;
      const rows = r.data;
      for (let k = 0; k < rows.length; k++) {
        const f = rows[k];
        if (f.length === 1 && f[0].trim() === '') continue;
        onRow(f, line + k);
      }
      line += rows.length;
      return final ? '' : input.slice(r.meta.cursor);
    }
    text = input;
    scanFrom = 0;
    const r = parser.parse(input, 0, !final) as unknown as Papa.ParseResult<string[]>;
    return final ? '' : input.slice(r.meta.cursor);
  };
  for await (const chunk of chunks) {
    carry = run(carry + chunk, false);
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
