// A model file or report is replaced whole or not at all: a write that fails, or a process killed,
// after the new bytes are written but before the rename leaves the previous file exactly as it was.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/cli/writeFileAtomic.ts';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'whereto-atomic-'));

describe('writeFileAtomic()', () => {
  it('replaces the file with the complete new contents and leaves no temporary file', () => {
    const path = join(dir, 'replaced.json');
    writeFileSync(path, 'old');
    writeFileAtomic(path, 'new contents');
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    expect(readdirSync(dir).filter((f) => f.startsWith('.replaced.json'))).toEqual([]);
  });

  it('a write that fails before its rename leaves the previous file intact and removes its temporary file', () => {
    const path = join(dir, 'model.json');
    writeFileSync(path, '{"previous": true}');
    let tmpSeen = '';
    expect(() =>
      writeFileAtomic(path, '{"next": true, "padding": "' + 'x'.repeat(100_000) + '"}', {
        beforeRename: (tmp) => {
          tmpSeen = readFileSync(tmp, 'utf8');
          throw new Error('disk unplugged');
        },
      }),
    ).toThrow('disk unplugged');
    expect(tmpSeen.startsWith('{"next": true')).toBe(true); // the new bytes were on disk, only the rename was missing
    expect(readFileSync(path, 'utf8')).toBe('{"previous": true}');
    expect(readdirSync(dir).filter((f) => f.startsWith('.model.json'))).toEqual([]);
  });

  it('a process killed between write and rename leaves the previous file intact', () => {
    const path = join(dir, 'killed.json');
    writeFileSync(path, 'previous model');
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(join(root, 'src/cli/writeFileAtomic.ts'))};
      writeFileAtomic(${JSON.stringify(path)}, 'y'.repeat(1 << 20), {
        beforeRename: () => process.kill(process.pid, 'SIGKILL'),
      });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(path, 'utf8')).toBe('previous model');
  });
});
