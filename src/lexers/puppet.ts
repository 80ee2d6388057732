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
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

const CODE_RULES = {
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
};

const manifestLexer = lazy(() => moo.states({
  main: {
    comment: /#[^\r\n]*/,
    ...CODE_RULES,
    other: { match: /[^]/, lineBreaks: true },
    error: moo.error,
  },
}));

const templateLexer = lazy(() => moo.states({
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
    error: moo.error,
  },
  comment: {
    // The whole comment tag body, to `%>` (EPP `<%# … %>`, ERB `<%# … %>`).
    comment: { match: /#(?:[^%-]|%(?!>)|-(?!%>))*/, lineBreaks: true },
    tagClose: { match: /-?%>/, pop: 1 },
    other: { match: /[^]/, lineBreaks: true },
    error: moo.error,
  },
  tag: {
    tagClose: { match: /-?%>/, pop: 1 },
    // A Ruby comment inside a tag ends at the line or the tag's end.
    comment: /#(?:[^\r\n%-]|%(?!>)|-(?!%>))*/,
    ...CODE_RULES,
    other: { match: /[^]/, lineBreaks: true },
    error: moo.error,
  },
}));

function heredocTag(start: string): string {
  const m = /@\((?:[ \t]*"|)([^")\r\n:/]+)(?![^")\r\n:/])"?(?::[\w.]+)?(?:\/[\w$]*)?[ \t]*\)/.exec(start);
  return (m?.[1] ?? '').trim();
}

/** Tokenizes a Puppet manifest; joining the tokens gives back `text`. */
export function tokenizePuppet(text: string): Token[] {
  const out: Token[] = [];
  let base = 0;
  /** Heredoc tags whose bodies start after the current line. */
  let pending: string[] = [];
  manifestLexer().reset(text);
  for (;;) {
    const t = manifestLexer().next();
    if (!t) break;
    const offset = base + t.offset;
    out.push({ type: t.type ?? 'error', text: t.text, offset });
    if (t.type === 'heredocStart') pending.push(heredocTag(t.text));
    if (t.type === 'newline' && pending.length) {
      // Each pending body runs to its terminator line (`|-END`, `END`): one token, then lexing resumes.
      let pos = offset + t.text.length;
      for (const tag of pending) {
        if (!tag || pos >= text.length) break;
        const esc = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        // `|` and `-` each take the blanks after them: three blank runs side by side would backtrack cubically
        const end = new RegExp(`^[ \\t]*(?:\\|[ \\t]*)?(?:-[ \\t]*)?${esc}[ \\t]*$`, 'm');
        const m = end.exec(text.slice(pos));
        const stop = m ? pos + m.index + m[0].length : text.length;
        out.push({ type: 'heredoc', text: text.slice(pos, stop), offset: pos });
        pos = stop;
      }
      pending = [];
      base = pos;
      manifestLexer().reset(text.slice(pos));
    }
  }
  return out;
}

/** Tokenizes an ERB or EPP template; joining the tokens gives back `text`. */
export function tokenizeTemplate(text: string): Token[] {
  const out: Token[] = [];
  templateLexer().reset(text);
  for (const t of templateLexer()) out.push({ type: t.type ?? 'error', text: t.text, offset: t.offset });
  return out;
}

/** Token types that are comments, in either lexer. */
export const PUPPET_COMMENT_TYPES: readonly string[] = ['comment', 'blockComment', 'textComment'];
