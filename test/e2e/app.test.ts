// Browser tests of the built app in headless Chromium (see harness.ts): loading the bundled
// sample, predicting for a chosen track, uploads (GPX, a CSV with bad rows, an id holding HTML),
// and that nothing but map tiles leaves the page's origin.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openApp,
  shutdown,
  tileUrlPattern,
  trackCount,
  uploadFiles,
  uploadText,
  waitForTrackCount,
  type App,
} from './harness.ts';

describe('the app in a browser', () => {
  let app: App;
  let bundled = 0;

  beforeAll(async () => {
    app = await openApp();
    bundled = await trackCount(app.page);
  });

  afterAll(async () => {
    await app?.close();
    await shutdown();
  });

  it('loads with the bundled Porto tracks listed and drawn, and the default model active', async () => {
    const { page } = app;
    expect(bundled).toBeGreaterThan(1000);
    await page.getByText(/default\.json · LSTM \d+/).waitFor();
    await expect
      .poll(() => page.getByTestId('status').textContent())
      .toMatch(/Loaded \d+ tracks from porto_train_points\.csv/);
    expect(await page.getByTestId('track-item').count()).toBeGreaterThan(5);
    // the list is virtualized: far fewer rows in the DOM than tracks
    expect(await page.getByTestId('track-item').count()).toBeLessThan(40);
    expect(await page.locator('[data-testid="map"] canvas').count()).toBeGreaterThan(0);
  });

  it('choosing a track draws its prediction and the errors in metres', async () => {
    const { page } = app;
    const first = page.getByTestId('track-item').first();
    const id = (await first.locator('.id').textContent())!;
    await first.click();
    await expect.poll(() => page.getByTestId('status').textContent()).toContain(id);
    await page.locator('[data-testid="prediction"][data-kind="model"]').first().waitFor({ timeout: 15_000 });
    const d = await page.locator('[data-testid="prediction"][data-kind="model"]').first().getAttribute('d');
    expect(d).toMatch(/^M[\d.-]+ [\d.-]+L/);
    const cells = await page.locator('[data-testid="errors"] tbody td').allTextContents();
    expect(cells.some((c) => /\d+ m|km/.test(c))).toBe(true);
  });

  it('moving the time slider moves the prediction', async () => {
    const { page } = app;
    const path = page.locator('[data-testid="prediction"][data-kind="model"]').first();
    const before = await path.getAttribute('d');
    const slider = page.getByTestId('time-slider');
    await slider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => path.getAttribute('d')).not.toBe(before);
  });

  it('play runs along the track, the prediction following live', async () => {
    const { page } = app;
    const slider = page.getByTestId('time-slider');
    const start = Number(await slider.inputValue());
    await page.getByRole('button', { name: 'Play along the track' }).click();
    await expect.poll(async () => Number(await slider.inputValue())).toBeGreaterThan(start + 2);
    await page.getByText('live', { exact: true }).waitFor();
    const model = page.locator('[data-testid="prediction"][data-kind="model"]');
    const d1 = await model.first().getAttribute('d');
    await expect.poll(() => model.first().getAttribute('d')).not.toBe(d1);
    await page.getByRole('button', { name: 'Pause' }).click();
    const stopped = await slider.inputValue();
    await page.waitForTimeout(400);
    expect(await slider.inputValue()).toBe(stopped);
  });

  it('in draw mode each click on the map extends the path and the prediction follows', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Draw a path' }).click();
    const box = (await page.getByTestId('map').boundingBox())!;
    const model = page.locator('[data-testid="prediction"][data-kind="model"]');
    const clicks = [
      [0.3, 0.6],
      [0.35, 0.55],
      [0.4, 0.52],
      [0.45, 0.5],
    ];
    let last: string | null = null;
    for (const [i, [fx, fy]] of clicks.entries()) {
      await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
      await expect
        .poll(() => page.getByTestId('status').textContent())
        .toContain(`Drawn path: ${i + 1} point`);
      if (i >= 1) {
        await expect.poll(() => model.count()).toBe(1);
        const d = await model.getAttribute('d');
        expect(d).not.toBe(last);
        last = d;
      }
    }
    // from the keyboard: focus the map, pan with an arrow key, Enter adds the centre
    await page.getByTestId('map').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('Drawn path: 5 points');
    await expect.poll(() => model.getAttribute('d')).not.toBe(last);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Draw a path' }).waitFor();
  });

  it('uploading a GPX file adds its track', async () => {
    const { page } = app;
    const n = await trackCount(page);
    await uploadFiles(page, 'run.gpx');
    const after = await waitForTrackCount(page, (c) => c > n);
    expect(after).toBeGreaterThanOrEqual(n + 1);
    await expect.poll(() => page.getByTestId('load-summary').textContent()).toContain('run.gpx');
    await page.getByRole('searchbox', { name: 'Search tracks' }).fill('run.gpx');
    await expect.poll(() => page.getByTestId('track-item').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('track-item').first().textContent()).toContain('run.gpx');
    await page.getByRole('searchbox', { name: 'Search tracks' }).fill('');
  });

  it('a CSV with bad rows loads the good rows and names the bad ones by line number', async () => {
    const { page } = app;
    await uploadFiles(page, 'bad_rows.csv');
    const summary = page.getByTestId('load-summary').locator('li', { hasText: 'bad_rows.csv' });
    await summary.waitFor();
    await expect.poll(() => summary.textContent()).toMatch(/2 rejected/);
    const rows = await summary.getByTestId('rejected-rows').locator('li').allTextContents();
    expect(rows.length).toBe(2);
    expect(rows[0]).toMatch(/^line 4\b.*abc/);
    expect(rows[1]).toMatch(/^line 6\b.*95/);
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/2 rows rejected/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      summary.getByRole('button', { name: /Download all 2 rejected rows/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('bad_rows-rejected.csv');
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('file,line,reason');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      'bad_rows.csv,4',
      'bad_rows.csv,6',
    ]);
  });

  it('a file with no tracks in it is named with the reason, and the other files still load', async () => {
    const { page } = app;
    const n = await trackCount(page);
    await uploadText(page, [
      { name: 'notes.txt', text: 'shopping list\nmilk\neggs\n' },
      {
        name: 'ok.csv',
        text: 'track_id,timestamp,lat,lon\nok-1,2013-07-01T03:00:00Z,41.16,-8.6\nok-1,2013-07-01T03:00:15Z,41.161,-8.601\nok-1,2013-07-01T03:00:30Z,41.162,-8.602\n',
      },
    ]);
    const failed = page.getByTestId('load-summary').locator('li', { hasText: 'notes.txt' });
    await failed.waitFor();
    expect(await failed.locator('.err').textContent()).toMatch(/notes\.txt/);
    await waitForTrackCount(page, (c) => c === n + 1);
    await expect
      .poll(() => page.getByTestId('status').textContent())
      .toMatch(/Loaded 1 track from notes\.txt, ok\.csv; notes\.txt/);
  });

  it('files dropped on the drop zone load like chosen ones', async () => {
    const { page } = app;
    const n = await trackCount(page);
    const rows = ['track_id,timestamp,lat,lon'];
    for (let i = 0; i < 12; i++)
      rows.push(`dropped-1,2013-07-01T02:00:${String(i * 5).padStart(2, '0')}Z,${41.17 + i * 0.0003},-8.62`);
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return dt;
    }, rows.join('\n'));
    await page.getByRole('region', { name: 'Drop track files here' }).dispatchEvent('drop', { dataTransfer });
    await waitForTrackCount(page, (c) => c === n + 1);
    await expect.poll(() => page.getByTestId('load-summary').textContent()).toContain('dropped.csv');
  });

  it('a track id holding HTML is shown as text, never run', async () => {
    const { page } = app;
    await uploadFiles(page, 'html_id.csv');
    await page.getByRole('searchbox', { name: 'Search tracks' }).fill('onerror');
    const item = page.getByTestId('track-item').first();
    await expect.poll(() => item.textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('[data-testid="track-list"] img').count()).toBe(0);
    await item.click();
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('<img');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  it('no request leaves the page origin except map tiles', async () => {
    const outside = app.requests.filter(
      (u) => !u.startsWith(app.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'),
    );
    expect(app.tileRequests.length).toBeGreaterThan(0);
    expect(outside.filter((u) => !tileUrlPattern.test(u))).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
