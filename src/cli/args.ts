// A small declarative argument parser: each command declares its options as data and calls the
// pure parseArgs(argv, spec), which returns the options and positional arguments or a usage error.
// It never reads process.argv, prints or exits; the command decides what to do with an error.

export type OptionType = 'string' | 'number' | 'int' | 'boolean' | 'choice';

export interface OptionSpec {
  /** Long name without the dashes: `hidden` is given as `--hidden 64` or `--hidden=64`. */
  name: string;
  type: OptionType;
  /** One-letter alias without the dash (`o` for `-o`). */
  short?: string;
  choices?: readonly string[];
  default?: string | number | boolean;
  /** Inclusive bounds for number and int options. */
  min?: number;
  max?: number;
  required?: boolean;
  /** Placeholder shown in the usage text (`--hidden N`). */
  arg?: string;
  help: string;
}

export interface CommandSpec {
  /** Shown in errors and usage: `whereto train`. */
  command: string;
  /** Name of the positional arguments in the usage text, e.g. `FILE…`. */
  positionals: string;
  /** Fewest positional arguments accepted. */
  minPositionals: number;
  options: readonly OptionSpec[];
}

export type OptionValue = string | number | boolean | undefined;

export type ParseResult =
  { ok: true; options: Record<string, OptionValue>; positionals: string[] } | { ok: false; error: string };

function convert(spec: OptionSpec, text: string): { value: OptionValue } | { error: string } {
  const flag = `--${spec.name}`;
  switch (spec.type) {
    case 'string':
      return { value: text };
    case 'choice':
      if (spec.choices && !spec.choices.includes(text))
        return { error: `${flag} must be one of ${spec.choices.join(', ')}; got '${text}'` };
      return { value: text };
    case 'number':
    case 'int': {
      const n = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(n)) return { error: `${flag} expects a number; got '${text}'` };
      if (spec.type === 'int' && !Number.isInteger(n))
        return { error: `${flag} expects a whole number; got '${text}'` };
      if (spec.min !== undefined && n < spec.min)
        return { error: `${flag} must be at least ${spec.min}; got ${n}` };
      if (spec.max !== undefined && n > spec.max)
        return { error: `${flag} must be at most ${spec.max}; got ${n}` };
      return { value: n };
    }
    case 'boolean':
      if (text === 'true') return { value: true };
      if (text === 'false') return { value: false };
      return { error: `${flag} is a switch; write --${spec.name} or --${spec.name}=false` };
  }
}

/**
 * Parses argv (without the command name) against the spec. `--` ends the options. Unknown options,
 * missing values, values of the wrong type and too few positionals are usage errors.
 */
export function parseArgs(argv: readonly string[], spec: CommandSpec): ParseResult {
  const options: Record<string, OptionValue> = {};
  for (const o of spec.options) options[o.name] = o.default;
  const positionals: string[] = [];
  const fail = (error: string): ParseResult => ({ ok: false, error: `${spec.command}: ${error}` });
  let i = 0;
  let onlyPositionals = false;
  while (i < argv.length) {
    const arg = argv[i++];
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') ? arg.slice(2, eq >= 0 ? eq : undefined) : arg.slice(1);
    const o = arg.startsWith('--')
      ? spec.options.find((s) => s.name === key)
      : spec.options.find((s) => s.short === key);
    if (!o) return fail(`unknown option '${arg.slice(0, eq >= 0 ? eq : undefined)}'`);
    let text: string;
    if (eq >= 0 && arg.startsWith('--')) text = arg.slice(eq + 1);
    else if (o.type === 'boolean') text = 'true';
    else {
      if (i >= argv.length) return fail(`--${o.name} needs a value`);
      text = argv[i++];
    }
    const r = convert(o, text);
    if ('error' in r) return fail(r.error);
    options[o.name] = r.value;
  }
  for (const o of spec.options)
    if (o.required && options[o.name] === undefined) return fail(`--${o.name} is required`);
  if (positionals.length < spec.minPositionals)
    return fail(`expected at least ${spec.minPositionals} ${spec.positionals} argument(s)`);
  return { ok: true, options, positionals };
}

/** The usage text: one line per option with its placeholder, help and default. */
export function usageText(spec: CommandSpec): string {
  const lines = spec.options.map((o) => {
    const placeholder =
      o.type === 'boolean'
        ? ''
        : ` ${o.arg ?? (o.type === 'choice' ? (o.choices ?? []).join('|') : 'VALUE')}`;
    const flag = `${o.short ? `-${o.short}, ` : ''}--${o.name}${placeholder}`;
    const dflt = o.default !== undefined && o.type !== 'boolean' ? ` (default ${o.default})` : '';
    return `  ${flag.padEnd(30)} ${o.help}${o.required ? ' (required)' : ''}${dflt}`;
  });
  return [`Usage: ${spec.command} [options] ${spec.positionals}`, '', 'Options:', ...lines].join('\n');
}
