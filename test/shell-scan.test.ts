/**
 * The shell tokens are a scan of type codes and offsets (`scanShell`), their objects made only
 * when a rule reads them (`ShellTokens`), and parseShellFile reads the scan: the tokens must be
 * those of the lexer it replaces (kept as test/reference/shell-lexer-before.ts), one object per
 * token however it is reached, and parseShellFile must give the guards, comments and tokens of
 * test/reference/shell-file-before.ts, on every fixture, on generated shell and on random text
 * (and the failing exits and the variables set and used that rules read from the scan those they
 * read from the objects).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readTree } from './helpers.js';
import { ARCH_NAMES } from '../src/arch.js';
import { masked, maskedScan, parseShellFile, scriptModelOf } from '../src/kinds/scripts.js';
import { SH_TYPES, ShellTokens, scanShell, tokenizeShell } from '../src/lexers/shell.js';
import type { Token } from '../src/lexers/token.js';
import {
  shellFailingStatements, shellScanArrayAround, shellScanFailingStatements, shellScanSetsAndUses, tokenArrayAround, tokenAt, tokenSetsAndUses, type Assignment, type Use,
} from '../src/script-kit.js';
import { shellFileBefore } from './reference/shell-file-before.js';
import { tokenizeShell as tokenizeBefore } from './reference/shell-lexer-before.js';
import { shellFragments } from './gen/fragments.js';

const SEED = 20261203;

/** Every token object reached (token(i), tokenAt at every offset, all) is one object per token, whichever was read first. */
function expectOneObjectPerToken(text: string, before: readonly Token[], order: 'all' | 'each' | 'at'): void {
  const st = new ShellTokens(text, scanShell(text));
  const early: (Token | undefined)[] = [];
  if (order === 'each') for (let i = st.count - 1; i >= 0; i -= 2) early.push(st.token(i));
  if (order === 'at') for (let i = -1; i <= text.length + 1; i += 3) early.push(st.tokenAt(i));
  const all = st.all();
  expect(all).toEqual(before);
  const other: unknown[] = [];
  for (const t of early) if (t && all[st.indexAt(t.offset)] !== t) other.push(t);
  for (let i = -1; i <= text.length + 1; i++) if (st.tokenAt(i) !== tokenAt(all, i)) other.push(i);
  for (let i = 0; i < st.count; i++) if (st.token(i) !== all[i] || st.textOf(i) !== all[i]?.text || SH_TYPES[st.type(i)] !== all[i]?.type || !st.is(i, all[i]?.text ?? '')) other.push(i);
  expect(other).toEqual([]);
}

/** How many offsets were in a shell array (the arrays are reached). */
let arrays = 0;

const check = (text: string, order: 'all' | 'each' | 'at' = 'all'): number => {
  const before = tokenizeBefore(text);
  expect(tokenizeShell(text)).toEqual(before);
  expectOneObjectPerToken(text, before, order);
  const scan = scanShell(text);
  for (const [a, b] of [['heredoc', 'comment'], ['comment', 'comment'], ['heredoc', 'heredoc'], ['ws', 'newline']] as const) {
    expect(maskedScan(text, scan, SH_TYPES.indexOf(a), SH_TYPES.indexOf(b))).toBe(masked(text, before, [a, b]));
  }
  // the exits read from the scan are those read from the token objects
  expect(shellScanFailingStatements(new ShellTokens(text, scan))).toEqual(shellFailingStatements(before));
  // and the variables set and used
  const setsUses: [Assignment[], Use[]] = [[], []];
  const setsUsesBefore: [Assignment[], Use[]] = [[], []];
  shellScanSetsAndUses(new ShellTokens(text, scan), ...setsUses);
  tokenSetsAndUses(before, ...setsUsesBefore);
  expect(setsUses).toEqual(setsUsesBefore);
  // and the `NAME=( … )` arrays around offsets (every offset of a short text, every 7th of a long one)
  const st = new ShellTokens(text, scan);
  const step = text.length > 2000 ? 7 : 1;
  for (let o = -1; o <= text.length; o += step) {
    const arr = tokenArrayAround(before, o);
    if (arr) arrays++;
    expect(shellScanArrayAround(st, o)).toEqual(arr);
  }
  const parsed = parseShellFile(text, ARCH_NAMES);
  const want = shellFileBefore(text, ARCH_NAMES);
  expect(parsed.guards).toEqual(want.guards);
  expect(parsed.comments).toEqual(want.comments);
  const model = scriptModelOf(parsed.guards);
  // the comments are the model's token objects
  for (const c of parsed.comments) expect(model?.tokenAt?.(c.offset)).toBe(c);
  expect(model?.tokens).toEqual(want.tokens);
  return want.guarded;
};

const piece = fc.constantFrom(
  'a', '9', '_', ' ', '\t', '\r', '\n', '\r\n', '\f', '\\', '#', '# c', "'", '"', '`', '$', '(', ')', '{', '}', ';', '&', '|', '<', '>', '-',
  '<<', '<<-', '<<EOF', '\nEOF', 'EOF\n', '\tEOF\n', '\u00a0', 'é', '\u2028', '$(', '${', "$'", 'ARCH', 'x86_64', 'amd64', 'sed ', 's/amd64/arm64/',
  'X=1', 'X+=-f', 'export Y="-f"', 'local z=', 'read a b', 'for i in', 'getopts o', '${NAME}', '${N:-x}', '$NAME', '$1', '{ ', 'then ', 'do ', '=',
  'A=(', 'A+=( ', ' amd64', ' "arm64"', ')', '$(x)', '((', 'declare -A M=( [x86_64]=amd64 )\n', 'f() ', 'x=( a ( b ) c )',
  'exit 1', 'return 2', 'exit\t 10', 'exit 0', 'exit $x', 'exit', 'return', '1',
  'echo "label 0"\n', 'echo "  append console=ttyS0"\n', 'cat <<EOF\nui vesamenu.c32\nlabel 1\nappend x\nEOF\n', 'if [ "$(uname -m)" = x86_64 ]; then ', 'fi\n',
);

describe('shell scan', () => {
  it('on every fixture file', () => {
    const all = [...readTree(FIXTURES).values()].map((b) => b.toString('utf8'));
    expect(all.length).toBeGreaterThan(500);
    let regions = 0;
    for (const text of all) regions += check(text);
    expect(regions).toBeGreaterThan(50);
  });

  it('on generated shell and random text of its characters', () => {
    let regions = 0;
    arrays = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(...shellFragments), { maxLength: 8 }).map((xs) => xs.join('')),
        fc.array(piece, { maxLength: 60 }).map((xs) => xs.join('')),
        fc.constantFrom('all', 'each', 'at') as fc.Arbitrary<'all' | 'each' | 'at'>,
        (frags, random, order) => {
          regions += check(frags, order);
          regions += check(random, order);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
    expect(regions).toBeGreaterThan(100);
    expect(arrays).toBeGreaterThan(100);
  });

  it('grows its arrays past the first guess (a text of one-character tokens)', () => {
    for (const text of [';'.repeat(5000), '()'.repeat(3000), 'a;'.repeat(4000) + '\n', '']) check(text);
  });
});
