// readFiles.ts spec: the Node adapter's text is exactly the file's UTF-8 decoding whether the bytes
// are ASCII (copied directly) or not (decoded from the first non-ASCII chunk on), including a
// character cut at the 1 MiB chunk boundary; a missing file or a folder is a ReadError naming it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileText, readFile } from '../../src/cli/readFiles.ts';
import { ReadError } from '../../src/data/readError.ts';

const dir = mkdtempSync(join(tmpdir(), 'whereto-readfiles-'));
const MiB = 1 << 20;

async function textOf(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(path, bytes);
  let text = '';
  for await (const s of fileText(path)) text += s;
  return text;
}

describe('fileText()', () => {
  it('gives the UTF-8 text of ASCII, of a character cut between chunks, of invalid bytes and of a BOM', async () => {
    const ascii = Buffer.from('lat,lon\n'.repeat(MiB / 4));
    expect(await textOf(ascii)).toBe(ascii.toString('utf8'));
    // 'é' (2 bytes) and '€' (3 bytes) straddling the first chunk boundary, after a pure-ASCII chunk.
    for (const ch of ['é', '€']) {
      const bytes = Buffer.concat([
        Buffer.alloc(MiB - 1, 'a'),
        Buffer.from(ch + 'b,c\n'),
        Buffer.alloc(100, 'z'),
      ]);
      const text = await textOf(bytes);
      expect(text).toBe(new TextDecoder().decode(bytes));
      expect(text.slice(MiB - 2, MiB + 2)).toBe(`a${ch}b,`);
    }
    expect(await textOf(Buffer.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
    expect(await textOf(Buffer.from('\ufeffid,lat\n'))).toBe('id,lat\n');
  });
});

describe('readFile()', () => {
  it('names the file and why when it is missing or a folder', async () => {
    await expect(readFile(join(dir, 'nope.csv'))).rejects.toThrow(ReadError);
    await expect(readFile(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv.*no such file/);
    await expect(readFile(dir)).rejects.toThrow(/is a directory/);
  });
});

describe('loadTracks()', () => {
  it("prints the reader's notes on stderr as warnings naming the file, and returns the tracks", async () => {
    const { loadTracks } = await import('../../src/cli/loadTracks.ts');
    const path = join(dir, 'numbered.csv');
    // `id` differs on every row: the reader takes it for a row number and says so in a note.
    const rows = Array.from(
      { length: 5 },
      (_, i) => `${i + 1},2013-07-01T10:00:${String(i * 5).padStart(2, '0')}Z,41.1${i},-8.6`,
    );
    writeFileSync(path, ['id,time,lat,lon', ...rows].join('\n') + '\n');
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (written.push(s), true)) as typeof process.stderr.write;
    let tracks;
    try {
      tracks = await loadTracks([path], {});
    } finally {
      process.stderr.write = write;
    }
    expect(tracks.map((t) => [t.id, t.t.length])).toEqual([['numbered', 5]]);
    expect(written.join('')).toMatch(
      new RegExp(`^whereto: warning: ${path}: column 1 \\('id'\\) differs on every row`),
    );
  });
});
