/**
 * Hostile and broken inputs through the real CLI: binary, oversize, unreadable and non-UTF-8
 * files, symlink loops and escapes, unterminated `define`, read-only files, CRLF and BOM,
 * a crashing rule, and --fix's temp files. Every case checks the exit code, the message and
 * that nothing was written that should not have been.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import type { AnyRule } from '../src/types.js';
import { RULES } from '../rules/index.js';
import { ROOT, builtCli, cli, readTree, tempDir, writeTree } from './helpers.js';

/** A debian/rules with one fixable hardcoded-arch finding on line 3. */
const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const RULES_FIXED =
  '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\nLIBDIR = /usr/lib/$(DEB_HOST_MULTIARCH)\n\n%:\n\tdh $@\n';
/** A make file with nothing to report. */
const CLEAN_MAKEFILE = 'all:\n\techo hello\n';
const FINDING_LINE = (p: string): string =>
  `${p}:3:19: warning: hardcoded architecture 'x86_64-linux-gnu' is wrong on arm64: use $(DEB_HOST_MULTIARCH) [hardcoded-arch]\n`;

const dirs: string[] = [];
/** A temp tree; world-readable (0755) so the unprivileged child process can enter it. */
function tree(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('debarch-lint-bad-');
  fs.chmodSync(dir, 0o755);
  dirs.push(dir);
  writeTree(dir, files);
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const TMP_RE = /\.debarch-lint-.*\.tmp$/;
/** Every file (and symlink) under dir whose name looks like one of --fix's temp files. */
function leftoverTemps(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (TMP_RE.test(e.name)) out.push(path.join(d, e.name));
      if (e.isDirectory()) walk(path.join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

const bytes = (dir: string, rel: string): Buffer => fs.readFileSync(path.join(dir, rel));

// ---------------------------------------------------------------------------------------------
// Running as a user the kernel actually refuses things to. As root, chmod 000 does not stop a
// read, so the built CLI is spawned as nobody (65534); as any other user, in-process is enough.

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const NOBODY = 65534;


/** True when nobody can walk from / down to `p` (a checkout under /root or a 0700 temp folder). */
function hiddenFromOthers(p: string): boolean {
  for (let d = p; d !== path.dirname(d); d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o005) !== 0o005) return true;
  }
  return false;
}

/**
 * The built CLI nobody can run. Where the checkout itself is open to all, that is dist/ in
 * place; where it is not (CI and containers clone into 0700 folders), the built files and the
 * production dependencies (package-lock entries not marked dev) are copied to a temp folder
 * made readable by all — where the project lives must never decide whether the tests pass.
 */
let unprivilegedBin: string | undefined;
function ensureBuilt(): string {
  if (unprivilegedBin) return unprivilegedBin;
  const bin = builtCli();
  if (!hiddenFromOthers(ROOT)) return (unprivilegedBin = bin);
  const stage = tempDir('debarch-lint-cli-');
  dirs.push(stage);
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const runtime = Object.entries(lock.packages)
    .filter(([k, v]) => k.startsWith('node_modules/') && !v.dev)
    .map(([k]) => k);
  for (const rel of ['package.json', 'dist', ...runtime]) {
    fs.cpSync(path.join(ROOT, rel), path.join(stage, rel), { recursive: true, dereference: true });
  }
  const open = (p: string): void => {
    const st = fs.statSync(p);
    fs.chmodSync(p, st.mode | (st.isDirectory() ? 0o755 : 0o644));
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) open(path.join(p, e));
  };
  open(stage);
  if (hiddenFromOthers(stage)) throw new Error(`${os.tmpdir()} is not open to all: cannot run the CLI as nobody`);
  return (unprivilegedBin = path.join(stage, 'dist', 'src', 'cli', 'bin.js'));
}

/** Runs the CLI as an unprivileged user: the built one as nobody when we are root. */
async function cliUnprivileged(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!IS_ROOT) return cli(cwd, args);
  const r = spawnSync(process.execPath, [ensureBuilt(), ...args], {
    cwd,
    uid: NOBODY,
    gid: NOBODY,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('files the CLI cannot or must not read', () => {
  beforeAll(() => {
    if (IS_ROOT) ensureBuilt();
  }, 200_000);

  it('a binary file named Makefile is skipped with a notice; the other files are still linted', async () => {
    const bin = Buffer.concat([Buffer.from('all:\n\tgcc -o x86_64 x.c\n'), Buffer.from([0, 1, 2, 0xff]), Buffer.from('\nmore\n')]);
    const dir = tree({ 'debian/rules': RULES_TEXT, 'blob/Makefile': bin });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toBe('blob/Makefile: note: binary file (NUL byte); skipped\n');

    const j = JSON.parse((await cli(dir, ['--format', 'json', '.'])).stdout);
    expect(j.errors).toEqual([{ path: 'blob/Makefile', level: 'notice', message: 'binary file (NUL byte); skipped' }]);
    expect(j.findings.map((f: { path: string }) => f.path)).toEqual(['debian/rules']);

    // --fix leaves the binary alone
    const fixed = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(fixed.code).toBe(0);
    expect(bytes(dir, 'blob/Makefile').equals(bin)).toBe(true);
    expect(bytes(dir, 'debian/rules').toString('utf8')).toBe(RULES_FIXED);
  });

  it('invalid UTF-8: the file is linted (finding reported) but --fix leaves its bytes identical', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('#!/usr/bin/make -f\n# caf'),
      Buffer.from([0xe9]), // "é" in Latin-1: not UTF-8
      Buffer.from('\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n'),
    ]);
    const dir = tree({ 'debian/rules': latin1 });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toBe('debian/rules: note: not valid UTF-8; linted, but not fixed\n');

    // in JSON the fix is only offered as a suggestion, and the notice is in `errors`
    const j = JSON.parse((await cli(dir, ['--format', 'json', '.'])).stdout);
    expect(j.findings).toHaveLength(1);
    expect(j.findings[0].fix).toBeUndefined();
    expect(j.findings[0].suggestions).toHaveLength(1);
    expect(j.errors).toEqual([{ path: 'debian/rules', level: 'notice', message: 'not valid UTF-8; linted, but not fixed' }]);

    for (const flags of [['--fix'], ['--fix', '--unsafe']]) {
      const f = await cli(dir, [...flags, '--format', 'gcc', '.']);
      expect(f.code).toBe(1);
      expect(f.stdout).toBe(FINDING_LINE('debian/rules'));
      expect(f.stderr).toContain('not valid UTF-8; linted, but not fixed');
      expect(bytes(dir, 'debian/rules').equals(latin1)).toBe(true);
    }
    const dry = await cli(dir, ['--fix-dry-run', '.']);
    expect(dry.stdout).toBe('');
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('a 50 MB make file is reported as over the size cap and skipped; --max-file-size moves the cap', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const big = path.join(dir, 'huge.mk');
    const size = 50 * 1024 * 1024;
    // real make text (a comment line repeated), not a sparse file
    fs.writeFileSync(big, Buffer.alloc(size, '# generated filler, x86_64 amd64 -msse4.2\n'));
    try {
      const started = Date.now();
      const r = await cli(dir, ['--format', 'gcc', '.']);
      expect(Date.now() - started).toBeLessThan(5000); // skipped, not read and parsed
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
      expect(r.stderr).toBe(`huge.mk: note: larger than ${5 * 1024 * 1024} bytes (${size}); skipped (see --max-file-size)\n`);

      const j = JSON.parse((await cli(dir, ['--format', 'json', '.'])).stdout);
      expect(j.errors).toEqual([
        { path: 'huge.mk', level: 'notice', message: `larger than 5242880 bytes (${size}); skipped (see --max-file-size)` },
      ]);

      // --fix never touches it (size unchanged, no temp file next to it)
      expect((await cli(dir, ['--fix', '--format', 'gcc', '.'])).code).toBe(0);
      expect(fs.statSync(big).size).toBe(size);
      expect(leftoverTemps(dir)).toEqual([]);
    } finally {
      fs.rmSync(big, { force: true });
    }

    // the cap is inclusive: a file of exactly --max-file-size bytes is read, one byte less skips it
    const n = Buffer.byteLength(RULES_TEXT);
    fs.writeFileSync(path.join(dir, 'debian/rules'), RULES_TEXT);
    const at = await cli(dir, ['--format', 'gcc', '--max-file-size', String(n), '.']);
    expect(at.code).toBe(1);
    expect(at.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(at.stderr).toBe('');
    const below = await cli(dir, ['--format', 'gcc', '--max-file-size', String(n - 1), '.']);
    expect(below.code).toBe(0);
    expect(below.stdout).toBe('');
    expect(below.stderr).toBe(`debian/rules: note: larger than ${n - 1} bytes (${n}); skipped (see --max-file-size)\n`);
  });

  it('an unreadable file: exit 2, "cannot read" naming the file, other findings still printed', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT, 'secret/Makefile': RULES_TEXT });
    fs.chmodSync(path.join(dir, 'secret/Makefile'), 0o000);
    const r = await cliUnprivileged(dir, ['--format', 'gcc', '.']);
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toMatch(/^secret\/Makefile: error: cannot read: EACCES: permission denied, open '.*secret\/Makefile'\n$/);
    expect(r.code).toBe(2);

    // in JSON it is an error entry; the other file's finding is still there
    const j = await cliUnprivileged(dir, ['--format', 'json', '.']);
    expect(j.code).toBe(2);
    const report = JSON.parse(j.stdout);
    expect(report.findings.map((f: { path: string }) => f.path)).toEqual(['debian/rules']);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ path: 'secret/Makefile', level: 'error' });
    expect(report.errors[0].message).toMatch(/^cannot read: EACCES/);
    expect(j.stderr).toBe('');
  });

  it('a failed write during --fix (folder not writable) rolls everything back and leaves no temp file', async () => {
    const dir = tree({ 'a/debian/rules': RULES_TEXT, 'b/debian/rules': RULES_TEXT });
    // a/ is writable by the unprivileged user; b/debian is not, though b/debian/rules itself is
    fs.chmodSync(path.join(dir, 'a/debian'), 0o777);
    fs.chmodSync(path.join(dir, 'a/debian/rules'), 0o666);
    fs.chmodSync(path.join(dir, 'b/debian/rules'), 0o666);
    fs.chmodSync(path.join(dir, 'b/debian'), 0o555);
    try {
      const r = await cliUnprivileged(dir, ['--fix', '--format', 'gcc', '.']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^b\/debian\/rules: error: cannot write: EACCES/m);
      // nothing was written: both findings are reported as they stand
      expect(r.stdout).toBe(FINDING_LINE('a/debian/rules') + FINDING_LINE('b/debian/rules'));
      expect(bytes(dir, 'a/debian/rules').toString()).toBe(RULES_TEXT);
      expect(bytes(dir, 'b/debian/rules').toString()).toBe(RULES_TEXT);
      expect(leftoverTemps(dir)).toEqual([]);
    } finally {
      fs.chmodSync(path.join(dir, 'b/debian'), 0o755);
    }
  });
});

describe('permissions the kernel enforces', () => {
  beforeAll(() => {
    if (IS_ROOT) ensureBuilt();
  }, 200_000);

  it('--fix refuses a file this user may not write, even in a folder it may write', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    // as root: the file is root's 0644 and the folder is open to all, so only a rename would
    // get past the permissions; as anyone else, a 0444 file is refused by its mode already
    fs.chmodSync(path.join(dir, 'debian'), 0o777);
    if (!IS_ROOT) fs.chmodSync(path.join(dir, 'debian/rules'), 0o444);
    const r = await cliUnprivileged(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toMatch(/^debian\/rules: error: file is (not writable by this user|read-only); not fixed \(nothing was written\)\n$/);
    expect(bytes(dir, 'debian/rules').toString()).toBe(RULES_TEXT);
    expect(fs.statSync(path.join(dir, 'debian/rules')).uid).toBe(process.getuid?.() ?? 0);
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it.skipIf(!IS_ROOT)('--fix as root keeps the owner and group of the file it rewrites', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    fs.chownSync(path.join(dir, 'debian/rules'), NOBODY, NOBODY);
    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.code).toBe(0);
    const st = fs.statSync(path.join(dir, 'debian/rules'));
    expect([st.uid, st.gid]).toEqual([NOBODY, NOBODY]);
    expect(bytes(dir, 'debian/rules').toString()).toBe(RULES_FIXED);
  });
});

describe('symbolic links', () => {
  it('a symlink loop is reported, not followed, and does not hang', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    fs.mkdirSync(path.join(dir, 'x'));
    fs.mkdirSync(path.join(dir, 'y'));
    fs.symlinkSync('../y/Makefile', path.join(dir, 'x/Makefile'));
    fs.symlinkSync('../x/Makefile', path.join(dir, 'y/Makefile'));
    const started = Date.now();
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1); // from debian/rules only
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toBe('x/Makefile: note: symbolic link loop; skipped\ny/Makefile: note: symbolic link loop; skipped\n');

    // with nothing else to report, the loop alone does not fail the run
    fs.writeFileSync(path.join(dir, 'debian/rules'), CLEAN_MAKEFILE);
    const clean = await cli(dir, ['--format', 'gcc', '.']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe('');
    expect(clean.stderr).toContain('x/Makefile: note: symbolic link loop; skipped');
    // --fix does not hang or break the links either
    expect((await cli(dir, ['--fix', '--format', 'gcc', '.'])).code).toBe(0);
    expect(fs.readlinkSync(path.join(dir, 'x/Makefile'))).toBe('../y/Makefile');
  });

  it('a broken symlink is reported and skipped', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    fs.mkdirSync(path.join(dir, 'z'));
    fs.symlinkSync('../nowhere/Makefile', path.join(dir, 'z/Makefile'));
    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('z/Makefile: note: broken symbolic link; skipped\n');
    expect(fs.existsSync(path.join(dir, 'nowhere'))).toBe(false);
    expect(bytes(dir, 'debian/rules').toString()).toBe(RULES_FIXED);
  });

  it('a symlinked make file inside the root: --fix writes through to the target, the link stays a link', async () => {
    const dir = tree({ 'real/rules.in': RULES_TEXT });
    fs.mkdirSync(path.join(dir, 'debian'));
    fs.symlinkSync('../real/rules.in', path.join(dir, 'debian/rules'));
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toBe('');

    const f = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(f.code).toBe(0);
    expect(f.stdout).toBe('');
    expect(f.stderr).toBe('');
    expect(fs.lstatSync(path.join(dir, 'debian/rules')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(dir, 'debian/rules'))).toBe('../real/rules.in');
    expect(bytes(dir, 'real/rules.in').toString()).toBe(RULES_FIXED);
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('a symlink named on the command line, reached through a symlinked folder, is linted and fixed', async () => {
    const dir = tree({ 'real/debian/rules.in': RULES_TEXT });
    fs.symlinkSync('rules.in', path.join(dir, 'real/debian/rules'));
    fs.symlinkSync('real', path.join(dir, 'alias'));
    const cwd = path.join(dir, 'alias'); // the working directory itself runs through a link
    for (const arg of ['debian/rules', path.join(cwd, 'debian/rules')]) {
      const r = await cli(cwd, ['--format', 'gcc', arg]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
      expect(r.code).toBe(1);
    }
    expect((await cli(cwd, ['--fix', '--format', 'gcc', 'debian/rules'])).code).toBe(0);
    expect(bytes(dir, 'real/debian/rules.in').toString()).toBe(RULES_FIXED);
    expect(fs.lstatSync(path.join(dir, 'real/debian/rules')).isSymbolicLink()).toBe(true);
  });

  it('a symlink to a file outside the linted root is skipped with a notice; the target is untouched', async () => {
    const outside = tree({ 'rules': RULES_TEXT });
    const dir = tree({ 'Makefile': CLEAN_MAKEFILE });
    fs.mkdirSync(path.join(dir, 'debian'));
    const target = path.join(fs.realpathSync(outside), 'rules');
    fs.symlinkSync(target, path.join(dir, 'debian/rules'));
    for (const flags of [[], ['--fix']]) {
      const r = await cli(dir, [...flags, '--format', 'gcc', '.']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`debian/rules: note: symbolic link to ${target}, outside the linted tree; skipped\n`);
    }
    expect(bytes(outside, 'rules').toString()).toBe(RULES_TEXT);
    expect(leftoverTemps(outside)).toEqual([]);
    const j = JSON.parse((await cli(dir, ['--format', 'json', '.'])).stdout);
    expect(j.errors).toEqual([{ path: 'debian/rules', level: 'notice', message: `symbolic link to ${target}, outside the linted tree; skipped` }]);
  });
});

describe('files the CLI reads but must not fix', () => {
  it('an unterminated define: a notice naming `endef`, the file is linted, --fix leaves it alone', async () => {
    const text = 'define HELPER\nLIBDIR = /usr/lib/x86_64-linux-gnu\n';
    const dir = tree({ 'Makefile': text });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Makefile:2:\d+: warning: .*x86_64-linux-gnu.* \[hardcoded-arch\]\n$/);
    expect(r.stderr).toMatch(/^Makefile:1: note: .*`endef`.*; linted, but not fixed\n$/);

    const f = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(f.code).toBe(1);
    expect(f.stdout).toBe(r.stdout);
    expect(bytes(dir, 'Makefile').toString()).toBe(text);
    expect((await cli(dir, ['--fix-dry-run', '.'])).stdout).toBe('');

    const j = JSON.parse((await cli(dir, ['--format', 'json', '.'])).stdout);
    expect(j.errors).toHaveLength(1);
    expect(j.errors[0]).toMatchObject({ path: 'Makefile', level: 'notice', line: 1 });
    expect(j.errors[0].message).toContain('endef');
  });

  it('--fix on a read-only (0444) file: exit 2, reported, nothing written anywhere', async () => {
    const dir = tree({ 'a/debian/rules': RULES_TEXT, 'b/debian/rules': RULES_TEXT });
    const ro = path.join(dir, 'b/debian/rules');
    fs.chmodSync(ro, 0o444);
    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('b/debian/rules: error: file is read-only; not fixed (nothing was written)\n');
    // all or nothing: the writable file is not fixed either, and both findings are shown
    expect(r.stdout).toBe(FINDING_LINE('a/debian/rules') + FINDING_LINE('b/debian/rules'));
    expect(bytes(dir, 'a/debian/rules').toString()).toBe(RULES_TEXT);
    expect(bytes(dir, 'b/debian/rules').toString()).toBe(RULES_TEXT);
    expect(fs.statSync(ro).mode & 0o777).toBe(0o444);
    expect(leftoverTemps(dir)).toEqual([]);

    const j = await cli(dir, ['--fix', '--format', 'json', '.']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).errors).toEqual([
      { path: 'b/debian/rules', level: 'error', message: 'file is read-only; not fixed (nothing was written)' },
    ]);
    // linting without --fix is fine
    expect((await cli(dir, ['--format', 'gcc', '.'])).code).toBe(1);
  });
});

describe('byte-exact fixes', () => {
  it('--stdin --fix echoes input that is not UTF-8 byte for byte (the real process IO)', () => {
    const bin = ensureBuilt();
    const latin1 = Buffer.concat([Buffer.from('#!/usr/bin/make -f\n# caf'), Buffer.from([0xe9]), Buffer.from(RULES_TEXT.slice(18))]);
    const dir = tree({});
    const r = spawnSync(process.execPath, [bin, '--stdin', '--stdin-filename', 'debian/rules', '--fix'], { cwd: dir, input: latin1, timeout: 30_000 });
    expect(r.status).toBe(1); // not fixed: the finding stands
    expect(Buffer.compare(r.stdout, latin1)).toBe(0);
    expect(r.stderr.toString()).toBe('debian/rules: note: not valid UTF-8; linted, but not fixed\n');
    // valid input with a BOM comes back fixed, BOM kept
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RULES_TEXT)]);
    const f = spawnSync(process.execPath, [bin, '--stdin', '--stdin-filename', 'debian/rules', '--fix'], { cwd: dir, input: bom, timeout: 30_000 });
    expect(f.status).toBe(0);
    expect(Buffer.compare(f.stdout, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RULES_FIXED)]))).toBe(0);
    expect(readTree(dir).size).toBe(0);
  }, 200_000);

  it('CRLF line endings and a UTF-8 BOM survive --fix; the inserted include uses CRLF too', async () => {
    const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
    const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
    const input = Buffer.concat([BOM, Buffer.from(crlf(RULES_TEXT))]);
    const dir = tree({ 'debian/rules': input, 'crlf-only/Makefile': crlf('CFLAGS = -O2 -m64\n') });
    const before = await cli(dir, ['--format', 'json', 'debian']);
    const finding = JSON.parse(before.stdout).findings[0];
    // columns are counted without the BOM
    expect(finding).toMatchObject({ path: 'debian/rules', line: 3, column: 19 });

    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.code).toBe(0);
    const out = bytes(dir, 'debian/rules');
    expect(out.equals(Buffer.concat([BOM, Buffer.from(crlf(RULES_FIXED))]))).toBe(true);
    // no bare LF anywhere
    expect(out.toString('latin1')).not.toMatch(/[^\r]\n/);
    expect(leftoverTemps(dir)).toEqual([]);

    // a second --fix changes nothing
    await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(bytes(dir, 'debian/rules').equals(out)).toBe(true);
  });

  it('a BOM without CRLF is kept, and the fix keeps LF', async () => {
    const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
    const dir = tree({ 'debian/rules': Buffer.concat([BOM, Buffer.from(RULES_TEXT)]) });
    expect((await cli(dir, ['--fix', '--format', 'gcc', '.'])).code).toBe(0);
    expect(bytes(dir, 'debian/rules').equals(Buffer.concat([BOM, Buffer.from(RULES_FIXED)]))).toBe(true);
  });
});

describe('a crash inside a rule', () => {
  const boom: AnyRule = {
    id: 'boom',
    description: 'A rule that reports once and then throws.',
    appliesTo: ['rules', 'makefile'],
    severity: 'warning',
    fixable: 'none',
    defaultOptions: {},
    docs: { rationale: 'test only', bad: { path: 'debian/rules', text: '' }, good: { path: 'debian/rules', text: '' } },
    check(ctx) {
      // point the crash report at line 3, then fail
      const at = ctx.file.lineStart(3);
      ctx.report({ at: [at, at + 6], message: 'about to crash' });
      throw new TypeError('kaboom');
    },
  };

  it('exits 2, names the file, the line and the rule, and still prints the other findings', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const io = memoryIO(dir);
    const code = await run(['--format', 'gcc', '.'], io, [...RULES, boom]);
    expect(code).toBe(2);
    expect(io.err()).toBe(
      "debian/rules:3: internal error: rule 'boom' crashed: kaboom (other results are shown; please report this)\n",
    );
    expect(io.out()).toContain(FINDING_LINE('debian/rules'));

    const jio = memoryIO(dir);
    expect(await run(['--format', 'json', '.'], jio, [...RULES, boom])).toBe(2);
    const j = JSON.parse(jio.out());
    expect(j.errors).toEqual([
      { path: 'debian/rules', level: 'error', line: 3, ruleId: 'boom', message: "rule 'boom' crashed: kaboom" },
    ]);
    expect(j.findings.some((f: { ruleId: string }) => f.ruleId === 'hardcoded-arch')).toBe(true);
    expect(j.summary.crashes).toBe(1);
    expect(jio.err()).toBe('');
  });

  it('a crash during --fix is still exit 2 and the real fixes are still applied', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const io = memoryIO(dir);
    const code = await run(['--fix', '--format', 'gcc', '.'], io, [...RULES, boom]);
    expect(code).toBe(2);
    expect(io.err()).toContain("rule 'boom' crashed: kaboom");
    expect(bytes(dir, 'debian/rules').toString()).toBe(RULES_FIXED);
    expect(leftoverTemps(dir)).toEqual([]);
  });
});

describe('--fix and temp files', () => {
  it('leaves no .debarch-lint-*.tmp after a successful fix of several files', async () => {
    const dir = tree({
      'a/debian/rules': RULES_TEXT,
      'b/deb_folder/rules': RULES_TEXT,
      'c/Makefile': 'CFLAGS += -msse4.2\n',
      'd/x.mk': CLEAN_MAKEFILE,
    });
    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(bytes(dir, 'a/debian/rules').toString()).toBe(RULES_FIXED);
    expect(bytes(dir, 'b/deb_folder/rules').toString()).toBe(RULES_FIXED);
    expect(bytes(dir, 'c/Makefile').toString()).not.toBe('CFLAGS += -msse4.2\n');
    expect(leftoverTemps(dir)).toEqual([]);
    // modes are kept
    expect(fs.statSync(path.join(dir, 'a/debian/rules')).mode & 0o777).toBe(0o644);
  });

  it('fixes a file whose name is near the 255-byte limit (the temp name must still fit)', async () => {
    const name = `${'x'.repeat(240)}.mk`;
    const dir = tree({ [name]: 'CFLAGS += -O2 -msse4.2\n' });
    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(bytes(dir, name).toString()).toContain('ifneq (,$(filter amd64 i386,$(DEB_HOST_ARCH_CPU)))');
    expect(leftoverTemps(dir)).toEqual([]);
  });

  it('keeps an executable debian/rules executable', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    fs.chmodSync(path.join(dir, 'debian/rules'), 0o755);
    expect((await cli(dir, ['--fix', '--format', 'gcc', '.'])).code).toBe(0);
    expect(fs.statSync(path.join(dir, 'debian/rules')).mode & 0o777).toBe(0o755);
    expect(readTree(dir).size).toBe(1);
  });
});
