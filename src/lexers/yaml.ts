/**
 * A lossless lexer for YAML as StarlingX writes it (meta_data.yaml, LAT image yaml, helm values,
 * ansible vars) and for Jinja templates of it (`*.yaml.j2`): keys, plain and quoted scalars,
 * block and flow list punctuation, comments. Jinja `{{ … }}`, `{% … %}` and `{# … #}` are kept
 * whole and opaque. Quoted scalars are read on one line only: a stray quote in a block scalar
 * (a shell script in a helm value) must not swallow the rest of the file.
 */
import moo from 'moo';
import type { Token } from './token.js';

/**
 * The three Jinja rules, each with the closer it reads to. moo tries a rule at every `{{`: with no
 * `}}` left in the text it would read to the end each time (quadratic on a line of `{{`), so a rule
 * is dropped from where its closer no longer follows (the lexer switches, tokens stay the same).
 */
const JINJA = [
  // eslint-disable-next-line regexp/no-super-linear-move -- moo matches at the cursor (sticky) and drops the rule past its last closer
  ['jinjaExpr', '}}', { match: /\{\{[^]*?\}\}/, lineBreaks: true }],
  ['jinjaStmt', '%}', { match: /\{%[^]*?%\}/, lineBreaks: true }],
  ['jinjaComment', '#}', { match: /\{#[^]*?#\}/, lineBreaks: true }],
] as const;

const compile = (mask: number): moo.Lexer => moo.compile({
  newline: { match: /\r?\n|\r/, lineBreaks: true },
  ws: /[^\S\r\n]+/,
  ...Object.fromEntries(JINJA.filter((_, i) => mask & (1 << i)).map(([name, , rule]) => [name, rule])),
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
});
/** Lexers by the mask of Jinja rules they keep, compiled when first used. */
const lexers = new Map<number, moo.Lexer>();

/** Tokens of a YAML (or YAML Jinja template) text; they cover it exactly. */
export function tokenizeYaml(text: string): Token[] {
  const out: Token[] = [];
  const lastClose = JINJA.map(([, close]) => text.lastIndexOf(close));
  /** The Jinja rules that can still match at `pos`: their closer is found at `pos + 2` or later. */
  const maskAt = (pos: number): number => lastClose.reduce((m, c, i) => (c >= pos + 2 ? m | (1 << i) : m), 0);
  let mask = -1;
  let base = 0;
  let pos = 0;
  let lexer: moo.Lexer | undefined;
  for (;;) {
    const want = maskAt(pos);
    if (want !== mask || !lexer) {
      mask = want;
      lexer = lexers.get(mask) ?? compile(mask);
      lexers.set(mask, lexer);
      lexer.reset(pos ? text.slice(pos) : text);
      base = pos;
    }
    const t = lexer.next();
    if (!t) break;
    out.push({ type: t.type ?? 'other', text: t.text, offset: base + t.offset });
    pos = base + t.offset + t.text.length;
  }
  return out;
}
