/**
 * The shell file parse (src/kinds/scripts.ts) was made cheaper: `masked` blanks a token without
 * a regex run per unit, `archNamedVariables` reads each name once and finds the references
 * without a match object each (`referencedNames`). Each must give what its previous form
 * (kept here) gives, on every fixture and on generated shell.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readTree } from './helpers.js';
import { archesWithValue } from '../src/arch.js';
import { archNamedVariables, masked, referencedNames } from '../src/kinds/scripts.js';
import { tokenizeShell } from '../src/lexers/shell.js';
import type { Token } from '../src/lexers/token.js';
import { archVariable } from '../src/make-expr.js';
import type { ArchSource } from '../src/shell-guards.js';
import { shellFragments } from './gen/fragments.js';

const SEED = 20261202;

/** `masked` as it was. */
function maskedBefore(text: string, tokens: readonly Token[], types: readonly string[]): string {
  const parts: string[] = [];
  let pos = 0;
  for (const t of tokens) {
    if (!types.includes(t.type)) continue;
    parts.push(text.slice(pos, t.offset));
    parts.push(t.text.includes('\n') || t.text.includes('\r') ? t.text.replace(/[^\r\n]/g, ' ') : ' '.repeat(t.text.length));
    pos = t.offset + t.text.length;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(pos));
  return parts.join('');
}

const ARCH_NAMED = /^(?:[A-Za-z0-9]+_)*arch(?:_[A-Za-z0-9]+)*$/i;

/** `archNamedVariables` as it was: every reference read, a name tried again until one gives a value. */
function archNamedVariablesBefore(code: string): Map<string, ArchSource> {
  const out = new Map<string, ArchSource>();
  for (const m of code.matchAll(/\$\{?([A-Za-z_]\w*)/g)) {
    const name = m[1] as string;
    if (out.has(name) || !ARCH_NAMED.test(name) || archVariable(name)) continue;
    const ref = `\\$\\{?${name}(?:\\[[^\\]]*\\])?\\}?["']?`;
    const cmp = new RegExp(`${ref}\\s*(?:==?|!=)\\s*["']?([\\w.-]+)`).exec(code) ??
      new RegExp(`case\\s+["']?${ref}\\s+in\\s+\\(?["']?([\\w.-]+)`).exec(code);
    const value = cmp?.[1];
    if (!value) continue;
    const kind = archesWithValue(value, 'arch').length ? 'arch' : archesWithValue(value, 'gnuCpu').length ? 'gnuCpu' : undefined;
    if (kind) out.set(name, { kind, subject: 'host', guessed: true });
  }
  return out;
}

const check = (text: string): void => {
  const tokens = tokenizeShell(text);
  for (const types of [['heredoc', 'comment'], ['comment'], ['heredoc'], ['ws', 'newline']]) {
    expect(masked(text, tokens, types)).toBe(maskedBefore(text, tokens, types));
  }
  expect(referencedNames(text)).toEqual([...text.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]));
  expect([...archNamedVariables(text)]).toEqual([...archNamedVariablesBefore(text)]);
};

const piece = fc.constantFrom(
  ' ', '\t', '\n', '\r\n', '\r', '#', '# c', "'", '"', '`', '$', '${', '}', '$(', ')', '[', ']', '=', '==', '!=', 'case ', ' in ', '(', '|',
  'ARCH', 'arch', 'OS_ARCH', 'TARGET_ARCH_NAME', 'DEB_HOST_ARCH', 'x86_64', 'amd64', 'arm64', 'foo', '_x9', '9', 'é', '\u2028',
  '$ARCH = amd64', '"${OS_ARCH}" == "x86_64"', 'case "$arch" in x86_64)', '$TARGET_ARCH_NAME != arm64', '${ARCH[0]}=', '$my_arch == foo',
  'cat <<EOF\n', 'cat <<-E\n', '\tE\n', 'EOF\n', 'EOF\r\n', 'body # not a comment\n', 'a'.repeat(300), ' '.repeat(270),
);

describe('shell parse helpers, as before', () => {
  it('on every fixture file', () => {
    const all = [...readTree(FIXTURES).values()].map((b) => b.toString('utf8'));
    expect(all.length).toBeGreaterThan(500);
    let named = 0;
    for (const text of all) {
      check(text);
      named += archNamedVariables(text).size;
    }
    expect(named).toBeGreaterThan(0);
  });

  it('on generated shell and random text of its characters', () => {
    let named = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(...shellFragments), { maxLength: 8 }).map((xs) => xs.join('')), fc.array(piece, { maxLength: 40 }).map((xs) => xs.join('')), (frags, random) => {
        check(frags);
        check(random);
        named += archNamedVariables(random).size;
      }),
      { seed: SEED, numRuns: 800 },
    );
    // references that are compared with an arch literal are reached
    expect(named).toBeGreaterThan(20);
  });
});
