// Every command's first step: parse argv against its declared options and, on a usage error, print
// the error and the command's usage on stderr and give exit code 2. Keeps parseArgs (args.ts) pure:
// this is the one place a usage error is printed.
import { parseArgs, usageText, type CommandSpec, type ParseResult } from './args.ts';
import { EXIT_USAGE } from './exitCodes.ts';

export type ParsedArgs = Extract<ParseResult, { ok: true }>;

/** The parsed options and positionals, or exit code 2 after printing the usage error. */
export function parseCommandArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs | number {
  const parsed = parseArgs(argv, spec);
  return parsed.ok ? parsed : usageError(parsed.error, spec);
}

/** Prints `message`, a blank line and the command's usage on stderr; returns exit code 2. */
export function usageError(message: string, spec: CommandSpec): number {
  process.stderr.write(`${message}\n\n${usageText(spec)}\n`);
  return EXIT_USAGE;
}
