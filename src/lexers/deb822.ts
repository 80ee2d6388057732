/**
 * A lossless lexer for deb822 (deb822(5)): debian/control, and Debian's `Packages` and
 * `Sources` indices. The format is line-oriented, so each physical line is classified by its
 * first character and moo tokenizes the value part:
 *
 * - `#` in column 1: a comment line (debian/control only; a `#` anywhere else is data);
 * - empty, or only blanks: a paragraph separator;
 * - a blank first: a continuation line of the field above;
 * - otherwise `Name: value`; a line with no colon is an `error` token (never a throw).
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import { physicalLines, type Token } from './token.js';

export type Deb822LineKind = 'field' | 'continuation' | 'comment' | 'blank' | 'error';

const valueLexer = lazy(() => moo.compile({
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  comma: ',',
  pipe: '|',
  lbracket: '[',
  rbracket: ']',
  langle: '<',
  rangle: '>',
  lparen: '(',
  rparen: ')',
  word: /[^\s,|[\]<>()]+/,
  other: { match: /[^]/, lineBreaks: true },
  error: moo.error,
}));

export interface Deb822Line {
  kind: Deb822LineKind;
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character before the line ending. */
  end: number;
  /** Offset just past the line ending. */
  next: number;
  /** For `field` lines: the name and the offset where the value text starts (after `:`). */
  name?: string;
  valueStart?: number;
  tokens: Token[];
}

function valueTokens(text: string, start: number, next: number, out: Token[], detailed: boolean): void {
  if (!detailed) {
    let end = next;
    if (end > start && text.charCodeAt(end - 1) === 10) end--;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end > start) out.push({ type: 'value', text: text.slice(start, end), offset: start });
    if (next > end) out.push({ type: 'newline', text: text.slice(end, next), offset: end });
    return;
  }
  valueLexer().reset(text.slice(start, next));
  for (const t of valueLexer()) out.push({ type: t.type ?? 'other', text: t.text, offset: start + t.offset });
}

/**
 * Cuts deb822 text into classified physical lines with their tokens. Never throws.
 * `detailed: false` keeps each value as one `value` token: the fast path for archive indices.
 */
export function lexDeb822Lines(text: string, detailed = true): Deb822Line[] {
  const lines: Deb822Line[] = [];
  for (const { start, end, next } of physicalLines(text)) {
    const body = text.slice(start, end);
    const tokens: Token[] = [];
    const eol = (): void => {
      if (next > end) tokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    };
    let line: Deb822Line;
    if (body.startsWith('#')) {
      tokens.push({ type: 'comment', text: body, offset: start });
      eol();
      line = { kind: 'comment', start, end, next, tokens };
    } else if (/^[ \t]*$/.test(body)) {
      if (body) tokens.push({ type: 'ws', text: body, offset: start });
      eol();
      line = { kind: 'blank', start, end, next, tokens };
    } else if (body.startsWith(' ') || body.startsWith('\t')) {
      valueTokens(text, start, next, tokens, detailed);
      line = { kind: 'continuation', start, end, next, tokens };
    } else {
      const colon = body.indexOf(':');
      if (colon <= 0 || /\s/.test(body.slice(0, colon))) {
        tokens.push({ type: 'error', text: body, offset: start });
        eol();
        line = { kind: 'error', start, end, next, tokens };
      } else {
        const name = body.slice(0, colon);
        tokens.push({ type: 'fieldName', text: name, offset: start });
        tokens.push({ type: 'colon', text: ':', offset: start + colon });
        valueTokens(text, start + colon + 1, next, tokens, detailed);
        line = { kind: 'field', start, end, next, name, valueStart: start + colon + 1, tokens };
      }
    }
    lines.push(line);
  }
  return lines;
}

/** The deb822 lexer as a plain token stream (the lossless contract). */
export function tokenizeDeb822(text: string): Token[] {
  return lexDeb822Lines(text).flatMap((l) => l.tokens);
}
