/**
 * REFERENCE ONLY (test/lazy-lexers.test.ts): the relation parser before its alternatives were
 * read without two closures each (main 7a0fa58).
 */
import { maskedValue, type Deb822Field } from '../../src/models/deb822.js';
import type { Alternative, ArchTerm, Relation, Span } from '../../src/models/relations.js';

const NAME = /^(?:\$\{[^}\s]*\}|[^\s([<:,|$]|\$(?!\{))+/;

function parseAlternative(masked: string, from: number, to: number, base: number): Alternative | undefined {
  let i = from;
  const skip = (): void => {
    while (i < to && /\s/.test(masked[i] as string)) i++;
  };
  const span = (s: number, e: number): Span => ({ start: base + s, end: base + e, text: masked.slice(s, e) });
  skip();
  const m = NAME.exec(masked.slice(i, to));
  if (!m) return undefined;
  const name = span(i, i + m[0].length);
  i += m[0].length;
  let qualifier: Span | undefined;
  if (masked[i] === ':') {
    const q = /^[A-Za-z0-9-]+/.exec(masked.slice(i + 1, to));
    if (!q) return undefined;
    qualifier = span(i + 1, i + 1 + q[0].length);
    i += 1 + q[0].length;
  }
  let version: Span | undefined;
  let archList: Alternative['archList'];
  const profiles: Span[] = [];
  let end = i;
  for (;;) {
    skip();
    if (i >= to) break;
    const c = masked[i];
    const close = c === '(' ? ')' : c === '[' ? ']' : c === '<' ? '>' : undefined;
    if (!close) return undefined;
    const j = masked.indexOf(close, i);
    if (j < 0 || j >= to) return undefined;
    const s = span(i, j + 1);
    if (c === '(') {
      if (version || archList || profiles.length) return undefined;
      version = s;
    } else if (c === '[') {
      if (archList || profiles.length) return undefined;
      const terms: ArchTerm[] = [];
      for (const t of masked.slice(i + 1, j).matchAll(/\S+/g)) {
        const at = i + 1 + t.index;
        const negated = t[0].startsWith('!');
        terms.push({ ...span(at, at + t[0].length), arch: t[0].slice(negated ? 1 : 0), negated });
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
export function parseRelationsBefore(text: string, field: Deb822Field): Relation[] {
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
