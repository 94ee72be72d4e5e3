// The `whereto` command: finds the subcommand and hands it the rest of the arguments.
// Each command lives in its own file and is loaded only when asked for, so `--help` stays fast.
// This is the only module that decides exit codes; commands return them.
import { readFileSync } from 'node:fs';

export interface Command {
  summary: string;
  usage: string;
  load: () => Promise<{ run: (argv: string[]) => Promise<number> }>;
}

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

export const commands: Record<string, Command> = {
  serve: {
    summary: 'build the app when needed and serve it (what `npm start` runs)',
    usage: 'whereto serve [--port N]',
    load: () => import('./serve.ts'),
  },
  inspect: {
    summary: 'read track files and report what was read: tracks, points, rejected rows with their lines',
    usage: 'whereto inspect FILE… [--json] [--tz ZONE] [--format F] [--lat C --lon C --time C --id C]',
    load: () => import('./inspect.ts'),
  },
  train: {
    summary: 'train a model on tracks and write the model file',
    usage:
      'whereto train FILE… --out MODEL [--cell lstm|gru|rnn] [--layers N] [--hidden N] [--window W] [--step S]\n' +
      '  [--head mean|gaussian] [--features LIST] [--align] [--scale-windows] [--epochs N] [--batch N] [--lr R]\n' +
      '  [--lr-schedule constant|cosine] [--clip NORM] [--tbptt K] [--val-fraction F] [--test-fraction F]\n' +
      '  [--seed N] [--patience N] [--input-format FORMAT] [--tz ZONE]',
    load: () => import('./train.ts'),
  },
  predict: {
    summary: 'the next locations after the last point of each track (CSV or GeoJSON)',
    usage:
      'whereto predict --model MODEL FILE… [--steps K] [--format csv|geojson] [--input-format FORMAT] [--tz ZONE]',
    load: () => import('./predict.ts'),
  },
  eval: {
    summary: 'errors in metres of a model against baselines over every window of the files',
    usage:
      'whereto eval --model MODEL FILE… [--horizon H] [--json] [--report DIR] [--split all|test] [--input-format FORMAT] [--tz ZONE]',
    load: () => import('./eval.ts'),
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
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
    return EXIT_OK;
  }
  const mod = await command.load();
  return mod.run(rest);
}
