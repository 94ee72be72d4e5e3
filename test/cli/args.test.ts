import { describe, expect, it } from 'vitest';
import { parseArgs, usageText, type CommandSpec } from '../../src/cli/args.ts';

const spec: CommandSpec = {
  command: 'whereto demo',
  positionals: 'FILE…',
  minPositionals: 1,
  options: [
    { name: 'out', short: 'o', type: 'string', required: true, arg: 'MODEL', help: 'where to write' },
    { name: 'hidden', type: 'int', default: 64, min: 1, help: 'hidden size' },
    { name: 'lr', type: 'number', default: 0.001, min: 0, help: 'learning rate' },
    { name: 'cell', type: 'choice', choices: ['lstm', 'gru', 'rnn'], default: 'lstm', help: 'cell' },
    { name: 'json', type: 'boolean', default: false, help: 'JSON output' },
  ],
};

describe('parseArgs()', () => {
  it('returns defaults for options not given, and the positionals in order', () => {
    const r = parseArgs(['a.csv', '--out', 'm.json', 'b.csv'], spec);
    expect(r).toEqual({
      ok: true,
      options: { out: 'm.json', hidden: 64, lr: 0.001, cell: 'lstm', json: false },
      positionals: ['a.csv', 'b.csv'],
    });
  });

  it('accepts --name value, --name=value, short aliases and switches', () => {
    const r = parseArgs(
      ['-o', 'm.json', '--hidden=32', '--lr', '0.01', '--cell', 'gru', '--json', 'x'],
      spec,
    );
    expect(r.ok && r.options).toEqual({ out: 'm.json', hidden: 32, lr: 0.01, cell: 'gru', json: true });
  });

  it('treats everything after -- as positional', () => {
    const r = parseArgs(['--out', 'm', '--', '--hidden'], spec);
    expect(r.ok && r.positionals).toEqual(['--hidden']);
  });

  it.each([
    [['--out', 'm', 'f', '--bogus'], "unknown option '--bogus'"],
    [['--out', 'm', 'f', '--hidden'], '--hidden needs a value'],
    [['--out', 'm', 'f', '--hidden', 'many'], "--hidden expects a number; got 'many'"],
    [['--out', 'm', 'f', '--hidden', '2.5'], "--hidden expects a whole number; got '2.5'"],
    [['--out', 'm', 'f', '--hidden', '0'], '--hidden must be at least 1; got 0'],
    [['--out', 'm', 'f', '--cell', 'tcn'], "--cell must be one of lstm, gru, rnn; got 'tcn'"],
    [['--out', 'm', 'f', '--json=maybe'], '--json is a switch'],
    [['f'], '--out is required'],
    [['--out', 'm'], 'expected at least 1 FILE… argument(s)'],
  ])('rejects %j with a usage error naming the problem', (argv, message) => {
    const r = parseArgs(argv, spec);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(message);
      expect(r.error.startsWith('whereto demo: ')).toBe(true);
    }
  });

  it('does not mutate the spec defaults between calls', () => {
    parseArgs(['--out', 'm', 'f', '--hidden', '8'], spec);
    const r = parseArgs(['--out', 'm', 'f'], spec);
    expect(r.ok && r.options.hidden).toBe(64);
  });
});

describe('usageText()', () => {
  it('lists every option with its placeholder and default', () => {
    const text = usageText(spec);
    expect(text).toContain('Usage: whereto demo [options] FILE…');
    expect(text).toContain('-o, --out MODEL');
    expect(text).toContain('--cell lstm|gru|rnn');
    expect(text).toMatch(/--hidden N|--hidden VALUE/);
    expect(text).toContain('(default 64)');
  });
});
