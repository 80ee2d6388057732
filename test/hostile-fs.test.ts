/**
 * A hostile file system (issue 11, "Hostile input"): symlink loops, links out of the linted
 * root, files that change between discovery and reading, names that are not valid UTF-8 and
 * folders this user may not read. Each case states its outcome (notice or error, exit code) and
 * that the other files are still linted and nothing is written where it must not be.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPEN_FOUND_FILE } from '../src/cli/discover.js';
import { cli, tempDir, writeTree } from './helpers.js';

/** A debian/rules with one fixable hardcoded-arch finding on line 3. */
const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const FINDING = (p: string): string =>
  `${p}:3:19: warning: hardcoded architecture 'x86_64-linux-gnu' is wrong on arm64: use $(DEB_HOST_MULTIARCH) [hardcoded-arch]\n`;
const CLEAN = 'all:\n\techo hello\n';

const dirs: string[] = [];
function tree(files: Record<string, string | Uint8Array>): string {
  const dir = fs.realpathSync(tempDir('debarch-lint-hostile-'));
  dirs.push(dir);
  writeTree(dir, files);
  return dir;
}
afterAll(() => {
  for (const d of dirs) {
    fs.chmodSync(d, 0o700);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Runs `change()` the moment the CLI opens `target` to read it (after discovery listed it):
 * the race between discovery and reading, made certain.
 */
async function racing(target: string, change: () => void, args: string[], cwd: string) {
  const open = fs.openSync;
  let fired = 0;
  (fs as { openSync: unknown }).openSync = (p: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
    if (p === target && flags === OPEN_FOUND_FILE && fired++ === 0) change();
    return open(p, flags, mode);
  };
  try {
    return { ...(await cli(cwd, args)), fired };
  } finally {
    (fs as { openSync: unknown }).openSync = open;
  }
}

describe('symbolic links', () => {
  it('loops (a file link to itself, two links to each other, a folder link to its parent): notices, no hang, exit 0', async () => {
    const dir = tree({ 'pkg/Makefile': CLEAN });
    fs.symlinkSync('rules', path.join(dir, 'pkg/rules'));
    fs.mkdirSync(path.join(dir, 'x'));
    fs.symlinkSync('../x/b.mk', path.join(dir, 'x/a.mk'));
    fs.symlinkSync('../x/a.mk', path.join(dir, 'x/b.mk'));
    // a folder link is never walked into: no endless pkg/up/pkg/up/…
    fs.symlinkSync('..', path.join(dir, 'pkg/up'));
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.stderr).toBe(
      'pkg/rules: note: symbolic link loop; skipped\nx/a.mk: note: symbolic link loop; skipped\nx/b.mk: note: symbolic link loop; skipped\n',
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('a link out of the linted root is never linted nor written through by --fix; a notice names its target', async () => {
    const outside = tree({ 'rules': RULES_TEXT, 'lib/Makefile': RULES_TEXT });
    const dir = tree({ 'debian/control': 'Source: x\n' });
    fs.symlinkSync(path.join(outside, 'rules'), path.join(dir, 'debian/rules'));
    fs.symlinkSync(path.relative(dir, path.join(outside, 'lib')), path.join(dir, 'pkg'), 'dir');
    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.stderr).toBe(
      `debian/rules: note: symbolic link to ${path.join(outside, 'rules')}, outside the linted tree; skipped\n` +
        `pkg: note: symbolic link to ${path.join(outside, 'lib')}, outside the linted tree; skipped\n`,
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(outside, 'rules'), 'utf8')).toBe(RULES_TEXT);
    expect(fs.readFileSync(path.join(outside, 'lib/Makefile'), 'utf8')).toBe(RULES_TEXT);
    expect(fs.readdirSync(outside).sort()).toEqual(['lib', 'rules']);
  });

  it('a file and a link to it are linted once, as the file, whichever name sorts first', async () => {
    const dir = tree({ 'pkg/debian/rules': RULES_TEXT });
    fs.symlinkSync('pkg/debian/rules', path.join(dir, 'A.mk'));
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.stdout).toBe(FINDING('pkg/debian/rules'));
    expect(r.code).toBe(1);
  });
});

describe('a file that changes between discovery and reading', () => {
  it('deleted: an error naming it, exit 2, every other file still linted', async () => {
    const dir = tree({ 'a/debian/rules': RULES_TEXT, 'b/debian/rules': RULES_TEXT });
    const target = path.join(dir, 'a/debian/rules');
    const r = await racing(target, () => fs.rmSync(target), ['--format', 'gcc', '.'], dir);
    expect(r.fired).toBe(1);
    expect(r.stderr).toBe('a/debian/rules: error: disappeared after it was found (deleted or renamed while debarch-lint ran); not linted: run again\n');
    expect(r.stdout).toBe(FINDING('b/debian/rules'));
    expect(r.code).toBe(2);
  });

  it('turned into a folder: an error naming it, exit 2; --fix writes nothing into it and fixes the rest', async () => {
    const dir = tree({ 'a/debian/rules': RULES_TEXT, 'b/debian/rules': RULES_TEXT });
    const target = path.join(dir, 'a/debian/rules');
    const r = await racing(
      target,
      () => {
        fs.rmSync(target);
        fs.mkdirSync(target);
      },
      ['--fix', '--format', 'gcc', '.'],
      dir,
    );
    expect(r.stderr).toBe('a/debian/rules: error: became a folder after it was found; not linted: run again\n');
    expect(r.code).toBe(2);
    expect(fs.readdirSync(target)).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'b/debian/rules'), 'utf8')).not.toBe(RULES_TEXT);
  });

  it('replaced by a symlink out of the tree: not followed, an error, exit 2', async () => {
    const outside = tree({ 'secret': 'LIBDIR = /usr/lib/x86_64-linux-gnu\n' });
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const target = path.join(dir, 'debian/rules');
    const r = await racing(
      target,
      () => {
        fs.rmSync(target);
        fs.symlinkSync(path.join(outside, 'secret'), target);
      },
      ['--fix', '--format', 'gcc', '.'],
      dir,
    );
    expect(r.stderr).toBe('debian/rules: error: became a symbolic link after it was found; not followed, not linted: run again\n');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('LIBDIR = /usr/lib/x86_64-linux-gnu\n');
  });

  const HAVE_MKFIFO = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;
  it.skipIf(!HAVE_MKFIFO)('replaced by a FIFO: never waited on; an error, exit 2', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const target = path.join(dir, 'debian/rules');
    const r = await racing(
      target,
      () => {
        fs.rmSync(target);
        spawnSync('mkfifo', [target]);
      },
      ['--format', 'gcc', '.'],
      dir,
    );
    expect(r.stderr).toBe('debian/rules: error: is no longer a regular file (now a FIFO or device); not linted: run again\n');
    expect(r.code).toBe(2);
  });

  it.skipIf(!HAVE_MKFIFO)('a FIFO found by the walk or named on the command line is never opened', async () => {
    const dir = tree({ 'b/Makefile': CLEAN });
    fs.mkdirSync(path.join(dir, 'debian'));
    spawnSync('mkfifo', [path.join(dir, 'debian/rules')]);
    const walked = await cli(dir, ['--format', 'gcc', '.']);
    expect(walked.stderr).toBe('');
    expect(walked.code).toBe(0);
    const named = await cli(dir, ['--format', 'gcc', 'debian/rules', 'b/Makefile']);
    expect(named.stderr).toBe('debian/rules: note: not a regular file (a FIFO, socket or device); skipped\n');
    expect(named.code).toBe(0);
  });
});

describe('names that are not valid UTF-8', () => {
  // a file named with the bytes "x\xff.mk", and a folder "pkg\xfe" holding a debian/rules
  const probe = tempDir('debarch-lint-utf8-');
  dirs.push(probe);
  let refused: string | undefined;
  try {
    fs.writeFileSync(Buffer.concat([Buffer.from(`${probe}/`), Buffer.from([0x78, 0xff])]), '');
  } catch (e) {
    refused = (e as Error).message;
  }
  if (refused) console.log(`skipped: this file system refuses names that are not UTF-8 (${refused})`);

  it.skipIf(refused !== undefined)('are skipped with a notice naming them escaped; the other files are linted', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    fs.writeFileSync(bytes(`${dir}/debian/x`, [0xff], '.mk'), RULES_TEXT);
    fs.mkdirSync(bytes(`${dir}/pkg`, [0xfe]));
    fs.mkdirSync(bytes(`${dir}/pkg`, [0xfe], '/debian'));
    fs.writeFileSync(bytes(`${dir}/pkg`, [0xfe], '/debian/rules'), RULES_TEXT);
    // one of no kind (a .png) is not worth a notice, nor one .gitignore ignores
    fs.writeFileSync(bytes(`${dir}/logo`, [0xff], '.png'), '');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'ignored*\n');
    fs.writeFileSync(bytes(`${dir}/ignored`, [0xff], '.mk'), RULES_TEXT);
    const r = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(r.stderr).toBe(
      'pkg\\xFE: note: folder name is not valid UTF-8 (bytes shown as \\xNN); nothing in it is linted\n' +
        'debian/x\\xFF.mk: note: file name is not valid UTF-8 (bytes shown as \\xNN); skipped\n',
    );
    expect(r.code).toBe(0); // debian/rules fixed; the notices do not fail the run
    expect(fs.readFileSync(bytes(`${dir}/debian/x`, [0xff], '.mk'), 'utf8')).toBe(RULES_TEXT);
    expect(fs.readFileSync(bytes(`${dir}/pkg`, [0xfe], '/debian/rules'), 'utf8')).toBe(RULES_TEXT);
  });
});

describe('a folder this user may not read', () => {
  // as root, permissions do not stop a read: nothing to test there
  if (IS_ROOT) console.log('skipped: running as root, chmod 000 does not make a folder unreadable');
  it.skipIf(IS_ROOT)('keeps its behaviour: skipped without a word, the rest linted', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT, 'locked/debian/rules': RULES_TEXT });
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    try {
      const r = await cli(dir, ['--format', 'gcc', '.']);
      expect(r.stdout).toBe(FINDING('debian/rules'));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });
});
