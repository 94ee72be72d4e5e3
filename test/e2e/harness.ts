// The browser-test harness: builds the app once (vite build into a temp dir shared by every e2e test
// file of a run, reused while the sources are unchanged), serves it with vite preview on a free port
// and drives Debian's /usr/bin/chromium through playwright-core. Map tiles are answered with a local
// blank PNG so no test needs the network, and every request the page makes is recorded.
// It is not a test itself; test/e2e/*.test.ts use openApp() and the helpers below.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, crc32 } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { newestBuildInputMs } from '../../src/cli/newestBuildInputMs.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixturesDir = join(root, 'test', 'fixtures', 'e2e');
export const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Tile requests look like …/{z}/{x}/{y}.png (OSM's default and any z/x/y template). */
export const tileUrlPattern = /\/\d+\/\d+\/\d+(@2x)?\.(png|jpg|jpeg|webp)(\?.*)?$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the app into a temp dir named after the newest mtime of its inputs, once: the first test
 * file to get here builds (holding a lock directory), the others wait for its `done` marker.
 */
export async function buildApp(): Promise<string> {
  const stamp = newestBuildInputMs();
  const key = createHash('sha1').update(`${root}:${stamp}`).digest('hex').slice(0, 12);
  const base = join(tmpdir(), 'whereto-e2e');
  const dir = join(base, key);
  const outDir = join(dir, 'dist');
  const done = join(dir, 'done');
  const lock = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  if (existsSync(done)) return outDir;
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    // another test file is building; wait for it below (or take over if it died)
  }
  if (!owner) {
    const deadline = Date.now() + 170_000;
    while (!existsSync(done)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the e2e build in ${dir}`);
      // a builder that died leaves its lock behind: a build takes seconds, so an old lock is stale
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) {
        rmSync(lock, { recursive: true, force: true });
        return buildApp();
      }
      await sleep(200);
    }
    return outDir;
  }
  try {
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
    writeFileSync(done, new Date().toISOString());
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  for (const old of readdirSync(base)) {
    const p = join(base, old);
    if (old !== key && Date.now() - statSync(p).mtimeMs > 3_600_000)
      rmSync(p, { recursive: true, force: true });
  }
  return outDir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A solid-colour RGB PNG (no dependencies), used as every map tile. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const blankTile = solidPng(256, 256, [242, 240, 235]);

export interface App {
  page: Page;
  context: BrowserContext;
  /** The page's origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Every request the page and its workers made, in order. */
  requests: string[];
  /** Requests answered with the blank tile. */
  tileRequests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  close(): Promise<void>;
}

let browserPromise: Promise<Browser> | null = null;
let serverPromise: Promise<PreviewServer> | null = null;

function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests drive Debian's Chromium at ${chromiumPath}, which is missing. ` +
        'Install it with: apt-get install -y chromium fonts-dejavu-core',
    );
  }
  browserPromise ??= chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  return browserPromise;
}

async function startServer(): Promise<PreviewServer> {
  serverPromise ??= (async () => {
    const outDir = await buildApp();
    const port = await freePort();
    return preview({
      root,
      logLevel: 'error',
      build: { outDir },
      preview: { port, strictPort: true, host: '127.0.0.1', open: false },
    });
  })();
  return serverPromise;
}

/**
 * Opens the built app in a fresh browser context and waits until the bundled tracks are listed.
 * Options: `viewport`, `waitForTracks` (default true), `localStorage` entries set before load,
 * `tiles` ('blank' or 'fail'), `defaultModel` (a model file served as the default).
 */
export async function openApp(
  opts: {
    viewport?: { width: number; height: number };
    waitForTracks?: boolean;
    localStorage?: Record<string, string>;
    /** 'blank' (default) answers tiles with a blank PNG; 'fail' with HTTP 503, as when offline. */
    tiles?: 'blank' | 'fail';
    /** Serve this model file (a path) as /models/default.json instead of the bundled one. */
    defaultModel?: string;
  } = {},
): Promise<App> {
  const [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  const origin = `http://127.0.0.1:${server.config.preview.port}`;
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
  const requests: string[] = [];
  const tileRequests: string[] = [];
  const errors: string[] = [];
  context.on('request', (req) => requests.push(req.url()));
  await context.route(
    (url) => url.origin !== origin,
    async (route) => {
      const url = route.request().url();
      if (tileUrlPattern.test(url)) {
        tileRequests.push(url);
        if (opts.tiles === 'fail') await route.fulfill({ status: 503, body: 'offline' });
        else await route.fulfill({ status: 200, contentType: 'image/png', body: blankTile });
      } else {
        await route.abort('blockedbyclient');
      }
    },
  );
  if (opts.defaultModel) {
    const body = readFileSync(opts.defaultModel, 'utf8');
    await context.route(`${origin}/models/default.json`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body }),
    );
  }
  if (opts.localStorage) {
    await context.addInitScript((entries: Record<string, string>) => {
      for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
    }, opts.localStorage);
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(origin + '/');
  if (opts.waitForTracks ?? true) await waitForTrackCount(page, (n) => n > 0);
  return {
    page,
    context,
    origin,
    requests,
    tileRequests,
    errors,
    close: () => context.close(),
  };
}

/** Reads the number of loaded tracks the track list reports (data-count on the list). */
export async function trackCount(page: Page): Promise<number> {
  const v = await page.getByTestId('track-list').getAttribute('data-count');
  return Number(v ?? 0);
}

/** Waits until the track list's count satisfies `ok` (default timeout 60 s). */
export async function waitForTrackCount(
  page: Page,
  ok: (n: number) => boolean,
  timeoutMs = 60_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const el = page.getByTestId('track-list');
    if ((await el.count()) > 0) {
      const n = await trackCount(page);
      if (ok(n)) return n;
    }
    if (Date.now() > deadline) {
      const status = await page
        .getByTestId('status')
        .textContent()
        .catch(() => '?');
      throw new Error(`track count condition not met within ${timeoutMs} ms; status: ${status}`);
    }
    await sleep(100);
  }
}

/** Uploads files through the file button (paths relative to test/fixtures/e2e, or absolute). */
export async function uploadFiles(page: Page, ...paths: string[]): Promise<void> {
  const full = paths.map((p) => (p.startsWith('/') ? p : join(fixturesDir, p)));
  await page.getByTestId('file-input').setInputFiles(full);
}

/** Uploads in-memory files (name + text) through the file button. */
export async function uploadText(
  page: Page,
  files: { name: string; text: string; mimeType?: string }[],
): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(
    files.map((f) => ({
      name: f.name,
      mimeType: f.mimeType ?? 'text/plain',
      buffer: Buffer.from(f.text, 'utf8'),
    })),
  );
}

/** Closes the browser and the preview server (call in afterAll of each test file). */
export async function shutdown(): Promise<void> {
  const b = browserPromise;
  const s = serverPromise;
  browserPromise = null;
  serverPromise = null;
  await Promise.all([b?.then((x) => x.close()).catch(() => {}), s?.then((x) => x.close()).catch(() => {})]);
}
