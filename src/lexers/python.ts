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
 * compare against).
 */
import type { Token } from './token.js';

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

const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** ` \t\f\v\r` */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;
/** `-+*\/%@&|^~<>=!.,:;` */
const OP_CHARS = new Set([...'-+*/%@&|^~<>=!.,:;'].map((c) => c.charCodeAt(0)));
/** `rRbBuUfF`: a string prefix. */
const PREFIX = new Set([...'rRbBuUfF'].map((c) => c.charCodeAt(0)));

/** Tokenizes Python source; joining the tokens gives back `text`. */
export function tokenizePython(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    let end = pos + 1;
    let type = 'other';
    if (c === 92) {
      // `\` then a line break: a continuation; else an `other`
      const d = text.charCodeAt(pos + 1);
      const len = d === 10 ? 2 : d === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : 1;
      if (len > 1) {
        end = pos + len;
        type = 'continuation';
      }
    } else if (c === 10) {
      type = 'newline';
    } else if (c === 13 && text.charCodeAt(pos + 1) === 10) {
      end = pos + 2;
      type = 'newline';
    } else if (isBlank(c)) {
      while (end < n && isBlank(text.charCodeAt(end))) end++;
      type = 'ws';
    } else if (c === 35) {
      while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      type = 'comment';
    } else {
      let str = false;
      if (c === 34 || c === 39 || PREFIX.has(c)) {
        for (const re of STRINGS) {
          re.lastIndex = pos;
          if (re.test(text)) {
            end = re.lastIndex;
            type = 'string';
            str = true;
            break;
          }
        }
      }
      if (str) {
        // a string
      } else if (isNameStart(c)) {
        while (end < n && isNameChar(text.charCodeAt(end))) end++;
        type = 'name';
      } else if (isDigit(c)) {
        while (end < n && (isNameChar(text.charCodeAt(end)) && text.charCodeAt(end) < 0x80 || text.charCodeAt(end) === 46)) end++;
        type = 'number';
      } else if (c === 40 || c === 91 || c === 123) {
        type = 'open';
      } else if (c === 41 || c === 93 || c === 125) {
        type = 'close';
      } else if (OP_CHARS.has(c)) {
        while (end < n && OP_CHARS.has(text.charCodeAt(end))) end++;
        type = 'op';
      }
    }
    out.push({ type, text: text.slice(pos, end), offset: pos });
    pos = end;
  }
  return out;
}
