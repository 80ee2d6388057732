/**
 * A lossless lexer for debhelper config files read as lists (debian/[pkg.]install, dirs, links
 * …): one entry per line, blank-separated words, and `#` comment lines (debhelper drops lines
 * whose first non-blank is `#`; a `#` later on the line is data).
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import { physicalLines, type Token } from './token.js';

const lexer = lazy(() => moo.compile({
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  word: /[^\s]+/,
  error: moo.error,
}));

export interface DebhelperLine {
  start: number;
  end: number;
  next: number;
  comment: boolean;
  tokens: Token[];
}

export function lexDebhelperLines(text: string): DebhelperLine[] {
  const out: DebhelperLine[] = [];
  for (const { start, end, next } of physicalLines(text)) {
    const body = text.slice(start, end);
    const tokens: Token[] = [];
    if (/^[ \t]*#/.test(body)) {
      tokens.push({ type: 'comment', text: body, offset: start });
      if (next > end) tokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    } else {
      lexer().reset(text.slice(start, next));
      for (const t of lexer()) tokens.push({ type: t.type ?? 'word', text: t.text, offset: start + t.offset });
    }
    out.push({ start, end, next, comment: /^[ \t]*#/.test(body), tokens });
  }
  return out;
}

export function tokenizeDebhelper(text: string): Token[] {
  return lexDebhelperLines(text).flatMap((l) => l.tokens);
}
