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
import { regexExamples, requiredLiterals, requiredWordGroup, triggerFor, triggerIndex } from '../src/engine/triggers.js';
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
  it('every word of a joined path template', () => {
    expect(requiredWordGroup(/(?:^|[/{}])base-[^/]*\.yaml$/)).toEqual(['base', 'yaml']);
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
  'ambiguous-arch-match': [{ terms: ARCH_SOURCES }],
  'arch-conditional-incomplete': [{ terms: [...ARCH_SOURCES, ...ARCH_TERMS, 'grubx64.efi', 'BOOTAA64.EFI'] }],
  'build-arch-for-host': [{ terms: [...examples(BUILD_VAR), ...examples(COMMAND)] }],
  'x86-compiler-flag': [{ terms: [...examples(FLAG), '-fcf-protection=full', '-march=x86-64-v3', '-mtune=haswell'] }],
  'legacy-bios-boot': [{ terms: [...examples(BIOS_TERM), 'pxelinux.0', 'menu.c32'] }],
  'x86-efi-binary': [{ terms: [...examples(EFI_TERM), 'BOOTX64.EFI'], kinds: ['rules', 'makefile', 'shell', 'python', 'yaml', 'bootcfg', 'puppet', 'dockerfile', 'control'] }],
  'x86-kernel-image': [{ terms: [...examples(IMAGE), ...examples(KARCH)] }],
  'x86-machine-config': [{ terms: [...examples(MACHINE_TERM), 'console=ttyS0,115200'] }, { terms: ARCH_TERMS, kinds: ['shell'] }],
  'arch-only-list-entry': [{ terms: ['packages:', 'apt:', 'package:', 'ansible.builtin.apt:'], kinds: ['yaml'] }, { terms: ['RUN apt-get install -y pcm'], kinds: ['dockerfile'] }],
  'twin-unaware-reader': [{ terms: ["'{}_pkg_dirs'", "'base-' + c + '.yaml'", "'os-%s.lst'", "'{}_iso_image.inc'", "'patches/' + 'series'", "'dl_path'", "'dl_files'"] }],
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
