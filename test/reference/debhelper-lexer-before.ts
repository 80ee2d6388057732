/**
 * REFERENCE ONLY (test/lazy-lexers.test.ts): the debhelper line lexer before its lines made their
 * tokens when first read (main 7a0fa58).
 */
import moo from 'moo';
import { lazy } from '../../src/lexers/lazy.js';
import type { Token } from '../../src/lexers/token.js';
import { physicalLines } from './physical-lines.js';

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

