/**
 * `echoParts` answers without a pair per character (the tail test returns the target or false):
 * it must give what the version with pairs gave, and what the regex it stands for captures, on
 * echo/printf lines with quotes, redirects and blanks in every place.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { echoParts } from '../src/kinds/scripts.js';

// the version before (a [ok, target] pair per tried position), kept as the reference
const ECHO_HEAD = /^[ \t]*(?:echo|printf)(?:[ \t]+-[a-z]+)*[ \t]+(?![ \t])/;
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
function oldEchoParts(line: string): [string, string, string, string, string | undefined] | undefined {
  if (/[\r\u2028\u2029]/.test(line)) return undefined; // `.` stops there and nothing else takes it
  const head = ECHO_HEAD.exec(line)?.[0];
  if (head === undefined) return undefined;
  const r = line.slice(head.length);
  const n = r.length;
  let e = n; // where the trailing blanks start
  while (e > 0 && isBlank(r[e - 1])) e--;
  let w = e; // where the last word (before them) starts
  while (w > 0 && /\S/.test(r[w - 1] as string)) w--;
  let z = w - 1; // the last character before w that is not a blank
  while (z >= 0 && isBlank(r[z])) z--;
  const nextNonBlank = new Int32Array(n + 1);
  nextNonBlank[n] = n;
  for (let i = n - 1; i >= 0; i--) nextNonBlank[i] = isBlank(r[i]) ? (nextNonBlank[i + 1] as number) : i;
  /** The redirect target if a tail `>>? blanks word blanks` starts at `>` p, else undefined. */
  const target = (p: number): string | undefined => {
    if (r[p] !== '>' || p >= e) return undefined;
    if (p >= w) return p + 1 >= e ? undefined : r.slice(r[p + 1] === '>' && p + 2 < e ? p + 2 : p + 1, e);
    if (w >= e) return undefined;
    return p === z || (p === z - 1 && r[z] === '>') ? r.slice(w, e) : undefined;
  };
  /** Whether r from j is a tail, and its redirect target. */
  const tail = (j: number): [boolean, string | undefined] => {
    if (j >= e) return [true, undefined];
    const t = target(nextNonBlank[j] as number);
    return [t !== undefined, t];
  };
  const q = r[0];
  if (q === '"' || q === "'") {
    for (let k = r.indexOf(q, 1); k >= 0; k = r.indexOf(q, k + 1)) {
      const [ok, t] = tail(k + 1);
      if (ok) return [line, head, q, r.slice(1, k), t];
    }
  }
  for (let j = 0; ; j++) {
    const [ok, t] = tail(j);
    if (ok) return [line, head, '', r.slice(0, j), t];
  }
}

/** The regex echoParts stands for (quadratic on a hostile line: short lines only here). */
const ECHO_LINE = /^([ \t]*(?:echo|printf)(?:[ \t]+-[a-z]+)*[ \t]+)(["']?)(.*?)\2(?:[ \t]*>>?[ \t]*(\S+))?[ \t]*$/;

const PIECES = ['echo', 'printf', ' ', '\t', '-n', '-e', '"', "'", '>', '>>', 'a', 'label 0', 'append x', 'isolinux.cfg', '/b/c', '\\n', '\r', ';'];
const lines = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((p) => p.join(''));

describe('echoParts', () => {
  it('gives what the version with pairs gave, and the regex', () => {
    fc.assert(
      fc.property(fc.constantFrom('', ' ', '\t'), fc.constantFrom('echo ', 'printf ', 'echo -n ', 'echo\t'), lines, (lead, head, rest) => {
        const line = lead + head + rest;
        const got = echoParts(line);
        expect(got).toEqual(oldEchoParts(line));
        const m = ECHO_LINE.exec(line);
        expect(got).toEqual(m ? [m[0], m[1], m[2], m[3], m[4]] : undefined);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads a quoted menu line with a redirect', () => {
    expect(echoParts('  echo "append x" >> isolinux.cfg')).toEqual(['  echo "append x" >> isolinux.cfg', '  echo ', '"', 'append x', 'isolinux.cfg']);
    expect(echoParts('echo a > b c')).toEqual(['echo a > b c', 'echo ', '', 'a > b c', undefined]);
  });
});
