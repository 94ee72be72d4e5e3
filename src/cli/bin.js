#!/usr/bin/env node
// The `whereto` command's entry point. It runs the TypeScript sources directly through tsx,
// so a clone needs `npm install` and nothing else: no build step to remember.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
