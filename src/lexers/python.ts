/**
 * A lossless lexer for Python: strings (any prefix, single- and triple-quoted, f-strings kept
 * whole), comments, names, numbers, brackets and operators. Indentation is read by the model
 * from the tokens (a `newline` followed by `ws`). Unterminated strings run to the end of their
 * line (or of the file, for triple quotes). Never throws.
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

const lexer = lazy(() => moo.compile({
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
  error: moo.error,
}));

/** Tokenizes Python source; joining the tokens gives back `text`. */
export function tokenizePython(text: string): Token[] {
  const out: Token[] = [];
  lexer().reset(text);
  for (const t of lexer()) out.push({ type: t.type ?? 'error', text: t.text, offset: t.offset });
  return out;
}
