#!/usr/bin/env node
/**
 * The package's `bin` (bundled alone as dist/src/cli/bin.mjs): sets V8's flags, then runs the
 * CLI from `cli.cjs` with its code cache when the cache was made for it by this Node
 * (src/cli/code-cache.ts), else from the ES module bundle `main.mjs`. Both are the same
 * sources (src/cli/main.ts); only how V8 gets their compiled code differs.
 */
import { fileURLToPath } from 'node:url';
// first: the flags are part of what V8 checks a code cache against
import './v8-flags.js';
import { compileCli, readCached, runCli } from './code-cache.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const cached = readCached(here);
if (cached) runCli(compileCli(cached.file, cached.source, cached.cache), cached.file);
else await import(new URL('./main.mjs', import.meta.url).href);
