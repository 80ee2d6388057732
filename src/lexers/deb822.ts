/**
 * A lossless lexer for deb822 (deb822(5)): debian/control, and Debian's `Packages` and
 * `Sources` indices. The format is line-oriented, so each physical line is classified by its
 * first character and a scanner tokenizes the value part (by moo's rules, DEB822_VALUE_RULES):
 *
 * - `#` in column 1: a comment line (debian/control only; a `#` anywhere else is data);
 * - empty, or only blanks: a paragraph separator;
 * - a blank first: a continuation line of the field above;
 * - otherwise `Name: value`; a line with no colon is an `error` token (never a throw).
 */
import { isSpace, type Token } from './token.js';

export type Deb822LineKind = 'field' | 'continuation' | 'comment' | 'blank' | 'error';

/**
 * The value rules in moo's order of trying: the reference the scanner below is tested against
 * (test/control.test.ts compiles them with moo). The scanner replaced moo for speed: moo made a
 * token object with line and column for every value token, copied into ours.
 */
export const DEB822_VALUE_RULES = {
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
} as const;

/** The one-character token types, by code unit. */
const PUNCT = new Map<number, string>([
  [44, 'comma'], [124, 'pipe'], [91, 'lbracket'], [93, 'rbracket'], [60, 'langle'], [62, 'rangle'], [40, 'lparen'], [41, 'rparen'],
]);

/** ` \t\f\v\r`: the `ws` rule. */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;

/** The end of the `word` token from `end`. */
function wordEnd(text: string, end: number, stop: number): number {
  while (end < stop) {
    const c = text.charCodeAt(end);
    if (isSpace(c) || PUNCT.has(c)) break;
    end++;
  }
  return end;
}

/** The value tokens of `text[start, stop)`, by the rules of DEB822_VALUE_RULES, appended to `out`. */
export function scanDeb822Value(text: string, start: number, stop: number, out: Token[]): void {
  let pos = start;
  while (pos < stop) {
    const c = text.charCodeAt(pos);
    let end = pos + 1;
    let type: string;
    if (c === 10) type = 'newline';
    else if (c === 13 && pos + 1 < stop && text.charCodeAt(pos + 1) === 10) {
      end = pos + 2;
      type = 'newline';
    } else if (isBlank(c)) {
      while (end < stop && isBlank(text.charCodeAt(end))) end++;
      type = 'ws';
    } else if (PUNCT.has(c)) type = PUNCT.get(c) as string;
    else if (isSpace(c)) type = 'other';
    else {
      end = wordEnd(text, end, stop);
      type = 'word';
    }
    out.push({ type, text: text.slice(pos, end), offset: pos });
    pos = end;
  }
}

export interface Deb822Line {
  readonly kind: Deb822LineKind;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character before the line ending. */
  readonly end: number;
  /** Offset just past the line ending. */
  readonly next: number;
  /** For `field` lines: the name and the offset where the value text starts (after `:`). */
  readonly name?: string;
  readonly valueStart?: number;
  readonly tokens: Token[];
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
  scanDeb822Value(text, start, next, out);
}

/**
 * A classified line. Its tokens are made when first read: the models read the kinds, offsets and
 * names only (and a comment line's one token), so a control's values are never scanned in a lint.
 */
class Line implements Deb822Line {
  readonly #text: string;
  readonly #detailed: boolean;
  #tokens: Token[] | undefined;

  constructor(
    readonly kind: Deb822LineKind,
    readonly start: number,
    readonly end: number,
    readonly next: number,
    readonly name: string | undefined,
    readonly valueStart: number | undefined,
    text: string,
    detailed: boolean,
  ) {
    this.#text = text;
    this.#detailed = detailed;
  }

  get tokens(): Token[] {
    if (this.#tokens) return this.#tokens;
    const { kind, start, end, next } = this;
    const text = this.#text;
    const tokens: Token[] = [];
    const eol = (): void => {
      if (next > end) tokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    };
    if (kind === 'comment' || kind === 'error') {
      tokens.push({ type: kind, text: text.slice(start, end), offset: start });
      eol();
    } else if (kind === 'blank') {
      if (end > start) tokens.push({ type: 'ws', text: text.slice(start, end), offset: start });
      eol();
    } else if (kind === 'continuation') valueTokens(text, start, next, tokens, this.#detailed);
    else {
      const colon = (this.valueStart as number) - 1;
      tokens.push({ type: 'fieldName', text: this.name as string, offset: start });
      tokens.push({ type: 'colon', text: ':', offset: colon });
      valueTokens(text, colon + 1, next, tokens, this.#detailed);
    }
    return (this.#tokens = tokens);
  }
}

/** True when `text[start, end)` holds a code unit of JavaScript's `\s`. */
function hasSpace(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (isSpace(text.charCodeAt(i))) return true;
  return false;
}

/**
 * Cuts deb822 text into classified physical lines (their tokens made when read). Never throws.
 * `detailed: false` keeps each value as one `value` token: the fast path for archive indices.
 */
export function lexDeb822Lines(text: string, detailed = true): Deb822Line[] {
  const lines: Deb822Line[] = [];
  const length = text.length;
  let start = 0;
  while (start < length) {
    const nl = text.indexOf('\n', start);
    const next = nl < 0 ? length : nl + 1;
    let end = nl < 0 ? length : nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const c = end > start ? text.charCodeAt(start) : NaN;
    let kind: Deb822LineKind;
    let name: string | undefined;
    let valueStart: number | undefined;
    if (c === 35) kind = 'comment';
    else {
      let i = start;
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i === end) kind = 'blank';
      else if (c === 32 || c === 9) kind = 'continuation';
      else {
        const colon = text.indexOf(':', start);
        if (colon <= start || colon >= end || hasSpace(text, start, colon)) kind = 'error';
        else {
          kind = 'field';
          name = text.slice(start, colon);
          valueStart = colon + 1;
        }
      }
    }
    lines.push(new Line(kind, start, end, next, name, valueStart, text, detailed));
    start = next;
  }
  return lines;
}

/** The deb822 lexer as a plain token stream (the lossless contract). */
export function tokenizeDeb822(text: string): Token[] {
  return lexDeb822Lines(text).flatMap((l) => l.tokens);
}
