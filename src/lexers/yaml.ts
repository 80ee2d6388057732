/**
 * A lossless lexer for YAML as StarlingX writes it (meta_data.yaml, LAT image yaml, helm values,
 * ansible vars) and for Jinja templates of it (`*.yaml.j2`): keys, plain and quoted scalars,
 * block and flow list punctuation, comments. Jinja `{{ … }}`, `{% … %}` and `{# … #}` are kept
 * whole and opaque. Quoted scalars are read on one line only: a stray quote in a block scalar
 * (a shell script in a helm value) must not swallow the rest of the file.
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

const lexer = lazy(() => moo.compile({
  newline: { match: /\r?\n|\r/, lineBreaks: true },
  ws: /[^\S\r\n]+/,
  jinjaExpr: { match: /\{\{[^]*?\}\}/, lineBreaks: true },
  jinjaStmt: { match: /\{%[^]*?%\}/, lineBreaks: true },
  jinjaComment: { match: /\{#[^]*?#\}/, lineBreaks: true },
  comment: /#[^\r\n]*/,
  dquote: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  squote: /'(?:[^'\r\n]|'')*'/,
  quote: /["']/,
  dash: /-(?=[^\S\r\n]|\r|\n|$)/,
  colon: /:(?=[\s,\]}]|$)/,
  flow: /[{}[\],]/,
  word: /(?:[^\s"'{}[\],#:]|:(?![\s,\]}]|$))(?:[^\s{}[\],:]|:(?![\s,\]}]|$))*/,
  other: { match: /[^]/, lineBreaks: true },
  error: moo.error,
}));

/** Tokens of a YAML (or YAML Jinja template) text; they cover it exactly. */
export function tokenizeYaml(text: string): Token[] {
  const out: Token[] = [];
  lexer().reset(text);
  for (const t of lexer()) out.push({ type: t.type ?? 'other', text: t.text, offset: t.offset });
  return out;
}
