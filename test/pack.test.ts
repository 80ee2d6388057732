/**
 * The package as a user gets it: `npm pack` of the built checkout, unpacked into a temp folder,
 * run through its `bin` (the esbuild bundle) — first with no node_modules at all (the bundle
 * carries its dependencies), then after an offline `npm ci --omit=dev` of its dependencies from
 * the lockfile, as an install does. Each run is a line of RUNS: a new way to run (`--jobs 2`
 * once the worker entry is bundled) is one more line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir, writeTree } from './helpers.js';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const binRel = pkg.bin['debarch-lint'] as string;

/** The newest modification time under `dir` of files ending in `ext`. */
function newest(dir: string, ext: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(abs, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, fs.statSync(abs).mtimeMs);
  }
  return t;
}

/** `npm run build` as far as needed: tsc when its output is missing, the bundle when older than it. */
function ensureBundle(): void {
  const run = (cmd: string, args: string[]): void => {
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  };
  if (!fs.existsSync(path.join(ROOT, 'dist/scripts/bundle.js'))) run('npx', ['tsc', '-p', '.']);
  const bin = path.join(ROOT, binRel);
  if (!fs.existsSync(bin) || fs.statSync(bin).mtimeMs < newest(path.join(ROOT, 'dist/src'), '.js')) run(process.execPath, ['dist/scripts/bundle.js']);
}

const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const RULES_LINE = /^pkg\/debian\/deb_folder\/rules:3:19: warning: .*'x86_64-linux-gnu'.* \[hardcoded-arch\]$/m;
/** grub-pc is amd64/i386 only: only the archive data (data/archdb.json) knows. */
const CONTROL_TEXT = 'Source: boot\nBuild-Depends: debhelper-compat (= 13), grub-pc\n\nPackage: boot\nArchitecture: any\n';
const CONTROL_LINE = /^pkg\/debian\/control:2:\d+: error: 'grub-pc' does not exist on arm64 .*\[arch-only-dependency\]$/m;

interface SmokeRun {
  what: string;
  args: string[];
  code: number;
  stdout: (out: string) => void;
}

const RUNS: SmokeRun[] = [
  { what: '--version', args: ['--version'], code: 0, stdout: (o) => expect(o).toBe(`${pkg.version}\n`) },
  { what: 'one file', args: ['--format', 'gcc', 'pkg/debian/deb_folder/rules'], code: 1, stdout: (o) => expect(o).toMatch(RULES_LINE) },
  { what: 'the archive data', args: ['--format', 'gcc', 'pkg/debian/control'], code: 1, stdout: (o) => expect(o).toMatch(CONTROL_LINE) },
  {
    what: 'a folder walk, checkstyle (a lazily loaded CommonJS XML builder)',
    args: ['--format', 'checkstyle', '.'],
    code: 1,
    stdout: (o) => expect(o).toMatch(/^<\?xml[\s\S]*<file name="pkg\/debian\/control">[\s\S]*<file name="pkg\/debian\/deb_folder\/rules">[\s\S]*<\/checkstyle>/),
  },
  {
    what: '--jobs 2 (the bundled worker entry)',
    args: ['--jobs', '2', '--format', 'gcc', '.'],
    code: 1,
    stdout: (o) => expect(o.match(/^pkg2?\/debian\/\S+:\d+:\d+: /gm)?.map((l) => l.split(':')[0])).toEqual(['pkg/debian/control', 'pkg/debian/deb_folder/rules', 'pkg2/debian/control', 'pkg2/debian/rules']),
  },
  {
    what: '--fix-dry-run (the diff library, the fixer)',
    args: ['--fix-dry-run', 'pkg/debian/deb_folder/rules'],
    code: 0,
    stdout: (o) => expect(o).toContain('+LIBDIR = /usr/lib/$(DEB_HOST_MULTIARCH)\n'),
  },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('npm pack, install, run', () => {
  let unpacked = '';
  let work = '';
  beforeAll(() => {
    ensureBundle();
    const dir = tempDir('debarch-lint-pack-');
    dirs.push(dir);
    const p = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(p.status, p.stderr).toBe(0);
    const tgz = path.join(dir, p.stdout.trim().split('\n').at(-1) as string);
    const x = spawnSync('tar', ['-xzf', tgz, '-C', dir], { encoding: 'utf8' });
    expect(x.status, x.stderr).toBe(0);
    unpacked = path.join(dir, 'package');
    work = path.join(dir, 'work');
    // four files: enough for `--jobs 2` to start two workers
    writeTree(work, { 'pkg/debian/deb_folder/rules': RULES_TEXT, 'pkg/debian/control': CONTROL_TEXT, 'pkg2/debian/rules': RULES_TEXT, 'pkg2/debian/control': CONTROL_TEXT });
  }, 180_000);

  const run = (bin: string, args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** Each run as expected, and byte for byte what the checkout's tsc output (dist/src/cli/bin.js) prints. */
  const runAll = (): void => {
    for (const r of RUNS) {
      const out = run(path.join(unpacked, binRel), r.args);
      expect([r.what, out.code, out.stderr]).toEqual([r.what, r.code, '']);
      r.stdout(out.stdout);
      expect(out).toEqual(run(path.join(ROOT, 'dist/src/cli/bin.js'), r.args));
    }
  };

  it('packs the bundle and the data', () => {
    expect(fs.existsSync(path.join(unpacked, binRel))).toBe(true);
    expect(fs.readFileSync(path.join(unpacked, binRel), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(fs.existsSync(path.join(unpacked, 'dist/data/archdb.json'))).toBe(true);
    expect(fs.existsSync(path.join(unpacked, 'node_modules'))).toBe(false);
  });

  it('runs with no node_modules: the bundle carries what it needs', runAll, 120_000);

  it('runs after an offline install of its dependencies', () => {
    fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(unpacked, 'package-lock.json'));
    const i = spawnSync('npm', ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: unpacked, encoding: 'utf8', timeout: 180_000 });
    // a machine whose npm cache lacks a tarball cannot install offline; the run above stands
    if (i.status !== 0 && /ENOTCACHED/.test(i.stderr)) return;
    expect(i.status, i.stderr).toBe(0);
    expect(fs.existsSync(path.join(unpacked, 'node_modules/moo'))).toBe(true);
    runAll();
  }, 240_000);
});
