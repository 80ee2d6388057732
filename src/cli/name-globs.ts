/**
 * Bare-name globs (`*.pyc`, `.*.swp`, `*.py[co]`, `centos_pkg_dirs*`) as one anchored regex,
 * answering for a name (a path of one part) exactly as the `ignore` package answers for it:
 * `*` is any run of characters but a slash, `?` one such character, `[co]` one of a set, and
 * the pattern must cover the whole name. The package tests each name against every pattern
 * through its own path machinery (split, parent lookups, a cache per name); discovery asks
 * for every file and folder, and that was a third of the walk. Only the simple shapes above
 * are compiled; any other line (escapes, ranges, negations, spaces, slashes, `**`) leaves the
 * whole set to the package. A test compares both on generated names.
 */

/** One glob part: a plain character, `*` (not `**`), `?`, or a bracket set of plain characters. */
const SIMPLE_GLOB = /^(?:[\w.~+-]|\*(?!\*)|\?|\[[\w.]+\])+$/;
const GLOB_PART = /[\w~-]|\.|\+|\*|\?|\[[\w.]+\]/g;

function partToRegex(part: string): string {
  if (part === '*') return '[^/]*';
  if (part === '?') return '[^/]';
  if (part === '.' || part === '+') return `\\${part}`;
  return part;
}

/**
 * A test of names against `globs` (each a bare name glob, no trailing slash), or undefined when
 * one of them is not of the simple shapes (the caller keeps the `ignore` package then). An
 * empty list never matches.
 */
export function compileNameGlobs(globs: readonly string[], ignoreCase: boolean): RegExp | undefined {
  const alts: string[] = [];
  for (const g of globs) {
    if (!SIMPLE_GLOB.test(g)) return undefined;
    alts.push((g.match(GLOB_PART) ?? []).map(partToRegex).join(''));
  }
  // `(?!)` never matches: a set with no pattern ignores nothing
  return new RegExp(alts.length ? `^(?:${alts.join('|')})$` : '(?!)', ignoreCase ? 'i' : '');
}
