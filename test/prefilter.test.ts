/**
 * The prefilter (DESIGN §7 Speed): rules declare triggers generated from the tables they match;
 * the engine runs only triggered rules and never parses a file that triggers nothing. These tests
 * require every term of every rule's tables to fire that rule alone in a one-line file, and the
 * output to be the same with and without the prefilter (`DEBARCH_LINT_NO_PREFILTER=1`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { BUILD_VAR, COMMAND } from '../rules/build-arch-for-host.js';
import { TERM as BIOS_TERM } from '../rules/legacy-bios-boot.js';
import { FLAG } from '../rules/x86-compiler-flag.js';
import { TERM as EFI_TERM } from '../rules/x86-efi-binary.js';
import { IMAGE, KARCH } from '../rules/x86-kernel-image.js';
import { TERM as MACHINE_TERM } from '../rules/x86-machine-config.js';
import { ARCHES, ARCH_LITERAL_TEXTS } from '../src/arch.js';
import { resolveConfig } from '../src/config/index.js';
import { lintProject } from '../src/engine/lint.js';
import { TriggerIndex, WORD_END, WORD_START, minimalTerms, regexExamples, requiredLiterals, requiredWordGroups, triggerAllOf, triggerFor, triggerIndex } from '../src/engine/triggers.js';
import { ARCH_NAMED, SOURCE_CALL } from '../src/python-guards.js';
import { ISO_LAYOUT_NAMES } from '../src/shell-guards.js';
import { classify } from '../src/kinds/index.js';
import { SourceFile } from '../src/source.js';
import type { AnyRule, FileKind } from '../src/types.js';
import { FIXTURES, cli } from './helpers.js';

const kindOf = (p: string): FileKind | undefined => classify(p)?.kind;
const index = triggerIndex(RULES, kindOf);
const rule = (id: string): AnyRule => RULES.find((r) => r.id === id) as AnyRule;
const fires = (id: string, kind: FileKind, text: string): boolean => index.test(kind, text).rules.includes(rule(id));

describe('requiredLiterals: what every match of a regex contains', () => {
  it.each([
    [/-fcf-protection(?:=\w+)?/, ['-fcf-protection']],
    [/(?<![\w-])(?:grub|boot)x64(?:-nosig)?\.efi/i, ['bootx64', 'grubx64']],
    [/(?:sys|iso|pxe)linux(?:\.cfg)?|isohybrid/, ['isohybrid', 'isolinux', 'pxelinux', 'syslinux']],
    [/a+b[cd]x86/, ['x86']],
    [/K?ARCH\s*=\s*(x86_64|x86|i386)/, ['i386', 'x86']],
    [/\$\(shell\s+uname/, ['$(shell']],
    [/(?:foo)?bar?/, ['ba']],
    [/(a)\1/, ['a']],
  ])('%s', (re, want) => {
    expect(requiredLiterals(re)).toEqual(want);
  });
  it.each([/[^\s]+/, /\w+|foo/, /(?:foo)*\d/, /(?:x|y?)z?/])('%s needs none: a rule matching it is always', (re) => {
    expect(requiredLiterals(re)).toBeUndefined();
  });
});

describe('requiredWordGroups: the words of each alternative, with what stands next to them', () => {
  const S = WORD_START;
  const E = WORD_END;
  it('split (tokens or words joined): a word next to a non-letter is bounded there', () => {
    expect(requiredWordGroups(/(?:^|[/{}])base-[^/]*\.yaml$/, 'split')).toEqual([[`${S}base${E}`, `${S}yaml${E}`]]);
    expect(requiredWordGroups(/platform\.machine\(\)|\bTARGETARCH\b/, 'split')).toEqual([[`platform${E}`, `${S}machine${E}`], [`${S}targetarch${E}`]]);
    // an anchored name: `arch` between underscores or the name's ends, not inside a longer word
    expect(requiredWordGroups(/^(?:[A-Za-z0-9]+_)*arch(?:_[A-Za-z0-9]+)*$/i, 'split')).toEqual([[`${S}arch${E}`]]);
    // a class or an optional part that may hold a letter leaves that side open; a short word beside a longer one is left out
    expect(requiredWordGroups(/[a-z]os(?:x)?lst/, 'split')).toEqual([['lst']]);
    expect(requiredWordGroups(/[a-z]os(?:x)?ls/, 'split')).toEqual([['os', 'ls']]);
    expect(requiredWordGroups(/uname\s+-m\b/, 'split')).toEqual([[`uname${E}`]]);
  });
  it('string (python values joined): next to a few characters, each spelled out, and a quote', () => {
    expect(requiredWordGroups(/-image\.inc$/, 'string')?.map((g) => [...g].sort())).toEqual(
      ['"', "'", '-'].flatMap((b) => ['"', "'", '.'].map((i) => [`${b}image${E}`, `${i}inc${E}`].sort())),
    );
  });
  it('undefined when an alternative has no word', () => {
    expect(requiredWordGroups(/[^\s]+|foo/, 'split')).toBeUndefined();
    expect(requiredWordGroups(/\.-/, 'split')).toBeUndefined();
  });
});

describe('terms that start or end a word', () => {
  const one = (terms: string[], text: string): boolean => {
    const fake = { id: 'r', appliesTo: ['python'], trigger: triggerAllOf([], terms) } as unknown as AnyRule;
    return new TriggerIndex([fake], () => undefined).test('python', text).rules.length === 1;
  };
  it.each([
    ['arch', true], ['$ARCH', true], ['target_arch = 1', true], ['x = arch', true], ['DEB_HOST_ARCH_CPU', true],
    ['search', false], ['archive', false], ['monarch_1', false], ['arch2', false],
  ])('⟨arch⟩ in %j: %s', (text, want) => {
    expect(one([`${WORD_START}arch${WORD_END}`], text)).toBe(want);
  });
  it('one side only, and a plain term beside a bounded one of the same text', () => {
    expect(one([`${WORD_START}arch`], 'archive')).toBe(true);
    expect(one([`${WORD_START}arch`], 'search')).toBe(false);
    expect(one([`arch${WORD_END}`], 'search')).toBe(true);
    expect(one([`${WORD_START}arch${WORD_END}`, 'search'], 'search')).toBe(true);
    expect(one([`${WORD_START}arch${WORD_END}`, 'zzz'], 'search arch')).toBe(true);
  });
  it('minimalTerms keeps a bounded term unless a plain one fires for it', () => {
    expect(minimalTerms([`${WORD_START}arch${WORD_END}`, `${WORD_START}arch`, 'search'])).toEqual(['search', `${WORD_START}arch`]);
    expect(minimalTerms([`${WORD_START}arch${WORD_END}`, 'rc'])).toEqual(['rc']);
  });
});

/** The arch literals `scanArchLiterals` reads, from the ARCHES table (and its loaders and lib64). */
const ARCH_TERMS = [
  ...new Set([
    ...ARCHES.flatMap((a) => [a.name, a.gnuType, a.multiarch, ...(a.gnuCpu === 'arm' ? [] : [a.gnuCpu])]),
    ...ARCH_LITERAL_TEXTS,
  ]),
];
/** What an arch test reads (shell, make, python, puppet, GRUB): each guard reader's source forms. */
const ARCH_SOURCES = [
  '$(uname -m)', '`uname -p`', 'uname --machine', '$(arch)', '$(dpkg --print-architecture)', 'dpkg-architecture -qDEB_HOST_ARCH',
  '$(DEB_HOST_ARCH)', '$(DEB_BUILD_GNU_CPU)', '${DEB_HOST_MULTIARCH}', '$TARGETARCH', '${BUILDARCH}', '$ARCH', '$host_arch',
  'platform.machine()', 'platform.processor()', 'os.uname()[4]', 'platform.uname().machine', "$facts['os']['architecture']",
  '$::architecture', "$facts['os']['hardware']", '$::hardwaremodel', '${grub_cpu}', 'option:client-arch,11',
];

/** What a python arch test reads: each call of the guard reader's SOURCE_CALL, and names ARCH_NAMED takes for an arch. */
const PY_ARCH_SOURCES = [
  'platform.machine()', 'platform . machine ()', 'platform.processor()', 'os.uname()[4]', 'os.uname().machine', 'platform.uname().machine',
  "os.environ['DEB_HOST_ARCH']", 'DEB_BUILD_GNU_CPU', "check_output(['dpkg', '--print-architecture'])", "['dpkg-architecture', '-qDEB_HOST_ARCH']",
  "check_output(['uname', '-m'])", 'TARGETARCH', 'arch', 'self.arch', 'target_arch', 'ARCH', 'os_arch_name',
];
/** What an ISO layout test names (shell `[ -d iso/isolinux ]`, python `os.path.isdir(…)`). */
const ISO_LAYOUT = ['iso/isolinux', "'isolinux'", 'isolinux/isolinux.cfg', 'EFI/BOOT/BOOTAA64.EFI', 'efi/boot/bootx64.efi', 'grubx64.efi', 'bootaa64-nosig.efi', 'mmia32.efi'];

/** Regexes rules match, spelled out as examples (each alternative of each group). */
const examples = (re: RegExp): string[] => {
  const all = regexExamples(re);
  const plain = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
  // a lookbehind (libvirt's `<model>` CPU names) may need context; the rest match alone
  expect(all.filter((e) => plain.test(e)).length, `${re}`).toBeGreaterThan(0);
  return all;
};

/** Per rule: the tables it matches, and the kinds each one is read in (all its kinds if not said). */
const TABLES: Record<string, { terms: readonly string[]; kinds?: readonly FileKind[] }[]> = {
  'hardcoded-arch': [{ terms: ARCH_TERMS }],
  'arch-in-download-url': [{ terms: [...ARCH_TERMS, 'x64'] }],
  'container-image-arch': [{ terms: ARCH_TERMS }],
  'foreign-arch-dependency': [{ terms: ARCH_TERMS, kinds: ['shell'] }, { terms: ['Build-Depends', 'Depends', 'Pre-Depends', 'Recommends'], kinds: ['control'] }],
  'arch-only-dependency': [{ terms: ['Build-Depends', 'Build-Depends-Arch', 'Build-Depends-Indep', 'Depends', 'Pre-Depends', 'Recommends'] }],
  'control-architecture': [{ terms: ['Architecture'] }],
  'ambiguous-arch-match': [{ terms: ARCH_SOURCES, kinds: ['rules', 'makefile', 'shell', 'puppet'] }, { terms: [...PY_ARCH_SOURCES, ...examples(SOURCE_CALL), ...examples(ARCH_NAMED)], kinds: ['python'] }],
  'arch-conditional-incomplete': [
    { terms: [...ARCH_SOURCES, ...ARCH_TERMS], kinds: ['rules', 'makefile', 'shell'] },
    { terms: [...PY_ARCH_SOURCES, ...examples(SOURCE_CALL), ...examples(ARCH_NAMED)], kinds: ['python'] },
    { terms: [...ISO_LAYOUT, ...ISO_LAYOUT_NAMES.flatMap(examples)] },
  ],
  'build-arch-for-host': [{ terms: [...examples(BUILD_VAR), ...examples(COMMAND)] }],
  'x86-compiler-flag': [{ terms: [...examples(FLAG), '-fcf-protection=full', '-march=x86-64-v3', '-mtune=haswell'] }],
  'legacy-bios-boot': [{ terms: [...examples(BIOS_TERM), 'pxelinux.0', 'menu.c32'] }],
  'x86-efi-binary': [{ terms: [...examples(EFI_TERM), 'BOOTX64.EFI'], kinds: ['rules', 'makefile', 'shell', 'python', 'yaml', 'bootcfg', 'puppet', 'dockerfile', 'control'] }],
  'x86-kernel-image': [{ terms: [...examples(IMAGE), ...examples(KARCH)] }],
  'x86-machine-config': [{ terms: [...examples(MACHINE_TERM), 'console=ttyS0,115200'] }, { terms: ARCH_TERMS, kinds: ['shell'] }],
  'arch-only-list-entry': [
    { terms: ['packages:', 'external-packages:', 'apt:', 'package:', 'ansible.builtin.apt:', '"apt":', '  - apt-get -y install pcm', 'apt install pcm'], kinds: ['yaml'] },
    { terms: ['RUN apt-get install -y pcm'], kinds: ['dockerfile'] },
  ],
  'twin-unaware-reader': [
    {
      terms: [
        "'{}_pkg_dirs'", "'base-' + c + '.yaml'", "'os-%s.lst'", "'{}_iso_image.inc'", "'patches/' + 'series'", "'%s_pkg_dirs*' % d", "f'{d}/debian_pkg_dirs'",
        "'debian-' + c + '-image' + '.inc'", "f'{d}/base-{c}*.lst'", "'deb_patches/series'", "os.path.join(d, 'os-' + bt + '.lst')",
      ],
    },
    { terms: ["'dl_path'", "'dl_files'"], kinds: ['python'] },
    { terms: ['"${DISTRO}"_pkg_dirs', '$d/os-$bt.lst', 'base-${c}*.lst;', 'F=${d}/debian_iso_image.inc', '$(dirname $0)/deb_patches/series'], kinds: ['shell'] },
  ],
  'invalid-directive': [{ terms: ['# debarch-lint disable-next-line hardcoded-arch'] }],
  'unused-directive': [{ terms: ['# debarch-lint disable hardcoded-arch'] }],
};

/** Where a rule runs on every file of a kind: what its findings depend on is not in the file. */
const ALWAYS: Record<string, readonly FileKind[]> = {
  'arch-in-download-url': ['pkg-list'],
  'arch-list-drift': ['pkg-dirs', 'pkg-list', 'series'],
  'arch-only-list-entry': ['pkg-dirs', 'pkg-list', 'series'],
  'x86-efi-binary': ['debhelper'],
};

describe('triggers', () => {
  it('are always only where said (DESIGN §7: cross-file rules and archive lookups by name)', () => {
    const always: Record<string, FileKind[]> = {};
    for (const r of RULES) {
      for (const k of r.appliesTo) if (triggerFor(r, k) === 'always') (always[r.id] ??= []).push(k);
    }
    expect(always).toEqual(ALWAYS);
  });

  it('every rule with literal triggers has its tables here', () => {
    const literal = RULES.filter((r) => r.appliesTo.some((k) => triggerFor(r, k) !== 'always')).map((r) => r.id);
    expect(literal.filter((id) => !TABLES[id])).toEqual([]);
  });

  describe.each(Object.entries(TABLES))('%s', (id, tables) => {
    it('fires on each term of its tables alone, in a one-line file of each kind it reads it in', () => {
      const r = rule(id);
      const missed: string[] = [];
      for (const t of tables) {
        for (const kind of t.kinds ?? r.appliesTo) {
          if (triggerFor(r, kind) === 'always') continue;
          for (const term of t.terms) {
            if (!fires(id, kind, `${term}\n`)) missed.push(`${kind}: ${term}`);
            if (!fires(id, kind, `${term.toUpperCase()}\n`)) missed.push(`${kind}: ${term.toUpperCase()} (case)`);
          }
        }
      }
      expect(missed).toEqual([]);
    });
  });

  it('a file with none of the terms triggers nothing of its kind', () => {
    for (const kind of ['rules', 'shell', 'python', 'yaml', 'control', 'patch'] as const) {
      const t = index.test(kind, 'hello world\nfoo = bar\n');
      expect(t.rules, kind).toEqual([]);
      expect(t.embedded, kind).toBe(false);
    }
  });

  it('python: words arch sources and twin lists share with any code do not trigger their rules', () => {
    const text = "import os\nimport sys\nimport yaml\n\n# runs in a virtual machine: search the archive\nlst = [base for base in os.listdir('.')]\n" +
      "print(sys.version, yaml.__version__, 'Wind River Systems, Inc.')\n";
    expect(index.test('python', text).rules.map((r) => r.id)).toEqual([]);
  });

  it('a patch is read when a hunk would trigger a rule of its target kind, or targets an always kind', () => {
    const hunk = (target: string, line: string) => `--- a/${target}\n+++ b/${target}\n@@ -1,1 +1,2 @@\n ctx\n+${line}\n`;
    expect(index.test('patch', hunk('debian/rules', 'foo')).embedded).toBe(false);
    expect(index.test('patch', hunk('debian/rules', 'cp x86_64-linux-gnu/x y')).embedded).toBe(true);
    expect(index.test('patch', hunk('debian_pkg_dirs', 'tools/foo')).embedded).toBe(true);
    // a term of another kind than the targets' does not count (`cp` is a debian/rules term)
    expect(index.test('patch', hunk('src/tool.py', 'cp a b')).embedded).toBe(false);
    expect(index.test('patch', `${hunk('src/tool.py', 'x = 1')}${hunk('debian/rules', '\tcp a b')}`).embedded).toBe(true);
  });
});

const run = async (dir: string, args: string[], off: boolean) =>
  cli(dir, [...args, '.'], off ? { env: { DEBARCH_LINT_NO_PREFILTER: '1' } } : {});

describe('engine: files that trigger nothing', () => {
  const lint = (p: string, text: string, prefilter: boolean) => {
    const kind = kindOf(p) as FileKind;
    return lintProject([{ file: new SourceFile(p, text), kind, config: resolveConfig(undefined, p, RULES) }], RULES, { prefilter })[0];
  };

  it('are not parsed: a lexer problem in one is not reported (nothing there to fix)', () => {
    const text = '#!/usr/bin/make -f\ndefine FOO\n  echo hi\n';
    expect(lint('debian/rules', text, false)?.problems.map((p) => p.message)).toEqual([expect.stringContaining('`define` is never closed')]);
    expect(lint('debian/rules', text, true)?.problems).toEqual([]);
    // a triggered file still says it
    expect(lint('debian/rules', `${text}x86_64\n`, true)?.problems.map((p) => p.message)).toEqual([expect.stringContaining('`define` is never closed')]);
  });

  it('an ISO layout test is an arch test: its failure is reported with the prefilter too (isolinux was no trigger term)', () => {
    const py = "import os\nimport sys\n\n\ndef check(iso):\n    if os.path.isdir(os.path.join(iso, 'isolinux')):\n        pass\n    else:\n        sys.exit(1)\n";
    const sh = '#!/bin/sh\nif [ -d "$ISO/isolinux" ]; then\n  echo ok\nelse\n  exit 1\nfi\n';
    for (const [p, text] of [['remaster.py', py], ['remaster.sh', sh]] as const) {
      for (const prefilter of [true, false]) {
        expect(lint(p, text, prefilter)?.findings.map((f) => f.ruleId), `${p} ${prefilter}`).toEqual(['arch-conditional-incomplete']);
      }
    }
  });

  it('still say they are not valid UTF-8', () => {
    const file = SourceFile.fromBytes('run.sh', Uint8Array.from([0x65, 0x63, 0x68, 0x6f, 0x20, 0xff, 0x0a]));
    const [r] = lintProject([{ file, kind: 'shell', config: resolveConfig(undefined, 'run.sh', RULES) }], RULES);
    expect(r?.problems.map((p) => p.message)).toEqual(['not valid UTF-8; linted, but not fixed']);
  });

  it('a rule the prefilter skipped ran: a directive naming it on a line it cannot report is unused, both ways', () => {
    const text = '#!/bin/sh\n# debarch-lint disable-next-line hardcoded-arch -- no arch here\necho hello\n';
    for (const prefilter of [true, false]) {
      const r = lint('build.sh', text, prefilter);
      expect(r?.findings.map((f) => `${f.line} ${f.ruleId}`), String(prefilter)).toEqual(['2 unused-directive']);
    }
  });
});

describe('the same output with and without the prefilter', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('docs examples of %s', (_id, r) => {
    for (const ex of [r.docs.bad, r.docs.good]) {
      const files = [ex, ...(r.docs.context ?? [])];
      // what a file read differs (fewer rules ran); what it reports must not
      const targets = (prefilter: boolean) =>
        lintProject(files.map((f) => ({ file: new SourceFile(f.path, f.text), kind: kindOf(f.path) as FileKind, config: resolveConfig(undefined, f.path, RULES) })), RULES, { prefilter })
          .map(({ dependsOn: _d, readsAll: _r, ...rest }) => rest);
      expect(targets(true)).toEqual(targets(false));
    }
  });

  const cases: string[] = [];
  for (const id of fs.readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, id);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const c of fs.readdirSync(dir).sort()) if (fs.existsSync(path.join(dir, c, 'in'))) cases.push(`${id}/${c}`);
  }
  it.each(cases)('fixture %s (json, --fix-dry-run, --fix-dry-run --unsafe)', async (c) => {
    const dir = path.join(FIXTURES, c, 'in');
    for (const args of [['--format', 'json'], ['--fix-dry-run'], ['--fix-dry-run', '--unsafe']]) {
      const on = await run(dir, args, false);
      const off = await run(dir, args, true);
      expect(on, args.join(' ')).toEqual(off);
    }
  });
});
