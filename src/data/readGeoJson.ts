// Reads GeoJSON: LineString/MultiLineString features with per-coordinate times in
// properties.coordTimes or properties.coordinateProperties.times (togeojson's conventions), and
// Point features with a time property. Streamed: a FeatureCollection's features are parsed one at a
// time as they arrive (jsonRootMembers), so a large file never becomes one string. A rejected row
// names the JSON path of the value in its reason and the line where that value starts.
import { SYNONYMS, normalizeHeader } from './columnSynonyms.ts';
import { jsonPathLines } from './jsonPathLines.ts';
import { JsonSyntaxError, jsonRootMembers } from './jsonRootMembers.ts';
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

const GEOJSON_TYPES = ['FeatureCollection', 'Feature', 'Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];

/** Rejections of one feature wait for their lines; at most this many before they are looked up. */
const PENDING_MAX = 100_000;

/** A JSON text and the line it starts on: where the lines of rejected values are looked up. */
interface Located {
  text: string;
  line: number;
}

/** The line where `relative` (a path inside `at`'s value, '' for the value itself) starts; 1 when not found. */
function lineIn(at: Located | undefined, relative: string, found: Map<string, number>): number {
  const l = found.get(relative);
  return at && l !== undefined ? at.line + l - 1 : 1;
}

/**
 * Reads the GeoJSON text of `chunks` into `out`: every position of a LineString, MultiLineString or
 * Point feature is accepted or rejected with its JSON path and line. Throws ReadError when the text
 * is not valid JSON or not GeoJSON. Unnamed tracks are `defaultId`, numbered when there are several.
 */
export async function readGeoJson(chunks: AsyncIterable<string>, out: TrackCollector, zone: TimeZone, defaultId: string): Promise<void> {
  const parse = (text: string): Json => {
    try {
      return JSON.parse(text) as Json;
    } catch (e) {
      throw new ReadError(out.file, `not valid JSON (${(e as Error).message.slice(0, 100)})`);
    }
  };
  const pending: { path: string; reason: string }[] = [];
  const reject = (path: string, why: string) => pending.push({ path, reason: `${path || 'document'}: ${why}` });
  // The feature being read (its text and JSON path), or null while reading the root document itself.
  let current: { text: Located; base: string } | null = null;
  const memberText = new Map<string, Located>();
  let rootText: Located = { text: '{', line: 1 };
  /** In which text a path's value lies (a feature, a root member or the root) and its path there. */
  const where = (path: string): { at: Located | undefined; relative: string } => {
    if (current) return { at: current.text, relative: path.slice(current.base.length).replace(/^\./, '') };
    if (path === '') return { at: rootText, relative: '' };
    const key = /^[^.[]*/.exec(path)![0];
    return { at: memberText.get(key), relative: path.slice(key.length).replace(/^\./, '') };
  };
  /** Rejects the pending rows, each on the line where its value starts. */
  const flush = () => {
    if (pending.length === 0) return;
    const spots = pending.map((p) => where(p.path));
    const byText = new Map<Located | undefined, Set<string>>();
    for (const { at, relative } of spots) {
      let set = byText.get(at);
      if (!set) byText.set(at, (set = new Set()));
      set.add(relative);
    }
    const found = new Map<Located | undefined, Map<string, number>>();
    for (const [at, wanted] of byText) found.set(at, at ? jsonPathLines(at.text, wanted) : new Map());
    pending.forEach((p, k) => out.reject(lineIn(spots[k].at, spots[k].relative, found.get(spots[k].at)!), p.reason));
    pending.length = 0;
  };

  const addLine = (id: string, coords: Json, times: Json, path: string) => {
    if (!Array.isArray(coords)) return reject(path, 'coordinates are not a list');
    for (let k = 0; k < coords.length; k++) {
      if (pending.length >= PENDING_MAX) flush();
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

  /**
   * Reads feature `f` (number i; `several`: the document has more than one, so unnamed tracks are
   * numbered). featurePath/geometryPath spell its JSON paths as jsonPathLines does.
   */
  const join = (base: string, rest: string) => (base === '' ? rest.replace(/^\./, '') : base + rest);
  const readFeature = (f: Json, i: number, several: boolean, featurePath: string, geometryPath: string) => {
    if (!isObj(f) || !isObj(f.geometry)) return reject(featurePath, 'no geometry');
    const props: Obj = isObj(f.properties) ? f.properties : {};
    const g = f.geometry;
    const idValue = byName(props, SYNONYMS.id) ?? f.id ?? props.name;
    const cp = isObj(props.coordinateProperties) ? props.coordinateProperties : {};
    const times = props.coordTimes ?? cp.times;
    const lineId = idValue !== undefined ? String(idValue) : several ? `${defaultId} ${i + 1}` : defaultId;
    if (g.type === 'LineString') addLine(lineId, g.coordinates, times, join(geometryPath, '.coordinates'));
    else if (g.type === 'MultiLineString' && Array.isArray(g.coordinates)) {
      g.coordinates.forEach((part, k) =>
        addLine(`${lineId}/${k + 1}`, part, Array.isArray(times) ? times[k] : undefined, join(geometryPath, `.coordinates[${k}]`)),
      );
    } else if (g.type === 'Point') {
      // A Point's own id names the point, not its track: only track-like properties group points.
      const trackValue = byName(props, SYNONYMS.id.filter((n) => n !== 'id'));
      const id = trackValue !== undefined ? String(trackValue) : defaultId;
      const p = join(geometryPath, '.coordinates');
      const before = pending.length;
      addLine(id, [g.coordinates], [byName(props, SYNONYMS.time)], p);
      // addLine names the single position `…coordinates[0]`; the Point's coordinates are the position.
      for (let r = before; r < pending.length; r++) {
        pending[r].path = p;
        pending[r].reason = pending[r].reason.replace(`${p}[0]`, p);
      }
    } else reject(featurePath, `a ${String(g.type)} is not a track (LineString, MultiLineString or Point)`);
  };

  // The root's members (parsed), each one's text for line look-ups, and the features, which are
  // read as they arrive once the root is known to be a FeatureCollection (buffered as text until then).
  const root: Obj = {};
  let streamed = false;
  const waiting: Located[] = [];
  let held: { text: Located; index: number } | null = null;
  const isCollection = () => root.type === 'FeatureCollection';
  const readElement = (text: Located, index: number, several: boolean) => {
    const f = parse(text.text);
    const base = `features[${index}]`;
    current = { text, base };
    readFeature(f, index, several, base, `${base}.geometry`);
    flush();
    current = null;
  };
  try {
    for await (const e of jsonRootMembers(chunks, 'features')) {
      if (e.kind === 'start') {
        rootText = { text: '{', line: e.line };
        continue;
      }
      if (e.kind === 'member' || e.kind === 'arrayStart') {
        if (e.key === 'type' || e.key === 'features') {
          if (memberText.has(e.key) || (e.key === 'features' && streamed))
            throw new ReadError(out.file, `not valid GeoJSON (the member "${e.key}" appears twice)`);
        }
      }
      if (e.kind === 'member') {
        root[e.key] = parse(e.text);
        memberText.set(e.key, { text: e.text, line: e.line });
        if (e.key === 'type') {
          // The features seen before the type: read now, or only checked when this is no collection.
          for (const [k, w] of waiting.entries()) {
            if (isCollection()) readElement(w, k, waiting.length > 1);
            else parse(w.text);
          }
          waiting.length = 0;
        }
      } else if (e.kind === 'arrayStart') {
        streamed = true;
        root.features = [];
      } else if (e.kind === 'element') {
        const text = { text: e.text, line: e.line };
        if (!('type' in root)) waiting.push(text);
        else if (!isCollection()) parse(e.text); // not used, but the document must be valid JSON
        else {
          // Whether unnamed tracks are numbered depends on there being a second feature: hold one back.
          if (held) readElement(held.text, held.index, true);
          held = { text, index: e.index };
        }
      } else {
        if (held) readElement(held.text, held.index, e.count > 1);
        held = null;
      }
    }
    // Features before a "type" that never came: the document must still be valid JSON.
    for (const w of waiting) parse(w.text);
  } catch (e) {
    if (e instanceof JsonSyntaxError)
      throw new ReadError(
        out.file,
        e.notObject ? 'not GeoJSON (the document is not a JSON object)' : `not valid JSON (${e.message.slice(0, 100)})`,
      );
    throw e;
  }
  if (typeof root.type !== 'string' || !GEOJSON_TYPES.includes(root.type))
    throw new ReadError(out.file, 'not GeoJSON (no FeatureCollection, Feature or geometry "type")');
  if (isCollection() && streamed) return;
  // One Feature or a bare geometry (or a FeatureCollection without a features list): one feature.
  const collection = isCollection();
  const f: Json = root.type === 'Feature' ? root : { type: 'Feature', geometry: root, properties: {} };
  readFeature(f, 0, false, collection ? 'features[0]' : '', collection ? 'features[0].geometry' : root.type === 'Feature' ? 'geometry' : '');
  flush();
}
