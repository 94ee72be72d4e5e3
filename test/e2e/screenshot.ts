// Takes the README screenshot of the real app through the e2e harness: the bundled tracks, one
// track chosen, the slider part-way, the prediction drawn. Writes test/e2e/screenshot.png.
// Run: npx tsx test/e2e/screenshot.ts [trackIndex] [width] [height]   (not part of npm test)
// SCREENSHOT_OUT=path writes elsewhere; WHERETO_E2E_DEFAULT_MODEL=file serves that model as the default.
import { join } from 'node:path';
import { openApp, root, shutdown } from './harness.ts';

const [indexArg, widthArg, heightArg] = process.argv.slice(2);
const out = process.env.SCREENSHOT_OUT ?? join(root, 'test', 'e2e', 'screenshot.png');
const app = await openApp({
  viewport: { width: Number(widthArg ?? 1440), height: Number(heightArg ?? 900) },
  defaultModel: process.env.WHERETO_E2E_DEFAULT_MODEL,
});
try {
  const { page } = app;
  await page.getByRole('combobox', { name: 'Sort tracks by' }).selectOption('points');
  await page.getByRole('button', { name: /switch to descending/ }).click();
  await page
    .getByTestId('track-item')
    .nth(Number(indexArg ?? 2))
    .click();
  await page.locator('[data-testid="prediction"]').first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1000); // the map's fly-to animation
  await page.getByRole('button', { name: 'Zoom to prediction' }).click();
  await page.waitForTimeout(1000);
  await page.screenshot({ path: out });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await app.close();
  await shutdown();
}
