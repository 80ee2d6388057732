/**
 * A lossless lexer for shell scripts (POSIX sh, bash, dash) and kickstart files (whose
 * `%pre`/`%post` sections are shell; their other lines lex as plain words).
 *
 * States follow the quoting: double quotes, `$(…)` (nested), `${…}` and backticks. Here
 * documents need the delimiter, which a regular lexer cannot remember: the driver notes each
 * `<<EOF` operator and, at the next newline, cuts the body (up to and including the delimiter
 * line) as one `heredoc` token, then resumes where it stopped. A `#` starts a comment only at
 * the start of a word, as in the shell. Never throws: what no rule matches becomes an `error`
 * token that runs to the end of the text.
 *
 * A scanner by first character, not moo (as the Python and YAML lexers): moo made a token object
 * with line and column, and a match array, for every token. The rules and their order are moo's
 * were (`SHELL_STATES`, which the tests compile with moo and compare against): in each state,
 * at each offset, the first rule that matches wins. `scanShell` gives the tokens as type codes
 * and offsets, without an object or a substring each; `ShellTokens` makes the objects of the
 * tokens a rule reads (as the Python scan does).
 */
import type { Token } from './token.js';
import { ScannedTokens, type TokenScan } from './token-scan.js';

/** Rules shared by top-level code and `$(…)` bodies. */
const code = {
  continuation: { match: /\\\r?\n/, lineBreaks: true },
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  comment: /#[^\r\n]*/,
  heredocOp: /<<-?[ \t]*(?:'[^'\r\n]*'|"[^"\r\n]*"|\\?[A-Za-z0-9_.@%+-]+)/,
  herestring: '<<<',
  sq: { match: /'[^']*'?/, lineBreaks: true },
  ansiSq: { match: /\$'(?:[^'\\]|\\[^])*'?/, lineBreaks: true },
  dqOpen: { match: '"', push: 'dq' },
  subOpen: { match: '$(', push: 'sub' },
  paramOpen: { match: '${', push: 'param' },
  btOpen: { match: '`', push: 'bt' },
  dollar: /\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])?/,
  op: /;;&|;;|;&|&&|\|\||[;&|<>]+/,
  word: /(?:\\[^]|[^\s'"`$\\;&|()<>#])(?:\\[^]|[^\s'"`$\\;&|()<>])*/,
} as const;

/**
 * The moo states the scanner reproduces, in moo's order of trying (the tests compile these with
 * `moo.states` plus an `error: moo.error` rule in each state).
 */
export const SHELL_STATES = {
  main: {
    ...code,
    lparen: '(',
    rparen: ')',
  },
  sub: {
    ...code,
    lparen: { match: '(', push: 'sub' },
    rparen: { match: ')', pop: 1 },
  },
  dq: {
    dqClose: { match: '"', pop: 1 },
    subOpen: { match: '$(', push: 'sub' },
    paramOpen: { match: '${', push: 'param' },
    btOpen: { match: '`', push: 'bt' },
    dollar: /\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])?/,
    dqText: { match: /(?:[^"\\$`]|\\[^])+/, lineBreaks: true },
  },
  param: {
    paramClose: { match: '}', pop: 1 },
    paramOpen: { match: '${', push: 'param' },
    subOpen: { match: '$(', push: 'sub' },
    dqOpen: { match: '"', push: 'dq' },
    sq: { match: /'[^']*'?/, lineBreaks: true },
    paramText: { match: /(?:[^}$"'\\]|\\[^]|\$(?![({]))+/, lineBreaks: true },
  },
  bt: {
    btClose: { match: '`', pop: 1 },
    btText: { match: /(?:[^`\\]|\\[^])+/, lineBreaks: true },
  },
} as const;

const HEREDOC_OP = new RegExp(code.heredocOp.source, 'y');
const OP = new RegExp(code.op.source, 'y');
const ANSI_SQ = new RegExp(code.ansiSq.match.source, 'y');

/** The states: 0 main, 1 `$(…)`, 2 `"…"`, 3 `${…}`, 4 backticks. */
const MAIN = 0;
const SUB = 1;
const DQ = 2;
const PARAM = 3;
const BT = 4;

/** `\s` in a JS regex (no `u` flag): what ends a word. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A character that ends a word: `\s'"\`$\\;&|()<>`. */
const WORD_STOP = new Uint8Array(128);
for (const ch of '\t\n\v\f\r \'"`$\\;&|()<>') WORD_STOP[ch.charCodeAt(0)] = 1;
const isWordChar = (c: number): boolean => (c < 128 ? WORD_STOP[c] === 0 : !isSpace(c));

/** Where `\s'"\`$\\;&|()<>`-free text (and backslash escapes) starting a word at `pos` ends; `pos` if none. */
function wordEnd(text: string, pos: number, n: number): number {
  let i = pos;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      if (i + 1 >= n) break;
      i += 2;
    } else if (isWordChar(c)) i++;
    else break;
  }
  return i;
}

/** The UTF-16 unit at `i`, -1 past the end (a read past the end deoptimizes the scanner). */
const codeAt = (text: string, i: number): number => (i < text.length ? text.charCodeAt(i) : -1);

/** `[ \t\f\v\r]` */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
}

function heredocOf(op: string): PendingHeredoc {
  const stripTabs = op.startsWith('<<-');
  const raw = op.replace(/^<<-?[ \t]*/, '');
  return { delimiter: raw.replace(/^(['"])(.*)\1$/, '$2').replace(/^\\/, ''), stripTabs };
}

/** The end of the here-document bodies starting at `pos`: just before the last delimiter line's ending. */
function heredocEnd(text: string, pos: number, pending: readonly PendingHeredoc[]): number {
  let at = pos;
  let end = pos;
  for (const h of pending) {
    for (;;) {
      if (at >= text.length) return text.length;
      const nl = text.indexOf('\n', at);
      const lineEnd = nl < 0 ? text.length : nl;
      const next = nl < 0 ? text.length : nl + 1;
      if (isDelimiterLine(text, at, lineEnd, h)) {
        end = text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        at = next;
        break;
      }
      end = next;
      at = next;
    }
  }
  return end;
}

/**
 * Whether the line from `at` to `lineEnd` is the delimiter: the line without one final `\r`
 * (and, for `<<-`, its leading tabs) is the delimiter, compared in place (a body's every line
 * was sliced and regex-replaced).
 */
function isDelimiterLine(text: string, at: number, lineEnd: number, h: PendingHeredoc): boolean {
  let e = lineEnd;
  if (e > at && text.charCodeAt(e - 1) === 13) e--;
  let s = at;
  if (h.stripTabs) while (s < e && text.charCodeAt(s) === 9) s++;
  return e - s === h.delimiter.length && text.startsWith(h.delimiter, s);
}

/** The token types of a scan, by their code in `ShScan.types`. */
export const SH_TYPES = [
  'error', 'continuation', 'newline', 'ws', 'comment', 'heredocOp', 'herestring', 'sq', 'ansiSq', 'dqOpen', 'subOpen', 'paramOpen',
  'btOpen', 'dollar', 'op', 'word', 'lparen', 'rparen', 'dqClose', 'dqText', 'paramClose', 'paramText', 'btClose', 'btText', 'heredoc',
] as const;
export const SH_ERROR = 0;
export const SH_CONTINUATION = 1;
export const SH_NEWLINE = 2;
export const SH_WS = 3;
export const SH_COMMENT = 4;
export const SH_HEREDOC_OP = 5;
export const SH_HERESTRING = 6;
export const SH_SQ = 7;
export const SH_ANSI_SQ = 8;
export const SH_DQ_OPEN = 9;
export const SH_SUB_OPEN = 10;
export const SH_PARAM_OPEN = 11;
export const SH_BT_OPEN = 12;
export const SH_DOLLAR = 13;
export const SH_OP = 14;
export const SH_WORD = 15;
export const SH_LPAREN = 16;
export const SH_RPAREN = 17;
export const SH_DQ_CLOSE = 18;
export const SH_DQ_TEXT = 19;
export const SH_PARAM_CLOSE = 20;
export const SH_PARAM_TEXT = 21;
export const SH_BT_CLOSE = 22;
export const SH_BT_TEXT = 23;
export const SH_HEREDOC = 24;

/** What a state scanner read: the token's type code, and the state it moves to (`STAY`, `POP` or a state to push). */
const STAY = -1;
const POP = -2;
let tokType = SH_ERROR;
let tokMove = STAY;

/** Sets the token read and returns its end. */
function tok(type: number, end: number, move = STAY): number {
  tokType = type;
  tokMove = move;
  return end;
}

/** A token of top-level code (or of a `$(…)` body, `sub`) at `pos`: its end, -1 when no rule matches. */
function codeToken(text: string, pos: number, n: number, sub: boolean): number {
  const c = text.charCodeAt(pos);
  const d = codeAt(text, pos + 1);
  if (c === 92 && (d === 10 || (d === 13 && codeAt(text, pos + 2) === 10))) return tok(SH_CONTINUATION, pos + (d === 10 ? 2 : 3));
  if (c === 10 || (c === 13 && d === 10)) return tok(SH_NEWLINE, pos + (c === 10 ? 1 : 2));
  if (isBlank(c)) {
    let end = pos + 1;
    while (end < n && isBlank(text.charCodeAt(end))) end++;
    return tok(SH_WS, end);
  }
  if (c === 35) {
    let end = pos + 1;
    while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    return tok(SH_COMMENT, end);
  }
  if (c === 39) {
    const q = text.indexOf("'", pos + 1);
    return tok(SH_SQ, q < 0 ? n : q + 1);
  }
  if (c === 34) return tok(SH_DQ_OPEN, pos + 1, DQ);
  if (c === 96) return tok(SH_BT_OPEN, pos + 1, BT);
  if (c === 36) {
    if (d === 39) {
      ANSI_SQ.lastIndex = pos;
      ANSI_SQ.test(text);
      return tok(SH_ANSI_SQ, ANSI_SQ.lastIndex);
    }
    if (d === 40) return tok(SH_SUB_OPEN, pos + 2, SUB);
    if (d === 123) return tok(SH_PARAM_OPEN, pos + 2, PARAM);
    return tok(SH_DOLLAR, dollarEnd(text, pos));
  }
  if (c === 40) return tok(SH_LPAREN, pos + 1, sub ? SUB : STAY);
  if (c === 41) return tok(SH_RPAREN, pos + 1, sub ? POP : STAY);
  if (c === 60 || c === 59 || c === 38 || c === 124 || c === 62) return operatorToken(text, pos, c, d);
  if (c === 92 ? pos + 1 < n : isWordChar(c)) return tok(SH_WORD, wordEnd(text, c === 92 ? pos + 2 : pos + 1, n));
  return -1;
}

/** At `;&|<>`: a here-document operator, a here-string, else an operator. */
function operatorToken(text: string, pos: number, c: number, d: number): number {
  if (c === 60 && d === 60) {
    HEREDOC_OP.lastIndex = pos;
    if (HEREDOC_OP.test(text)) return tok(SH_HEREDOC_OP, HEREDOC_OP.lastIndex);
    if (codeAt(text, pos + 2) === 60) return tok(SH_HERESTRING, pos + 3);
  }
  OP.lastIndex = pos;
  OP.test(text);
  return tok(SH_OP, OP.lastIndex);
}

/** A token inside double quotes at `pos`: its end, -1 when no rule matches. */
function dqToken(text: string, pos: number, n: number): number {
  const c = text.charCodeAt(pos);
  if (c === 34) return tok(SH_DQ_CLOSE, pos + 1, POP);
  if (c === 36) {
    const d = codeAt(text, pos + 1);
    if (d === 40) return tok(SH_SUB_OPEN, pos + 2, SUB);
    if (d === 123) return tok(SH_PARAM_OPEN, pos + 2, PARAM);
    return tok(SH_DOLLAR, dollarEnd(text, pos));
  }
  if (c === 96) return tok(SH_BT_OPEN, pos + 1, BT);
  const end = textEnd(text, pos, n, DQ);
  return end > pos ? tok(SH_DQ_TEXT, end) : -1;
}

/** A token inside `${…}` at `pos`: its end, -1 when no rule matches. */
function paramToken(text: string, pos: number, n: number): number {
  const c = text.charCodeAt(pos);
  const d = codeAt(text, pos + 1);
  if (c === 125) return tok(SH_PARAM_CLOSE, pos + 1, POP);
  if (c === 36 && d === 123) return tok(SH_PARAM_OPEN, pos + 2, PARAM);
  if (c === 36 && d === 40) return tok(SH_SUB_OPEN, pos + 2, SUB);
  if (c === 34) return tok(SH_DQ_OPEN, pos + 1, DQ);
  if (c === 39) {
    const q = text.indexOf("'", pos + 1);
    return tok(SH_SQ, q < 0 ? n : q + 1);
  }
  const end = textEnd(text, pos, n, PARAM);
  return end > pos ? tok(SH_PARAM_TEXT, end) : -1;
}

/** A token inside backquotes at `pos`: its end, -1 when no rule matches. */
function btToken(text: string, pos: number, n: number): number {
  if (text.charCodeAt(pos) === 96) return tok(SH_BT_CLOSE, pos + 1, POP);
  const end = textEnd(text, pos, n, BT);
  return end > pos ? tok(SH_BT_TEXT, end) : -1;
}

/**
 * The tokens of a text without a token object or a substring each: token `i` is of type
 * `SH_TYPES[types[i]]` and spans `[starts[i], starts[i + 1])` (`starts[count]` is the text's
 * length).
 */
export type ShScan = TokenScan;

/** A scan being filled: grown by doubling when a text has more tokens than guessed. */
class ScanBuffer {
  count = 0;
  types: Uint8Array;
  starts: Int32Array;

  constructor(n: number) {
    // about one token per five characters
    const cap = (n >> 2) + 16;
    this.types = new Uint8Array(cap);
    this.starts = new Int32Array(cap + 1);
  }

  push(type: number, start: number): void {
    if (this.count === this.types.length) {
      const t = new Uint8Array(this.types.length * 2);
      t.set(this.types);
      this.types = t;
      const s = new Int32Array(t.length + 1);
      s.set(this.starts);
      this.starts = s;
    }
    this.types[this.count] = type;
    this.starts[this.count++] = start;
  }
}

/** Scans a shell script into token types and offsets (the tokens of `tokenizeShell`). */
export function scanShell(text: string): ShScan {
  const out = new ScanBuffer(text.length);
  const n = text.length;
  const stack: number[] = [];
  let state = MAIN;
  let pending: PendingHeredoc[] | undefined;
  let pos = 0;
  while (pos < n) {
    const end = state === MAIN || state === SUB ? codeToken(text, pos, n, state === SUB)
      : state === DQ ? dqToken(text, pos, n)
      : state === PARAM ? paramToken(text, pos, n)
      : btToken(text, pos, n);
    if (end < 0) {
      // what no rule matches: moo's error token, the rest of the text
      out.push(SH_ERROR, pos);
      break;
    }
    const type = tokType;
    out.push(type, pos);
    if (tokMove === POP) state = stack.pop() ?? MAIN;
    else if (tokMove !== STAY) {
      stack.push(state);
      state = tokMove;
    }
    if (type === SH_HEREDOC_OP) (pending ??= []).push(heredocOf(text.slice(pos, end)));
    pos = end;
    if (type === SH_NEWLINE && pending) {
      const stop = heredocEnd(text, pos, pending);
      pending = undefined;
      if (stop > pos) out.push(SH_HEREDOC, pos);
      pos = stop;
    }
  }
  out.starts[out.count] = n;
  return { count: out.count, types: out.types, starts: out.starts };
}

/** Tokenizes a shell script; joining the tokens gives back `text`. */
export function tokenizeShell(text: string): Token[] {
  return new ShellTokens(text, scanShell(text)).all();
}

/**
 * The tokens of a shell text as its scan. A token object is made the first time it is asked
 * for and is then the same object however it is reached (`token`, `tokenAt`, `all`): rules
 * compare them by identity.
 */
export class ShellTokens extends ScannedTokens {
  constructor(text: string, scan: ShScan) {
    super(text, scan, SH_TYPES);
  }
}

/** `\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])?` at `pos`. */
function dollarEnd(text: string, pos: number): number {
  const c = codeAt(text, pos + 1);
  const alpha = (x: number): boolean => (x >= 65 && x <= 90) || (x >= 97 && x <= 122) || x === 95;
  if (alpha(c)) {
    let e = pos + 2;
    for (let x = codeAt(text, e); alpha(x) || (x >= 48 && x <= 57); x = codeAt(text, ++e));
    return e;
  }
  // 0-9 @ * # ? $ ! -
  if ((c >= 48 && c <= 57) || c === 64 || c === 42 || c === 35 || c === 63 || c === 36 || c === 33 || c === 45) return pos + 2;
  return pos + 1;
}

/**
 * The end of a run of quoted text from `pos`: `dqText` (`(?:[^"\\$\`]|\\[^])+`), `paramText`
 * (`(?:[^}$"'\\]|\\[^]|\$(?![({]))+`) or `btText` (`(?:[^\`\\]|\\[^])+`). `pos` when none.
 */
function textEnd(text: string, pos: number, n: number, state: number): number {
  let i = pos;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      if (i + 1 >= n) break;
      i += 2;
      continue;
    }
    if (state === DQ) {
      if (c === 34 || c === 36 || c === 96) break;
    } else if (state === PARAM) {
      if (c === 125 || c === 34 || c === 39) break;
      if (c === 36) {
        const d = codeAt(text, i + 1);
        if (d === 40 || d === 123) break;
      }
    } else if (c === 96) break;
    i++;
  }
  return i;
}
