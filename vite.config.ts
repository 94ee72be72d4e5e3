// Vite builds the app (src/ui) and Vitest runs every test: unit tests in Node and the browser
// tests in test/e2e, which build the app and drive it in headless Chromium.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Cross-origin isolation, so the training worker can share memory (SharedArrayBuffer) with the
 * workers it fans out to. COEP `credentialless` rather than `require-corp`: map tiles from another
 * origin still load (fetched without cookies) without their server sending CORP headers. The dev
 * server and `vite preview` (which `whereto serve` and `npm start` run) send the same headers.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

export default defineConfig({
  plugins: [svelte()],
  root: '.',
  server: { port: 5173, headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
