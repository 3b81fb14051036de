#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('rpcscope: dist/cli.js is missing; run `npm install` (or `npm run build:cli`) first\n');
  process.exit(2);
}
await import(cli);
