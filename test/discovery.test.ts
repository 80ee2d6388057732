/**
 * Discovery: the walk that decides .gitignore once per folder gives the files git itself lists
 * (`git ls-files -co --exclude-standard`, less the tracked files the patterns ignore, which the
 * walk has always left out), and discovery run on either list gives identical candidates,
 * `others` and problems. Trees are generated from a fixed seed: nested .gitignore files,
 * negations, folder-only and anchored patterns, `info/exclude`, tracked and untracked files,
 * tracked-but-ignored files, symlinks (inside, outside, dangling, loops), config ignores.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { afterAll, describe, expect, it } from 'vitest';
import { discover, walkTree, type DiscoverResult, type TreeEntry, type TreeLister } from '../src/cli/discover.js';
import { DEFAULT_IGNORE } from '../src/config/index.js';
import { seededRandom } from '../scripts/seams.js';
import { tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}, 120_000);
function fresh(): string {
  const d = tempDir('debarch-lint-discovery-');
  dirs.push(d);
  return fs.realpathSync(d);
}

// git as a user without any configuration of their own: no global excludes file, no hooks
const gitHome = fresh();
const GIT_ENV = { ...process.env, HOME: gitHome, XDG_CONFIG_HOME: gitHome, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(gitHome, 'none'), LC_ALL: 'C' };
function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'core.quotepath=off', ...args], { cwd, env: GIT_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const HAVE_GIT = spawnSync('git', ['--version']).status === 0;

/** The oracle: what git lists under `root`, as a TreeLister. */
const gitLister: TreeLister = (root) => {
  const listed = git(root, ['ls-files', '-co', '--exclude-standard', '-z']).split('\0').filter(Boolean);
  // tracked files the patterns ignore: git lists them, the walk never did (decided: it still does not)
  const trackedIgnored = new Set(git(root, ['ls-files', '-ci', '--exclude-standard', '-z']).split('\0').filter(Boolean));
  const entries: TreeEntry[] = [];
  for (const rel of new Set(listed)) {
    if (trackedIgnored.has(rel)) continue;
    const st = fs.lstatSync(path.join(root, rel), { throwIfNoEntry: false });
    if (!st || !(st.isFile() || st.isSymbolicLink())) continue;
    entries.push({ abs: path.join(root, rel), rel, isLink: st.isSymbolicLink() });
  }
  entries.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { entries, badNames: [] };
};

const FOLDERS = ['a', 'b', 'build', 'Build', 'debian', 'src', 'vendor', 'x.d', 'centos', 'deep'];
const FILES = ['rules', 'control', 'Makefile', 'x.mk', 'run.sh', 'noext', 'keep.log', 'x.log', 'X.LOG', 'y.tmp', 'important.tmp', '.hidden', 'a.spec', 'data.bin', 'README.md', 'build'];
// negations name files only: a deeper `!folder/` that brings back a folder a shallower file
// ignored is the one case where the walk and git differ (documented in discover.ts)
const PATTERNS = [
  '*.log', '!keep.log', 'build/', '/x.mk', 'src/*.sh', '*.tmp', '!important.tmp', '.hidden', 'vendor', 'a/**/rules',
  'Build', '# a comment', '', 'x.d/', '*.LOG', 'deep/', '/debian/control', 'noext', '!noext', '**/b/run.sh', 'data.*', '\\#not-a-comment',
];

interface Generated {
  root: string;
  outside: string;
}

function generate(seed: number): Generated {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const root = fresh();
  const outside = fresh();
  writeTree(outside, { 'rules': '#!/usr/bin/make -f\n' });
  const folders = [''];
  for (let i = 0; i < 8; i++) {
    const parent = pick(folders);
    if (parent.split('/').length > 3) continue;
    const f = parent === '' ? pick(FOLDERS) : `${parent}/${pick(FOLDERS)}`;
    if (!folders.includes(f)) folders.push(f);
  }
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) {
    const f = pick(folders);
    const name = pick(FILES);
    const rel = f === '' ? name : `${f}/${name}`;
    if (folders.some((d) => d === rel || d.startsWith(`${rel}/`))) continue;
    files[rel] = name.endsWith('.sh') || name === 'noext' ? '#!/bin/sh\necho x86_64\n' : `# ${rel}\n`;
  }
  writeTree(root, files);
  git(root, ['init', '-q']);
  // some files are committed before the patterns exist: tracked, and then ignored
  const tracked = Object.keys(files).filter(() => r() < 0.4);
  if (tracked.length) {
    git(root, ['add', '--', ...tracked]);
    git(root, ['commit', '-q', '-m', 'x']);
  }
  for (const f of folders) {
    if (r() < 0.5) continue;
    const lines = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(PATTERNS));
    fs.mkdirSync(path.join(root, f), { recursive: true });
    fs.writeFileSync(path.join(root, f, '.gitignore'), `${lines.join('\n')}\n`);
  }
  if (r() < 0.5) writeTree(root, { '.git/info/exclude': `${pick(PATTERNS)}\n${pick(PATTERNS)}\n` });
  // symlinks: to a file inside, outside the root, nowhere, and a loop
  const someFile = Object.keys(files)[0];
  const linkDir = pick(folders);
  fs.mkdirSync(path.join(root, linkDir), { recursive: true });
  if (someFile && !fs.existsSync(path.join(root, linkDir, 'Makefile'))) fs.symlinkSync(path.join(root, someFile), path.join(root, linkDir, 'Makefile'));
  if (!fs.existsSync(path.join(root, linkDir, 'rules'))) fs.symlinkSync(path.join(outside, 'rules'), path.join(root, linkDir, 'rules'));
  fs.symlinkSync('nowhere', path.join(root, linkDir, 'dangling.mk'));
  fs.symlinkSync('loop.sh', path.join(root, linkDir, 'loop.sh'));
  fs.symlinkSync('.', path.join(root, linkDir, 'here'));
  if (r() < 0.5) fs.writeFileSync(path.join(root, '.debarch-lint.json'), '{"ignore": ["**/vendor/**", "*.tmp"]}\n');
  return { root, outside };
}

/** Config ignores as the CLI applies them for one config at the root. */
function configIgnores(root: string): (abs: string) => boolean {
  let globs = [...DEFAULT_IGNORE];
  const file = path.join(root, '.debarch-lint.json');
  if (fs.existsSync(file)) globs = globs.concat((JSON.parse(fs.readFileSync(file, 'utf8')) as { ignore: string[] }).ignore);
  const ig = ignore().add(globs);
  return (abs) => {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    return rel !== '' && !rel.startsWith('..') && ig.ignores(rel);
  };
}

const summary = (d: DiscoverResult): unknown => ({
  files: d.files.map((f) => [f.display, f.real, f.kind.kind]),
  others: [...d.others],
  problems: d.problems,
});

describe.skipIf(!HAVE_GIT)('the walk lists what git lists', () => {
  // a few git processes per tree: 25 trees by default, DEBARCH_LINT_DISCOVERY_TREES=n for more
  const trees = Number(process.env.DEBARCH_LINT_DISCOVERY_TREES ?? 25);
  it(`on ${trees} generated trees: the same entries, and discovery on each list gives the same result`, async () => {
    let compared = 0;
    for (let seed = 1; seed <= trees; seed++) {
      const { root } = generate(seed);
      const walked = walkTree(root).entries.map((e) => `${e.rel}${e.isLink ? ' -> link' : ''}`);
      const listed = gitLister(root).entries.map((e) => `${e.rel}${e.isLink ? ' -> link' : ''}`);
      expect(walked, `seed ${seed} (tree kept in ${root})`).toEqual(listed);
      const isIgnored = configIgnores(root);
      const byWalk = await discover(root, ['.'], isIgnored);
      const byGit = await discover(root, ['.'], isIgnored, undefined, gitLister);
      expect(summary(byWalk), `seed ${seed}`).toEqual(summary(byGit));
      compared += walked.length;
    }
    // the generator makes trees with something in them
    expect(compared).toBeGreaterThan(5 * trees);
  }, 300_000);

  it('the patterns that shaped those trees: a hand-made tree, entry by entry', () => {
    const root = fresh();
    writeTree(root, {
      '.gitignore': '*.log\nbuild/\n/top-only.mk\n',
      'keep.log': '',
      'pkg/.gitignore': '!keep.log\n*.tmp\n',
      'pkg/keep.log': '',
      'pkg/x.log': '',
      'pkg/top-only.mk': '', // `/top-only.mk` is anchored at the top: not ignored here
      'top-only.mk': '',
      'pkg/build/rules': '', // folder ignored by the shallower file: never walked into
      'pkg/build/.gitignore': '!rules\n',
      'pkg/a.tmp': '',
      'pkg/build.txt': '',
      'excluded/rules': '',
      'Makefile': '',
      'X.LOG': '', // patterns are case-sensitive, as git's are on Linux
    });
    git(root, ['init', '-q']);
    writeTree(root, { '.git/info/exclude': 'excluded/\n' });
    // tracked, then ignored: left out (git ls-files -c would list it)
    writeTree(root, { 'old.tmp': '', 'pkg/.keep': '' });
    git(root, ['add', 'old.tmp']);
    git(root, ['commit', '-q', '-m', 'x']);
    fs.appendFileSync(path.join(root, '.gitignore'), 'old.tmp\n');
    expect(walkTree(root).entries.map((e) => e.rel)).toEqual([
      '.gitignore', 'Makefile', 'X.LOG', 'pkg/.gitignore', 'pkg/.keep', 'pkg/build.txt', 'pkg/keep.log', 'pkg/top-only.mk',
    ]);
    expect(gitLister(root).entries.map((e) => e.rel)).toEqual(walkTree(root).entries.map((e) => e.rel));
  });
});

describe('what the walk keeps from before', () => {
  it('a nested repository and a submodule are walked into, under the outer patterns and their own', () => {
    const root = fresh();
    writeTree(root, {
      '.gitignore': '*.log\n',
      'nested/.gitignore': '*.tmp\n',
      'nested/debian/rules': '',
      'nested/x.log': '',
      'nested/y.tmp': '',
      'nested/.git/HEAD': 'ref: refs/heads/main\n',
      'nested/.git/info/exclude': 'excluded.mk\n',
      'nested/excluded.mk': '',
      'sub/.git': 'gitdir: ../.git/modules/sub\n',
      'sub/Makefile': '',
      'sub/skip.mk': '',
      '.git/modules/sub/info/exclude': 'skip.mk\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'node_modules/x/Makefile': '',
      'a/node_modules': '',
    });
    expect(walkTree(root).entries.map((e) => e.rel)).toEqual(['.gitignore', 'nested/.gitignore', 'nested/debian/rules', 'sub/Makefile']);
  });

  it('a sub folder sees the .gitignore files above it, up to the top of the work tree', () => {
    const root = fresh();
    writeTree(root, { '.git/HEAD': '', '.gitignore': 'gen/\n*.o\n', 'pkg/gen/rules': '', 'pkg/a.o': '', 'pkg/Makefile': '' });
    expect(walkTree(path.join(root, 'pkg')).entries.map((e) => e.rel)).toEqual(['Makefile']);
    expect(walkTree(path.join(root, 'pkg/gen')).entries).toEqual([]);
  });

  it('a file named on the command line is linted even where .gitignore ignores it', async () => {
    const root = fresh();
    writeTree(root, { '.git/HEAD': '', '.gitignore': 'Makefile\n', 'Makefile': 'all:\n' });
    const named = await discover(root, ['Makefile'], () => false);
    expect(named.files.map((f) => f.display)).toEqual(['Makefile']);
    const walked = await discover(root, ['.'], () => false);
    expect(walked.files).toEqual([]);
  });

  it('a link named like a kind lints a target of no kind (or an ignored one); a target with a kind wins', async () => {
    const root = fresh();
    writeTree(root, { 'common/Makefile.common': 'all:\n', 'pkg/debian/rules': 'all:\n' });
    fs.symlinkSync('common/Makefile.common', path.join(root, 'Makefile'));
    fs.symlinkSync('pkg/debian/rules', path.join(root, 'A.mk'));
    const d = await discover(root, ['.'], () => false);
    expect(d.files.map((f) => [f.display, path.relative(root, f.real), f.kind.kind])).toEqual([
      ['Makefile', 'common/Makefile.common', 'makefile'],
      ['pkg/debian/rules', 'pkg/debian/rules', 'rules'],
    ]);
    expect([...d.others.keys()]).toEqual(['common/Makefile.common']);
  });

  it('paths come sorted by UTF-16 code unit, whatever the locale would say', async () => {
    const root = fresh();
    writeTree(root, { 'b.mk': '', 'B.mk': '', '_x.mk': '', 'a-b.mk': '', 'a.mk': '', 'ä.mk': '', 'a/x.mk': '' });
    const d = await discover(root, ['.'], () => false);
    // localeCompare (en) would give _x, a, a-b, a/x, ä, b, B
    expect(d.files.map((f) => f.display)).toEqual(['B.mk', '_x.mk', 'a-b.mk', 'a.mk', 'a/x.mk', 'b.mk', 'ä.mk']);
  });

  it('never looks inside a folder git ignores (an unreadable one there costs nothing)', () => {
    const root = fresh();
    writeTree(root, { '.git/HEAD': '', '.gitignore': 'out/\n', 'out/x/Makefile': '', 'Makefile': '' });
    const spy = fs.readdirSync;
    const read: string[] = [];
    (fs as { readdirSync: unknown }).readdirSync = (p: fs.PathLike, o?: unknown) => {
      read.push(path.relative(root, String(p)));
      return (spy as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
    };
    try {
      expect(walkTree(root).entries.map((e) => e.rel)).toEqual(['.gitignore', 'Makefile']);
    } finally {
      (fs as { readdirSync: unknown }).readdirSync = spy;
    }
    expect(read).toEqual(['']);
  });
});
