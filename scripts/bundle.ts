/**
 * Bundles the CLI (`npm run build` runs it after tsc): one file per entry, side by side as
 * `.mjs` in dist/src/cli/ beside tsc's `.js`, with the lazily imported parts (formatters, XML,
 * diff, git, fixing) as chunks in the same folder. A one-file run then reads a handful
 * of files instead of ~90 modules (Node 20 has no compile cache). Everything sits at the depth of
 * dist/src/<folder>/, so the paths modules resolve from `import.meta.url` hold in both layouts:
 * ../../../package.json (the version), ../../data/archdb.json (the archive data, required on
 * first use, never bundled). The worker pool finds `./worker.mjs` beside the chunk that starts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every entry of the bundle: each becomes dist/src/cli/<name>.mjs. */
export const BUNDLE_ENTRIES: readonly string[] = ['src/cli/bin.ts', 'src/cli/worker.ts'];

export async function bundle(outdir = path.join(root, 'dist/src/cli')): Promise<void> {
  // chunk names change with their contents: last build's would be packed too
  if (fs.existsSync(outdir)) for (const f of fs.readdirSync(outdir)) if (f.endsWith('.mjs')) fs.rmSync(path.join(outdir, f));
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
    // the CommonJS dependencies (picomatch, ignore, xmlbuilder2) require Node's
    // modules: give every file of the bundle a require of its own
    banner: { js: "import { createRequire as __debarchCreateRequire } from 'node:module';\nconst require = __debarchCreateRequire(import.meta.url);" },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundle();
