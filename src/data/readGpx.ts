// Reads GPX 1.0 and 1.1 with a small streaming tag scanner: every <trkseg> of every <trk> is a track,
// each <trkpt> a row (a point without <time> is rejected with its line). Runs anywhere (no DOM,
// no XML library): GPX needs only element names, two attributes and one text node per point.
// Not a validating XML parser: entities other than the five predefined ones are left as written.
import { parseCoordinate, quote } from './parseCoordinate.ts';
import { parseTimestamp } from './parseTimestamp.ts';
import { ReadError } from './readError.ts';
import type { TimeZone } from './timeZone.ts';
import type { TrackCollector } from './trackCollector.ts';

const MAX_TAG_CHARS = 1 << 20;

const ATTR_RE = { lat: /\slat\s*=\s*(?:"([^"]*)"|'([^']*)')/, lon: /\slon\s*=\s*(?:"([^"]*)"|'([^']*)')/ };

function attr(tag: string, name: 'lat' | 'lon'): string | undefined {
  const m = ATTR_RE[name].exec(tag);
  return m ? (m[1] ?? m[2]) : undefined;
}

function unescapeXml(s: string): string {
  return s.indexOf('&') < 0
    ? s
    : s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? _);
}

export async function readGpx(chunks: AsyncIterable<string>, out: TrackCollector, zone: TimeZone): Promise<void> {
  let buf = '';
  let line = 1;
  let sawGpx = false;
  let trkIndex = 0;
  let segIndex = 0;
  let trkName = '';
  let inTrk = false;
  let inSeg = false;
  let extensionsDepth = 0;
  // The current point: its line, coordinates (or rejection reason) and time text.
  let pt: { line: number; lat: number | string; lon: number | string; time: string | null } | null = null;
  let capture: 'time' | 'name' | null = null;
  let text = '';
  const trackId = () => `${trkName ? trkName + ' ' : ''}${trkIndex}.${segIndex}`;
  const endPoint = () => {
    if (!pt) return;
    const p = pt;
    pt = null;
    if (typeof p.lat === 'string') return out.reject(p.line, p.lat);
    if (typeof p.lon === 'string') return out.reject(p.line, p.lon);
    if (p.time === null || p.time.trim() === '') return out.reject(p.line, 'point has no <time>');
    const t = parseTimestamp(p.time, zone);
    if (!Number.isFinite(t)) return out.reject(p.line, `unparsable time ${quote(p.time.trim())}`);
    out.accept(trackId(), p.lat, p.lon, t);
  };
  const onTag = (tag: string, tagLine: number) => {
    const close = tag[1] === '/';
    const selfClose = tag[tag.length - 2] === '/';
    const m = /^<\/?(?:[\w.-]+:)?([\w.-]+)/.exec(tag);
    if (!m) return;
    const name = m[1];
    if (name === 'extensions') {
      if (!selfClose) extensionsDepth += close ? -1 : 1;
      return;
    }
    if (extensionsDepth > 0) return;
    if (close) {
      if (capture && name === capture) {
        if (capture === 'time' && pt) pt.time = unescapeXml(text);
        else if (capture === 'name' && inTrk && !inSeg && !pt) trkName = unescapeXml(text).trim();
        capture = null;
      }
      if (name === 'trkpt') endPoint();
      else if (name === 'trkseg') inSeg = false;
      else if (name === 'trk') inTrk = false;
      return;
    }
    switch (name) {
      case 'gpx':
        sawGpx = true;
        break;
      case 'trk':
        inTrk = true;
        trkIndex++;
        segIndex = 0;
        trkName = '';
        break;
      case 'trkseg':
        inSeg = true;
        segIndex++;
        break;
      case 'trkpt': {
        if (!inSeg) {
          // A point outside any <trkseg> still belongs to its <trk>: give it a segment of its own.
          inSeg = true;
          segIndex++;
        }
        const latText = attr(tag, 'lat');
        const lonText = attr(tag, 'lon');
        pt = {
          line: tagLine,
          lat: latText === undefined ? 'missing lat attribute' : parseCoordinate(latText, 'latitude'),
          lon: lonText === undefined ? 'missing lon attribute' : parseCoordinate(lonText, 'longitude'),
          time: null,
        };
        if (selfClose) endPoint();
        break;
      }
      case 'time':
        if (pt && !selfClose) {
          capture = 'time';
          text = '';
        }
        break;
      case 'name':
        if (inTrk && !inSeg && !selfClose) {
          capture = 'name';
          text = '';
        }
        break;
    }
  };
  let scanned = 0; // newlines in buf are counted up to here
  const countTo = (to: number) => {
    for (let i = buf.indexOf('\n', scanned); i >= 0 && i < to; i = buf.indexOf('\n', i + 1)) line++;
    scanned = to;
  };
  const process = (final: boolean) => {
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) {
        if (capture) text += buf.slice(pos);
        pos = buf.length;
        break;
      }
      if (capture) text += buf.slice(pos, lt);
      let endMark = '>';
      if (buf.startsWith('<!--', lt)) endMark = '-->';
      else if (buf.startsWith('<![CDATA[', lt)) endMark = ']]>';
      else if (buf.startsWith('<?', lt)) endMark = '?>';
      else if (buf.length - lt < 9 && !final && ('<![CDATA['.startsWith(buf.slice(lt)) || '<!--'.startsWith(buf.slice(lt)))) {
        pos = lt;
        break;
      }
      const gt = buf.indexOf(endMark, lt + 1);
      if (gt < 0) {
        if (final) throw new ReadError(out.file, `unterminated tag at line ${line + countNl(buf, scanned, lt)}`);
        pos = lt;
        break;
      }
      const end = gt + endMark.length;
      countTo(lt);
      const tagLine = line;
      if (endMark === ']]>') {
        if (capture) text += buf.slice(lt + 9, gt);
      } else if (endMark === '>') onTag(buf.slice(lt, end), tagLine);
      countTo(end);
      pos = end;
    }
    countTo(pos);
    buf = buf.slice(pos);
    scanned = 0;
    if (buf.length > MAX_TAG_CHARS) throw new ReadError(out.file, `a tag longer than 1 MB at line ${line}: not GPX`);
  };
  for await (const chunk of chunks) {
    buf += chunk;
    process(false);
    if (!sawGpx && trkIndex === 0 && line > 1000) break;
  }
  if (buf) process(true);
  if (!sawGpx) throw new ReadError(out.file, 'not GPX (no <gpx> element)');
  endPoint();
}

function countNl(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
