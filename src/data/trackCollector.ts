// Gathers accepted points straight into growing per-track Float64 columns and counts every row:
// accepted, merged (exact duplicate: same track, time and position) or rejected with its line.
// Shared by all format readers; it does not parse text.
import type { FormatName, ReadResult, RejectedRow, Track } from './track.ts';

class Columns {
  n = 0;
  lat = new Float64Array(16);
  lon = new Float64Array(16);
  t = new Float64Array(16);
  push(lat: number, lon: number, t: number): void {
    if (this.n === this.lat.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.lat = grow(this.lat);
      this.lon = grow(this.lon);
      this.t = grow(this.t);
    }
    this.lat[this.n] = lat;
    this.lon[this.n] = lon;
    this.t[this.n] = t;
    this.n++;
  }
}

/** Removes exact duplicates (same t, lat, lon) keeping the first occurrence and the file order; returns how many. */
function mergeDuplicates(c: Columns): number {
  const { n, t, lat, lon } = c;
  let sorted = true;
  for (let i = 1; i < n; i++)
    if (t[i] < t[i - 1]) {
      sorted = false;
      break;
    }
  let order: Uint32Array | null = null;
  if (!sorted) {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => t[a] - t[b] || a - b);
  }
  const at = (k: number) => (order ? order[k] : k);
  let drop: Uint8Array | null = null;
  let dropped = 0;
  for (let k = 1; k < n; k++) {
    const i = at(k);
    // Compare with the earlier points of the same time (a run of equal t is short in practice).
    for (let j = k - 1; j >= 0 && t[at(j)] === t[i]; j--) {
      const p = at(j);
      if (lat[p] === lat[i] && lon[p] === lon[i] && !(drop && drop[p])) {
        if (!drop) drop = new Uint8Array(n);
        drop[i] = 1;
        dropped++;
        break;
      }
    }
  }
  if (drop) {
    let w = 0;
    for (let i = 0; i < n; i++) {
      if (drop[i]) continue;
      lat[w] = lat[i];
      lon[w] = lon[i];
      t[w] = t[i];
      w++;
    }
    c.n = w;
  }
  return dropped;
}

export class TrackCollector {
  readonly file: string;
  rows = 0;
  rejectedCount = 0;
  readonly rejected: RejectedRow[] = [];
  private readonly maxRejected: number;
  private readonly byId = new Map<string, Columns>();
  private lastId: string | null = null;
  private last: Columns | null = null;

  constructor(file: string, maxRejected = 1000) {
    this.file = file;
    this.maxRejected = maxRejected;
  }

  /** One accepted row. The caller has validated lat/lon ranges and a finite t. */
  accept(id: string, lat: number, lon: number, t: number): void {
    this.rows++;
    if (id !== this.lastId) {
      let c = this.byId.get(id);
      if (!c) {
        c = new Columns();
        this.byId.set(id, c);
      }
      this.lastId = id;
      this.last = c;
    }
    this.last!.push(lat, lon, t);
  }

  /** One rejected row with its 1-based physical line and why. */
  reject(line: number, reason: string): void {
    this.rows++;
    this.rejectedCount++;
    if (this.rejected.length < this.maxRejected) this.rejected.push({ file: this.file, line, reason });
  }

  /** Number of distinct track ids so far. */
  get trackCount(): number {
    return this.byId.size;
  }

  /** Puts every point so far into one track `id`, in file order of the tracks' first appearance. */
  combineAll(id: string): void {
    const all = new Columns();
    for (const c of this.byId.values()) for (let i = 0; i < c.n; i++) all.push(c.lat[i], c.lon[i], c.t[i]);
    this.byId.clear();
    this.byId.set(id, all);
    this.lastId = null;
    this.last = null;
  }

  /** Merges exact duplicates and hands the tracks over, in order of first appearance. */
  finish(format: FormatName): ReadResult {
    const tracks: Track[] = [];
    let merged = 0;
    for (const [id, c] of this.byId) {
      merged += mergeDuplicates(c);
      if (c.n === 0) continue;
      tracks.push({ id, file: this.file, lat: c.lat.slice(0, c.n), lon: c.lon.slice(0, c.n), t: c.t.slice(0, c.n) });
    }
    this.byId.clear();
    return {
      file: this.file,
      format,
      tracks,
      rows: this.rows,
      accepted: this.rows - merged - this.rejectedCount,
      merged,
      rejectedCount: this.rejectedCount,
      rejected: this.rejected,
    };
  }
}
