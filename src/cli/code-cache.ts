/**
 * The CLI as one CommonJS script with V8's code cache beside it: what `bin.mjs` (src/cli/boot.ts)
 * runs when the cache was made for this very script by this very Node.
 *
 * Node 20 has no compile cache for modules: every run parses the bundle again and compiles each
 * function the first time it is called (a third of a one-file run's time over `node -e 0`). A
 * `vm.Script` takes the bytecode V8 serialized after a training run (`npm run build`,
 * scripts/code-cache-train.ts) and compiles nothing it holds. V8 checks the cache itself (its own
 * version, its flags, the source's length) and compiles as usual when it rejects it; the build's
 * id, the Node version and the architecture are checked here first, so that a cache that would
 * be rejected costs nothing: `bin.mjs` then imports the ES module bundle (`main.mjs`) instead.
 *
 * Files, side by side in dist/src/cli/:
 * - `cli.cjs`: the bundle of src/cli/main.ts; its first line is `//debarch-lint build <id>`.
 * - `cli.cjs.cache`: V8's code cache of that script, compiled as `compileCli` compiles it.
 * - `cli.cjs.cache.json`: `CacheMeta`, what the cache was made for.
 *
 * Nothing here reads the linted tree: the script and the cache are the package's own files.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export const CLI_SCRIPT = 'cli.cjs';
export const CACHE_DATA = 'cli.cjs.cache';
export const CACHE_META = 'cli.cjs.cache.json';

/** What a code cache was made for. */
export interface CacheMeta {
  /** The build's id: the script's first line is `buildLine(id)`. */
  id: string;
  node: string;
  arch: string;
}

/** The first line of a CommonJS bundle built with `id`. */
export function buildLine(id: string): string {
  return `//debarch-lint build ${id}\n`;
}

/** This process's Node and architecture, with the build's id: what a cache made here records. */
export function metaFor(id: string): CacheMeta {
  return { id, node: process.version, arch: process.arch };
}

/** Why a cache cannot be used with `source` in this process, or undefined when it can. */
export function unusable(meta: unknown, source: string): string | undefined {
  if (typeof meta !== 'object' || meta === null) return 'no metadata';
  const m = meta as Partial<CacheMeta>;
  if (typeof m.id !== 'string' || !/^[0-9a-f]{8,64}$/.test(m.id)) return 'no build id';
  if (m.node !== process.version) return `made by Node ${String(m.node)}, this is ${process.version}`;
  if (m.arch !== process.arch) return `made on ${String(m.arch)}, this is ${process.arch}`;
  if (!source.startsWith(buildLine(m.id))) return 'made for another build of the script';
  return undefined;
}

/**
 * The script of `dir` with its code cache, when the cache was made for it here; undefined
 * otherwise (no bundle, no cache, another build or Node): the caller runs the ES module bundle.
 */
export function readCached(dir: string): { source: string; cache: Buffer; file: string } | undefined {
  try {
    const file = path.join(dir, CLI_SCRIPT);
    const meta: unknown = JSON.parse(fs.readFileSync(path.join(dir, CACHE_META), 'utf8'));
    const source = fs.readFileSync(file, 'utf8');
    if (unusable(meta, source) !== undefined) return undefined;
    return { source, cache: fs.readFileSync(path.join(dir, CACHE_DATA)), file };
  } catch {
    return undefined;
  }
}

/** `source` compiled as CommonJS module code, taking `cache` when V8 accepts it. */
export function compileCli(file: string, source: string, cache?: Buffer): vm.Script {
  return new vm.Script(Module.wrap(source), { filename: file, cachedData: cache });
}

/** Runs the compiled script as the module `file` (its `require` resolves from beside it). */
export function runCli(script: vm.Script, file: string): void {
  const fn = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;
  const module = { exports: {} };
  fn.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
}
