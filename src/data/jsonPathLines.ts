// Finds the physical line where given values of a JSON text start, by path (`features[3].geometry
// .coordinates[17]`), in one scan that stops when all are found. Used only to put line numbers on
// rejected GeoJSON rows; assumes the text already parsed as JSON.

interface Frame {
  isArray: boolean;
  path: string;
  index: number;
  key: string;
}

/** Map from each wanted path ('' is the root) to the 1-based line where its value starts. */
export function jsonPathLines(text: string, wanted: Set<string>): Map<string, number> {
  const found = new Map<string, number>();
  if (wanted.size === 0) return found;
  const stack: Frame[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  // The path of the value starting now, from the innermost container.
  const here = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.isArray ? `${top.path}[${top.index}]` : top.path === '' ? top.key : `${top.path}.${top.key}`;
  };
  const mark = (path: string) => {
    if (wanted.has(path) && !found.has(path)) found.set(path, line);
  };
  let expectKey = false;
  while (i < n && found.size < wanted.size) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 32 || c === 9 || c === 13 || c === 58 /* : */) i++;
    else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.isArray) top.index++;
      else expectKey = true;
      i++;
    } else if (c === 34 /* " */) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return found;
        let bs = 0;
        for (let k = q - 1; text.charCodeAt(k) === 92; k--) bs++;
        j = q + 1;
        if (bs % 2 === 0) break;
      }
      if (expectKey) {
        stack[stack.length - 1].key = JSON.parse(text.slice(i, j)) as string;
        expectKey = false;
      } else mark(here());
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const path = here();
      mark(path);
      stack.push({ isArray: c === 91, path, index: 0, key: '' });
      expectKey = c === 123;
      i++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      expectKey = false;
      i++;
    } else {
      // A number or a literal: up to the next delimiter.
      mark(here());
      while (i < n && !',]}\n \t\r'.includes(text[i])) i++;
    }
  }
  return found;
}
