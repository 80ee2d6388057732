/**
 * A lossless lexer for YAML as StarlingX writes it (meta_data.yaml, LAT image yaml, helm values,
 * ansible vars) and for Jinja templates of it (`*.yaml.j2`): keys, plain and quoted scalars,
 * block and flow list punctuation, comments. Jinja `{{ … }}`, `{% … %}` and `{# … #}` are kept
 * whole and opaque. Quoted scalars are read on one line only: a stray quote in a block scalar
 * (a shell script in a helm value) must not swallow the rest of the file.
 *
 * A scanner by first character (as the Python lexer): the rules, in their order of trying, are
 * `YAML_RULES` (the tests compile them with moo and require the same tokens). A Jinja rule is
 * tried only while its closer follows: up to the last closer of the text (`lastIndexOf`, once),
 * then never (read to the end at each `{{`, a line of `{{` would be quadratic).
 */
import type { Token } from './token.js';

/** The Jinja rules, each with the closer it reads to. */
export const JINJA_RULES = [
  // eslint-disable-next-line regexp/no-super-linear-move -- moo matches at the cursor (sticky); the scanner reads to indexOf(closer)
  ['jinjaExpr', '}}', { match: /\{\{[^]*?\}\}/, lineBreaks: true }],
  ['jinjaStmt', '%}', { match: /\{%[^]*?%\}/, lineBreaks: true }],
  ['jinjaComment', '#}', { match: /\{#[^]*?#\}/, lineBreaks: true }],
] as const;

/** The rules in moo's order of trying (the Jinja ones go after `ws`). */
export const YAML_RULES = {
  newline: { match: /\r?\n|\r/, lineBreaks: true },
  ws: /[^\S\r\n]+/,
  comment: /#[^\r\n]*/,
  dquote: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  squote: /'(?:[^'\r\n]|'')*'/,
  quote: /["']/,
  dash: /-(?=[^\S\r\n]|\r|\n|$)/,
  colon: /:(?=[\s,\]}]|$)/,
  flow: /[{}[\],]/,
  word: /(?:[^\s"'{}[\],#:]|:(?![\s,\]}]|$))(?:[^\s{}[\],:]|:(?![\s,\]}]|$))*/,
  other: { match: /[^]/, lineBreaks: true },
} as const;

/** Sticky copies, with moo's flags (`m`: no rule's `$` reads differently for it). */
const sticky = (re: RegExp): RegExp => new RegExp(re.source, 'my');
const WS = sticky(YAML_RULES.ws);
const DQUOTE = sticky(YAML_RULES.dquote);
const SQUOTE = sticky(YAML_RULES.squote);
const DASH = sticky(YAML_RULES.dash);
const COLON = sticky(YAML_RULES.colon);
const WORD = sticky(YAML_RULES.word);

/** The end of a sticky match of `re` at `pos`, or -1. */
function matchEnd(re: RegExp, text: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(text) ? re.lastIndex : -1;
}

/** Tokens of a YAML (or YAML Jinja template) text; they cover it exactly. */
export function tokenizeYaml(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  /** Per Jinja rule, the offset of the last closer in the text (read when first needed). */
  const lastClose: Partial<Record<(typeof JINJA_RULES)[number][0], number>> = {};
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    let end = -1;
    let type = 'other';
    if (c === 10) {
      end = pos + 1;
      type = 'newline';
    } else if (c === 13) {
      end = text.charCodeAt(pos + 1) === 10 ? pos + 2 : pos + 1;
      type = 'newline';
    } else if ((c < 33 || c > 126) && (end = matchEnd(WS, text, pos)) >= 0) {
      type = 'ws';
    } else if (c === 123) {
      // `{{`, `{%`, `{#` to their closer, while one follows; else a flow `{`
      const d = text.charCodeAt(pos + 1);
      const rule = d === 123 ? JINJA_RULES[0] : d === 37 ? JINJA_RULES[1] : d === 35 ? JINJA_RULES[2] : undefined;
      // a closer past the last one is never found: without this, a line of `{{` with no `}}`
      // would read to the end of the text at every `{{` (quadratic)
      const last = rule ? (lastClose[rule[0]] ??= text.lastIndexOf(rule[1])) : -1;
      const close = rule && last >= pos + 2 ? text.indexOf(rule[1], pos + 2) : -1;
      if (rule && close >= 0) {
        end = close + 2;
        type = rule[0];
      } else {
        end = pos + 1;
        type = 'flow';
      }
    } else if (c === 35) {
      end = pos + 1;
      while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      type = 'comment';
    } else if (c === 34 || c === 39) {
      end = matchEnd(c === 34 ? DQUOTE : SQUOTE, text, pos);
      type = c === 34 ? 'dquote' : 'squote';
      if (end < 0) {
        end = pos + 1;
        type = 'quote';
      }
    } else if (c === 45 && (end = matchEnd(DASH, text, pos)) >= 0) {
      type = 'dash';
    } else if (c === 58 && (end = matchEnd(COLON, text, pos)) >= 0) {
      type = 'colon';
    } else if (c === 125 || c === 91 || c === 93 || c === 44) {
      end = pos + 1;
      type = 'flow';
    } else if ((end = matchEnd(WORD, text, pos)) >= 0) {
      type = 'word';
    }
    if (end < 0) {
      end = pos + 1;
      type = 'other';
    }
    out.push({ type, text: text.slice(pos, end), offset: pos });
    pos = end;
  }
  return out;
}
