/**
 * The Python model (src/python-guards.ts) was split into small functions for speed (a shared
 * set for unknown tests, the source tracker a class, the file tests read only after `os`, the
 * `or`/`and` split only where the word stands), then read from a scan of token types and offsets
 * with token objects made only when read (the tokens, a line's tokens, the groups): it must give
 * exactly the model of the code it replaces, kept as test/reference/python-guards-before.ts, and
 * parsePythonFile the guards of test/reference/python-file-before.ts. fast-check builds files of
 * the statements the model reads (if/elif/else chains, conditions with or/and/not and brackets,
 * sources assigned and returned, distribution and file tests, conditional expressions, blocks by
 * indentation, `;`, continuations, `.replace` translations, BIOS menus) and the whole models are
 * compared.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARCHES, ARCH_NAMES } from '../src/arch.js';
import { parsePythonFile } from '../src/kinds/scripts.js';
import { archesNamedBy, parsePython, type PythonModel } from '../src/python-guards.js';
import { tokenAt } from '../src/script-kit.js';
import { pythonFileGuardsBefore } from './reference/python-file-before.js';
import { archesNamedBy as archesNamedByBefore, parsePython as parsePythonBefore } from './reference/python-guards-before.js';
import { pythonFragments } from './gen/fragments.js';

const SEED = 20261201;

const value = fc.constantFrom(
  'platform.machine()', 'os.uname().machine', 'os.uname()[4]', 'platform.processor()', 'arch', 'self.arch', 'os_arch', 'machine',
  'get_arch()', 'self.get_arch()', 'arch.lower()', 'machine.strip().lower()', "os.environ['DEB_HOST_ARCH']", 'DEB_BUILD_ARCH', 'TARGETARCH',
  "subprocess.check_output(['dpkg', '--print-architecture']).decode().strip()", "subprocess.check_output(['uname', '-m'])", 'distro.id()',
  'platform.linux_distribution()[0]', 'dist', 'dist.lower()', 'name', 'sys.version', 'x',
);
const literal = fc.constantFrom(
  "'x86_64'", "'aarch64'", "'arm64'", "'amd64'", "'i386'", "'arm'", "'x86'", "'ppc64le'", "'centos'", "'debian'", "'Red Hat'", "'foo'",
  '"x86_64"', "r'arm64'", "'''amd64'''", "('x86_64', 'amd64')", "['arm64', 'aarch64']", "('x86', 'i686')", '1', 'None',
);
const op = fc.constantFrom('==', '!=', 'in', 'not in', 'is', 'is not');
const comparison: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(value, op, literal).map(([v, o, l]) => `${v} ${o} ${l}`),
  fc.tuple(literal, op, value).map(([l, o, v]) => `${l} ${o} ${v}`),
  fc.tuple(value, fc.constantFrom('startswith', 'endswith'), literal).map(([v, f, l]) => `${v}.${f}(${l})`),
  fc.constantFrom(
    "os.path.exists('/etc/redhat-release')", "os.path.isfile('/etc/debian_version')", "os.access('/etc/centos-release', os.R_OK)",
    "os.path.isdir(os.path.join(iso_dir, 'isolinux'))", "os.path.exists(os.path.join(d, 'EFI', 'BOOT'))", 'os.getenv("X")', 'osx', 'x', 'True',
  ),
);
const condition: fc.Arbitrary<string> = fc.letrec((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('c'), fc.constantFrom(' or ', ' and '), tie('c')).map(([a, o, b]) => `${a}${o}${b}`),
    tie('c').map((c) => `not ${c}`),
    tie('c').map((c) => `(${c})`),
  ),
})).c as fc.Arbitrary<string>;
const name = fc.constantFrom('arch', 'machine', 'dist', 'host_arch', 'self.target_arch', 'a, b', 'x', 'name');
const simple: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(name, value).map(([n, v]) => `${n} = ${v}`),
  fc.tuple(name, literal).map(([n, l]) => `${n} = ${l}`),
  fc.tuple(literal, condition, literal).map(([a, c, b]) => `x = ${a} if ${c} else ${b}`),
  fc.tuple(literal, condition, literal).map(([a, c, b]) => `f(${a} if ${c} else ${b}, 2)`),
  fc.tuple(literal, condition, literal).map(([a, c, b]) => `return ${a} if ${c} else ${b}`),
  fc.tuple(value).map(([v]) => `return ${v}`),
  fc.tuple(name, literal).map(([n, l]) => `${n} = ${l}; y = 2`),
  fc.constantFrom('pass', "s = s.replace('x86_64', 'aarch64')", "s = s . replace( # x\n  'amd64' ,\n 'arm64')", "s.replace('x', 'y'); t = u.replace(\"ttyS0\", 'ttyAMA0')",
    'menu = """label 0\n  kernel vmlinuz\n  append console=ttyS0\n"""', "m = '''ui vesamenu.c32\n'''", 'x = [i for i in y if i]', '"""doc"""', 'y = (1,\n     2)', 'z = 1 + \\\n    2', '# if arch == "amd64":'),
);
const indentOf = (d: number): string => '    '.repeat(d);
const block: fc.Arbitrary<string[]> = fc.letrec((tie) => ({
  b: fc.array(
    fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      simple.map((s) => [s]),
      fc.tuple(condition, tie('b'), fc.array(fc.tuple(condition, tie('b')), { maxLength: 2 }), fc.option(tie('b'))).map(([c, body, elifs, els]) => [
        `if ${c}:`, ...(body as string[]).map((l) => indentOf(1) + l),
        ...elifs.flatMap(([ec, eb]) => [`elif ${ec}:`, ...(eb as string[]).map((l) => indentOf(1) + l)]),
        ...(els ? ['else:', ...(els as string[]).map((l) => indentOf(1) + l)] : []),
      ]),
      fc.tuple(fc.constantFrom('get_arch', 'host', 'f'), tie('b')).map(([f, body]) => [`def ${f}(self):`, ...(body as string[]).map((l) => indentOf(1) + l)]),
      // a source function defined after its use: the second pass finds it
      fc.tuple(fc.constantFrom('get_arch', 'host'), value).map(([f, v]) => [`def ${f}():`, `    return ${v}`]),
      fc.tuple(fc.constantFrom('machine', 'dist', 'x'), fc.constantFrom('get_arch()', 'self.host()', 'host()')).map(([n, f]) => [`${n} = ${f}`]),
      fc.tuple(condition, simple).map(([c, s]) => [`if ${c}: ${s}`]),
    ),
    { minLength: 1, maxLength: 4 },
  ),
})).b.map((xs) => (xs as string[][]).flat());
/** The model as plain data, what it makes on first read read now (the reference made it all at once). */
function plain(m: PythonModel): object {
  const lines = m.lines.map((l) => ({ start: l.start, end: l.end, indent: l.indent, tokens: l.tokens }));
  return { tokens: m.tokens, comments: m.comments, lines, groups: m.groups, regions: m.regions, tests: m.tests, patterns: m.patterns, docstrings: m.docstrings, dead: m.dead };
}

/**
 * Every token object reached from the model (a line's tokens, comments, docstrings, the store's
 * `tokenAt` at every offset) is the one of `tokens` there, whichever was read first.
 */
function expectOneObjectPerToken(m: PythonModel, text: string, linesFirst: boolean): void {
  const early = linesFirst ? [...m.lines.flatMap((l) => l.tokens), ...Array.from({ length: text.length + 3 }, (_, i) => m.store.tokenAt(i - 1))] : [];
  const tokens = m.tokens;
  const byOffset = new Map(tokens.map((t) => [t.offset, t]));
  const other: unknown[] = [];
  for (const t of [...early, ...m.lines.flatMap((l) => l.tokens), ...m.comments, ...m.docstrings]) if (t && byOffset.get(t.offset) !== t) other.push(t);
  for (let i = -1; i <= text.length + 1; i++) if (m.store.tokenAt(i) !== tokenAt(tokens, i)) other.push(i);
  expect(other).toEqual([]);
}

const file = fc.tuple(block, fc.constantFrom('\n', '\r\n')).map(([ls, nl]) => ls.join(nl) + nl);

function pythonFixtures(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) pythonFixtures(p, out);
    else if (/\.py$/.test(n)) out.push(p);
  }
  return out;
}

describe('python model, as before the split', () => {
  it('names the arches of a value as before (a map of spellings, not a filter)', () => {
    const values = ARCHES.flatMap((a) => [a.name, a.cpu, a.gnuCpu, a.goArch, ...a.aliases]).flatMap((v) => [v, v.toUpperCase(), `${v}x`, v.slice(1)]);
    values.push('', 'x86', 'ARM', 'constructor', '__proto__', 'enabled');
    let named = 0;
    for (const v of values) {
      const got = [...archesNamedBy(v)];
      if (got.length) named++;
      expect([v, got]).toEqual([v, [...archesNamedByBefore(v)]]);
    }
    expect(named).toBeGreaterThan(40);
  });

  it('on every python fixture', () => {
    const files = pythonFixtures(join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(10);
    let regions = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const m = parsePython(text);
      regions += m.regions.length;
      expect(plain(m), f).toEqual(parsePythonBefore(text));
      expect(parsePythonFile(text, ARCH_NAMES).guards, f).toEqual(pythonFileGuardsBefore(text));
    }
    expect(regions).toBeGreaterThan(10);
  });

  it('on generated files of guards, sources and blocks', () => {
    let guarded = 0;
    fc.assert(
      fc.property(file, (text) => {
        const m = parsePython(text);
        if (m.regions.length) guarded++;
        expect(plain(m)).toEqual(parsePythonBefore(text));
      }),
      { seed: SEED, numRuns: 400 },
    );
    // the generator reaches the guards, not only unknown tests
    expect(guarded).toBeGreaterThan(80);
  });

  it('on the generated files of the tree tests', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(...pythonFragments), { maxLength: 8 }).map((xs) => xs.join('')), (text) => {
        expect(plain(parsePython(text))).toEqual(parsePythonBefore(text));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('gives the guards of parsePythonFile as before (translations and BIOS menus read from the scan)', () => {
    let translated = 0;
    let menus = 0;
    fc.assert(
      fc.property(file, (text) => {
        const before = pythonFileGuardsBefore(text);
        expect(parsePythonFile(text, ARCH_NAMES).guards).toEqual(before);
        if (/replace\(/.test(text) && before.isTest(text.search(/'(?:x86_64|amd64)'|"ttyS0"/))) translated++;
        if (/menu\.c32|append console/.test(text) && before.hasRegions) menus++;
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(translated).toBeGreaterThan(20);
    expect(menus).toBeGreaterThan(20);
  });

  it('makes one object per token, whichever of tokens, lines, comments, docstrings and tokenAt is read first', () => {
    let lines = 0;
    fc.assert(
      fc.property(file, fc.boolean(), (text, linesFirst) => {
        const m = parsePython(text);
        lines += m.lines.length;
        expectOneObjectPerToken(m, text, linesFirst);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(lines).toBeGreaterThan(1000);
  });
});
