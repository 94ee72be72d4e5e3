// Validation of a user-entered map tile URL template (Leaflet's {z}/{x}/{y} syntax). Pure.
// The template decides the only host the app ever contacts, so it is checked, not trusted.

export const defaultTileUrl = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const tileUrlStorageKey = 'whereto.tileUrl';

export type TileUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Accepts an http(s) URL template containing {z}, {x} and {y} (optionally {s} and {r}); an empty
 * string means "no tiles". Returns the trimmed template or why it is rejected.
 */
export function checkTileUrl(input: string): TileUrlCheck {
  const url = input.trim();
  if (url === '') return { ok: true, url: '' };
  for (const p of ['{z}', '{x}', '{y}']) {
    if (!url.includes(p)) return { ok: false, reason: `the template must contain ${p}` };
  }
  const unknown = url.match(/\{(?!z\}|x\}|y\}|s\}|r\})[^}]*\}/);
  if (unknown) return { ok: false, reason: `unknown placeholder ${unknown[0]}` };
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{[a-z]\}/g, '0'));
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, reason: `only http and https tile servers are allowed, not ${parsed.protocol}` };
  }
  return { ok: true, url };
}
