/**
 * The rules' short-cuts give the answers of the work they skip: a control parsed once for the
 * engine and the kits, a file's source-dir scope asked again through the same view, an
 * alternative's reach for one arch without its list, the committed binaries of files that name
 * none. Each is compared with the long way, on the cases where a wrong short-cut would differ.
 */
import { describe, expect, it } from 'vitest';
import { ARCH_NAMES, pathArches, type ArchName } from '../src/arch.js';
import { bootArchLiterals, precheckOf } from '../src/boot-kit.js';
import { CONTAINER_TOOL, IMAGE_STATEMENT } from '../src/script-kit.js';
import { archLookup } from '../src/archdb/index.js';
import { resolveConfig } from '../src/config/index.js';
import { alternativeArches, alternativeReaches, siblingControl, sourceDirScope } from '../src/control-kit.js';
import { lintFile, lintProject, projectView, type BinaryFacts, type LintTarget } from '../src/engine/lint.js';
import type { BinaryHeader } from '../src/binary-header.js';
import { kindSupport, type KindSupport } from '../src/kinds/index.js';
import { controlModel, parseControl } from '../src/models/control.js';
import { recordingView, type ProjectReads } from '../src/project-view.js';
import { SourceFile } from '../src/source.js';
import type { AnyRule, FileKind, RuleContext } from '../src/types.js';
import { RULES } from '../rules/index.js';
import { BUILD_VAR, COMMAND, SPAN_LITERALS } from '../rules/build-arch-for-host.js';
import { seededRandom } from '../scripts/seams.js';

const CONTROL =
  'Source: foo\nMaintainer: A <a@example.com>\nBuild-Depends: debhelper-compat (= 13), libc6-dev:i386\n\n' +
  'Package: foo\nArchitecture: amd64 arm64\nDescription: foo\n foo\n';

const target = (path: string, text: string, kind: FileKind): LintTarget => ({
  file: new SourceFile(path, text),
  kind,
  config: resolveConfig(undefined, path, RULES),
});

/** Drops the functions of a model (a method closes over its own paragraphs), for comparing two parses. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('a control is parsed once for the engine and the kits', () => {
  it('the engine\'s parse and the model kits read of the file beside them are one object', () => {
    const support = kindSupport('control') as KindSupport;
    const engine = support.parse(CONTROL, ['amd64', 'arm64'], 'foo/debian/control').control;
    const file = new SourceFile('foo/debian/rules', '%:\n\tdh $@\n');
    const view = projectView(new Map([['foo/debian/control', new SourceFile('foo/debian/control', CONTROL)], [file.path, file]]));
    const kit = siblingControl({ file, project: view } as RuleContext);
    expect(engine).toBeDefined();
    expect(kit).toBe(engine);
  });

  it('another text at the same path is parsed afresh, and the same text again is not', () => {
    const path = 'bar/debian/control';
    const first = controlModel(path, CONTROL);
    expect(controlModel(path, CONTROL)).toBe(first);
    // a text read again is equal, not the same string
    expect(controlModel(path, [...CONTROL].join(''))).toBe(first);
    const changed = CONTROL.replace('libc6-dev:i386', 'libc6-dev:i386 [amd64]');
    const second = controlModel(path, changed);
    expect(second).not.toBe(first);
    expect(plain(second)).toEqual(plain(parseControl(changed)));
    expect(plain(second)).not.toEqual(plain(first));
    // the engine's parse of a text without a path is its own
    expect((kindSupport('control') as KindSupport).parse(changed, ['amd64']).control).not.toBe(second);
  });
});

describe('alternativeReaches is alternativeArches(…).includes(arch)', () => {
  it('on generated relations with arch lists, wildcards and negations, in paragraphs of any Architecture', () => {
    const random = seededRandom(1216);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const terms = [...ARCH_NAMES, 'any-amd64', 'linux-any', 'any-arm', 'i386', 'x32', 'kfreebsd-amd64', 'hurd-i386', 'all'];
    for (let n = 0; n < 200; n++) {
      const list = (neg: boolean): string => Array.from({ length: 1 + Math.floor(random() * 3) }, () => `${neg ? '!' : ''}${pick(terms)}`).join(' ');
      const alt = (): string => `pkg${Math.floor(random() * 9)}${random() < 0.6 ? ` [${list(random() < 0.4)}]` : ''}`;
      const arch = random() < 0.3 ? 'any' : random() < 0.2 ? 'all' : list(false);
      const text = `Source: s\n\nPackage: p\nArchitecture: ${arch}\nDepends: ${alt()} | ${alt()}, ${alt()}\n`;
      for (const paragraph of parseControl(text).paragraphs) {
        for (const r of paragraph.relations.get('depends')?.relations ?? []) {
          for (const a of r.alternatives) {
            for (const x of ARCH_NAMES) expect(alternativeReaches(paragraph, a, x), `${text} ${x}`).toBe(alternativeArches(paragraph, a).includes(x));
          }
        }
      }
    }
  });
});

describe('a source dir\'s scope asked again through one view', () => {
  const lookup = archLookup('trixie');
  const arches: ArchName[] = ['amd64', 'arm64'];
  const files = new Map([
    ['kernel-modules/qat/debian/control', new SourceFile('kernel-modules/qat/debian/control', CONTROL)],
    ['kernel-modules/qat/debian/rules', new SourceFile('kernel-modules/qat/debian/rules', '')],
    ['foo/debian/control', new SourceFile('foo/debian/control', CONTROL)],
    ['foo/debian/rules', new SourceFile('foo/debian/rules', '')],
  ]);

  it('answers each path for itself, and for another lookup or arch list afresh', () => {
    const reads: ProjectReads = { paths: new Set(), all: false };
    const view = recordingView(projectView(files), reads);
    const qat = sourceDirScope('kernel-modules/qat/debian/rules', view, lookup, arches);
    expect(qat.arches).toEqual(['amd64']);
    const foo = sourceDirScope('foo/debian/rules', view, lookup, arches);
    expect(foo.arches).toEqual([...ARCH_NAMES]);
    expect(sourceDirScope('foo/debian/rules', view, lookup, arches)).toBe(foo);
    // a config that uncurates the dir: its own answer, not the last one of this path
    const uncurated = archLookup('trixie', { remove: ['kernel-modules/qat'] });
    expect(sourceDirScope('kernel-modules/qat/debian/rules', view, uncurated, arches).arches).toEqual([...ARCH_NAMES]);
    expect(sourceDirScope('kernel-modules/qat/debian/rules', view, lookup, arches).arches).toEqual(['amd64']);
  });

  it('every view asking records the control it depends on', () => {
    const root = projectView(files);
    for (let i = 0; i < 2; i++) {
      const reads: ProjectReads = { paths: new Set(), all: false };
      const view = recordingView(root, reads);
      sourceDirScope('foo/debian/rules', view, lookup, arches);
      sourceDirScope('foo/debian/rules', view, lookup, arches);
      expect([...reads.paths]).toContain('foo/debian/control');
    }
  });
});

describe('committed binaries are looked for in install lists and debian/rules only', () => {
  // an x86-64 EFI image (PE32+, machine 0x8664, EFI application subsystem)
  const efi: BinaryHeader = { format: 'pe', machine: 'x86-64', code: 0x8664, arches: ['amd64'], efi: true };
  const binaries: BinaryFacts = { paths: ['foo/bootx64.img'], header: (p: string) => (p === 'foo/bootx64.img' ? efi : undefined) };
  const run = (name: string) => {
    const targets = [target('foo/debian/control', CONTROL, 'control'), target(`foo/debian/${name}`, 'bootx64.img usr/lib/foo/\n', 'debhelper')];
    return lintProject(targets, RULES, { binaries })[1]?.findings.filter((f) => f.ruleId === 'x86-efi-binary') ?? [];
  };

  it('an install list naming one is judged by its header; a debhelper file of another kind naming it is not', () => {
    expect(run('foo.install')).toHaveLength(1);
    expect(run('install')).toHaveLength(1);
    expect(run('foo.links')).toHaveLength(0);
    expect(run('foo.dirs')).toHaveLength(0);
  });
});

describe('the boot literals of a file once per lint', () => {
  const docs = { rationale: '', bad: { path: 'a.yaml', text: '' }, good: { path: 'a.yaml', text: '' } };
  const probe = (id: string, check: (ctx: RuleContext) => void): AnyRule => ({
    id, description: id, appliesTo: ['yaml'], severity: 'warning', fixable: 'none', defaultOptions: {}, docs, check,
  });
  const text = 'image: registry/tool-amd64:1.0  # x86_64 build\nplatform: linux/amd64\n';

  it('the rules of one lint share them; a setting or a lint of its own gets its own', () => {
    const seen: (readonly unknown[])[] = [];
    const texts: string[][] = [];
    const ask = (ctx: RuleContext): void => {
      const lits = bootArchLiterals(ctx);
      seen.push(lits);
      texts.push(lits.map((l) => l.text));
    };
    const rules = [
      probe('a', ask),
      probe('b', ask),
      // literals in comments count: the commented x86_64 is one of them
      probe('c', (ctx) => ask({ ...ctx, checkComments: true })),
      probe('d', ask),
    ];
    const t = target('a.yaml', text, 'yaml');
    const config = resolveConfig(undefined, 'a.yaml', rules);
    lintFile({ ...t, config }, rules, projectView(new Map([['a.yaml', t.file]])), { prefilter: false });
    lintFile({ ...t, config }, rules, projectView(new Map([['a.yaml', t.file]])), { prefilter: false });
    expect(seen[1]).toBe(seen[0]);
    expect(texts[0]).toEqual(['amd64', 'amd64']);
    expect(texts[2]).toEqual(['amd64', 'x86_64', 'amd64']);
    // a new parse, a new answer
    expect(seen[4]).not.toBe(seen[0]);
    expect(texts[4]).toEqual(texts[0]);
  });
});

describe('answers kept for the next asker', () => {
  it('pathArches answers each path for itself, and a caller changing its answer changes no other', () => {
    const a = pathArches('debian_pkg_dirs_arm64');
    expect(a).toEqual(['arm64']);
    a.push('amd64');
    expect(pathArches('debian_pkg_dirs_arm64')).toEqual(['arm64']);
    expect(pathArches('x86/grub.cfg')).toEqual(['amd64', 'i386']);
    expect(pathArches('debian_pkg_dirs')).toEqual([]);
    expect(pathArches('debian_pkg_dirs_arm64')).toEqual(['arm64']);
  });

  it('a directive\'s rule ids are those of the rule list the lint runs, whichever list ran before', () => {
    const text = '# debarch-lint disable-next-line probe-x\nimage: tool-amd64\n';
    const docs = { rationale: '', bad: { path: 'a.yaml', text: '' }, good: { path: 'a.yaml', text: '' } };
    const probe = (id: string): AnyRule => ({ id, description: id, appliesTo: ['yaml'], severity: 'warning', fixable: 'none', defaultOptions: {}, docs, check: () => undefined });
    const invalid = (rules: AnyRule[]) => {
      const all = [...RULES, ...rules];
      const t = { ...target('a.yaml', text, 'yaml'), config: resolveConfig(undefined, 'a.yaml', all) };
      return lintFile(t, all, projectView(new Map([['a.yaml', t.file]])), { prefilter: false }).findings.filter((f) => f.ruleId === 'invalid-directive');
    };
    expect(invalid([probe('probe-x')])).toHaveLength(0);
    expect(invalid([probe('probe-y')])).toHaveLength(1);
    expect(invalid([probe('probe-x')])).toHaveLength(0);
  });
});

describe('build-arch-for-host skips spans of code without its literals', () => {
  it('every match of its regexes, in generated make code, holds one of them', () => {
    const random = seededRandom(4242);
    const parts = [
      'DEB_BUILD_ARCH', 'DEB_BUILD_GNU_TYPE', 'DEB_BUILD_MULTIARCH', '-qDEB_BUILD_ARCH_CPU', '$(shell uname -m)', '$(shell  arch )', '$(shell dpkg --print-architecture)',
      '$$(uname -p)', '$$( arch)', '`uname -m`', '` dpkg  --print-architecture `', '$(', '$$', '`', 'shell', 'uname', ' ', '\t', '=', '(', ')', 'x', '-q', 'DEB_HOST_ARCH',
    ];
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const code = Array.from({ length: 1 + Math.floor(random() * 6) }, () => parts[Math.floor(random() * parts.length)]).join('');
      for (const re of [BUILD_VAR, COMMAND]) {
        re.lastIndex = 0;
        if (!re.test(code)) continue;
        matched++;
        expect(SPAN_LITERALS.some((l) => code.includes(l)), code).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(500);
  });
});

describe('container-image-arch skips a shell script without an image statement\'s literals', () => {
  it('every statement either regex matches, in generated shell, passes the whole-text test', () => {
    const random = seededRandom(777);
    const parts = [
      'docker', 'podman', 'sudo', 'kubectl', 'helm', 'ctr', 'crictl', 'skopeo', 'buildah', 'nerdctl', ' ', '\t', ';', '&', '|', '(', '`', 'run', 'pull',
      '--platform', 'linux/amd64', 'amd64/', 'arm64/', 'x86_64/', 'aarch64/', 'kubernetes.io/arch', 'x', '-', '/', 'Docker', 'AMD64/',
    ];
    let matched = 0;
    for (let n = 0; n < 4000; n++) {
      const line = Array.from({ length: 1 + Math.floor(random() * 6) }, () => parts[Math.floor(random() * parts.length)]).join('');
      if (!IMAGE_STATEMENT.test(line) && !CONTAINER_TOOL.test(` ${line}`)) continue;
      matched++;
      const text = `echo start\n${line}\nexit 0\n`;
      expect(precheckOf(IMAGE_STATEMENT)?.test(text) !== false || precheckOf(CONTAINER_TOOL)?.test(text) !== false, line).toBe(true);
    }
    expect(matched).toBeGreaterThan(1000);
  });
});
