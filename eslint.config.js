// Lint rules for the whole project: TypeScript everywhere, Svelte components in src/ui.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';

// DESIGN.md's boundaries as lint errors. src/model, src/encode and src/data run unchanged in Node,
// a Web Worker and the page: no Node built-ins (with or without `node:`), no Leaflet, no Svelte.
// (No file of src/data touches the file system today; src/cli reads files and hands text over.)
const portable = {
  paths: builtinModules.map((name) => ({ name, message: 'Node built-ins stay in src/cli (DESIGN.md).' })),
  patterns: [
    { group: ['node:*'], message: 'Node built-ins stay in src/cli (DESIGN.md).' },
    {
      group: ['leaflet', 'leaflet/*', 'svelte', 'svelte/*'],
      message: 'Only src/ui imports Leaflet and Svelte (DESIGN.md).',
    },
  ],
};

// src/ui reaches the engine (src/data, geo, encode, model, train, predict, eval, cli) only through
// src/ui/engine.ts. Matched on the relative path that climbs exactly to src/ from the file's depth,
// so `../../data/porto_train_points.csv` (the repository's data folder) stays allowed.
const ENGINE = '(data|geo|encode|model|train|predict|eval|cli)/';
const throughEngine = (up) => ({
  patterns: [
    {
      regex: `^${'\\.\\./'.repeat(up)}${ENGINE}`,
      message: 'src/ui reaches the engine through src/ui/engine.ts only.',
    },
  ],
});

export default ts.config(
  { ignores: ['dist', 'node_modules', 'public', 'data', 'test/fixtures', '.cache'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Large data is $state.raw and replaced whole (STYLE.md), so plain Map/Set locals are intended.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    files: ['src/model/**/*.ts', 'src/encode/**/*.ts', 'src/data/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', portable] },
  },
  // One block per folder depth (src/ui/x, src/ui/a/x, src/ui/a/b/x): the climb to src/ differs.
  ...[1, 2, 3].map((up) => ({
    files: [`src/ui/${'*/'.repeat(up - 1)}*.{ts,svelte}`],
    ignores: ['src/ui/engine.ts'],
    rules: { 'no-restricted-imports': ['error', throughEngine(up)] },
  })),
);
