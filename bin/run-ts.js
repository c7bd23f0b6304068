#!/usr/bin/env node
// Runs a TypeScript entry point with tsx's require hook, so the project needs no build step
// for the CLI, the benchmarks or `sls invoke local`.

const path = require('node:path');
require('tsx/cjs/api').register();
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: run-ts <file.ts> [args…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
require(path.resolve(entry));
