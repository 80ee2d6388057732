/**
 * Lossless lexers for Puppet: manifests (`*.pp`) and ERB/EPP templates (`*.erb`, `*.epp`).
 *
 * Manifests: `#` and `/* … *\/` comments, single- and double-quoted strings (a double-quoted
 * string keeps its `${…}` interpolations inside the token), variables (`$::architecture`,
 * `$facts`), ERB instance variables (`@architecture`), words, numbers, regex literals
 * (`/^(x86_64|amd64)$/`), brackets, operators (`==`, `!=`, `=~`, `?`, `=>`), newlines and
 * heredoc bodies (`@("END"/L)` … `|-END`, one `heredoc` token). A `/…/` on one line is read as
 * a regex, which Puppet code almost always means (division is rare and stays lossless either way).
 *
 * Templates: `text` between tags, `<%`, `<%=`, `<%-` … `%>`, `-%>` tags whose inside is lexed
 * like a manifest (Ruby in ERB, Puppet in EPP: both spell tests `a == 'x'`); `<%#` opens a
 * comment tag whose comment token starts at `#` (so it carries directives); `<%%` is text; a
 * text line whose first non-blank is `#` is a comment of the generated file.
 *
 * Unterminated strings and comments run to the end of the file; nothing throws.
 *
 * Scanners by first character, not moo (as the Python, YAML, shell and make lexers): the rules
 * and their order are moo's were (`PUPPET_CODE_RULES`, `PUPPET_MANIFEST_RULES`,
 * `PUPPET_TEMPLATE_STATES`, which the tests compile with moo and compare against). A rule that
 * reads more than a fixed few characters is tried as its sticky regex, at the characters it can
 * start with, in moo's order.
 */
import type { Token } from './token.js';

/** The rules of Puppet code (a manifest, an EPP/ERB tag), in moo's order of trying. */
export const PUPPET_CODE_RULES = {
  heredocStart: /@\((?:[ \t]*"|)[^")\r\n:/]+(?![^")\r\n:/])"?(?::[\w.]+)?(?:\/[\w$]*)?[ \t]*\)/,
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  blockComment: { match: /\/\*(?:[^*]|\*(?!\/))*(?:\*\/)?/, lineBreaks: true },
  regex: /\/(?![*/\s])(?:[^/\\\r\n]|\\.)*\//,
  dqstring: { match: /"(?:[^"\\]|\\[^])*"?/, lineBreaks: true },
  sqstring: { match: /'(?:[^'\\]|\\[^])*'?/, lineBreaks: true },
  variable: /\$(?:::)?[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*/,
  ivar: /@@?[A-Za-z_]\w*/,
  word: /(?:::)?[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*/,
  number: /[0-9][\w.]*/,
  open: /[([{]/,
  close: /[)\]}]/,
  op: /=>|==|!=|=~|!~|<=|>=|->|~>|<-|<~|\+=|-=|&&|\|\||<<\||<\||\|>>|\|>|[-+*/%<>=!?:,;.|&^~@$\\]/,
} as const;

/** A manifest's rules (moo's `main` state, before its `error`). */
export const PUPPET_MANIFEST_RULES = {
  comment: /#[^\r\n]*/,
  ...PUPPET_CODE_RULES,
  other: { match: /[^]/, lineBreaks: true },
} as const;

/** A template's states (moo's, each before its `error`): template text, a comment tag, a code tag. */
export const PUPPET_TEMPLATE_STATES = {
  text: {
    // `<%#` opens a comment tag: `<%` here, the comment (from `#`) in the tag state.
    commentOpen: { match: /<%(?=#)/, push: 'comment' },
    literalOpen: /<%%/,
    tagOpen: { match: /<%[=-]?/, push: 'tag' },
    newline: { match: /\r?\n/, lineBreaks: true },
    // eslint-disable-next-line regexp/no-super-linear-move -- moo matches at the cursor (sticky): blanks not before `#` are read once, then `text` takes them
    textComment: /[ \t]*#(?:[^<\r\n]|<(?!%))*/,
    text: /(?:[^<\r\n]|<(?!%))+/,
    other: { match: /[^]/, lineBreaks: true },
  },
  comment: {
    // The whole comment tag body, to `%>` (EPP `<%# … %>`, ERB `<%# … %>`).
    comment: { match: /#(?:[^%-]|%(?!>)|-(?!%>))*/, lineBreaks: true },
    tagClose: { match: /-?%>/, pop: 1 },
    other: { match: /[^]/, lineBreaks: true },
  },
  tag: {
    tagClose: { match: /-?%>/, pop: 1 },
    // A Ruby comment inside a tag ends at the line or the tag's end.
    comment: /#(?:[^\r\n%-]|%(?!>)|-(?!%>))*/,
    ...PUPPET_CODE_RULES,
    other: { match: /[^]/, lineBreaks: true },
  },
} as const;

/** Sticky copies, with moo's flags (`m`: no rule reads `^` or `$`). */
const sticky = (re: RegExp): RegExp => new RegExp(re.source, 'my');
const HEREDOC = sticky(PUPPET_CODE_RULES.heredocStart);
const BLOCK_COMMENT = sticky(PUPPET_CODE_RULES.blockComment.match);
const REGEX = sticky(PUPPET_CODE_RULES.regex);
const DQSTRING = sticky(PUPPET_CODE_RULES.dqstring.match);
const SQSTRING = sticky(PUPPET_CODE_RULES.sqstring.match);
const VARIABLE = sticky(PUPPET_CODE_RULES.variable);
const IVAR = sticky(PUPPET_CODE_RULES.ivar);
const WORD = sticky(PUPPET_CODE_RULES.word);
const NUMBER = sticky(PUPPET_CODE_RULES.number);
const OP = sticky(PUPPET_CODE_RULES.op);

/** The end of the token a scanner found (set with its type). */
let tokenEnd = 0;

/** True (and `tokenEnd` set) when `re` matches at `pos`. */
function matchAt(re: RegExp, text: string, pos: number): boolean {
  re.lastIndex = pos;
  if (!re.test(text)) return false;
  tokenEnd = re.lastIndex;
  return true;
}

/** `[ \t\f\v\r]` */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;
/** `[A-Za-z_]` */
const isWordStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/** The code rule (`PUPPET_CODE_RULES`, then `other`) at `pos`, whose first character is `c`. */
function codeToken(text: string, pos: number, c: number): string {
  tokenEnd = pos + 1;
  if (c === 64) {
    if (matchAt(HEREDOC, text, pos)) return 'heredocStart';
    if (matchAt(IVAR, text, pos)) return 'ivar';
    tokenEnd = pos + 1;
    return 'op';
  }
  if (c === 10) return 'newline';
  if (c === 13 && text.charCodeAt(pos + 1) === 10) {
    tokenEnd = pos + 2;
    return 'newline';
  }
  if (isBlank(c)) {
    let end = pos + 1;
    while (end < text.length && isBlank(text.charCodeAt(end))) end++;
    tokenEnd = end;
    return 'ws';
  }
  if (c === 47) {
    if (text.charCodeAt(pos + 1) === 42 && matchAt(BLOCK_COMMENT, text, pos)) return 'blockComment';
    if (matchAt(REGEX, text, pos)) return 'regex';
    tokenEnd = pos + 1;
    return 'op';
  }
  if (c === 34 && matchAt(DQSTRING, text, pos)) return 'dqstring';
  if (c === 39 && matchAt(SQSTRING, text, pos)) return 'sqstring';
  if (c === 36) {
    if (matchAt(VARIABLE, text, pos)) return 'variable';
    tokenEnd = pos + 1;
    return 'op';
  }
  if ((isWordStart(c) || c === 58) && matchAt(WORD, text, pos)) return 'word';
  if (c >= 48 && c <= 57 && matchAt(NUMBER, text, pos)) return 'number';
  if (c === 40 || c === 91 || c === 123) return 'open';
  if (c === 41 || c === 93 || c === 125) return 'close';
  if (matchAt(OP, text, pos)) return 'op';
  tokenEnd = pos + 1;
  return 'other';
}

/** The end of `#` + what follows it up to `stop` (a line break), or to the end of a tag (`%>`, `-%>`). */
function commentEnd(text: string, pos: number, toLineEnd: boolean): number {
  const n = text.length;
  let i = pos + 1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (toLineEnd && (c === 10 || c === 13)) break;
    if (c === 37 && text.charCodeAt(i + 1) === 62) break;
    if (c === 45 && text.charCodeAt(i + 1) === 37 && text.charCodeAt(i + 2) === 62) break;
  }
  return i;
}

/** The end of template text from `pos`: `(?:[^<\r\n]|<(?!%))*`. */
function textEnd(text: string, pos: number): number {
  const n = text.length;
  let i = pos;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || (c === 60 && text.charCodeAt(i + 1) === 37)) break;
  }
  return i;
}

/** The length of `-?%>` at `pos` (0: none). */
function tagCloseLength(text: string, pos: number, c: number): number {
  if (c === 37) return text.charCodeAt(pos + 1) === 62 ? 2 : 0;
  return c === 45 && text.charCodeAt(pos + 1) === 37 && text.charCodeAt(pos + 2) === 62 ? 3 : 0;
}

function heredocTag(start: string): string {
  const m = /@\((?:[ \t]*"|)([^")\r\n:/]+)(?![^")\r\n:/])"?(?::[\w.]+)?(?:\/[\w$]*)?[ \t]*\)/.exec(start);
  return (m?.[1] ?? '').trim();
}

/** Tokenizes a Puppet manifest; joining the tokens gives back `text`. */
export function tokenizePuppet(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  /** Heredoc tags whose bodies start after the current line. */
  let pending: string[] = [];
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    let type: string;
    let end: number;
    if (c === 35) {
      end = pos + 1;
      while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      type = 'comment';
    } else {
      type = codeToken(text, pos, c);
      end = tokenEnd;
    }
    const t = text.slice(pos, end);
    out.push({ type, text: t, offset: pos });
    pos = end;
    if (type === 'heredocStart') pending.push(heredocTag(t));
    if (type === 'newline' && pending.length) {
      // Each pending body runs to its terminator line (`|-END`, `END`): one token, then lexing resumes.
      for (const tag of pending) {
        if (!tag || pos >= n) break;
        const esc = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        // `|` and `-` each take the blanks after them: three blank runs side by side would backtrack cubically
        const stopRe = new RegExp(`^[ \\t]*(?:\\|[ \\t]*)?(?:-[ \\t]*)?${esc}[ \\t]*$`, 'm');
        const m = stopRe.exec(text.slice(pos));
        const stop = m ? pos + m.index + m[0].length : n;
        out.push({ type: 'heredoc', text: text.slice(pos, stop), offset: pos });
        pos = stop;
      }
      pending = [];
    }
  }
  return out;
}

/** Tokenizes an ERB or EPP template; joining the tokens gives back `text`. */
export function tokenizeTemplate(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  /** moo's state: template text, a comment tag's body, a code tag's. */
  let state: 'text' | 'comment' | 'tag' = 'text';
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    let type = 'other';
    let end = pos + 1;
    if (state === 'text') {
      if (c === 60 && text.charCodeAt(pos + 1) === 37) {
        const d = text.charCodeAt(pos + 2);
        if (d === 35) {
          type = 'commentOpen';
          end = pos + 2;
          state = 'comment';
        } else if (d === 37) {
          type = 'literalOpen';
          end = pos + 3;
        } else {
          type = 'tagOpen';
          end = pos + (d === 61 || d === 45 ? 3 : 2);
          state = 'tag';
        }
      } else if (c === 10 || (c === 13 && text.charCodeAt(pos + 1) === 10)) {
        type = 'newline';
        end = pos + (c === 10 ? 1 : 2);
      } else if (c !== 13) {
        // `[ \t]*#…`, else text
        let k = pos;
        while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
        if (text.charCodeAt(k) === 35) {
          type = 'textComment';
          end = textEnd(text, k + 1);
        } else {
          type = 'text';
          end = textEnd(text, pos);
        }
      }
    } else if (state === 'comment') {
      const close = tagCloseLength(text, pos, c);
      if (c === 35) {
        type = 'comment';
        end = commentEnd(text, pos, false);
      } else if (close) {
        type = 'tagClose';
        end = pos + close;
        state = 'text';
      }
    } else {
      const close = tagCloseLength(text, pos, c);
      if (close) {
        type = 'tagClose';
        end = pos + close;
        state = 'text';
      } else if (c === 35) {
        type = 'comment';
        end = commentEnd(text, pos, true);
      } else {
        type = codeToken(text, pos, c);
        end = tokenEnd;
      }
    }
    out.push({ type, text: text.slice(pos, end), offset: pos });
    pos = end;
  }
  return out;
}

/** Token types that are comments, in either lexer. */
export const PUPPET_COMMENT_TYPES: readonly string[] = ['comment', 'blockComment', 'textComment'];
