// `whereto serve` (and `npm start`): builds the app with Vite when the build is missing or older
// than its sources, then serves the built files on http://localhost:5173, or on $PORT when set.
// It is not the development server (`npm run dev`); nothing here is hot-reloaded.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import type { CommandSpec } from './args.ts';
import { parseCommandArgs } from './commandArgs.ts';
import { newestBuildInputMs } from './newestBuildInputMs.ts';
import { EXIT_OK, EXIT_USAGE } from './exitCodes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** True when dist/ is missing or any input of the build changed after it was written. */
export function buildIsStale(): boolean {
  const built = join(root, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  return newestBuildInputMs() > statSync(built).mtimeMs;
}

export const serveSpec: CommandSpec = {
  command: 'whereto serve',
  positionals: '',
  minPositionals: 0,
  options: [
    {
      name: 'port',
      type: 'int',
      min: 1,
      max: 65535,
      arg: 'N',
      help: 'port to serve on (default $PORT, else 5173)',
    },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, serveSpec);
  if (typeof parsed === 'number') return parsed;
  const port = Number(parsed.options.port ?? process.env.PORT ?? 5173);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    process.stderr.write(`whereto serve: $PORT '${process.env.PORT}' is not a port number\n`);
    return EXIT_USAGE;
  }
  if (buildIsStale()) {
    process.stderr.write('Building the app…\n');
    await build({ root, logLevel: 'warn' });
  }
  const server = await preview({ root, preview: { port, strictPort: true, host: 'localhost' } });
  const url = server.resolvedUrls?.local[0] ?? `http://localhost:${port}/`;
  process.stdout.write(`whereto is running at ${url}  (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return EXIT_OK;
}
