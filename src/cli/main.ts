// The `whereto` command: finds the subcommand and hands it the rest of the arguments.
// Each command lives in its own file and is loaded only when asked for, so `--help` stays fast.
// Commands return their exit code (src/cli/exitCodes.ts) and bin.js sets it; only a second Ctrl-C
// during training exits at once.
import { readFileSync } from 'node:fs';
import { usageText, type CommandSpec } from './args.ts';
import { EXIT_OK, EXIT_USAGE } from './exitCodes.ts';

export interface CommandModule {
  run: (argv: string[]) => Promise<number>;
  /** The declared options: `whereto CMD --help` prints them, so help cannot drift from the parser. */
  spec: CommandSpec;
}

export interface Command {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const commands: Record<string, Command> = {
  serve: {
    summary: 'build the app when needed and serve it (what `npm start` runs)',
    load: () => import('./serve.ts').then((m) => ({ run: m.run, spec: m.serveSpec })),
  },
  inspect: {
    summary: 'read track files and report what was read: tracks, points, rejected rows with their lines',
    load: () => import('./inspect.ts').then((m) => ({ run: m.run, spec: m.inspectSpec })),
  },
  train: {
    summary: 'train a model on tracks and write the model file',
    load: () => import('./train.ts').then((m) => ({ run: m.run, spec: m.trainSpec })),
  },
  predict: {
    summary: 'the next locations after the last point of each track (CSV or GeoJSON)',
    load: () => import('./predict.ts').then((m) => ({ run: m.run, spec: m.predictSpec })),
  },
  eval: {
    summary: 'errors in metres of a model against baselines over every window of the files',
    load: () => import('./eval.ts').then((m) => ({ run: m.run, spec: m.evalSpec })),
  },
  export: {
    summary: 'write a model as ONNX (onnxruntime anywhere) or as a PyTorch state_dict',
    load: () => import('./export.ts').then((m) => ({ run: m.run, spec: m.exportSpec })),
  },
  import: {
    summary: 'turn a PyTorch state_dict trained elsewhere into a whereto model file',
    load: () => import('./import.ts').then((m) => ({ run: m.run, spec: m.importSpec })),
  },
  'export-windows': {
    summary: 'write the training and validation windows as .npy shards for an external trainer (scale/)',
    load: () => import('./exportWindows.ts').then((m) => ({ run: m.run, spec: m.exportWindowsSpec })),
  },
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'whereto — where is this person going? Next-location prediction from GPS tracks.',
    '',
    'Usage: whereto <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    "  --help, -h     show this help (or a command's, after its name)",
    '  --version, -v  print the version',
    '',
    'Exit codes: 0 success, 1 bad input (the message names the file, the line and what is wrong), 2 bad usage.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText() + '\n');
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(version() + '\n');
    return EXIT_OK;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`whereto: unknown command '${name}'\n\n${helpText()}\n`);
    return EXIT_USAGE;
  }
  const mod = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.summary}\n\n${usageText(mod.spec)}\n`);
    return EXIT_OK;
  }
  return mod.run(rest);
}
