/**
 * Config `ignore` globs as discovery tests them (ConfigIgnore: each folder decided once, then a
 * name-only test) answer exactly as the `ignore` package asked about the whole path, for the
 * default globs, for sets the shortcut takes (bare names, `**\/<name>/**`) and for sets it must
 * leave to the package (negations, anchored and slashed patterns), on paths generated from a
 * fixed seed and asked in a shuffled order (the caches must not depend on the order).
 */
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { ConfigIgnore } from '../src/cli/discover.js';
import { DEFAULT_IGNORE } from '../src/config/index.js';

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
