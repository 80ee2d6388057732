/**
 * A lossless lexer for GNU make (debian/rules, Makefile, *.mk).
 *
 * Make is line-oriented and context-sensitive (a TAB line is a recipe only after a rule, a
 * define body is raw text), so the file is first cut into logical lines (backslash
 * continuations joined), each line is classified, and moo tokenizes it in the matching mode:
 * make syntax, or recipe (shell) text where `#` is a shell comment only at a word start.
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

export type MakeLineMode = 'make' | 'recipe' | 'define-body';

const makeLexer = lazy(() => moo.compile({
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
  error: moo.error,
}));

const recipeLexer = lazy(() => moo.compile({
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
  error: moo.error,
}));

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
    const lexer = mode === 'make' ? makeLexer() : recipeLexer();
    lexer.reset(text.slice(start, next));
    const tokens: Token[] = [];
    for (const t of lexer) tokens.push({ type: t.type ?? 'other', text: t.text, offset: start + t.offset });
    lines.push({ start, end, next, mode, tokens });
  }
  return lines;
}

/** The make lexer as a plain token stream (the lossless contract). */
export function tokenizeMake(text: string): Token[] {
  return lexMakeLines(text).flatMap((l) => l.tokens);
}
