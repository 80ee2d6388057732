/**
 * Bundles the CLI (`npm run build` runs it after tsc): one file per entry, side by side as
 * `.mjs` in dist/src/cli/ beside tsc's `.js`, with the lazily imported parts (formatters, XML,
 * diff, git, fixing) as chunks in the same folder. A one-file run then reads a handful
 * of files instead of ~90 modules (Node 20 has no compile cache). Everything sits at the depth of
 * dist/src/<folder>/, so the paths modules resolve from `import.meta.url` hold in both layouts:
 * ../../../package.json (the version), ../../data/archdb.json (the archive data, required on
 * first use, never bundled). The worker pool finds `./worker.mjs` beside the chunk that starts it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every entry of the bundle: each becomes dist/src/cli/<name>.mjs. */
export const BUNDLE_ENTRIES: readonly string[] = ['src/cli/bin.ts', 'src/cli/worker.ts'];

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
  if (fs.existsSync(outdir)) for (const f of fs.readdirSync(outdir)) if (f.endsWith('.mjs')) fs.rmSync(path.join(outdir, f));
  fs.mkdirSync(outdir, { recursive: true });
  const table = await triggerTable(outdir);
  await build({
    absWorkingDir: root,
    entryPoints: BUNDLE_ENTRIES.map((e) => ({ in: e, out: path.basename(e, '.ts') })),
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
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundle();
