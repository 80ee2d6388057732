/**
 * A lossless lexer for GNU make (debian/rules, Makefile, *.mk).
 *
 * Make is line-oriented and context-sensitive (a TAB line is a recipe only after a rule, a
 * define body is raw text), so the file is first cut into logical lines (backslash
 * continuations joined), each line is classified, and tokenized in the matching mode: make
 * syntax, or recipe (shell) text where `#` is a shell comment only at a word start.
 *
 * Scanners by first character, not moo (as the Python, YAML and shell lexers): the rules and
 * their order are moo's were (`MAKE_RULES`, `RECIPE_RULES`, which the tests compile with moo and
 * compare against), each line lexed on its own.
 */
import type { Token } from './token.js';

export type MakeLineMode = 'make' | 'recipe' | 'define-body';

/**
 * The token rules of make-syntax lines, in moo's order of trying: the scanner below gives the
 * tokens moo gave for these (the tests compile them with moo and compare).
 */
export const MAKE_RULES = {
  continuation: { match: /\\\r?\n/, lineBreaks: true },
  newline: { match: /\r?\n/, lineBreaks: true },
  comment: { match: /#(?:\\\r?\n|\\[^\r\n]|[^\\\r\n])*\\?/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  refOpen: /\$[({]/,
  dollarVar: /\$[^({\r\n]?/,
  lparen: '(',
  rparen: ')',
  lbrace: '{',
  rbrace: '}',
  op: /:::=|::=|:=|\?=|\+=|!=|::|[:=;|]/,
  comma: ',',
  quote: /["']/,
  word: /(?:\\[^\r\n]|[^\s$#(){}:=,;'"\\?+!|])+/,
  other: { match: /[^]/, lineBreaks: true },
} as const;

/** The token rules of recipe and define-body lines (shell text), in moo's order of trying. */
export const RECIPE_RULES = {
  continuation: { match: /\\\r?\n/, lineBreaks: true },
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  refOpen: /\$[({]/,
  dollarVar: /\$[^({\r\n]?/,
  lparen: '(',
  rparen: ')',
  lbrace: '{',
  rbrace: '}',
  shellOp: /;;|&&|\|\||[;&|<>]/,
  quote: /["'`]/,
  hash: '#',
  word: /(?:\\[^\r\n]|[^\s$#(){};&|<>"'`\\])+/,
  other: { match: /[^]/, lineBreaks: true },
} as const;

const OP = new RegExp(MAKE_RULES.op.source, 'y');

/** `\s` of a JS regex (no `u` flag). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** ASCII characters no word holds (besides `\s`): make lines, then recipe lines. */
const MAKE_STOP = new Uint8Array(128);
for (const ch of '$#(){}:=,;\'"\\?+!|') MAKE_STOP[ch.charCodeAt(0)] = 1;
const RECIPE_STOP = new Uint8Array(128);
for (const ch of '$#(){};&|<>"\'`\\') RECIPE_STOP[ch.charCodeAt(0)] = 1;

/** `[ \t\f\v\r]` */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;

/** The end of a word from `pos` (before `stop`): `(?:\\[^\r\n]|[^\s…\\])+`; `pos` when none starts there. */
function wordEnd(text: string, pos: number, stop: number, excluded: Uint8Array): number {
  let i = pos;
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      const d = i + 1 < stop ? text.charCodeAt(i + 1) : -1;
      if (d < 0 || d === 10 || d === 13) break;
      i += 2;
    } else if (c < 128 ? excluded[c] === 0 && !isSpace(c) : !isSpace(c)) i++;
    else break;
  }
  return i;
}

/**
 * The token type at `pos` that the rules shared by both modes give (continuation, newline, blanks,
 * `$`, brackets), and its end in `tokenEnd`; undefined for the rest, each mode's own.
 */
let tokenEnd = 0;
function sharedToken(text: string, pos: number, stop: number, c: number): string | undefined {
  const d = pos + 1 < stop ? text.charCodeAt(pos + 1) : -1;
  if (c === 92 && (d === 10 || (d === 13 && pos + 2 < stop && text.charCodeAt(pos + 2) === 10))) {
    tokenEnd = pos + (d === 10 ? 2 : 3);
    return 'continuation';
  }
  if (c === 10 || (c === 13 && d === 10)) {
    tokenEnd = pos + (c === 10 ? 1 : 2);
    return 'newline';
  }
  tokenEnd = pos + 1;
  if (isBlank(c)) {
    while (tokenEnd < stop && isBlank(text.charCodeAt(tokenEnd))) tokenEnd++;
    return 'ws';
  }
  if (c === 36) {
    if (d === 40 || d === 123) {
      tokenEnd++;
      return 'refOpen';
    }
    if (d >= 0 && d !== 13 && d !== 10) tokenEnd++;
    return 'dollarVar';
  }
  if (c === 40) return 'lparen';
  if (c === 41) return 'rparen';
  if (c === 123) return 'lbrace';
  if (c === 125) return 'rbrace';
  return undefined;
}

/** The tokens of one make-syntax line, [pos, stop). */
function scanMakeLine(text: string, pos: number, stop: number, out: Token[]): void {
  while (pos < stop) {
    const c = text.charCodeAt(pos);
    let type = sharedToken(text, pos, stop, c);
    let end = tokenEnd;
    if (type === undefined) {
      end = pos + 1;
      type = 'other';
      if (c === 35) {
        // #(?:\\\r?\n|\\[^\r\n]|[^\\\r\n])*\\?
        while (end < stop) {
          const x = text.charCodeAt(end);
          if (x === 92) {
            const y = end + 1 < stop ? text.charCodeAt(end + 1) : -1;
            if (y === 10) end += 2;
            else if (y === 13 && end + 2 < stop && text.charCodeAt(end + 2) === 10) end += 3;
            else if (y >= 0 && y !== 13) end += 2;
            else {
              end++;
              break;
            }
          } else if (x === 10 || x === 13) break;
          else end++;
        }
        type = 'comment';
      } else if (c === 58 || c === 61 || c === 59 || c === 124 || ((c === 63 || c === 43 || c === 33) && end < stop && text.charCodeAt(end) === 61)) {
        OP.lastIndex = pos;
        OP.test(text);
        end = Math.min(OP.lastIndex, stop);
        type = 'op';
      } else if (c === 44) type = 'comma';
      else if (c === 34 || c === 39) type = 'quote';
      else {
        const w = wordEnd(text, pos, stop, MAKE_STOP);
        if (w > pos) {
          end = w;
          type = 'word';
        }
      }
    }
    out.push({ type, text: text.slice(pos, end), offset: pos });
    pos = end;
  }
}

/** The tokens of one recipe or define-body line, [pos, stop). */
function scanRecipeLine(text: string, pos: number, stop: number, out: Token[]): void {
  while (pos < stop) {
    const c = text.charCodeAt(pos);
    let type = sharedToken(text, pos, stop, c);
    let end = tokenEnd;
    if (type === undefined) {
      end = pos + 1;
      type = 'other';
      const d = end < stop ? text.charCodeAt(end) : -1;
      if (c === 59 || c === 38 || c === 124 || c === 60 || c === 62) {
        // ;;|&&|\|\||[;&|<>]
        if ((c === 59 || c === 38 || c === 124) && d === c) end++;
        type = 'shellOp';
      } else if (c === 34 || c === 39 || c === 96) type = 'quote';
      else if (c === 35) type = 'hash';
      else {
        const w = wordEnd(text, pos, stop, RECIPE_STOP);
        if (w > pos) {
          end = w;
          type = 'word';
        }
      }
    }
    out.push({ type, text: text.slice(pos, end), offset: pos });
    pos = end;
  }
}

export interface MakeLogicalLine {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character before the line ending (or EOF). */
  end: number;
  /** Offset just past the line ending. */
  next: number;
  mode: MakeLineMode;
  tokens: Token[];
}

const CONDITIONAL_START = /^\s*(ifeq|ifneq|ifdef|ifndef)\b/;
const CONDITIONAL_OTHER = /^\s*(else|endif)\b/;
const DEFINE = /^\s*(?:(?:override|export|private)\s+)*define\b/;
const ENDEF = /^\s*endef\b/;

/** Splits text into logical lines: [start, end-before-eol, next]. */
function logicalLines(text: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  let start = 0;
  let i = 0;
  while (start < text.length) {
    i = text.indexOf('\n', i);
    if (i < 0) {
      out.push([start, text.length, text.length]);
      break;
    }
    let e = i;
    if (e > start && text.charCodeAt(e - 1) === 13) e--;
    let bs = 0;
    for (let k = e - 1; k >= start && text.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 1) {
      i++;
      continue;
    }
    out.push([start, e, i + 1]);
    start = i + 1;
    i = start;
  }
  return out;
}

/** True when a make line (not recipe) is a rule: a `:` outside references, not an assignment. */
export function looksLikeRule(line: string): boolean {
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '#' && depth === 0) return false;
    if (c === '$' && (line[i + 1] === '(' || line[i + 1] === '{')) {
      depth++;
      i++;
      continue;
    }
    if ((c === ')' || c === '}') && depth > 0) {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (c === '=') return false;
    if (c === ':') {
      const rest = line.slice(i);
      if (/^(?:::=|:::=|:=)/.test(rest)) return false;
      return true;
    }
    if ((c === '?' || c === '+' || c === '!') && line[i + 1] === '=') return false;
  }
  return false;
}

/** Cuts a make file into classified logical lines with their tokens. Never throws. */
export function lexMakeLines(text: string): MakeLogicalLine[] {
  const lines: MakeLogicalLine[] = [];
  let defineDepth = 0;
  let inRecipe = false;
  // TAB lines before any make syntax are the rest of a recipe: a patch hunk's post-image often
  // starts inside one (a real make file never starts with a TAB line).
  let fragment = true;
  for (const [start, end, next] of logicalLines(text)) {
    const body = text.slice(start, end);
    let mode: MakeLineMode = 'make';
    if (defineDepth > 0) {
      if (ENDEF.test(body)) defineDepth--;
      else {
        if (DEFINE.test(body)) defineDepth++;
        mode = 'define-body';
      }
    } else if (body.startsWith('\t') && (inRecipe || fragment) && !CONDITIONAL_START.test(body) && !CONDITIONAL_OTHER.test(body)) {
      mode = 'recipe';
    } else if (DEFINE.test(body)) {
      defineDepth = 1;
      inRecipe = false;
      fragment = false;
    } else if (/^\s*(#|$)/.test(body) || CONDITIONAL_START.test(body) || CONDITIONAL_OTHER.test(body)) {
      // comments, blank lines and conditionals keep the recipe context
    } else {
      inRecipe = looksLikeRule(body);
      fragment = false;
    }
    const tokens: Token[] = [];
    if (mode === 'make') scanMakeLine(text, start, next, tokens);
    else scanRecipeLine(text, start, next, tokens);
    lines.push({ start, end, next, mode, tokens });
  }
  return lines;
}

/** The make lexer as a plain token stream (the lossless contract). */
export function tokenizeMake(text: string): Token[] {
  return lexMakeLines(text).flatMap((l) => l.tokens);
}
