// Browser test of the verdict and "Adapt to these tracks" in the built app (headless Chromium via
// harness.ts): the verdict on the loaded tracks appears beside the prediction; fine-tuning the
// active model for one epoch on a few Porto trips shows the before/after table on the held-out
// trips and makes the result the active model; on tracks where constant velocity is exact the
// verdict says the model loses and its link leads to the adapt action.
// With SCREENSHOT_DIR set it also saves verdict-porto.png, adapt-panel.png and verdict.png there (not in npm test).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portoSubset } from '../cli/portoSubset.ts';
import { openApp, shutdown, uploadText, waitForTrackCount, type App } from './harness.ts';

/** Tracks due north at a constant 0.001° per 15 s: constant velocity predicts them exactly. */
function straightTracksCsv(tracks: number, points: number): string {
  const rows = ['track_id,timestamp,lat,lon'];
  for (let k = 0; k < tracks; k++)
    for (let i = 0; i < points; i++) {
      const t = new Date(Date.UTC(2024, 4, 1 + k, 8, 0, 15 * i)).toISOString().replace('.000', '');
      rows.push(`straight${k},${t},${(41.1 + 0.001 * i).toFixed(6)},${(-8.6 + 0.01 * k).toFixed(6)}`);
    }
  return rows.join('\n') + '\n';
}

const shots = process.env.SCREENSHOT_DIR;

describe('the verdict and "Adapt to these tracks" in a browser', () => {
  let app: App;

  beforeAll(async () => {
    app = await openApp({ viewport: { width: 1440, height: 1100 } });
  });

  afterAll(async () => {
    await app?.close();
    await shutdown();
  });

  /** Replaces the loaded tracks with one CSV and waits for its tracks to be listed. */
  async function loadOnly(name: string, text: string): Promise<number> {
    const { page } = app;
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await page.getByRole('button', { name: 'Clear all' }).click();
    await waitForTrackCount(page, (n) => n === 0);
    await uploadText(page, [{ name, text }]);
    return waitForTrackCount(page, (n) => n > 0);
  }

  it('says beside the prediction whether the model beats constant velocity on the loaded tracks', async () => {
    const { page } = app;
    const verdict = page.getByTestId('verdict');
    await expect
      .poll(() => verdict.textContent(), { timeout: 60_000 })
      .toMatch(
        /On these [\d,]+ tracks the model (beats|loses to|never loses to) constant velocity .*\(model\/CV [\d.]+.*\) \([\d,]+ windows\)/,
      );
    if (shots) await page.locator('#sidebar').screenshot({ path: join(shots, 'verdict-porto.png') });
  });

  it('adapts the active model for one epoch: the before/after table appears and the model changes', async () => {
    const { page } = app;
    const trips = await loadOnly('porto60.csv', portoSubset(60));
    expect(trips).toBeGreaterThan(40);
    await expect
      .poll(() => page.getByTestId('verdict').textContent(), { timeout: 60_000 })
      .toMatch(new RegExp(`On these ${trips} tracks the model `));

    await page.getByRole('tab', { name: 'Model' }).click();
    const card = page.getByTestId('model-card');
    const before = (await card.textContent()) ?? '';
    expect(await page.getByTestId('model-name').textContent()).toBe('default.json');
    await page.getByTestId('adapt-epochs').fill('1');
    const button = page.getByTestId('adapt-button');
    expect(await button.textContent()).toContain(`Adapt to these ${trips} tracks`);
    await button.click();
    const table = page.getByTestId('adapt-table');
    await table.waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('train-message').textContent()).toMatch(/The adapted model is active\./);

    // five steps, each with a before and an after model÷CV ratio
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(5);
    for (const [k, row] of rows.entries())
      expect(row).toMatch(new RegExp(`^\\s*${k + 1}\\s*\\d+\\.\\d{3}\\s*\\d+\\.\\d{3}\\s*$`));
    expect(await table.locator('caption').textContent()).toMatch(/on \d+ held-out tracks/);
    expect(await page.getByTestId('adapt-verdict').textContent()).toMatch(
      /^Before, the model .*; after, it .*\.$/,
    );

    expect(await page.getByTestId('model-name').textContent()).toBe('adapted to these tracks');
    const after = (await card.textContent()) ?? '';
    expect(after).not.toBe(before);
    expect(after).toMatch(/Fine-tuned from\s*the model trained on sha256:[0-9a-f]{12}…/);
    // the bundled model is an ensemble of 5: every network was fine-tuned for the one epoch
    expect(after).toMatch(/Epochs\s*1 run per network, best 1, 1, 1, 1, 1/);
    expect(after).toContain('ensemble of 5 networks, each 1 × LSTM(64)');
    if (shots) await page.locator('#sidebar').screenshot({ path: join(shots, 'adapt-panel.png') });
  });

  it('on tracks constant velocity predicts exactly, says the model loses and links to the adapt action', async () => {
    const { page } = app;
    await loadOnly('straight.csv', straightTracksCsv(3, 40));
    const verdict = page.getByTestId('verdict');
    await expect
      .poll(() => verdict.textContent(), { timeout: 60_000 })
      .toMatch(
        /On these 3 tracks the model loses to constant velocity at steps 1–5 \(model\/CV ∞, ∞, ∞, ∞, ∞\)/,
      );
    if (shots) await page.locator('#sidebar').screenshot({ path: join(shots, 'verdict.png') });
    await page.getByTestId('verdict-adapt').click();
    await expect.poll(() => page.locator('#panel-model').isVisible()).toBe(true);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('adapt-button');
  });
});
