/**
 * A lossless lexer for Python: strings (any prefix, single- and triple-quoted, f-strings kept
 * whole), comments, names, numbers, brackets and operators. Indentation is read by the model
 * from the tokens (a `newline` followed by `ws`). Unterminated strings run to the end of their
 * line (or of the file, for triple quotes). Never throws.
 *
 * A scanner by first character, not moo: moo made a token object with line and column, and a
 * match array, for every token (the Python files are the largest share of a tree's text, and
 * that garbage was most of the GC of a lint). The rules and their order are moo's were: at each
 * offset the first rule that matches wins (`PYTHON_RULES`, which the tests compile with moo and
 * compare against). `scanPython` gives the tokens as types and offsets, without an object or a
 * substring each: the model makes the objects of the tokens a rule reads (a fraction of them).
 */
import type { Token } from './token.js';
import type { TokenScan } from './token-scan.js';

/** The token rules in moo's order of trying (the reference the scanner is tested against). */
export const PYTHON_RULES = {
  continuation: { match: /\\\r?\n/, lineBreaks: true },
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  comment: /#[^\r\n]*/,
  string: [
    { match: /(?:[rRbBuUfF]{1,2})?"""(?:[^"\\]|\\[^]|"(?!""))*(?:"""|"{0,2})/, lineBreaks: true },
    { match: /(?:[rRbBuUfF]{1,2})?'''(?:[^'\\]|\\[^]|'(?!''))*(?:'''|'{0,2})/, lineBreaks: true },
    { match: /(?:[rRbBuUfF]{1,2})?"(?:[^"\\\r\n]|\\[^])*"?/, lineBreaks: true },
    { match: /(?:[rRbBuUfF]{1,2})?'(?:[^'\\\r\n]|\\[^])*'?/, lineBreaks: true },
  ],
  name: /[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/,
  number: /[0-9][0-9a-zA-Z_.]*/,
  open: /[([{]/,
  close: /[)\]}]/,
  op: /[-+*/%@&|^~<>=!.,:;]+/,
  other: { match: /[^]/, lineBreaks: true },
} as const;

/** The string rules, sticky, tried in order where a string may start (a quote or a prefix letter). */
const STRINGS = PYTHON_RULES.string.map((r) => new RegExp(r.match.source, 'y'));

/** Character classes of the ASCII range, one byte each (an array lookup, not a Set). */
const NAME_START = 1;
const NAME_CHAR = 2;
const DIGIT = 4;
const BLANK = 8;
const OP = 16;
const PREFIX = 32;
const CLASS = (() => {
  const t = new Uint8Array(128);
  const mark = (chars: string, bit: number): void => {
    for (const c of chars) t[c.charCodeAt(0)] = (t[c.charCodeAt(0)] as number) | bit;
  };
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_';
  mark(letters, NAME_START | NAME_CHAR);
  mark('0123456789', DIGIT | NAME_CHAR);
  mark(' \t\f\v\r', BLANK);
  mark('-+*/%@&|^~<>=!.,:;', OP);
  mark('rRbBuUfF', PREFIX);
  return t;
})();
/** The class bits of a UTF-16 code unit: from U+0080 up, a name character. */
const classOf = (c: number): number => (c < 128 ? (CLASS[c] as number) : NAME_START | NAME_CHAR);
/** A quote, or one or two prefix letters then a quote: where a string rule may match. */
function mayStartString(text: string, pos: number, c: number): boolean {
  if (c === 34 || c === 39) return true;
  if (!(classOf(c) & PREFIX)) return false;
  const d = text.charCodeAt(pos + 1);
  if (d === 34 || d === 39) return true;
  if (!(d < 128 && (CLASS[d] as number) & PREFIX)) return false;
  const e = text.charCodeAt(pos + 2);
  return e === 34 || e === 39;
}

/** The end of the string token at `pos` (the first string rule that matches), or -1. */
function stringEnd(text: string, pos: number): number {
  for (const re of STRINGS) {
    re.lastIndex = pos;
    if (re.test(text)) return re.lastIndex;
  }
  return -1;
}

/** The end of the run of characters of class `bit` from `end`. */
function runEnd(text: string, end: number, bit: number): number {
  const n = text.length;
  while (end < n && classOf(text.charCodeAt(end)) & bit) end++;
  return end;
}

/** The end of a number from `pos`: ASCII name characters and dots. */
function numberEnd(text: string, end: number): number {
  const n = text.length;
  for (; end < n; end++) {
    const c = text.charCodeAt(end);
    if (!(c === 46 || (c < 128 && (CLASS[c] as number) & NAME_CHAR))) break;
  }
  return end;
}

/** The end of a comment from `end`: the line's end. */
function commentEnd(text: string, end: number): number {
  const n = text.length;
  while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return end;
}

/** The token types of a scan, by their code in `PyScan.types`. */
export const PY_TYPES = ['other', 'continuation', 'newline', 'ws', 'comment', 'string', 'name', 'number', 'open', 'close', 'op'] as const;
export const PY_OTHER = 0;
export const PY_CONTINUATION = 1;
export const PY_NEWLINE = 2;
export const PY_WS = 3;
export const PY_COMMENT = 4;
export const PY_STRING = 5;
export const PY_NAME = 6;
export const PY_NUMBER = 7;
export const PY_OPEN = 8;
export const PY_CLOSE = 9;
export const PY_OP = 10;

/**
 * The tokens of a text without a token object or a substring each: token `i` is of type
 * `PY_TYPES[types[i]]` and spans `[starts[i], starts[i + 1])` (`starts[count]` is the text's
 * length). The model makes the objects of the few tokens a rule reads.
 */
export type PyScan = TokenScan;

/** Scans Python source into token types and offsets (the tokens of `tokenizePython`). */
export function scanPython(text: string): PyScan {
  const n = text.length;
  // about one token per five characters; grown by doubling when a text has more
  let cap = (n >> 2) + 16;
  let types = new Uint8Array(cap);
  let starts = new Int32Array(cap + 1);
  let count = 0;
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    const cls = classOf(c);
    let end = pos + 1;
    let type = PY_OTHER;
    if (c === 92) {
      // `\` then a line break: a continuation; else an `other`
      const d = text.charCodeAt(pos + 1);
      const len = d === 10 ? 2 : d === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : 1;
      if (len > 1) {
        end = pos + len;
        type = PY_CONTINUATION;
      }
    } else if (c === 10) {
      type = PY_NEWLINE;
    } else if (c === 13 && text.charCodeAt(pos + 1) === 10) {
      end = pos + 2;
      type = PY_NEWLINE;
    } else if (cls & BLANK) {
      end = runEnd(text, end, BLANK);
      type = PY_WS;
    } else if (c === 35) {
      end = commentEnd(text, end);
      type = PY_COMMENT;
    } else if (mayStartString(text, pos, c) && (end = stringEnd(text, pos)) > pos) {
      type = PY_STRING;
    } else if (cls & NAME_START) {
      end = runEnd(text, pos + 1, NAME_CHAR);
      type = PY_NAME;
    } else if (cls & DIGIT) {
      end = numberEnd(text, pos + 1);
      type = PY_NUMBER;
    } else if (c === 40 || c === 91 || c === 123) {
      end = pos + 1;
      type = PY_OPEN;
    } else if (c === 41 || c === 93 || c === 125) {
      end = pos + 1;
      type = PY_CLOSE;
    } else if (cls & OP) {
      end = runEnd(text, pos + 1, OP);
      type = PY_OP;
    } else end = pos + 1;
    if (count === cap) {
      cap *= 2;
      const t = new Uint8Array(cap);
      t.set(types);
      types = t;
      const s = new Int32Array(cap + 1);
      s.set(starts);
      starts = s;
    }
    types[count] = type;
    starts[count++] = pos;
    pos = end;
  }
  starts[count] = n;
  return { count, types, starts };
}

/** Tokenizes Python source; joining the tokens gives back `text`. */
export function tokenizePython(text: string): Token[] {
  const { count, types, starts } = scanPython(text);
  const out: Token[] = [];
  for (let i = 0; i < count; i++) {
    const s = starts[i] as number;
    out.push({ type: PY_TYPES[types[i] as number] as string, text: text.slice(s, starts[i + 1]), offset: s });
  }
  return out;
}
