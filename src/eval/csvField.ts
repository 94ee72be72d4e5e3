// One CSV cell as RFC 4180 writes it, for every CSV whereto writes (eval's windows.csv, predict's
// output, the app's rejected-rows download). Not a CSV reader (src/data reads CSV).

/** The text as a CSV cell: quoted, with quotes doubled, when it holds a quote, comma or line break. */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
