// Browser test of multi-threaded training (headless Chromium via harness.ts): the served page is
// cross-origin isolated (COOP same-origin, COEP credentialless from vite.config.ts), a map tile
// from another origin still loads under that policy, and the training worker fans each batch out
// to a second Web Worker through shared memory, recording the thread count in the model file.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, shutdown, waitForTrackCount, type App } from './harness.ts';

describe('training on 2 threads in the browser', () => {
  let app: App;

  beforeAll(async () => {
    app = await openApp();
    // Two threads whatever this machine's core count (the page asks for its cores).
    await app.context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }),
    );
    await app.page.reload();
    await waitForTrackCount(app.page, (n) => n > 0);
  });

  afterAll(async () => {
    await app?.close();
    await shutdown();
  });

  it('the page is cross-origin isolated and a map tile from another origin still loads', async () => {
    const { page } = app;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // A tile whose request was cut short by the reload can be marked loaded with no pixels, so wait
    // for one that really decoded: the 256-pixel tile the harness serves from another origin.
    const decoded = await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="map"] img.leaflet-tile-loaded')].some(
          (img) => (img as HTMLImageElement).naturalWidth === 256,
        ),
      undefined,
      { timeout: 30_000 },
    );
    expect(await decoded.jsonValue()).toBe(true);
  });

  it('trains with its batches split across 2 workers and says so; the model file records 2 threads', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Model' }).click();
    await page.getByLabel('Hidden size').fill('6');
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByTestId('train-button').click();
    const message = page.getByTestId('train-message');
    await expect
      .poll(() => message.textContent(), { timeout: 90_000 })
      .toMatch(/trained on 2 threads\. The new model is active/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('model-download').click(),
    ]);
    const mf = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(mf.training.threads).toBe(2);
    expect(mf.architecture.hiddenSize).toBe(6);
    expect(app.errors).toEqual([]);
  });
});
