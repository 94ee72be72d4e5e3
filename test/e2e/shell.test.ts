// Browser tests of the app shell: keyboard access to the tabs and the track list, the sidebar on a
// narrow screen, working without map tiles, and the tile URL setting surviving a reload.
import { afterAll, describe, expect, it } from 'vitest';
import { openApp, shutdown } from './harness.ts';

afterAll(shutdown);

describe('the app shell', () => {
  it('tabs and the track list work from the keyboard', async () => {
    const app = await openApp();
    try {
      const { page } = app;
      await page.getByRole('tab', { name: 'Tracks' }).focus();
      await page.keyboard.press('ArrowRight');
      const second = page.getByRole('tab').nth(1);
      await expect.poll(() => second.getAttribute('aria-selected')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
      await page.keyboard.press('ArrowLeft');
      await expect
        .poll(() => page.getByRole('tab', { name: 'Tracks' }).getAttribute('aria-selected'))
        .toBe('true');

      const items = page.getByTestId('track-item');
      await items.first().focus();
      await page.keyboard.press('Enter');
      const firstId = (await items.first().locator('.id').textContent())!;
      await expect.poll(() => page.getByTestId('status').textContent()).toContain(firstId);
      await page.keyboard.press('ArrowDown');
      const secondId = (await items.nth(1).locator('.id').textContent())!;
      await expect.poll(() => page.getByTestId('status').textContent()).toContain(secondId);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');
    } finally {
      await app.close();
    }
  });

  it('on a narrow screen the map comes first and the sidebar opens and closes', async () => {
    const app = await openApp({ viewport: { width: 390, height: 844 }, waitForTracks: false });
    try {
      const { page } = app;
      const show = page.getByRole('button', { name: 'Show the sidebar' });
      await show.waitFor();
      expect(await page.getByTestId('track-list').isVisible()).toBe(false);
      await show.click();
      await page.getByTestId('track-list').waitFor({ state: 'visible' });
      await page.getByRole('button', { name: 'Hide the sidebar' }).click();
      await show.waitFor();
    } finally {
      await app.close();
    }
  });

  it('without map tiles the tracks still load and the map says so', async () => {
    const app = await openApp({ tiles: 'fail' });
    try {
      const { page } = app;
      await page.getByText(/Map tiles could not be loaded/).waitFor();
      expect(app.tileRequests.length).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="map"] canvas').count()).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('a tile URL set in About is used, and kept after a reload', async () => {
    const app = await openApp();
    try {
      const { page } = app;
      await page.getByRole('tab', { name: 'About' }).click();
      const input = page.getByLabel(/Tile URL template/);
      await input.fill('https://tiles.example.org/{z}/{x}/{y}.png');
      await page.getByRole('button', { name: 'Use these tiles' }).click();
      await expect
        .poll(() => app.tileRequests.some((u) => u.startsWith('https://tiles.example.org/')))
        .toBe(true);
      await input.fill('https://tiles.example.org/{z}/{x}.png');
      await page.getByRole('button', { name: 'Use these tiles' }).click();
      await page
        .getByRole('alert')
        .getByText(/must contain \{y\}/)
        .waitFor();
      app.tileRequests.length = 0;
      await page.reload();
      await expect.poll(() => app.tileRequests.length).toBeGreaterThan(0);
      expect(app.tileRequests.every((u) => u.startsWith('https://tiles.example.org/'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
