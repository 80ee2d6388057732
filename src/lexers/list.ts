/**
 * A lossless lexer for StarlingX's line lists: `debian_pkg_dirs*` (one source dir a line),
 * package lists (`*.lst`: `name version [pinned-url]`; `*_iso_image*.inc`, `debian-image*.inc`:
 * one package a line) and quilt `series` files (one patch a line, with options).
 *
 * A line whose first non-blank is `#` is a comment (section headers like `#intel-i40e`, and the
 * commented-out entries of a twin list). StarlingX's readers (build-tools `bc_safe_fetch`, the
 * downloader) strip the line and skip it when it starts with `#`; a `#` later on a list line is
 * part of the entry. dpkg-source reads a series file differently: `#` at the start of a line or
 * after a blank starts a comment (Dpkg::Source::Quilt), so in `series` a trailing comment is one.
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

export type ListFlavour = 'list' | 'series';

const COMMON = {
  newline: { match: /\r?\n/, lineBreaks: true, next: 'start' },
  ws: /[^\S\n]+/,
};

const lexers: Record<ListFlavour, () => moo.Lexer> = {
  list: lazy(() => moo.states({
    start: { ...COMMON, comment: /#[^\n\r\u2028\u2029]*/, word: { match: /[^\s]+/, next: 'rest' }, error: moo.error },
    rest: { ...COMMON, word: /[^\s]+/, error: moo.error },
  })),
  series: lazy(() => moo.states({
    start: { ...COMMON, comment: /#[^\n\r\u2028\u2029]*/, word: { match: /[^\s#][^\s]*/, next: 'rest' }, error: moo.error },
    rest: { ...COMMON, comment: /#[^\n\r\u2028\u2029]*/, word: /[^\s]+/, error: moo.error },
  })),
};

/** The tokens of a list file: `comment`, `word`, `ws`, `newline` (and `error`, which cannot occur). */
export function tokenizeList(text: string, flavour: ListFlavour = 'list'): Token[] {
  const lexer = lexers[flavour]();
  lexer.reset(text);
  const out: Token[] = [];
  for (const t of lexer) out.push({ type: t.type ?? 'error', text: t.text, offset: t.offset });
  return out;
}
