/**
 * Every path a fix names is written only inside the linted roots (the paths on the command
 * line; `.` when none): checked by the writer, after symlinks are resolved, before anything is
 * written. A rule injected through run()'s rules argument emits edits to `../x`, an absolute
 * path elsewhere, a path with a NUL byte and a path through a symlinked folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import type { AnyRule } from '../src/types.js';
import { RULES } from '../rules/index.js';
import { tempDir, writeTree } from './helpers.js';

/** Every entry under dir: file bytes, a symlink's target, folders as such. */
function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      const rel = path.relative(dir, abs);
      if (e.isSymbolicLink()) out.set(rel, `-> ${fs.readlinkSync(abs)}`);
      else if (e.isDirectory()) {
        out.set(rel, '/');
        walk(abs);
      } else out.set(rel, fs.readFileSync(abs, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const RULES_FIXED =
  '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\nLIBDIR = /usr/lib/$(DEB_HOST_MULTIARCH)\n\n%:\n\tdh $@\n';

/** A rule whose fix of pkg/debian/rules creates `target` (a path as a rule would name it). */
function creating(target: string): AnyRule {
  return {
    id: 'escape',
    description: 'Test only: a fix that creates a file where it is told.',
    appliesTo: ['rules'],
    severity: 'warning',
    fixable: 'fix',
    defaultOptions: {},
    docs: { rationale: 'test only', bad: { path: 'debian/rules', text: '' }, good: { path: 'debian/rules', text: '' } },
    check(ctx) {
      if (ctx.file.path !== 'pkg/debian/rules' || ctx.project.get(target) !== undefined) return;
      ctx.report({ at: [0, 1], message: 'creates a file', fix: { description: 'create', edits: [{ path: target, range: [0, 0], text: 'all:\n\techo hi\n', create: true }] } });
    },
  };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const temp = (prefix: string): string => {
  const d = fs.realpathSync(tempDir(prefix));
  dirs.push(d);
  return d;
};

/** A parent folder holding the linted root `tree/` and a folder `outside/` beside it. */
function layout(): { top: string; root: string; outside: string } {
  const top = temp('debarch-lint-paths-');
  const root = path.join(top, 'tree');
  const outside = path.join(top, 'outside');
  writeTree(root, { 'pkg/debian/rules': RULES_TEXT, 'other/Makefile': 'all:\n\techo hello\n' });
  fs.mkdirSync(outside);
  return { top, root, outside };
}

async function fixWith(cwd: string, rule: AnyRule, paths: string[] = ['.']) {
  const io = memoryIO(cwd);
  const code = await run(['--fix', '--format', 'gcc', ...paths], io, [...RULES, rule]);
  return { code, out: io.out(), err: io.err() };
}

describe('--fix writes only inside the linted tree', () => {
  it.each([
    ['../outside/x.mk', 'a parent-relative path'],
    ['ABS', 'an absolute path elsewhere'],
    ['pkg/x\0y.mk', 'a path with a NUL byte'],
  ])('refuses %s (%s): exit 2, a clear error, nothing written anywhere', async (name) => {
    const { top, root, outside } = layout();
    const target = name === 'ABS' ? path.join(outside, 'x.mk') : name;
    const before = readTree(top);
    const r = await fixWith(root, creating(target));
    expect(r.code).toBe(2);
    const shown = target.replace(/\0/g, '\\0');
    if (name.includes('\0')) {
      expect(r.err).toContain(`${shown}: error: the path holds a NUL byte`);
    } else {
      expect(r.err).toContain(`${shown}: error: a fix names this path, but it is outside the linted tree (${root}); refused, nothing was written`);
    }
    // not even the ordinary fix of the same run: all or nothing
    expect(readTree(top)).toEqual(before);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('refuses a path through a symlinked folder that leads outside; writes through one that stays inside', async () => {
    const { top, root, outside } = layout();
    fs.symlinkSync(outside, path.join(root, 'pkg', 'out'));
    const before = readTree(top);
    const r = await fixWith(root, creating('pkg/out/x.mk'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`pkg/out/x.mk: error: a fix names this path, but it resolves to ${path.join(outside, 'x.mk')}, outside the linted tree`);
    expect(readTree(top)).toEqual(before);
    expect(fs.readdirSync(outside)).toEqual([]);

    fs.symlinkSync(path.join(root, 'other'), path.join(root, 'pkg', 'in'));
    const ok = await fixWith(root, creating('pkg/in/x.mk'));
    // discovery's note on the link that leads out, and nothing else
    expect(ok.err).toBe(`pkg/out: note: symbolic link to ${outside}, outside the linted tree; skipped\n`);
    expect(ok.code).toBe(0);
    expect(fs.readFileSync(path.join(root, 'other', 'x.mk'), 'utf8')).toBe('all:\n\techo hi\n');
    expect(fs.lstatSync(path.join(root, 'pkg', 'in')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(root, 'pkg/debian/rules'), 'utf8')).toBe(RULES_FIXED);
  });

  it('a symlinked file is fixed through to its target inside the tree, and the link stays a link', async () => {
    const { root } = layout();
    fs.mkdirSync(path.join(root, 'real'));
    fs.renameSync(path.join(root, 'pkg/debian/rules'), path.join(root, 'real/rules'));
    fs.symlinkSync('../../real/rules', path.join(root, 'pkg/debian/rules'));
    const r = await fixWith(root, { ...creating('none'), check: () => undefined });
    expect(r.err).toBe('');
    expect(fs.lstatSync(path.join(root, 'pkg/debian/rules')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(root, 'real/rules'), 'utf8')).toBe(RULES_FIXED);
  });

  it('a symlinked file whose target is outside the tree is never linted nor written', async () => {
    const { top, root, outside } = layout();
    fs.renameSync(path.join(root, 'pkg/debian/rules'), path.join(outside, 'rules'));
    fs.symlinkSync(path.join(outside, 'rules'), path.join(root, 'pkg/debian/rules'));
    const before = readTree(top);
    const r = await fixWith(root, { ...creating('none'), check: () => undefined });
    expect(r.err).toContain(`pkg/debian/rules: note: symbolic link to ${path.join(outside, 'rules')}, outside the linted tree; skipped`);
    expect(readTree(top)).toEqual(before);
  });

  it('the roots are the paths given: linting pkg/ may not write to other/, even inside the working folder', async () => {
    const { top, root } = layout();
    const before = readTree(top);
    const r = await fixWith(root, creating('other/x.mk'), ['pkg']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`other/x.mk: error: a fix names this path, but it is outside the linted tree (${path.join(root, 'pkg')})`);
    expect(readTree(top)).toEqual(before);
    // the same fix, linting the whole tree, is written
    const all = await fixWith(root, creating('other/x.mk'));
    expect(all.err).toBe('');
    expect(fs.existsSync(path.join(root, 'other/x.mk'))).toBe(true);
  });
});
