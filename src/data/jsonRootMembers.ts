// An incremental scanner for a JSON document whose root is an object: yields each root member's
// value as text, and the elements of one chosen array member (a FeatureCollection's `features`) one
// at a time, each with the line it starts on, so a large document never becomes one string.
// It finds value boundaries only; the caller JSON.parses each text, which checks the rest.

/** The document is not well-formed at the structural level (the message says where), or (notObject) its root is not an object. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly notObject = false,
  ) {
    super(message);
  }
}

export type RootEvent =
  /** The root object's `{` is on `line`. */
  | { kind: 'start'; line: number }
  /** A root member other than the streamed array: its whole value text. */
  | { kind: 'member'; key: string; text: string; line: number }
  /** The streamed array member begins (its `[` is on `line`). */
  | { kind: 'arrayStart'; key: string; line: number }
  /** One element of the streamed array, as text. */
  | { kind: 'element'; index: number; text: string; line: number }
  /** The streamed array ended after `count` elements. */
  | { kind: 'arrayEnd'; key: string; count: number };

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

class Cursor {
  buf = '';
  pos = 0;
  /** 1-based line of the character at pos. */
  line = 1;
  private readonly it: AsyncIterator<string>;
  constructor(chunks: AsyncIterable<string>) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  /** Loads the next non-empty chunk; false at the end of the input. */
  async more(): Promise<boolean> {
    for (;;) {
      const r = await this.it.next();
      if (r.done) return false;
      if (r.value) {
        this.buf = r.value;
        this.pos = 0;
        return true;
      }
    }
  }

  /** The next character that is not JSON whitespace, not consumed; -1 at the end of the input. */
  async peek(): Promise<number> {
    for (;;) {
      const s = this.buf;
      while (this.pos < s.length) {
        const ch = s.charCodeAt(this.pos);
        if (ch === LF) this.line++;
        else if (ch !== SPACE && ch !== TAB && ch !== CR) return ch;
        this.pos++;
      }
      if (!(await this.more())) return -1;
    }
  }

  /** After a value in an object or array: true past a ',' (more follows), false past the `close` bracket. */
  async afterValue(close: number): Promise<boolean> {
    const ch = await this.peek();
    if (ch === COMMA || ch === close) {
      this.pos++;
      return ch === COMMA;
    }
    throw this.syntax(ch < 0 ? 'unexpected end of the document' : `expected ',' or '${String.fromCharCode(close)}'`);
  }

  syntax(what: string): JsonSyntaxError {
    return new JsonSyntaxError(`${what} at line ${this.line}`);
  }

  /**
   * The text of the value starting at pos (after peek): an object or array up to its matching
   * bracket, a string up to its closing quote, anything else up to the next delimiter or space.
   */
  async valueText(): Promise<string> {
    const parts: string[] = [];
    const first = this.buf.charCodeAt(this.pos);
    const scan = first !== OPEN_BRACE && first !== OPEN_BRACKET && first !== QUOTE ? scalarEnd : nestedEnd;
    const state: NestedState = { depth: 0, inString: false, escape: false, lines: 0 };
    let start = this.pos;
    for (;;) {
      const s = this.buf;
      const end = scan(s, this.pos, state);
      this.line += state.lines;
      state.lines = 0;
      if (end >= 0) {
        parts.push(s.slice(start, end));
        this.pos = end;
        return parts.length === 1 ? parts[0] : parts.join('');
      }
      parts.push(s.slice(start));
      this.pos = s.length;
      if (!(await this.more())) {
        if (scan === scalarEnd) return parts.join('');
        throw this.syntax('unexpected end of the document');
      }
      start = 0;
    }
  }
}

/** Where a scan of a nested value (object, array or string) stands between chunks. */
interface NestedState {
  depth: number;
  inString: boolean;
  escape: boolean;
  /** Line breaks passed in this call. */
  lines: number;
}

/** End (exclusive) of a number or literal starting at or before i: the next delimiter or space; -1 when s ends first. */
function scalarEnd(s: string, i: number): number {
  for (const n = s.length; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch === COMMA || ch === CLOSE_BRACKET || ch === CLOSE_BRACE || ch === SPACE || ch === TAB || ch === LF || ch === CR) return i;
  }
  return -1;
}

/** End (exclusive) of the object, array or string whose scan `st` continues at i; -1 when s ends first. */
function nestedEnd(s: string, i: number, st: NestedState): number {
  let { depth, inString, escape } = st;
  let lines = 0;
  let end = -1;
  for (const n = s.length; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (inString) {
      if (escape) escape = false;
      else if (ch === BACKSLASH) escape = true;
      else if (ch === QUOTE) {
        inString = false;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      } else if (ch === LF) lines++;
    } else if (ch === QUOTE) inString = true;
    else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) depth++;
    else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
      if (--depth === 0) {
        end = i + 1;
        break;
      }
    } else if (ch === LF) lines++;
  }
  st.depth = depth;
  st.inString = inString;
  st.escape = escape;
  st.lines = lines;
  return end;
}

/**
 * The members of the root object of `chunks`, in order; the member named `streamKey`, when its
 * value is an array, comes as arrayStart, one element event per element, arrayEnd. Throws
 * JsonSyntaxError when the root is not an object or the structure around the values is broken.
 */
export async function* jsonRootMembers(chunks: AsyncIterable<string>, streamKey: string): AsyncGenerator<RootEvent> {
  const c = new Cursor(chunks);
  let ch = await c.peek();
  if (ch !== OPEN_BRACE) throw new JsonSyntaxError('the document is not a JSON object', true);
  yield { kind: 'start', line: c.line };
  c.pos++;
  ch = await c.peek();
  if (ch === CLOSE_BRACE) c.pos++;
  else
    for (;;) {
      if (ch !== QUOTE) throw c.syntax(ch < 0 ? 'unexpected end of the document' : 'expected a member name');
      let key: string;
      try {
        key = JSON.parse(await c.valueText()) as string;
      } catch (e) {
        if (e instanceof JsonSyntaxError) throw e;
        throw c.syntax('bad member name');
      }
      if ((await c.peek()) !== COLON) throw c.syntax(`expected ':' after "${key.slice(0, 40)}"`);
      c.pos++;
      ch = await c.peek();
      if (ch < 0) throw c.syntax('unexpected end of the document');
      const line = c.line;
      if (key === streamKey && ch === OPEN_BRACKET) {
        yield { kind: 'arrayStart', key, line };
        c.pos++;
        let index = 0;
        ch = await c.peek();
        if (ch === CLOSE_BRACKET) c.pos++;
        else
          for (;;) {
            if (ch < 0) throw c.syntax('unexpected end of the document');
            const elementLine = c.line;
            const text = await c.valueText();
            yield { kind: 'element', index: index++, text, line: elementLine };
            if (!(await c.afterValue(CLOSE_BRACKET))) break;
            ch = await c.peek();
          }
        yield { kind: 'arrayEnd', key, count: index };
      } else {
        yield { kind: 'member', key, text: await c.valueText(), line };
      }
      if (!(await c.afterValue(CLOSE_BRACE))) break;
      ch = await c.peek();
    }
  if ((await c.peek()) >= 0) throw c.syntax('unexpected text after the document');
}
