import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../src/cli/bin.js', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

function whereto(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

describe('the whereto command', () => {
  it('--version prints the package version and exits 0', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
  });

  it('--help lists every registered command and exits 0', async () => {
    const { commands } = await import('../../src/cli/main.ts');
    const r = whereto('--help');
    expect(r.status).toBe(0);
    for (const name of Object.keys(commands)) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('an unknown command is bad usage: exit 2, a message on stderr, nothing on stdout', () => {
    const r = whereto('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stdout).toBe('');
  });

  it('`whereto CMD --help` lists every option the command declares, so help cannot drift from parsing', async () => {
    const { commands } = await import('../../src/cli/main.ts');
    for (const [name, command] of Object.entries(commands)) {
      const { spec } = await command.load();
      const r = whereto(name, '--help');
      expect(r.status).toBe(0);
      for (const option of spec.options)
        expect(r.stdout, `${name} --${option.name}`).toContain(`--${option.name}`);
    }
  });

  it('the package exposes whereto as its bin', () => {
    expect(pkg.bin.whereto).toBe('src/cli/bin.js');
  });
});
