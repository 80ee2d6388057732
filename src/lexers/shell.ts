/**
 * A lossless lexer for shell scripts (POSIX sh, bash, dash) and kickstart files (whose
 * `%pre`/`%post` sections are shell; their other lines lex as plain words).
 *
 * moo states follow the quoting: double quotes, `$(…)` (nested), `${…}` and backticks. Here
 * documents need the delimiter, which a regular lexer cannot remember: the driver notes each
 * `<<EOF` operator and, at the next newline, cuts the body (up to and including the delimiter
 * line) as one `heredoc` token, then resumes the lexer where it stopped. A `#` starts a
 * comment only at the start of a word, as in the shell. Never throws: what no rule matches
 * becomes an `error` token.
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

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
};

const lexer = lazy(() => moo.states({
  main: {
    ...code,
    lparen: '(',
    rparen: ')',
    error: moo.error,
  },
  sub: {
    ...code,
    lparen: { match: '(', push: 'sub' },
    rparen: { match: ')', pop: 1 },
    error: moo.error,
  },
  dq: {
    dqClose: { match: '"', pop: 1 },
    subOpen: { match: '$(', push: 'sub' },
    paramOpen: { match: '${', push: 'param' },
    btOpen: { match: '`', push: 'bt' },
    dollar: /\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])?/,
    dqText: { match: /(?:[^"\\$`]|\\[^])+/, lineBreaks: true },
    error: moo.error,
  },
  param: {
    paramClose: { match: '}', pop: 1 },
    paramOpen: { match: '${', push: 'param' },
    subOpen: { match: '$(', push: 'sub' },
    dqOpen: { match: '"', push: 'dq' },
    sq: { match: /'[^']*'?/, lineBreaks: true },
    paramText: { match: /(?:[^}$"'\\]|\\[^]|\$(?![({]))+/, lineBreaks: true },
    error: moo.error,
  },
  bt: {
    btClose: { match: '`', pop: 1 },
    btText: { match: /(?:[^`\\]|\\[^])+/, lineBreaks: true },
    error: moo.error,
  },
}));

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
      let line = text.slice(at, lineEnd).replace(/\r$/, '');
      if (h.stripTabs) line = line.replace(/^\t+/, '');
      const next = nl < 0 ? text.length : nl + 1;
      if (line === h.delimiter) {
        end = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
        at = next;
        break;
      }
      end = next;
      at = next;
    }
  }
  return end;
}

/** Tokenizes a shell script; joining the tokens gives back `text`. */
export function tokenizeShell(text: string): Token[] {
  const out: Token[] = [];
  let base = 0;
  let pending: PendingHeredoc[] = [];
  lexer().reset(text);
  for (;;) {
    const t = lexer().next();
    if (!t) break;
    const offset = base + t.offset;
    const type = t.type ?? 'error';
    out.push({ type, text: t.text, offset });
    if (type === 'error') break;
    if (type === 'heredocOp') pending.push(heredocOf(t.text));
    if (type === 'newline' && pending.length) {
      const start = offset + t.text.length;
      const end = heredocEnd(text, start, pending);
      pending = [];
      if (end > start) out.push({ type: 'heredoc', text: text.slice(start, end), offset: start });
      const state = lexer().save();
      base = end;
      lexer().reset(text.slice(end), state);
    }
  }
  return out;
}
