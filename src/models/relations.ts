/**
 * Debian relation fields (Debian Policy §7.1, deb-src-control(5)): `Build-Depends*`,
 * `Depends`, `Pre-Depends`, `Recommends`, `Suggests` … A field is a comma-separated list of
 * relations; a relation is `|`-separated alternatives; an alternative is
 * `name[:qualifier] [(op version)] [[arch …]] [<profile …> …]`. Names may hold `${…}`
 * substitutions and StarlingX `@TOKEN@` placeholders. Every part keeps its file offsets.
 */
import { isSpace } from '../lexers/token.js';
import { maskedValue, type Deb822Field } from './deb822.js';

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface ArchTerm extends Span {
  /** The arch or wildcard without `!`. */
  arch: string;
  negated: boolean;
}

export interface Alternative {
  /** From the name to the last part (trimmed). */
  start: number;
  end: number;
  name: Span;
  /** `:any`, `:native`, `:amd64` (without the colon). */
  qualifier?: Span;
  version?: Span;
  /** The `[…]` list, brackets included; `terms` inside. */
  archList?: Span & { terms: ArchTerm[] };
  profiles: Span[];
}

export interface Relation {
  start: number;
  end: number;
  alternatives: Alternative[];
}

/** The relation fields this model reads, lower-cased. */
export const RELATION_FIELDS = [
  'build-depends', 'build-depends-arch', 'build-depends-indep', 'build-conflicts', 'build-conflicts-arch',
  'build-conflicts-indep', 'depends', 'pre-depends', 'recommends', 'suggests', 'enhances', 'breaks',
  'conflicts', 'replaces', 'provides',
];

const NAME = /^(?:\$\{[^}\s]*\}|[^\s([<:,|$]|\$(?!\{))+/;

/** The first offset from `i` before `to` that is not a blank (`\s`). */
function skipBlanks(masked: string, i: number, to: number): number {
  while (i < to && isSpace(masked.charCodeAt(i))) i++;
  return i;
}

const spanOf = (masked: string, base: number, s: number, e: number): Span => ({ start: base + s, end: base + e, text: masked.slice(s, e) });

function parseAlternative(masked: string, from: number, to: number, base: number): Alternative | undefined {
  let i = skipBlanks(masked, from, to);
  const m = NAME.exec(masked.slice(i, to));
  if (!m) return undefined;
  const name = spanOf(masked, base, i, i + m[0].length);
  i += m[0].length;
  let qualifier: Span | undefined;
  if (masked[i] === ':') {
    const q = /^[A-Za-z0-9-]+/.exec(masked.slice(i + 1, to));
    if (!q) return undefined;
    qualifier = spanOf(masked, base, i + 1, i + 1 + q[0].length);
    i += 1 + q[0].length;
  }
  let version: Span | undefined;
  let archList: Alternative['archList'];
  const profiles: Span[] = [];
  let end = i;
  for (;;) {
    i = skipBlanks(masked, i, to);
    if (i >= to) break;
    const c = masked[i];
    const close = c === '(' ? ')' : c === '[' ? ']' : c === '<' ? '>' : undefined;
    if (!close) return undefined;
    const j = masked.indexOf(close, i);
    if (j < 0 || j >= to) return undefined;
    const s = spanOf(masked, base, i, j + 1);
    if (c === '(') {
      if (version || archList || profiles.length) return undefined;
      version = s;
    } else if (c === '[') {
      if (archList || profiles.length) return undefined;
      const terms: ArchTerm[] = [];
      for (const t of masked.slice(i + 1, j).matchAll(/\S+/g)) {
        const at = i + 1 + t.index;
        const negated = t[0].startsWith('!');
        terms.push({ ...spanOf(masked, base, at, at + t[0].length), arch: t[0].slice(negated ? 1 : 0), negated });
      }
      archList = { ...s, terms };
    } else profiles.push(s);
    i = j + 1;
    end = i;
  }
  return { start: name.start, end: base + end, name, qualifier, version, archList, profiles };
}

/**
 * Parses a relation field. Relations or alternatives that cannot be read are left out (a rule
 * never flags what it could not read); empty entries (trailing commas) are skipped.
 */
export function parseRelations(text: string, field: Deb822Field): Relation[] {
  const masked = maskedValue(text, field);
  const base = field.valueStart;
  const out: Relation[] = [];
  let groupStart = 0;
  for (let k = 0; k <= masked.length; k++) {
    if (k < masked.length && masked[k] !== ',') continue;
    const alternatives: Alternative[] = [];
    let ok = true;
    let altStart = groupStart;
    for (let a = groupStart; a <= k; a++) {
      if (a < k && masked[a] !== '|') continue;
      if (/^\s*$/.test(masked.slice(altStart, a))) {
        if (a < k || alternatives.length) ok = false;
      } else {
        const alt = parseAlternative(masked, altStart, a, base);
        if (alt) alternatives.push(alt);
        else ok = false;
      }
      altStart = a + 1;
    }
    if (ok && alternatives.length) {
      out.push({ start: (alternatives[0] as Alternative).start, end: (alternatives[alternatives.length - 1] as Alternative).end, alternatives });
    }
    groupStart = k + 1;
  }
  return out;
}
