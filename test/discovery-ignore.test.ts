/**
 * Config `ignore` globs as discovery tests them (ConfigIgnore: each folder decided once, then a
 * name-only test) answer exactly as the `ignore` package asked about the whole path, for the
 * default globs, for sets the shortcut takes (bare names, `**\/<name>/**`) and for sets it must
 * leave to the package (negations, anchored and slashed patterns), on paths generated from a
 * fixed seed and asked in a shuffled order (the caches must not depend on the order). The walk
 * tells the config lookup which folders hold no config file; a config it lists is still found.
 */
import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigIgnore, walkTree } from '../src/cli/discover.js';
import { DEFAULT_IGNORE } from '../src/config/index.js';
import { cli, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PARTS = [
  'centos', 'CentOS', 'centos_pkg_dirs', 'centos_pkg_dirs_rt', 'devstack', 'debian', 'build', 'Build', 'tmp',
  'a.spec', 'b.SPEC', 'spec', 'x-centos.conf', 'x-centos', 'centos.conf', 'doc1', 'docs', 'src', 'x.pyc', 'keep.spec',
  '.hidden', 'a', 'b', 'top', 'centos-x', 'my.centos', 'de vstack', 'tmp.d',
];

function paths(seed: number, n: number): string[] {
  const r = rng(seed);
  const out = new Set<string>();
  while (out.size < n) {
    const depth = 1 + Math.floor(r() * 6);
    const parts: string[] = [];
    for (let i = 0; i < depth; i++) parts.push(PARTS[Math.floor(r() * PARTS.length)] as string);
    out.add(parts.join('/'));
  }
  const list = [...out];
  // shuffle: the folders of a path are not always asked about before their files
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [list[i], list[j]] = [list[j] as string, list[i] as string];
  }
  return list;
}

const SETS: Record<string, string[]> = {
  defaults: DEFAULT_IGNORE,
  'defaults and bare names': [...DEFAULT_IGNORE, 'build', '*.pyc', 'doc?', '**/tmp/**', '**/.hidden'],
  'a negation (left to the package)': [...DEFAULT_IGNORE, '!keep.spec'],
  'a slashed pattern (left to the package)': [...DEFAULT_IGNORE, 'a/b', 'top/**'],
  'an anchored name (left to the package)': [...DEFAULT_IGNORE, '/top', 'build/'],
  'a trailing space and an escape (left to the package)': ['de\\ vstack', 'tmp '],
};

describe('ConfigIgnore', () => {
  for (const [name, patterns] of Object.entries(SETS)) {
    it(`answers as the ignore package: ${name}`, () => {
      const list = paths(name.length * 7919, 4000);
      const fast = new ConfigIgnore(patterns);
      const slow = ignore().add(patterns);
      const differ = list.filter((p) => fast.ignores(p) !== slow.ignores(p));
      expect(differ).toEqual([]);
      // the generated paths do exercise both answers
      expect(list.some((p) => slow.ignores(p))).toBe(true);
      expect(list.some((p) => !slow.ignores(p))).toBe(true);
    });
  }
});

describe('the folders the walk saw without a config file', () => {
  const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';

  it('are the listed folders less those holding one (a dangling link counts as holding one)', () => {
    const root = fs.realpathSync(tempDir('debarch-lint-noconfig-'));
    dirs.push(root);
    writeTree(root, { 'a/b/.debarch-lint.json': '{}', 'a/b/c/Makefile': '', 'd/Makefile': '', 'e/Makefile': '' });
    fs.symlinkSync('nowhere', path.join(root, 'e', '.debarch-lint.json'));
    const seen = [...(walkTree(root).noConfig ?? [])].map((d) => path.relative(root, d)).sort();
    expect(seen).toEqual(['', 'a', 'a/b/c', 'd']);
  });

  it('a config in a walked sub folder still applies its ignore globs, and only below it', async () => {
    const root = fs.realpathSync(tempDir('debarch-lint-noconfig-'));
    dirs.push(root);
    writeTree(root, {
      'pkg/sub/.debarch-lint.json': JSON.stringify({ ignore: ['gen/**'] }),
      'pkg/sub/gen/Makefile': RULES_TEXT,
      'pkg/sub/Makefile': RULES_TEXT,
      'pkg/gen/Makefile': RULES_TEXT,
    });
    const r = await cli(root, ['--format', 'json', '.']);
    expect(r.stderr).toBe('');
    const linted = (JSON.parse(r.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path);
    expect([...new Set(linted)].sort()).toEqual(['pkg/gen/Makefile', 'pkg/sub/Makefile']);
  });
});

describe('plain .gitignore lines tested by name', () => {
  it('a literal, a `*<tail>` and their folder-only forms ignore what git ignores (as `git ls-files -co --exclude-standard` lists)', () => {
    const root = fs.realpathSync(tempDir('debarch-lint-tails-'));
    dirs.push(root);
    writeTree(root, {
      '.git/HEAD': '',
      '.gitignore': '*.log\n*.d/\nbuild\nout/\n',
      '.log': '', // `*` matches no character too
      'a.log': '',
      'x.d': '', // a file: `*.d/` names folders only
      'y.d/f': '',
      build: '',
      out: '', // a file: `out/` names folders only
      keep: '',
      'sub/.log': '',
      'sub/b.LOG': '', // case-sensitive, as git is on Linux
      'sub/out': '',
    });
    const expected = ['.gitignore', 'keep', 'out', 'sub/b.LOG', 'sub/out', 'x.d'];
    expect(walkTree(root).entries.map((e) => e.rel)).toEqual(process.platform === 'linux' ? expected : expect.any(Array));
  });
});
