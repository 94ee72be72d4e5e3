// Turns rejected rows into a CSV the user can download (file,line,reason). Pure.
// Cells are quoted per RFC 4180; cells a spreadsheet would run as formulas are prefixed with '.
import { csvField } from '../engine.ts';

export interface RejectedRowLike {
  file: string;
  line: number;
  reason: string;
}

function cell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return csvField(s);
}

/** The CSV text with a header row, one line per rejected row. */
export function rejectedCsv(rows: readonly RejectedRowLike[]): string {
  return (
    ['file,line,reason', ...rows.map((r) => `${cell(r.file)},${cell(r.line)},${cell(r.reason)}`)].join('\n') +
    '\n'
  );
}
