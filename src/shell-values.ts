/**
 * Fast forms of per-text scans of the shell guard finder, each giving exactly what the regex it
 * replaces gives (test/shell-values.test.ts compares them with the regexes).
 */

/** What follows `NAME=` in an assignment: an optional quote, the value, the same quote. */
const VALUE = /(["']?)([^\s;&|)]*)\1/y;
/** A character that may stand before an assignment's name. */
const isAssignmentSeparator = (c: number): boolean =>
  c === 59 || c === 38 || c === 124 || c === 40 || /\s/.test(String.fromCharCode(c));

/**
 * The values `name` is set to in `text`: what
 * `[...text.matchAll(new RegExp(`(?:^|[\\s;&|(])${name}=(["']?)([^\\s;&|)]*)\\1`, 'g'))].map((x) => x[2])`
 * gives, found from the occurrences of `name=` rather than by trying the regex at every offset
 * (one compiled regex and one whole-text scan per distinct name). `name` is a `\w+` word.
 */
export function assignedValues(text: string, name: string): string[] {
  const out: string[] = [];
  const key = `${name}=`;
  let done = 0; // where the last match ended: the next one starts there or later
  for (let o = text.indexOf(key); o >= 0; o = text.indexOf(key, o + 1)) {
    if (o > 0 ? o - 1 < done || !isAssignmentSeparator(text.charCodeAt(o - 1)) : done > 0) continue;
    VALUE.lastIndex = o + key.length;
    const m = VALUE.exec(text) as RegExpExecArray; // `[^…]*` matches at least the empty value
    out.push(m[2] as string);
    done = VALUE.lastIndex;
  }
  return out;
}
