// Reads GeoJSON: LineString/MultiLineString features with per-coordinate times in
// properties.coordTimes or properties.coordinateProperties.times (togeojson's conventions), and
// Point features with a time property. JSON has no streaming parser here, so the text is joined
// once (GeoJSON tracks are small). A rejected row names the JSON path of the value in its reason
// and the line where that value starts.
import { SYNONYMS, normalizeHeader } from './columnSynonyms.ts';
import { jsonPathLines } from './jsonPathLines.ts';
import { parseCoordinate } from './parseCoordinate.ts';
import { parseTimestamp } from './parseTimestamp.ts';
import { ReadError } from './readError.ts';
import type { TimeZone } from './timeZone.ts';
import type { TrackCollector } from './trackCollector.ts';

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A property by header synonyms (`time`, `timestamp`, `track_id`, …), case-insensitive. */
function byName(props: Obj, names: readonly string[]): Json {
  const keys = Object.keys(props);
  const norm = keys.map(normalizeHeader);
  for (const n of names) {
    const i = norm.indexOf(n);
    if (i >= 0) return props[keys[i]];
  }
  return undefined;
}

function timeOf(v: Json, zone: TimeZone): number {
  if (typeof v === 'number') return parseTimestamp(String(v), zone);
  if (typeof v === 'string') return parseTimestamp(v, zone);
  return NaN;
}

export async function readGeoJson(chunks: AsyncIterable<string>, out: TrackCollector, zone: TimeZone, defaultId: string): Promise<void> {
  const parts: string[] = [];
  for await (const c of chunks) parts.push(c);
  const text = parts.join('');
  parts.length = 0;
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ReadError(out.file, `not valid JSON (${(e as Error).message.slice(0, 100)})`);
  }
  const types = ['FeatureCollection', 'Feature', 'Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];
  if (!isObj(doc) || typeof doc.type !== 'string' || !types.includes(doc.type))
    throw new ReadError(out.file, 'not GeoJSON (no FeatureCollection, Feature or geometry "type")');
  const features: Json[] =
    doc.type === 'FeatureCollection' && Array.isArray(doc.features)
      ? doc.features
      : doc.type === 'Feature'
        ? [doc]
        : [{ type: 'Feature', geometry: doc, properties: {} }];
  // JSON paths of each feature and its geometry, as jsonPathLines spells them.
  const featurePath = (i: number) => (doc.type === 'FeatureCollection' ? `features[${i}]` : '');
  const geometryPath = (i: number) =>
    doc.type === 'FeatureCollection' ? `features[${i}].geometry` : doc.type === 'Feature' ? 'geometry' : '';
  const join = (base: string, rest: string) => (base === '' ? rest.replace(/^\./, '') : base + rest);
  // Rejections wait for their lines, found in one scan at the end.
  const pending: { path: string; reason: string }[] = [];
  const reject = (path: string, why: string) => {
    if (pending.length < 100_000) pending.push({ path, reason: `${path || 'document'}: ${why}` });
    else out.reject(1, `${path}: ${why}`);
  };

  const addLine = (id: string, coords: Json, times: Json, path: string) => {
    if (!Array.isArray(coords)) return reject(path, 'coordinates are not a list');
    for (let k = 0; k < coords.length; k++) {
      const where = `${path}[${k}]`;
      const c = coords[k];
      if (!Array.isArray(c) || c.length < 2) {
        reject(where, 'not a [lon, lat] position');
        continue;
      }
      const lon = parseCoordinate(typeof c[0] === 'number' ? String(c[0]) : undefined, 'longitude');
      if (typeof lon === 'string') {
        reject(where, lon);
        continue;
      }
      const lat = parseCoordinate(typeof c[1] === 'number' ? String(c[1]) : undefined, 'latitude');
      if (typeof lat === 'string') {
        reject(where, lat);
        continue;
      }
      const tv = Array.isArray(times) ? times[k] : undefined;
      if (tv === undefined || tv === null || tv === '') {
        reject(where, 'missing time');
        continue;
      }
      const t = timeOf(tv, zone);
      if (!Number.isFinite(t)) {
        reject(where, `unparsable time '${String(tv).slice(0, 40)}'`);
        continue;
      }
      out.accept(id, lat, lon, t);
    }
  };

  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    if (!isObj(f) || !isObj(f.geometry)) {
      reject(featurePath(i), 'no geometry');
      continue;
    }
    const props: Obj = isObj(f.properties) ? f.properties : {};
    const g = f.geometry;
    const gPath = geometryPath(i);
    const idValue = byName(props, SYNONYMS.id) ?? f.id ?? props.name;
    const cp = isObj(props.coordinateProperties) ? props.coordinateProperties : {};
    const times = props.coordTimes ?? cp.times;
    const lineId = idValue !== undefined ? String(idValue) : features.length > 1 ? `${defaultId} ${i + 1}` : defaultId;
    if (g.type === 'LineString') addLine(lineId, g.coordinates, times, join(gPath, '.coordinates'));
    else if (g.type === 'MultiLineString' && Array.isArray(g.coordinates)) {
      g.coordinates.forEach((part, k) =>
        addLine(`${lineId}/${k + 1}`, part, Array.isArray(times) ? times[k] : undefined, join(gPath, `.coordinates[${k}]`)),
      );
    } else if (g.type === 'Point') {
      // A Point's own id names the point, not its track: only track-like properties group points.
      const trackValue = byName(props, SYNONYMS.id.filter((n) => n !== 'id'));
      const id = trackValue !== undefined ? String(trackValue) : defaultId;
      const p = join(gPath, '.coordinates');
      const before = pending.length;
      addLine(id, [g.coordinates], [byName(props, SYNONYMS.time)], p);
      // addLine names the single position `…coordinates[0]`; the Point's coordinates are the position.
      for (let r = before; r < pending.length; r++) {
        pending[r].path = p;
        pending[r].reason = pending[r].reason.replace(`${p}[0]`, p);
      }
    } else reject(featurePath(i), `a ${String(g.type)} is not a track (LineString, MultiLineString or Point)`);
  }
  const lines = jsonPathLines(text, new Set(pending.map((p) => p.path)));
  for (const p of pending) out.reject(lines.get(p.path) ?? 1, p.reason);
}
