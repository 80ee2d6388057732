/**
 * deb822: the lexer keeps every byte and never throws (realistic and random input); the
 * relation parser reads every part with its offsets; the archive database is what the
 * generator makes of the committed sample indices; the lookup answers the list.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import moo from 'moo';
import { describe, expect, it } from 'vitest';
import { CURATED, archLookup } from '../src/archdb/index.js';
import { generateSuite, serializeArchDb, ARCHDB_FORMAT, INDEXED_ARCHES } from '../src/archdb/generate.js';
import { DEB822_VALUE_RULES, lexDeb822Lines, scanDeb822Value, tokenizeDeb822 } from '../src/lexers/deb822.js';
import { tokenizeDebhelper } from '../src/lexers/debhelper.js';
import { coversExactly, type Token } from '../src/lexers/token.js';
import { parseControl } from '../src/models/control.js';
import { ROOT } from './helpers.js';

const CONTROL = [
  'Source: stx-boot\r\n',
  'Build-Depends: debhelper-compat (= 13),\n',
  '# a comment between continuation lines\n',
  ' grub-pc | grub-efi-arm64,\n',
  '\tlibfoo-dev:any (>= 1.2~) [linux-any !hurd-any] <!nocheck> <cross>,\n',
  ' linux@KERNEL_TYPE@-headers-stx-amd64, ${misc:Depends},\n',
  '\n',
  'Package: stx-boot\n',
  'Architecture: amd64\n',
  'Description: x # not a comment\n',
  ' .\n',
  'no colon here\n',
  '   \n',
  'Package: last',
].join('');

const deb822ish = fc.constantFrom(
  'Source', 'Package', ':', ' ', '\t', '\n', '\r\n', '#', ',', '|', '[', ']', '<', '>', '(', ')', '!', '>=', '${misc:Depends}',
  '@TOKEN@', 'amd64', 'linux-any', 'a', '-', '.', '\u00e9',
);

/** The value lexer the scanner replaced: moo compiled from the same rules, offsets shifted to `start`. */
const mooValue = moo.compile({ ...DEB822_VALUE_RULES, error: moo.error });
function mooValueTokens(text: string, start: number, stop: number): Token[] {
  mooValue.reset(text.slice(start, stop));
  return [...mooValue].map((t) => ({ type: t.type ?? 'other', text: t.text, offset: start + t.offset }));
}
const valueOf = (text: string, start: number, stop: number): Token[] => {
  const out: Token[] = [];
  scanDeb822Value(text, start, stop, out);
  return out;
};

describe('deb822 value scanner', () => {
  it('gives moo’s tokens on the control sample, line by line and whole', () => {
    const got = valueOf(CONTROL, 0, CONTROL.length);
    expect(new Set(got.map((t) => t.type)).size).toBeGreaterThan(10);
    expect(got).toEqual(mooValueTokens(CONTROL, 0, CONTROL.length));
    for (const l of lexDeb822Lines(CONTROL)) expect(valueOf(CONTROL, l.start, l.next)).toEqual(mooValueTokens(CONTROL, l.start, l.next));
  });

  it('gives moo’s tokens on random text, from any start to any stop', () => {
    const unit = fc.constantFrom(...' \t\f\v\r\n,|[]<>()a-:.${}\u00a0\u2028\u2000\u200b\u3000\ufeff\u00e9\ud800'.split(''));
    fc.assert(
      fc.property(fc.array(fc.oneof(unit, fc.constant('\r\n')), { maxLength: 40 }).map((a) => a.join('')), fc.nat(), fc.nat(), (text, a, b) => {
        const start = a % (text.length + 1);
        const stop = start + (b % (text.length - start + 1));
        expect(valueOf(text, start, stop)).toEqual(mooValueTokens(text, start, stop));
      }),
      { seed: 20261201, numRuns: 3000 },
    );
  });
});

describe('deb822 lexer', () => {
  it('round-trips a realistic control file byte for byte', () => {
    expect(coversExactly(tokenizeDeb822(CONTROL), CONTROL)).toBe(true);
    expect(coversExactly(tokenizeDeb822(CONTROL), CONTROL)).toBe(true);
  });
  it('round-trips random deb822-like and arbitrary input, and never throws', () => {
    fc.assert(fc.property(fc.array(deb822ish, { maxLength: 200 }), (parts) => coversExactly(tokenizeDeb822(parts.join('')), parts.join(''))), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (t) => coversExactly(tokenizeDeb822(t), t) && coversExactly(tokenizeDebhelper(t), t)), { numRuns: 500 });
    fc.assert(fc.property(fc.array(deb822ish, { maxLength: 200 }), (parts) => {
      const t = parts.join('');
      const fast = lexDeb822Lines(t, false).flatMap((l) => l.tokens);
      parseControl(t);
      return coversExactly(fast, t);
    }), { numRuns: 300 });
  });
  it('classifies lines', () => {
    expect(lexDeb822Lines(CONTROL).map((l) => l.kind)).toEqual([
      'field', 'field', 'comment', 'continuation', 'continuation', 'continuation', 'blank', 'field', 'field', 'field', 'continuation', 'error', 'blank', 'field',
    ]);
  });
});

describe('control model and relations', () => {
  const c = parseControl(CONTROL);
  const rels = c.source?.relations.get('build-depends')?.relations ?? [];
  it('reads paragraphs, the Architecture, the compat level', () => {
    expect(c.paragraphs.map((p) => [p.type, p.name])).toEqual([['source', 'stx-boot'], ['binary', 'stx-boot'], ['binary', 'last']]);
    expect(c.binaries[0]?.architecture).toEqual(['amd64']);
    expect(c.binaries[0]?.arches).toEqual(['amd64']);
    expect(c.debhelperCompat).toBe(13);
    expect(c.doc.problems.map((p) => p.message)).toEqual([expect.stringContaining('neither')]);
  });
  it('parses alternatives, qualifiers, versions, arch lists, profiles, substitutions and placeholders with offsets', () => {
    expect(rels.map((r) => r.alternatives.map((a) => a.name.text))).toEqual([
      ['debhelper-compat'], ['grub-pc', 'grub-efi-arm64'], ['libfoo-dev'], ['linux@KERNEL_TYPE@-headers-stx-amd64'], ['${misc:Depends}'],
    ]);
    const foo = rels[2]!.alternatives[0]!;
    expect(foo.qualifier?.text).toBe('any');
    expect(foo.version?.text).toBe('(>= 1.2~)');
    expect(foo.archList?.terms.map((t) => [t.arch, t.negated])).toEqual([['linux-any', false], ['hurd-any', true]]);
    expect(foo.profiles.map((p) => p.text)).toEqual(['<!nocheck>', '<cross>']);
    for (const r of rels) for (const a of r.alternatives) expect(CONTROL.slice(a.name.start, a.name.end)).toBe(a.name.text);
    expect(CONTROL.slice(foo.start, foo.end)).toBe('libfoo-dev:any (>= 1.2~) [linux-any !hurd-any] <!nocheck> <cross>');
  });
  it('leaves out what it cannot read, and empty entries', () => {
    const t = 'Source: x\nBuild-Depends: a (>= 1, b [amd64, , c |, d\n';
    expect(parseControl(t).source?.relations.get('build-depends')?.relations.map((r) => r.alternatives[0]?.name.text)).toEqual(['d']);
  });
});

describe('archive database', () => {
  const dir = path.join(ROOT, 'test/archdb-sample');
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  const generate = (): string => serializeArchDb({
    format: ARCHDB_FORMAT,
    arches: INDEXED_ARCHES,
    suites: {
      bookworm: generateSuite({
        dates: { bookworm: 'Sat, 10 Jun 2023 08:55:53 UTC' },
        packages: INDEXED_ARCHES.map((arch) => ({ dist: 'bookworm', arch, text: read(`Packages_${arch}`) })),
        sources: [read('Sources')],
      }),
    },
  });
  it('is what the generator makes of the committed sample indices (regenerate: see the sample README)', () => {
    expect(generate()).toBe(read('expected.json'));
  });
  it('is deterministic', () => {
    expect(generate()).toBe(generate());
  });
  it('ships data for every suite, with the Release dates it was built from', () => {
    for (const s of ['bullseye', 'bookworm', 'trixie']) expect(Object.keys(archLookup(s).dates)).toContain(s);
  });

  const notFlagged = ['nasm', 'yasm', 'acpica-tools', 'efibootmgr', 'mokutil', 'sbsigntool', 'shim-signed', 'dpdk', 'qemu-system-x86', 'valgrind', 'libnuma-dev'];
  const flagged = ['grub-pc', 'grub-pc-bin', 'syslinux', 'extlinux', 'intel-microcode', 'libipsec-mb-dev', 'cpuid', 'msr-tools', 'gcc-multilib', 'libc6-i386', 'linux-image-amd64', 'memtest86+'];
  /** Architecture: all, with content for x86 machines or guests: they install everywhere (DESIGN §5). */
  const x86Content = ['ovmf', 'seabios', 'syslinux-common', 'isolinux', 'pxelinux'];
  it.each(['bullseye', 'bookworm'])('%s: the issue\'s list', (suite) => {
    const l = archLookup(suite);
    for (const n of notFlagged) expect([n, l.missingOn(n, 'arm64') ?? l.missingOn(n, 'amd64')]).toEqual([n, undefined]);
    for (const n of flagged) expect([n, l.missingOn(n, 'arm64')]).toEqual([n, expect.stringMatching(/restricted|curated/)]);
    expect(l.package('grub-pc')?.alternative).toBe('grub-efi-arm64');
    expect(l.package('linux-image-amd64')?.alternative).toBe('linux-image-arm64');
    expect(l.restriction('grub-pc')).toEqual(['amd64', 'i386']);
    expect(l.package('isolinux')?.origin).toBe('curated');
    for (const n of x86Content) expect([n, l.missingOn(n, 'arm64'), l.package(n)?.content]).toEqual([n, undefined, 'x86']);
    expect(l.package('ovmf')?.alternative).toBe('qemu-efi-aarch64');
  });
  it('every curated entry cites a source; per-suite entries hold in their suites only', () => {
    for (const e of CURATED) expect([e.name ?? e.dir, typeof e.source === 'string' && e.source.length > 10]).toEqual([e.name ?? e.dir, true]);
    expect(archLookup('bullseye').missingOn('opae-devel', 'arm64')).toBe('curated');
    expect(archLookup('trixie').package('opae-devel')).toBeUndefined();
    // No citable x86-only claim: mainline OCTEON_EP depends on 64BIT, PCI and PTP only.
    expect(archLookup('bullseye').package('octeon-ep')).toBeUndefined();
    expect(archLookup('bullseye').dir('kernel/kernel-modules/octeon_ep/debian/bullseye/deb_folder/control')).toBeUndefined();
  });
  it('QAT is one family: renamed dirs (`intel-qat`) and package names (`intel-qat-*`, `libqat*`) are known', () => {
    const l = archLookup('bullseye');
    expect(l.dir('kernel-modules/intel-qat')?.dir).toBe('kernel-modules/qat');
    expect(l.dir('userspace/qat/qatlib')?.dir).toBe('userspace/qat');
    expect(l.missingOn('intel-qat-utils', 'arm64')).toBe('curated');
    expect(l.missingOn('libqat-dev', 'arm64')).toBe('curated');
    expect(l.dir('kernel-modules/intel-ice')).toBeUndefined();
  });
  it('curated dirs match by path suffix, `_` as `-`, and cover the dirs below a curated folder', () => {
    const l = archLookup('bullseye');
    expect(l.dir('kernel/kernel-modules/intel_qat/debian/bullseye/deb_folder/control')?.dir).toBe('kernel-modules/qat');
    expect(l.dir('utilities/tools/opae/python3-opae.admin/debian/bullseye/deb_folder/control')?.dir).toBe('tools/opae');
    expect(l.dir('tools/opae/python3-opae.admin')?.dir).toBe('tools/opae');
    expect(l.dir('tools/opaeish/debian/control')).toBeUndefined();
    expect(l.dir('kernel/kernel-modules/qat-helper/debian/control')).toBeUndefined();
  });
  it('unknown names, substitutions and placeholders are never arch-only; config add/remove apply', () => {
    const l = archLookup('bullseye');
    for (const n of ['stx-foo', '${misc:Depends}', 'linux@KERNEL_TYPE@-headers-stx-amd64']) expect(l.package(n)).toBeUndefined();
    const c = archLookup('bullseye', { add: [{ name: 'stx-x86-tool', arches: ['amd64'], reason: 'x86 only' }], remove: ['grub-pc', 'isolinux'] });
    expect(c.missingOn('stx-x86-tool', 'arm64')).toBe('curated');
    expect(c.package('grub-pc')).toBeUndefined();
    expect(c.package('isolinux')).toBeUndefined();
    expect(l.dir('kernel/kernel-modules/qat/debian/bullseye/deb_folder/control')?.arches).toEqual(['amd64']);
  });
});

describe('dh-exec steps', () => {
  it('runs every step bare, the --with ones in their order, and drops the --without ones', async () => {
    const { dhExecSteps } = await import('../src/control-kit.js');
    expect(dhExecSteps('usr/lib/foo\n')).toBeUndefined();
    expect(dhExecSteps('#!/usr/bin/dh-exec\nfoo\n')).toEqual(['filter', 'subst', 'install']);
    expect(dhExecSteps('#!/usr/bin/dh-exec --with=install,subst\n')).toEqual(['install', 'subst']);
    expect(dhExecSteps('#!/usr/bin/dh-exec --with subst,install\n')).toEqual(['subst', 'install']);
    expect(dhExecSteps('#!/usr/bin/dh-exec --without=subst\n')).toEqual(['filter', 'install']);
  });
});
