/**
 * The shell guard finder (src/shell-guards.ts) was made cheaper (the word scanner by a table,
 * what both passes share read once, the name tests' literal side first, the reference file's
 * findings memoized; then the words read into typed arrays with a keyword code each, a word's
 * object made only where a guard may start): it must give exactly the guards of the code it replaces, kept as
 * test/reference/shell-guards-before.ts, on every fixture and on generated shell: if/elif/else
 * chains and `[ ] &&` lines over tests of every form the finder reads, case statements on arch,
 * distribution and name subjects, assignments from arch sources, quotes, substitutions, make's
 * `$$`, comments, continuations, and random text of the same characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readTree } from './helpers.js';
import { findShellArchGuards, type ArchSource } from '../src/shell-guards.js';
import { findShellArchGuards as findBefore } from './reference/shell-guards-before.js';
import { shellFragments } from './gen/fragments.js';

const SEED = 20261202;

/**
 * The reference never returns on a text holding a `\s` unit that is no blank or newline (a form
 * feed, U+00A0) outside quotes: it is compared on texts without them only.
 */
const HANGS_BEFORE = /[\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

const GRUB: ReadonlyMap<string, ArchSource> = new Map([['grub_cpu', { kind: 'gnuCpu', subject: 'host' }]]);
const same = (text: string, base = 0, known?: ReadonlyMap<string, ArchSource>): ReturnType<typeof findShellArchGuards> => {
  const got = findShellArchGuards(text, base, known);
  expect(got, text).toEqual(findBefore(text, base, known));
  return got;
};

const source = fc.constantFrom(
  '"$(uname -m)"', '$(uname -m)', '`uname -m`', '"$(dpkg --print-architecture)"', '$(dpkg-architecture -qDEB_HOST_ARCH)',
  '"$(dpkg-architecture -qDEB_BUILD_ARCH_CPU)"', '$(/usr/bin/dpkg --print-architecture)', '"$ARCH"', '${ARCH}', '$arch', '"${OS_ARCH}"',
  '$$(uname -m)', '"$(DEB_HOST_ARCH)"', '$TARGETARCH', '${BUILDARCH}', '"$machine"', '$grub_cpu', '"$@"', '$pkg', '"$1"', '$(foo)',
  '"$OS"', '$ID', '"$(. /etc/os-release; echo $ID)"', '$(lsb_release -is)', '"$x"',
);
const literal = fc.constantFrom(
  'x86_64', '"x86_64"', 'amd64', "'arm64'", 'aarch64', 'i386', 'i686', 'armhf', 'arm*', '"x86*"', 'ppc64le', 's390x', 'riscv64',
  'centos', '"debian"', 'rhel', 'fedora', 'grub-efi-amd64', '"install/grub-efi-arm64"', 'grubx64.efi', 'x86_64-efi', 'i386-pc', 'foo',
  '"$other"', '*', '?86', '[ai]*86',
);
const regex = fc.constantFrom('^(x86_64|amd64)$', 'aarch64', '^arm', '"^x86"', 'x86_64|i686', '$re');
const clause: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(source, fc.constantFrom('=', '==', '!='), literal).map(([s, o, l]) => `${s} ${o} ${l}`),
  fc.tuple(literal, fc.constantFrom('=', '!='), source).map(([l, o, s]) => `${l} ${o} ${s}`),
  fc.constantFrom(
    '-f /etc/redhat-release', '-e /etc/debian_version', '-d isolinux', '-f "$iso/isolinux/isolinux.bin"', '-f EFI/BOOT/BOOTAA64.EFI',
    '-s /boot/efi/EFI/BOOT/grubx64.efi', '-n "$x"', '-z $y', '"$a" -eq 1', '-x /usr/bin/dpkg', '-r /etc/centos-release',
  ),
);
const joined = fc.tuple(clause, fc.array(fc.tuple(fc.constantFrom(' -o ', ' -a ', ' || ', ' && '), clause), { maxLength: 2 }), fc.boolean())
  .map(([c, rest, paren]) => {
    const body = c + rest.map(([j, x]) => j + x).join('');
    return paren ? `( ${body} )` : body;
  });
const test: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('', '! '), joined).map(([n, b]) => `${n}[ ${b.replace(/ \|\| | && /g, ' -o ')} ]`),
  fc.tuple(fc.constantFrom('', '! '), joined).map(([n, b]) => `${n}[[ ${b.replace(/ -[oa] /g, ' && ')} ]]`),
  fc.tuple(source, regex).map(([s, r]) => `[[ ${s} =~ ${r} ]]`),
  fc.tuple(source, fc.constantFrom('=', '!='), literal).map(([s, o, l]) => `test ${s} ${o} ${l}`),
  fc.constantFrom('grep -q CentOS /etc/os-release', 'grep -qi "^ID=debian" /etc/os-release', '! grep -q rhel /etc/redhat-release', 'grep -v x /etc/os-release', 'is_atomic'),
);
const condition = fc.tuple(test, fc.array(fc.tuple(fc.constantFrom(' || ', ' && '), test), { maxLength: 2 })).map(([t, rest]) => t + rest.map(([o, x]) => o + x).join(''));
const command = fc.constantFrom(
  'echo ok', 'ARCH=amd64', 'ARCH="arm64"', "arch='x86_64'", 'DEB_ARCH=$(dpkg --print-architecture)', 'make -C build', 'exit 1',
  'cp grubx64.efi "$dest"', 'OS=$(. /etc/os-release && echo $ID)', '. /etc/os-release', 'source /etc/os-release',
  'machine=$(uname -m)', 'x=1 # a comment: case if [ "$(uname -m)" = x86_64 ]', 'echo "$(cat <<< "$x")" | tr a b', "echo 'it''s' \\\n  done",
  'foo=${bar:-"$(baz "q")"}', 'y=$$(uname -m)', ': "${1//\\"/}"', 'pkg=grub-pc', 'pkg="$1"',
);
const block: fc.Arbitrary<string[]> = fc.letrec((tie) => ({
  b: fc.array(
    fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      command.map((c) => [c]),
      fc.tuple(condition, tie('b'), fc.array(fc.tuple(condition, tie('b')), { maxLength: 2 }), fc.option(tie('b')), fc.boolean()).map(([c, body, elifs, els, inline]) => {
        // `then if …` / `else case …` on one line: a keyword after then/else/do starts a command
        const open = (head: string, b: string[]): string[] => (inline ? [`${head} ${b[0] as string}`, ...b.slice(1).map((l) => `  ${l}`)] : [head, ...b.map((l) => `  ${l}`)]);
        return [
          ...open(`if ${c}; then`, body as string[]),
          ...elifs.flatMap(([ec, eb]) => open(`elif ${ec}; then`, eb as string[])),
          ...(els ? open('else', els as string[]) : []),
          'fi',
        ];
      }),
      fc.tuple(condition, fc.constantFrom('&&', '||'), command).map(([c, o, x]) => [`${c} ${o} ${x}`]),
      fc.tuple(source, fc.array(fc.tuple(fc.array(literal, { minLength: 1, maxLength: 3 }), tie('b'), fc.constantFrom(';;', ';&', ';;&')), { minLength: 1, maxLength: 3 }), fc.boolean())
        .map(([s, arms, paren]) => [
          `case ${s} in`,
          ...arms.flatMap(([pats, body, end]) => [`  ${paren ? '(' : ''}${pats.join('|')})`, ...(body as string[]).map((l) => `    ${l}`), `    ${end}`]),
          'esac',
        ]),
      fc.tuple(condition, command).map(([c, x]) => [`while ${c}; do ${x}; done`]),
    ),
    { minLength: 1, maxLength: 4 },
  ),
})).b.map((xs) => (xs as string[][]).flat());
const script = fc.tuple(block, fc.constantFrom('\n', '\r\n', '; ')).map(([ls, nl]) => ls.join(nl) + nl);

describe('shell guards, as before the rewrite', () => {
  it('on every fixture file (any kind: the finder reads any text)', () => {
    const all = [...readTree(FIXTURES).values()].map((b) => b.toString('utf8')).filter((t) => !HANGS_BEFORE.test(t));
    expect(all.length).toBeGreaterThan(500);
    let regions = 0;
    for (const text of all) regions += same(text).regions.length;
    expect(regions).toBeGreaterThan(50);
  });

  it('on generated scripts of guards, sources and nesting', () => {
    let guarded = 0;
    let dead = 0;
    fc.assert(
      fc.property(script, fc.constantFrom(0, 7), fc.boolean(), (text, base, grub) => {
        const g = same(text, base, grub ? GRUB : undefined);
        if (g.regions.length) guarded++;
        if (g.dead.length) dead++;
      }),
      { seed: SEED, numRuns: 600 },
    );
    // the generator reaches the guards, not only tests of something else
    expect(guarded).toBeGreaterThan(200);
    expect(dead).toBeGreaterThan(10);
  });

  it('on the generated files of the tree tests', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(...shellFragments), { maxLength: 8 }).map((xs) => xs.join('')), (text) => {
        same(text);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('on random text of the characters the scanner reads', () => {
    const piece = fc.constantFrom(
      ' ', '\t', '\n', '\r', '\\', "'", '"', '`', '$', '$$', '(', ')', '{', '}', '[', ']', '[[', ']]', ';', ';;', ';&', '&', '&&', '|', '||',
      '#', '=', '!', '*', 'case', 'in', 'esac', 'if', 'then', 'elif', 'else', 'fi', 'test', 'grep', 'x86_64', 'arm64', '$(uname -m)', 'A=', 'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }).map((xs) => xs.join(' ')), fc.array(piece, { maxLength: 60 }).map((xs) => xs.join('')), (spaced, tight) => {
        same(spaced);
        same(tight);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('reads a form feed or U+00A0 between words as a blank (the reference never returned)', () => {
    const text = 'if [ "$(uname -m)" = x86_64 ]; then\n  echo hi\nfi\n';
    for (const odd of ['\f', '\v', '\u00a0', '\u3000']) {
      const withOdd = `${odd}${text.replace('hi', `hi${odd}there`)}${odd}\n`;
      const plain = ` ${text.replace('hi', 'hi there')} \n`;
      expect(findShellArchGuards(withOdd)).toEqual(findBefore(plain));
      expect(findShellArchGuards(withOdd).regions).toHaveLength(1);
    }
  });
});
