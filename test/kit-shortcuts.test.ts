/**
 * The kits' cheaper ways give the answers of the ways they replace: the unlinted files under a
 * folder found in the sorted list instead of an index of every folder, the archive lookup's
 * curated names by a map, a path joined without normalising when nothing needs it, a neighbour's
 * bytes searched before it is decoded, a script's kernel config copies found before the configs
 * are read, a boot term matched only on the lines that hold its literals. Each is compared with the old way (kept here as the reference) on generated input.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unlintedGlobbed, unlintedUnder, words } from '../src/binary-kit.js';
import { isLineBound, termMatches } from '../src/boot-kit.js';
import { createArchLookup, type CuratedEntry } from '../src/archdb/lookup.js';
import type { ArchDb } from '../src/archdb/generate.js';
import { resolveConfig } from '../src/config/index.js';
import { lintFile, projectView, type LintTarget } from '../src/engine/lint.js';
import { regexExamples } from '../src/engine/triggers.js';
import { join, makeDirs } from '../src/make-include.js';
import { fileIncludes, recordingView, type ProjectReads } from '../src/project-view.js';
import { SourceFile } from '../src/source.js';
import type { FileKind } from '../src/types.js';
import { RULES } from '../rules/index.js';
import { TERM as MACHINE } from '../rules/x86-machine-config.js';
import { TERM as EFI } from '../rules/x86-efi-binary.js';
import { TERM as BIOS } from '../rules/legacy-bios-boot.js';
import { IMAGE, KARCH } from '../rules/x86-kernel-image.js';
import { seededRandom } from '../scripts/seams.js';

const MAX_PER_WORD = 64;

describe('the unlinted files under a folder or matching a glob', () => {
  /** The index the kit built before: every folder prefix of every path, its first MAX_PER_WORD files in view order. */
  const referenceIndex = (unlinted: readonly string[]): Map<string, string[]> => {
    const index = new Map<string, string[]>();
    for (const f of unlinted) {
      for (let slash = f.indexOf('/'); slash >= 0; slash = f.indexOf('/', slash + 1)) {
        const folder = f.slice(0, slash);
        let list = index.get(folder);
        if (!list) index.set(folder, (list = []));
        if (list.length < MAX_PER_WORD) list.push(f);
      }
    }
    return index;
  };

  it('are the reference index\'s, for every folder and for names that are none', () => {
    const random = seededRandom(1202);
    const names = ['a', 'b', 'a-b', 'a.b', 'ab', 'A', 'é', 'x_y', 'grub', 'efi', 'boot', '-', '.'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    for (let n = 0; n < 40; n++) {
      // deep and wide trees: more than MAX_PER_WORD files under some folders
      const set = new Set<string>();
      for (let i = 0; i < 50 + Math.floor(random() * 400); i++) {
        set.add(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(names)).join('/'));
      }
      const unlinted = [...set];
      const view = { ...projectView(new Map()), unlinted: () => unlinted };
      const index = referenceIndex(unlinted);
      const asked = [...index.keys(), ...unlinted, 'a/', 'zz', 'a/b/c/d/e', 'a-', ...names];
      for (const folder of asked) expect(unlintedUnder(view, folder), folder).toEqual(index.get(folder) ?? []);
      for (const glob of ['a/*', '*/b', 'a/b*', 'a?b/*', '[ab]/a', 'a/[', '*']) {
        // a glob that is no regex names no file
        let re = /(?!)/;
        try {
          re = new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
        } catch {
          // kept
        }
        expect(unlintedGlobbed(view, glob), glob).toEqual(unlinted.filter((p) => re.test(p)).slice(0, MAX_PER_WORD));
      }
    }
  });
});

describe('the archive lookup\'s curated names', () => {
  const db: ArchDb = {
    arches: ['amd64', 'arm64', 'i386'],
    suites: { trixie: { dates: {}, packages: { 'libfoo1': ['amd64', 'amd64', '', 'foo', ''], 'iqvlinux': ['amd64 i386', 'any-amd64 any-i386', '', 'iqv', ''] } } },
  } as unknown as ArchDb;
  const entry = (name: string, arches: string[], reason: string): CuratedEntry => ({ name, arches, reason });
  const curated = [
    entry('pcm', ['amd64'], 'MSRs'), entry('iqv*', ['amd64'], 'intel'), entry('libfoo1', ['amd64', 'i386'], 'foo'), entry('pcm', ['arm64'], 'second pcm'),
    entry('*-efi-amd64', ['amd64'], 'efi'), entry('a.b+c', ['amd64'], 'dots'), entry('qat?x', ['amd64'], 'question'),
  ];
  /** The lookup's answer before: the first entry, in order, whose glob matches the name (or, for curated, its rt flavour's base). */
  const globRe = (g: string): RegExp => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const referenceFirst = (entries: readonly CuratedEntry[], name: string, base?: string): CuratedEntry | undefined =>
    entries.find((e) => e.name && (globRe(e.name).test(name) || (base !== undefined && globRe(e.name).test(base))));

  it('are the first entry whose glob matches, whatever mix of exact names and globs comes first', () => {
    const adds: CuratedEntry[][] = [[], [entry('pcm', ['i386'], 'config')], [entry('p*', ['arm64'], 'config glob'), entry('libfoo1', ['arm64'], 'config foo')]];
    const names = ['pcm', 'pcmx', 'iqvlinux', 'iqvlinux-rt', 'iqvlinux-rt-dbgsym', 'libfoo1', 'libfoo1-rt', 'grub-efi-amd64', 'a.b+c', 'aXb+c', 'qat?x', 'qatyx', 'p', 'other', '$x', 'x-rt'];
    for (const add of adds) {
      const lookup = createArchLookup(db, curated, 'trixie', { add });
      const entries = [...add, ...curated];
      for (const name of names) {
        const base = /^(.+?)-rt(?:-[a-z0-9][a-z0-9.+-]*)?$/.exec(name)?.[1];
        const want = /[$@]/.test(name) ? undefined : referenceFirst(entries, name, base);
        // twice: the second answer is the cached one
        expect(lookup.curated(name), name).toBe(want);
        expect(lookup.curated(name), name).toBe(want);
        const p = lookup.package(name);
        const byName = /[$@]/.test(name) ? undefined : referenceFirst(entries, name);
        if (byName && (add.includes(byName) || !['libfoo1', 'iqvlinux'].includes(name))) expect(p?.note, name).toBe(byName.reason);
        if (!byName && base && !['libfoo1', 'iqvlinux'].includes(name)) expect(p?.note, name).toBe(referenceFirst(entries, base)?.reason);
      }
    }
  });
});

describe('make paths joined without normalising', () => {
  it('are path.posix\'s normalised join, on generated parts', () => {
    const reference = (...parts: string[]): string => {
      const p = path.posix.normalize(path.posix.join(...parts));
      return p === '.' ? '' : p.replace(/\/$/, '');
    };
    const random = seededRandom(77);
    const pieces = ['', 'a', '.', '..', 'b.c', '...', '.x', 'x.', '/', '//', 'a/', '/a', './', '../', 'a/./b', 'a//b', 'debian'];
    for (let n = 0; n < 20000; n++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Array.from({ length: Math.floor(random() * 4) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
      expect(join(...parts), JSON.stringify(parts)).toBe(reference(...parts));
    }
  });
});

describe('a neighbour\'s bytes searched before it is decoded', () => {
  it('say what its text says, for invalid UTF-8, a BOM and characters beyond ASCII', () => {
    const random = seededRandom(4242);
    const alphabet = [...Buffer.from('kind: metadata dl_path_arm64\n'), 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0xff, 0x80, 0xe2, 0x82];
    const needles = ['kind:', 'metadata:', 'dl_path_', 'k', ': m', '\n', 'a_a'];
    for (let n = 0; n < 3000; n++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)] as number);
      for (const needle of needles) {
        const file = SourceFile.fromBytes('x.yaml', bytes);
        const before = fileIncludes(file, needle);
        expect(file.undecodedBytes).toBeDefined();
        expect(before, `${Buffer.from(bytes).toString('hex')} ${needle}`).toBe(file.text.includes(needle));
        expect(fileIncludes(file, needle)).toBe(before);
      }
    }
  });
});

describe('a script\'s kernel config copies', () => {
  const CONFIG = '#\n# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.6.9 Kernel Configuration\n#\nCONFIG_X86_64=y\n';
  const lint = (hook: string) => {
    const files = new Map([
      ['kernel/debian/dl_hook', new SourceFile('kernel/debian/dl_hook', hook)],
      ['kernel/debian/source/config', new SourceFile('kernel/debian/source/config', CONFIG)],
    ]);
    const t: LintTarget = { file: files.get('kernel/debian/dl_hook') as SourceFile, kind: 'shell' as FileKind, config: resolveConfig(undefined, 'kernel/debian/dl_hook', RULES) };
    const reads: ProjectReads = { paths: new Set(), all: false };
    const result = lintFile(t, RULES.filter((r) => r.id === 'x86-machine-config'), recordingView(projectView(files), reads), { prefilter: false });
    return { findings: result.findings, reads };
  };

  it('are read from the configs beside it when it copies one into config/<arch>/', () => {
    const { findings, reads } = lint('#!/bin/bash\ncp "${PKG_DIR}"/debian/source/config ./config/amd64/none\n');
    expect(findings.map((f) => f.ruleId)).toEqual(['x86-machine-config']);
    expect(reads.paths).toContain('kernel/debian/source/config');
  });

  it('leave the configs unread when it only names config/<arch>/ (no copy, or a comment)', () => {
    for (const hook of ['#!/bin/bash\nls ./config/amd64/none\n', '#!/bin/bash\n# cp source/config ./config/amd64/none\n', '#!/bin/bash\ncp a ./config/arm64/none\n']) {
      const { findings, reads } = lint(hook);
      expect(findings, hook).toEqual([]);
      expect(reads.paths.has('kernel/debian/source/config'), hook).toBe(false);
    }
  });
});

describe('boot terms matched on the lines holding their literals only', () => {
  const terms = { 'x86-machine-config': MACHINE, 'x86-efi-binary': EFI, 'legacy-bios-boot': BIOS, 'x86-kernel-image': IMAGE, 'x86-kernel-image arch': KARCH };
  const seen = (ms: readonly RegExpExecArray[]): unknown[] => ms.map((m) => [m.index, m[0], m.indices?.[1]]);

  it('reads which regexes can match a line feed, or look ahead past one, and says so when unsure', () => {
    expect(Object.values(terms).map(isLineBound)).toEqual([true, true, true, true, false]);
    for (const re of [/a\sb/, /[^a]/, /a.b/s, /(?=\s)a/, /[\t-\r]/, /[a\t-z]/, /\x0a/, new RegExp(String.raw`a\012`), /\p{L}/u, /a\Wb/]) expect(isLineBound(re), String(re)).toBe(false);
    for (const re of [/a.b/, /(?<=\s[^>]*)a/, /[!-z]/, /[\w.-]+/, /(a)\1/, /(?<![\w-])b(?![\w+])/]) expect(isLineBound(re), String(re)).toBe(true);
  });

  it('finds what a scan of the whole text finds, on generated texts of each rule\'s terms', () => {
    const random = seededRandom(1207);
    for (const [name, re] of Object.entries(terms)) {
      const examples = regexExamples(re);
      const glue = ['\n', ' ', '', '-', '.', '/', '<model fallback="allow">', '<model\n type="x">', '>', '\r\n', 'ARCH=', ' := ', 'x', '#', '\n\n', 'ARCH\n=', 'KARCH =\n', 'x86'];
      const spelled = ['KARCH =\nx86 ', 'ARCH\n= x86_64\nmake bzImage', '<model\n type="x">Haswell</model>', 'a.c32\n isolinux.bin', 'OVMF_CODE.fd\nOVMF.fd'];
      for (let n = 0; n < 400 + spelled.length; n++) {
        let text = spelled[n - 400] ?? '';
        for (let i = 0; n < 400 && i < 1 + Math.floor(random() * 12); i++) {
          const piece = random() < 0.6 ? (examples[Math.floor(random() * examples.length)] as string) : (glue[Math.floor(random() * glue.length)] as string);
          text += random() < 0.2 ? piece.toUpperCase() : piece;
        }
        const whole = new RegExp(re.source, re.flags);
        expect(seen(termMatches(text, re)), `${name}: ${JSON.stringify(text)}`).toEqual(seen([...text.matchAll(whole)]));
      }
    }
  });
});

describe('the words of a copy line', () => {
  it('are /\\S+/g\'s matches, with every blank ECMAScript knows', () => {
    const random = seededRandom(31);
    const chars = ['a', 'b', '/', '$', '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\ud83d', 'é', '\u0085'];
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: Math.floor(random() * 20) }, () => chars[Math.floor(random() * chars.length)]).join('');
      expect(words(text, 7), JSON.stringify(text)).toEqual([...text.matchAll(/\S+/g)].map((m) => ({ word: m[0], start: 7 + m.index })));
    }
  });
});

describe('a curated source dir asked by every file under one debian/', () => {
  it('gets the answer a fresh lookup gives each path', () => {
    const dirs: CuratedEntry[] = [{ dir: 'kernel-modules/qat', arches: ['amd64'], reason: 'qat' }, { dir: 'tools/opae', arches: ['amd64'], reason: 'opae' }];
    const shared = createArchLookup({ arches: ['amd64'], suites: {} } as unknown as ArchDb, dirs, 'trixie');
    const paths = [
      'kernel-modules/qat/debian/control', 'kernel-modules/qat/debian/rules', 'kernel-modules/intel_qat/debian/deb_folder/rules', 'kernel-modules/qat', 'kernel-modules/qat/',
      'kernel-modules/qatx/debian/rules', 'tools/opae/opae-sdk/debian/control', 'tools/opae/x.py', 'tools/opae', 'debian/control', 'other/debian/qat/debian/rules', 'a/kernel-modules/qat/src/debian/x',
    ];
    for (const p of [...paths, ...paths.reverse()]) {
      const fresh = createArchLookup({ arches: ['amd64'], suites: {} } as unknown as ArchDb, dirs, 'trixie');
      expect(shared.dir(p)?.reason, p).toBe(fresh.dir(p)?.reason);
    }
  });
});

describe('make\'s directories for a deb_folder\'s files, once per project', () => {
  const tree = (src: string) => projectView(new Map([
    ['pkg/debian/meta_data.yaml', new SourceFile('pkg/debian/meta_data.yaml', `debname: pkg\nsrc_path: ${src}\n`)],
    ['pkg/debian/deb_folder/rules', new SourceFile('pkg/debian/deb_folder/rules', '%:\n\tdh $@\n')],
  ]));

  it('are the same answer for every view asking, each recording the meta_data.yaml it came from', () => {
    const root = tree('../source');
    const want = { cwd: 'source', debianDir: 'pkg/debian/deb_folder' };
    for (let i = 0; i < 3; i++) {
      const reads: ProjectReads = { paths: new Set(), all: false };
      expect(makeDirs(recordingView(root, reads), 'pkg/debian/deb_folder/rules', 'rules')).toEqual(want);
      expect(reads.paths).toContain('pkg/debian/meta_data.yaml');
    }
    // another project's meta_data.yaml, another kind: their own answers
    expect(makeDirs(tree('src'), 'pkg/debian/deb_folder/rules', 'rules')).toEqual({ cwd: 'pkg/src', debianDir: 'pkg/debian/deb_folder' });
    expect(makeDirs(root, 'pkg/debian/deb_folder/rules', 'makefile')).toEqual({ cwd: 'pkg/debian/deb_folder' });
  });
});
