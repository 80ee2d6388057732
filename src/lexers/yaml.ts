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

/** The token types, by their code in a `YamlTokenStream` (the Jinja ones last, in `JINJA_RULES` order). */
export const YAML_TYPES = ['newline', 'ws', 'comment', 'dquote', 'squote', 'quote', 'dash', 'colon', 'flow', 'word', 'other', 'jinjaExpr', 'jinjaStmt', 'jinjaComment'] as const;
const [NEWLINE, WS_, COMMENT, DQ, SQ, QUOTE, DASH_, COLON_, FLOW, WORD_, OTHER, JINJA] = YAML_TYPES.map((_, i) => i) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number];

/**
 * The tokens of a text without a `Token` object each: the code of each one's type (`YAML_TYPES`)
 * and where it starts (it ends where the next one starts, the last at the end of the text).
 * The parser reads these and makes `Token`s only of what a reader asks for.
 */
export interface YamlTokenStream {
  types: Uint8Array;
  starts: Int32Array;
}

/** The tokens of a YAML (or YAML Jinja template) text, as type codes and starts. */
export function scanYaml(text: string): YamlTokenStream {
  // typed arrays, grown by doubling: their memory is outside the heap the collector copies (as
  // arrays pushed to, they were most of what a parse allocated)
  let types = new Uint8Array(Math.min(text.length, 256 + (text.length >> 2)));
  let starts = new Int32Array(types.length);
  let count = 0;
  const n = text.length;
  /** Per Jinja rule, the offset of the last closer in the text (read when first needed). */
  const lastClose: Partial<Record<(typeof JINJA_RULES)[number][0], number>> = {};
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    let end = -1;
    let type = OTHER;
    if (c === 10) {
      end = pos + 1;
      type = NEWLINE;
    } else if (c === 13) {
      end = text.charCodeAt(pos + 1) === 10 ? pos + 2 : pos + 1;
      type = NEWLINE;
    } else if ((c < 33 || c > 126) && (end = matchEnd(WS, text, pos)) >= 0) {
      type = WS_;
    } else if (c === 123) {
      // `{{`, `{%`, `{#` to their closer, while one follows; else a flow `{`
      const d = text.charCodeAt(pos + 1);
      const k = d === 123 ? 0 : d === 37 ? 1 : d === 35 ? 2 : 3;
      const rule = JINJA_RULES[k as 0 | 1 | 2] as (typeof JINJA_RULES)[number] | undefined;
      // a closer past the last one is never found: without this, a line of `{{` with no `}}`
      // would read to the end of the text at every `{{` (quadratic)
      const last = rule ? (lastClose[rule[0]] ??= text.lastIndexOf(rule[1])) : -1;
      const close = rule && last >= pos + 2 ? text.indexOf(rule[1], pos + 2) : -1;
      if (rule && close >= 0) {
        end = close + 2;
        type = JINJA + k;
      } else {
        end = pos + 1;
        type = FLOW;
      }
    } else if (c === 35) {
      end = pos + 1;
      while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      type = COMMENT;
    } else if (c === 34 || c === 39) {
      end = matchEnd(c === 34 ? DQUOTE : SQUOTE, text, pos);
      type = c === 34 ? DQ : SQ;
      if (end < 0) {
        end = pos + 1;
        type = QUOTE;
      }
    } else if (c === 45 && (end = matchEnd(DASH, text, pos)) >= 0) {
      type = DASH_;
    } else if (c === 58 && (end = matchEnd(COLON, text, pos)) >= 0) {
      type = COLON_;
    } else if (c === 125 || c === 91 || c === 93 || c === 44) {
      end = pos + 1;
      type = FLOW;
    } else if ((end = matchEnd(WORD, text, pos)) >= 0) {
      type = WORD_;
    }
    if (end < 0) {
      end = pos + 1;
      type = OTHER;
    }
    if (count === types.length) {
      const t = new Uint8Array(count * 2);
      t.set(types);
      types = t;
      const s = new Int32Array(count * 2);
      s.set(starts);
      starts = s;
    }
    types[count] = type;
    starts[count++] = pos;
    pos = end;
  }
  return { types: types.subarray(0, count), starts: starts.subarray(0, count) };
}

/** Tokens of a YAML (or YAML Jinja template) text; they cover it exactly. */
export function tokenizeYaml(text: string): Token[] {
  const { types, starts } = scanYaml(text);
  const out: Token[] = [];
  for (let i = 0; i < types.length; i++) {
    const start = starts[i] as number;
    out.push({ type: YAML_TYPES[types[i] as number] as string, text: text.slice(start, starts[i + 1] ?? text.length), offset: start });
  }
  return out;
}
