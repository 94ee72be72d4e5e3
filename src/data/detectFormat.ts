// Decides a file's format from its first characters and, when the content is ambiguous, its name.
// Pure and cheap: the readers themselves report what is wrong inside the file.
import type { FormatName } from './track.ts';

/** The format of a file whose text starts with `head` (at least the first few kB) and is called `name`. */
export function detectFormat(name: string, head: string): FormatName {
  const lower = name.toLowerCase();
  const start = head.slice(0, 4096).trimStart();
  if (start.startsWith('<')) return 'gpx';
  if (start.startsWith('{') || start.startsWith('[')) return 'geojson';
  if (/^geolife trajectory/i.test(start) || lower.endsWith('.plt')) return 'plt';
  if (lower.endsWith('.gpx')) return 'gpx';
  if (lower.endsWith('.geojson')) return 'geojson';
  const firstLine = start.split(/\r?\n|\r/, 1)[0] ?? '';
  const cols = firstLine.toUpperCase().split(/[,;\t|]/).map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cols.includes('POLYLINE') && cols.includes('TIMESTAMP')) return 'porto';
  return 'csv';
}
