/**
 * Bundles the CLI (`npm run build` runs it after tsc), into dist/src/cli/ beside tsc's `.js`:
 * - `main.mjs` and `worker.mjs`: the ES module bundle, one file per entry, with the lazily
 *   imported parts (formatters, XML, diff, git, fixing) as chunks in the same folder. A one-file
 *   run reads a handful of files instead of ~90 modules.
 * - `cli.cjs`: the same CLI as one CommonJS script, and `cli.cjs.cache`, V8's code cache of it
 *   made by a training run over the example tree (Node 20 has no compile cache for modules; see
 *   src/cli/code-cache.ts).
 * - `bin.mjs`, the package's bin (src/cli/boot.ts): runs `cli.cjs` with its cache when the cache
 *   is for this Node and this build, else `main.mjs`.
 * Everything sits at the depth of dist/src/<folder>/, so the paths modules resolve from
 * `import.meta.url` hold in every layout: ../../../package.json (the version),
 * ../../data/archdb.json (the archive data, required on first use, never bundled). The worker
 * pool finds `./worker.mjs` beside the chunk or script that starts it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildLine, CACHE_DATA, CACHE_META, CLI_SCRIPT } from '../src/cli/code-cache.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every entry of the ES module bundle: each becomes dist/src/cli/<name>.mjs. */
export const BUNDLE_ENTRIES: readonly (readonly [source: string, name: string])[] = [
  ['src/cli/bin.ts', 'main'],
  ['src/cli/worker.ts', 'worker'],
];

/** What the build's code cache is made from: a run over the bundled example tree (every kind of file, every rule firing). */
const TRAINING_ARGS: readonly string[] = ['--format', 'json', '--jobs', '1', 'fixtures/example'];

/** Every file of the bundle starts with this: the CommonJS dependencies (picomatch, ignore, xmlbuilder2) require Node's modules. */
const BANNER = "import { createRequire as __debarchCreateRequire } from 'node:module';\nconst require = __debarchCreateRequire(import.meta.url);";

/**
 * The trigger table of the built-in rules (src/engine/trigger-memo.ts), from these sources:
 * scripts/trigger-table.ts bundled alone and run in a process of its own, beside the bundle (so
 * what its modules resolve from `import.meta.url` holds).
 */
async function triggerTable(outdir: string): Promise<string> {
  const gen = path.join(outdir, '.trigger-table.mjs');
  try {
    await build({ absWorkingDir: root, entryPoints: ['scripts/trigger-table.ts'], outfile: gen, bundle: true, format: 'esm', platform: 'node', target: 'node20', banner: { js: BANNER }, logLevel: 'warning' });
    const r = spawnSync(process.execPath, [gen], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (r.status !== 0) throw new Error(`scripts/trigger-table.ts failed: ${r.stderr}`);
    const entries = JSON.parse(r.stdout) as unknown[];
    if (entries.length === 0) throw new Error('scripts/trigger-table.ts recorded no regex analysis: the rules did not load after it started recording');
    return r.stdout;
  } finally {
    fs.rmSync(gen, { force: true });
  }
}

/** Puts `table` in src/engine/trigger-table.ts as the bundle reads it. */
const tablePlugin = (table: string): Plugin => ({
  name: 'trigger-table',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]engine[\\/]trigger-table\.ts$/ }, () => ({ contents: `export const PREBUILT_TRIGGER_TABLE = ${JSON.stringify(table)};`, loader: 'js' }));
  },
});

export async function bundle(outdir = path.join(root, 'dist/src/cli')): Promise<void> {
  // chunk names change with their contents: last build's would be packed too
  if (fs.existsSync(outdir)) for (const f of fs.readdirSync(outdir)) if (f.endsWith('.mjs') || [CLI_SCRIPT, CACHE_DATA, CACHE_META].includes(f)) fs.rmSync(path.join(outdir, f));
  fs.mkdirSync(outdir, { recursive: true });
  const table = await triggerTable(outdir);
  await build({
    absWorkingDir: root,
    entryPoints: BUNDLE_ENTRIES.map(([e, name]) => ({ in: e, out: name })),
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: BANNER },
    plugins: [tablePlugin(table)],
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  // the package's bin: V8's flags, then the CommonJS bundle with its code cache, or main.mjs
  await build({ absWorkingDir: root, entryPoints: ['src/cli/boot.ts'], outfile: path.join(outdir, 'bin.mjs'), bundle: true, format: 'esm', platform: 'node', target: 'node20', minifySyntax: true, logLevel: 'warning' });
  // the same sources as main.mjs, as one CommonJS script: what a code cache can hold
  const id = randomBytes(8).toString('hex');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outfile: path.join(outdir, CLI_SCRIPT),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    banner: { js: `${buildLine(id)}'use strict';var __debarchImportMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
    define: { 'import.meta.url': '__debarchImportMetaUrl' },
    plugins: [tablePlugin(table)],
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const trained = spawnSync(process.execPath, [path.join(root, 'dist/scripts/code-cache-train.js'), outdir, id, ...TRAINING_ARGS], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (trained.status !== 0 && trained.status !== 1) throw new Error(`scripts/code-cache-train.ts failed (${String(trained.status ?? trained.signal)}): ${trained.stderr}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundle();
