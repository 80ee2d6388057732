/**
 * The CLI's code cache (src/cli/code-cache.ts): `bin.mjs` runs `cli.cjs` with the bytecode V8
 * saved at build time only when the cache was made for that very script by this Node, and
 * otherwise runs the ES module bundle `main.mjs`; whichever it runs, the output is the same.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLine, CACHE_DATA, CACHE_META, CLI_SCRIPT, metaFor, unusable } from '../src/cli/code-cache.js';
import { ROOT, tempDir, writeTree } from './helpers.js';

const ID = '0123456789abcdef';
const SOURCE = `${buildLine(ID)}'use strict';\n`;

describe('which cache a run takes', () => {
  it('takes a cache made by this Node for this build of the script', () => {
    expect(unusable(metaFor(ID), SOURCE)).toBeUndefined();
  });

  it.each([
    ['no metadata', null],
    ['no metadata', 'v20'],
    ['no build id', { node: process.version, arch: process.arch }],
    ['no build id', { ...metaFor(ID), id: '../../x' }],
    [`made by Node v0.0.1, this is ${process.version}`, { ...metaFor(ID), node: 'v0.0.1' }],
    [`made on sparc, this is ${process.arch}`, { ...metaFor(ID), arch: 'sparc' }],
    ['made for another build of the script', metaFor('fedcba9876543210')],
  ])('refuses one with %s', (why, meta) => {
    expect(unusable(meta, SOURCE)).toBe(why);
  });

  it('refuses one for a script that does not start with its build line', () => {
    expect(unusable(metaFor(ID), `'use strict';\n${buildLine(ID)}`)).toBe('made for another build of the script');
  });
});

const CLI_DIR = path.join(ROOT, 'dist/src/cli');
// a clone where `npm run build` has not run has no bundle (CI builds before the tests)
const built = fs.existsSync(path.join(CLI_DIR, CACHE_DATA)) && fs.existsSync(path.join(CLI_DIR, 'main.mjs'));

describe.skipIf(!built)('the built bundle', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('ships a cache that this Node accepts when it compiles the script as bin.mjs does', () => {
    // in a process of its own: V8's flags (set first, as bin.mjs sets them) are part of the check
    const script = [
      `import ${JSON.stringify(path.join(CLI_DIR, 'v8-flags.js'))};`,
      `import { readCached, compileCli } from ${JSON.stringify(path.join(CLI_DIR, 'code-cache.js'))};`,
      `const c = readCached(${JSON.stringify(CLI_DIR)});`,
      'if (!c) throw new Error("no usable cache");',
      'process.stdout.write(String(compileCli(c.file, c.source, c.cache).cachedDataRejected));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect([r.status, r.stderr, r.stdout]).toEqual([0, '', 'false']);
  });

  /** A copy of the built CLI (bundles, cache, data, package.json) where a case can break one part. */
  function install(): string {
    const dir = tempDir('debarch-lint-cache-');
    dirs.push(dir);
    const cli = path.join(dir, 'dist/src/cli');
    fs.mkdirSync(cli, { recursive: true });
    for (const f of fs.readdirSync(CLI_DIR)) if (f.endsWith('.mjs') || [CLI_SCRIPT, CACHE_DATA, CACHE_META].includes(f)) fs.copyFileSync(path.join(CLI_DIR, f), path.join(cli, f));
    fs.mkdirSync(path.join(dir, 'dist/data'));
    fs.copyFileSync(path.join(ROOT, 'dist/data/archdb.json'), path.join(dir, 'dist/data/archdb.json'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    const rules = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
    const control = 'Source: boot\nBuild-Depends: debhelper-compat (= 13), grub-pc\n\nPackage: boot\nArchitecture: any\n';
    // four files: enough for `--jobs 2` to start two workers
    writeTree(path.join(dir, 'work'), { 'pkg/debian/deb_folder/rules': rules, 'pkg/debian/control': control, 'pkg2/debian/rules': rules, 'pkg2/debian/control': control });
    return dir;
  }

  const run = (dir: string, args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(dir, 'dist/src/cli/bin.mjs'), ...args], { cwd: path.join(dir, 'work'), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const RUNS = [['--version'], ['--format', 'gcc', 'pkg/debian/deb_folder/rules'], ['--format', 'json', '--jobs', '2', '.']];

  it('runs the cached script, which needs no ES module bundle', () => {
    const dir = install();
    const want = RUNS.map((a) => run(dir, a));
    expect(want[0]).toEqual({ code: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`, stderr: '' });
    expect(want[1]?.stdout).toMatch(/^pkg\/debian\/deb_folder\/rules:3:19: warning: .*\[hardcoded-arch\]$/m);
    expect((JSON.parse(want[2]?.stdout ?? '') as { findings: { path: string }[] }).findings.map((f) => f.path)).toEqual(['pkg/debian/control', 'pkg/debian/deb_folder/rules', 'pkg2/debian/control', 'pkg2/debian/rules']);
    // `--jobs 2`: the workers are the bundle's worker.mjs, beside cli.cjs
    fs.rmSync(path.join(dir, 'dist/src/cli/main.mjs'));
    expect(RUNS.map((a) => run(dir, a))).toEqual(want);
  });

  it.each([
    ['a cache made by another Node', (cli: string) => fs.writeFileSync(path.join(cli, CACHE_META), JSON.stringify({ ...metaFor(JSON.parse(fs.readFileSync(path.join(cli, CACHE_META), 'utf8')).id), node: 'v0.0.1' }))],
    ['a cache for another build of the script', (cli: string) => fs.writeFileSync(path.join(cli, CACHE_META), JSON.stringify(metaFor('fedcba9876543210')))],
    ['no cache', (cli: string) => fs.rmSync(path.join(cli, CACHE_DATA))],
    ['unreadable metadata', (cli: string) => fs.writeFileSync(path.join(cli, CACHE_META), '{')],
  ])('runs the ES module bundle instead with %s (and only it: without main.mjs the run fails)', (_what, breakIt) => {
    const dir = install();
    const want = RUNS.map((a) => run(dir, a));
    breakIt(path.join(dir, 'dist/src/cli'));
    expect(RUNS.map((a) => run(dir, a))).toEqual(want);
    fs.rmSync(path.join(dir, 'dist/src/cli/main.mjs'));
    const broken = run(dir, ['--version']);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/main\.mjs/);
  });

  it('runs correctly with a damaged cache of the right build (V8 refuses it and compiles the script)', () => {
    const dir = install();
    const want = RUNS.map((a) => run(dir, a));
    const cache = path.join(dir, 'dist/src/cli', CACHE_DATA);
    const bytes = fs.readFileSync(cache);
    for (let i = 0; i < bytes.length; i += 7) bytes[i] = (bytes[i] as number) ^ 0x5a;
    fs.writeFileSync(cache, bytes);
    fs.rmSync(path.join(dir, 'dist/src/cli/main.mjs'));
    expect(RUNS.map((a) => run(dir, a))).toEqual(want);
  });
});
