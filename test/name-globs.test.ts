/**
 * Bare-name globs compiled to one regex (src/cli/name-globs.ts) answer for a name exactly as the
 * `ignore` package does, case-sensitive (git's default) and not (config globs), for files and,
 * with a trailing slash, for folders; a set with a line of another shape is not compiled.
 */
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { compileNameGlobs } from '../src/cli/name-globs.js';
import { seededRandom } from '../scripts/seams.js';

const CHARS = ['a', 'b', 'c', 'o', 'A', 'C', '.', '-', '_', '~', '+', '1', 'py', 'spec', 'centos', 'swp', 'pkg', '.py', 'ı', 'é'];

function names(seed: number, n: number): string[] {
  const r = seededRandom(seed);
  const out = new Set<string>();
  while (out.size < n) {
    const len = 1 + Math.floor(r() * 6);
    let s = '';
    for (let i = 0; i < len; i++) s += CHARS[Math.floor(r() * CHARS.length)] as string;
    // a folder never lists `.` nor `..` (and the package refuses them)
    if (s !== '.' && s !== '..') out.add(s);
  }
  return [...out];
}

const SETS: Record<string, string[]> = {
  'the default config globs': ['centos_pkg_dirs*', '*.spec', '*-centos.*'],
  'python and editor leftovers': ['*.py[co]', '*.py[cod]', '.*.swp', '*~', '*.egg-info', '.*'],
  'question marks and stars anywhere': ['?', 'a?b', 'a*b*c', '_*_', '*.', '+x', 'x-*'],
  'stars that take every name': ['*', '*?*'],
  'plain names': ['a.b', 'spec', 'C', 'pkg.py'],
  'none': [],
};

describe('compileNameGlobs', () => {
  for (const [label, globs] of Object.entries(SETS)) {
    for (const ignorecase of [false, true]) {
      it(`answers as the ignore package: ${label}${ignorecase ? ', case-insensitive' : ''}`, () => {
        const list = names(label.length * 31 + (ignorecase ? 1 : 0), 3000);
        const re = compileNameGlobs(globs, ignorecase);
        expect(re).toBeDefined();
        const slow = ignore({ ignorecase }).add(globs);
        expect(list.filter((n) => re?.test(n) !== slow.ignores(n))).toEqual([]);
        // folder-only lines (`glob/`) say the same of `name/` as the compiled set of the globs
        const dirs = ignore({ ignorecase }).add(globs.map((g) => `${g}/`));
        expect(list.filter((n) => re?.test(n) !== dirs.ignores(`${n}/`) || dirs.ignores(n))).toEqual([]);
        if (globs.length) {
          expect(list.some((n) => slow.ignores(n))).toBe(true);
          if (!globs.includes('*')) expect(list.some((n) => !slow.ignores(n))).toBe(true);
        }
      });
    }
  }

  it('leaves other shapes to the package', () => {
    for (const line of ['a\\*', '[a-z]', '[!a]', '**', 'a**b', 'a b', 'a/b', '!a', '#a', 'x ']) {
      expect(compileNameGlobs(['*.pyc', line], false)).toBeUndefined();
    }
  });
});
