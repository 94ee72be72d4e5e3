// Browser test of training and evaluation in the built app (headless Chromium via harness.ts):
// train a small model for one epoch on the bundled tracks in the Web Worker, see the live charts
// and the active model card change, then evaluate it against the baselines.
// With SCREENSHOT_DIR set it also saves model-panel.png and eval-panel.png there (not in npm test).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, shutdown, type App } from './harness.ts';

const shots = process.env.SCREENSHOT_DIR;
// one epoch in npm test; a few more for a screenshot worth looking at
const epochs = shots ? 4 : 1;

describe('training and evaluating in the browser', () => {
  let app: App;

  beforeAll(async () => {
    app = await openApp({ viewport: { width: 1440, height: shots ? 2100 : 1000 } });
  });

  afterAll(async () => {
    await app?.close();
    await shutdown();
  });

  it('trains a small model for one epoch in a worker and makes it the active model', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Model' }).click();
    const card = page.getByTestId('model-card');
    const before = (await card.textContent()) ?? '';

    await page.getByLabel('Hidden size').fill('6');
    await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
    await page.getByLabel('Seed').fill('11');
    const train = page.getByTestId('train-button');
    const message = page.getByTestId('train-message');
    const cards: string[] = [];
    // an LSTM first, then a vanilla RNN: the second run's gradient chart keeps the first as a faint line
    for (const cell of ['LSTM', 'RNN']) {
      await page.getByRole('radio', { name: cell }).check();
      await expect.poll(() => train.textContent()).toMatch(new RegExp(`Train ${cell} on \\d+ tracks`));
      await train.click();
      await expect.poll(() => message.textContent(), { timeout: 60_000 }).toMatch(/The new model is active/);
      cards.push((await card.textContent()) ?? '');
    }
    expect(cards[0]).not.toBe(before);
    expect(cards[0]).toContain('1 × LSTM(6)');
    const after = cards[1];
    expect(after).toContain('trained in the browser');
    expect(after).toContain('1 × vanilla RNN(6)');
    expect(after).toMatch(/Seed\s*11/);
    expect(after).toMatch(/Training data\s*sha256:[0-9a-f]{12}…/);
    expect(after).toMatch(new RegExp(`Epochs\\s*${epochs} run, best \\d`));
    // the charts drew this run's curves, and the gradient chart compares it with the LSTM run
    const charts = page.locator('#panel-model svg[role="img"]');
    expect(await charts.nth(0).locator('path').count()).toBeGreaterThanOrEqual(1);
    const gradLabel = (await charts.nth(2).getAttribute('aria-label')) ?? '';
    expect(gradLabel).toMatch(/previous run: LSTM h6: 10 points/);
    expect(gradLabel).toMatch(/RNN h6: 10 points/);
    expect(await page.getByTestId('status').textContent()).toMatch(/The new model is active/);
    if (shots) await page.locator('#sidebar').screenshot({ path: join(shots, 'model-panel.png') });
  });

  it('downloads the active model as a file that uploads back unchanged, and explains a broken upload', async () => {
    const { page } = app;
    const cardRows = async () =>
      (await page.getByTestId('model-card').locator('dd').allTextContents()).slice(1);
    const before = await cardRows();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('model-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^whereto-rnn-h6-\d{4}-\d{2}-\d{2}\.json$/);
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      format: 'whereto-model',
      architecture: { cell: 'rnn', hiddenSize: 6 },
    });

    const upload = page.getByTestId('model-upload');
    await upload.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"keras"}'),
    });
    await expect
      .poll(() => page.getByTestId('model-error').textContent())
      .toMatch(/^broken\.json: not a whereto model file/);
    expect(await page.getByTestId('model-name').textContent()).toBe('trained in the browser');

    await upload.setInputFiles({
      name: 'mine.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await expect.poll(() => page.getByTestId('model-name').textContent()).toBe('mine.json');
    expect(await page.getByTestId('model-error').count()).toBe(0);
    expect(await cardRows()).toEqual(before); // everything but the source is the same model
  });

  it('cancelling a long run keeps the best epoch so far as the active model', async () => {
    const { page } = app;
    await page.getByRole('radio', { name: 'GRU' }).check();
    await page.getByLabel('Epochs', { exact: true }).fill('200');
    await page.getByLabel('Patience').fill('0');
    await page.getByTestId('train-button').click();
    const message = page.getByTestId('train-message');
    // Any epoch after the first: a poll can miss epoch 2's batches when epochs are quick.
    await expect
      .poll(() => message.textContent(), { timeout: 60_000 })
      .toMatch(/^Epoch ([2-9]|\d\d+), batch/);
    await page.getByTestId('train-cancel').click();
    await expect
      .poll(() => message.textContent(), { timeout: 60_000 })
      .toMatch(/^Cancelled after \d+ epochs?; kept the best \(epoch \d+/);
    expect(await page.getByTestId('model-name').textContent()).toBe('trained in the browser');
    expect(await page.getByTestId('model-card').textContent()).toMatch(/1 × GRU\(6\)[\s\S]*\(interrupted\)/);
    await page.getByRole('radio', { name: 'RNN' }).check();
    await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  }, 150_000);

  it('labels every control of both panels and lets the keyboard reach them', async () => {
    const { page } = app;
    for (const tab of ['Model', 'Evaluate']) {
      await page.getByRole('tab', { name: tab }).click();
      const unlabeled = await page.locator(`#panel-${tab.toLowerCase()}`).evaluate((panel) =>
        [...panel.querySelectorAll('input, select, button, textarea')]
          .filter((el) => {
            const c = el as HTMLInputElement;
            const named =
              (c.labels?.length ?? 0) > 0 || c.getAttribute('aria-label') || c.textContent?.trim();
            return !named || c.tabIndex < 0;
          })
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      expect(unlabeled, tab).toEqual([]);
    }
  });

  it('evaluates the active model against the baselines with the same table the CLI prints', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Evaluate' }).click();
    await page.getByRole('radio', { name: /all loaded tracks/ }).check();
    await page.getByLabel('Horizon (steps)').fill('4');
    await page.getByTestId('eval-button').click();
    const table = page.getByTestId('eval-table');
    await table.waitFor({ timeout: 50_000 });
    const header = await table.locator('thead th').allTextContents();
    expect(header).toEqual(['Step', 'Model', 'CV', 'Kalman', 'Last']);
    expect(await table.locator('tbody tr').count()).toBe(4);
    const summary = await page.getByTestId('eval-summary').locator('tbody tr').allTextContents();
    expect(summary.length).toBe(4);
    // constant velocity divided by itself
    expect(summary[1]).toMatch(/1\.00\s*1\.00$/);
    expect(await page.getByTestId('eval-caption').textContent()).toMatch(
      /trained in the browser · all loaded tracks/,
    );
    expect(app.errors).toEqual([]);
    if (shots) await page.locator('#sidebar').screenshot({ path: join(shots, 'eval-panel.png') });
  });
});
