/**
 * A lossless lexer for debhelper config files read as lists (debian/[pkg.]install, dirs, links
 * …): one entry per line, blank-separated words, and `#` comment lines (debhelper drops lines
 * whose first non-blank is `#`; a `#` later on the line is data). A line's tokens are made when
 * first read: the kinds and kits read the lines' offsets and comment flags.
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

const lexer = lazy(() => moo.compile({
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  word: /[^\s]+/,
  error: moo.error,
}));

export interface DebhelperLine {
  readonly start: number;
  readonly end: number;
  readonly next: number;
  readonly comment: boolean;
  readonly tokens: Token[];
}

/** A line; its tokens are made when first read (the kinds read a comment line's only). */
class Line implements DebhelperLine {
  readonly #text: string;
  #tokens: Token[] | undefined;

  constructor(readonly start: number, readonly end: number, readonly next: number, readonly comment: boolean, text: string) {
    this.#text = text;
  }

  get tokens(): Token[] {
    if (this.#tokens) return this.#tokens;
    const { start, end, next } = this;
    const text = this.#text;
    const tokens: Token[] = [];
    if (this.comment) {
      tokens.push({ type: 'comment', text: text.slice(start, end), offset: start });
      if (next > end) tokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    } else {
      lexer().reset(text.slice(start, next));
      for (const t of lexer()) tokens.push({ type: t.type ?? 'word', text: t.text, offset: start + t.offset });
    }
    return (this.#tokens = tokens);
  }
}

export function lexDebhelperLines(text: string): DebhelperLine[] {
  const out: DebhelperLine[] = [];
  const length = text.length;
  let start = 0;
  while (start < length) {
    const nl = text.indexOf('\n', start);
    const next = nl < 0 ? length : nl + 1;
    let end = nl < 0 ? length : nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    // `#` after blanks only
    let i = start;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    out.push(new Line(start, end, next, i < end && text.charCodeAt(i) === 35, text));
    start = next;
  }
  return out;
}

export function tokenizeDebhelper(text: string): Token[] {
  return lexDebhelperLines(text).flatMap((l) => l.tokens);
}
