// A content hash of prepared tracks, recorded in the model file so a model can be matched to the
// exact data it was trained on. Not a check of the data's validity.
import type { Track } from '../data/track.ts';

/** 'sha256:<hex>' of the tracks' ids and columns (Web Crypto; Node ≥ 20 and browsers). */
export async function fingerprintTracks(tracks: Track[]): Promise<string> {
  const parts: Uint8Array[] = [];
  const text = new TextEncoder();
  for (const t of tracks) {
    parts.push(text.encode(`${t.id}\n`));
    for (const col of [t.t, t.lat, t.lon])
      parts.push(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  const size = parts.reduce((s, p) => s + p.length, 0);
  const all = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return 'sha256:' + Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
