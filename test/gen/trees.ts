/**
 * Small trees of one file kind (and the files it reads across: a control and its debhelper
 * files, a list and its arch twin), built from fragments.ts, with the byte-level variety real
 * trees have: CRLF or mixed line endings, a BOM, no final newline.
 */
import fc from 'fast-check';
import type { FileKind } from '../../src/types.js';
import * as F from './fragments.js';
import { pick, word } from './words.js';

export interface GenFile {
  path: string;
  kind: FileKind;
  text: string;
  bom: boolean;
}

export interface GenTree {
  files: GenFile[];
  /** Also apply the first suggestion of findings without a safe fix (`--fix --unsafe`). */
  unsafe: boolean;
}

type Eol = 'lf' | 'crlf' | 'mixed';
interface Bytes {
  eol: Eol;
  bom: boolean;
  finalNewline: boolean;
}
/** Mostly LF (as trees are), often CRLF, sometimes mixed; a BOM and a missing last newline now and then. */
const bytes: fc.Arbitrary<Bytes> = fc.record({
  eol: fc.constantFrom<Eol>('lf', 'lf', 'crlf', 'mixed'),
  bom: fc.boolean(),
  finalNewline: fc.constantFrom(true, true, false),
});

function dress(text: string, b: Bytes): string {
  let t = b.finalNewline ? text : text.replace(/\n$/, '');
  if (b.eol === 'crlf') t = t.replace(/\n/g, '\r\n');
  if (b.eol === 'mixed') {
    let i = 0;
    t = t.replace(/\n/g, () => (i++ % 2 === 0 ? '\r\n' : '\n'));
  }
  return t;
}

/** One file of `kind` at one of `paths`, its body from `body`. */
const file = (kind: FileKind, paths: fc.Arbitrary<string>, body: fc.Arbitrary<string>): fc.Arbitrary<GenFile> =>
  fc.tuple(paths, body, bytes).map(([path, text, b]) => ({ path, kind, text: dress(text, b), bom: b.bom }));

const seq = (frags: fc.Arbitrary<string>[], max = 6): fc.Arbitrary<string> => fc.array(fc.oneof(...frags), { minLength: 1, maxLength: max }).map((xs) => xs.join(''));
const listBody = (line: fc.Arbitrary<string>, max = 8): fc.Arbitrary<string> => fc.array(line, { minLength: 1, maxLength: max }).map((xs) => `${xs.join('\n')}\n`);

const tree = (files: fc.Arbitrary<GenFile[]>): fc.Arbitrary<GenTree> => fc.tuple(files, fc.boolean()).map(([fs, unsafe]) => ({ files: dedupe(fs), unsafe }));
const dedupe = (fs: GenFile[]): GenFile[] => [...new Map(fs.map((f) => [f.path, f])).values()];
const maybe = (f: fc.Arbitrary<GenFile>): fc.Arbitrary<GenFile[]> => fc.option(f, { freq: 2 }).map((x) => (x ? [x] : []));
const both = (a: fc.Arbitrary<GenFile[]>, b: fc.Arbitrary<GenFile[]>): fc.Arbitrary<GenFile[]> => fc.tuple(a, b).map(([x, y]) => [...x, ...y]);
const one = (f: fc.Arbitrary<GenFile>): fc.Arbitrary<GenFile[]> => f.map((x) => [x]);

// ---------------------------------------------------------------- debian packaging

const pkgName = word;
/** A control file: a source paragraph and binaries named from `names`. */
const controlBody = (names: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(F.controlSource, fc.array(F.controlBinary(names), { minLength: 1, maxLength: 3 }), pick('\n', '\n\n', '\n#\n')).map(([s, bs, sep]) => [s, ...bs].join(sep));

/** A package dir: control with one binary named `name` and that package's debhelper files. */
const packaging = (dir: string): fc.Arbitrary<GenFile[]> =>
  pkgName.chain((name) =>
    fc.tuple(
      file('control', fc.constant(`${dir}/control`), controlBody(fc.constant(name))),
      fc.array(file('debhelper', pick(`${dir}/${name}.install`, `${dir}/${name}.dirs`, `${dir}/${name}.links`, `${dir}/install`), listBody(F.debhelperLine)), { minLength: 1, maxLength: 2 }),
      fc.option(file('debhelper', fc.constant(`${dir}/compat`), pick('13\n', '12\n', '10\n'))),
    ).map(([c, dh, compat]) => [c, ...dh, ...(compat ? [compat] : [])]),
  );

// ---------------------------------------------------------------- patches

interface HunkLine {
  op: ' ' | '+' | '-';
  text: string;
}
/** A unified diff of one target file; `broken` gets a hunk count wrong (a patch the fixer must refuse). */
const patchBody = (target: string, body: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(
        fc.tuple(body, body, fc.integer({ min: 1, max: 40 })).map(([added, context, at]) => ({ added, context, at })),
        { minLength: 1, maxLength: 3 },
      ),
      fc.constantFrom(false, false, false, true),
      pick('From: A Porter <porter@example.org>\nSubject: [PATCH] build on more arches\n\n---\n', '', 'Description: café: port to arm64\n\n'),
    )
    .map(([hunks, broken, header]) => {
      let out = `${header}--- a/${target}\n+++ b/${target}\n`;
      let oldLine = 1;
      let delta = 0;
      for (const h of hunks) {
        const ctx = h.context.replace(/\n$/, '').split('\n').slice(0, 2);
        const add = h.added.replace(/\n$/, '').split('\n');
        const ls: HunkLine[] = [
          ...ctx.slice(0, 1).map((text) => ({ op: ' ' as const, text })),
          ...ctx.slice(1).map((text) => ({ op: '-' as const, text })),
          ...add.map((text) => ({ op: '+' as const, text })),
          { op: ' ', text: '' },
        ];
        oldLine += h.at;
        const oldCount = ls.filter((l) => l.op !== '+').length;
        const newCount = ls.filter((l) => l.op !== '-').length + (broken ? 1 : 0);
        out += `@@ -${oldLine},${oldCount} +${oldLine + delta},${newCount} @@\n`;
        out += ls.map((l) => `${l.op}${l.text}\n`).join('');
        delta += newCount - oldCount;
        oldLine += oldCount;
      }
      return out;
    });

const patchTargets: [string, fc.Arbitrary<string>][] = [
  ['debian/rules', seq(F.makeFragments, 3)],
  ['src/Makefile', seq(F.makeFragments, 3)],
  ['scripts/build.sh', seq(F.shellFragments, 3)],
  ['tools/fetch.py', seq(F.pythonFragments, 3)],
  ['debian/control', controlBody(pkgName)],
];

// ---------------------------------------------------------------- every kind

export const TREES: Record<FileKind, fc.Arbitrary<GenTree>> = {
  rules: tree(both(one(file('rules', pick('debian/rules', 'pkg/debian/deb_folder/rules'), seq(F.makeFragments))), maybe(file('control', fc.constant('debian/control'), controlBody(pkgName))))),
  makefile: tree(one(file('makefile', pick('src/Makefile', 'build/arch.mk', 'GNUmakefile'), seq(F.makeFragments)))),
  control: tree(
    fc.oneof(
      packaging('pkg/debian'),
      one(file('control', pick('debian/control', 'tools/x/debian/deb_folder/control'), controlBody(pkgName))),
    ),
  ),
  debhelper: tree(packaging('debian')),
  series: tree(
    both(
      one(file('series', pick('pkg/debian/patches/series', 'pkg/debian/bullseye/deb_patches/series'), listBody(F.seriesLine))),
      maybe(file('series', pick('pkg/debian/patches/series_arm64'), listBody(F.seriesLine))),
    ),
  ),
  patch: tree(
    fc.constantFrom(...patchTargets).chain(([target, body]) =>
      one(file('patch', pick('pkg/debian/patches/0001-port.patch', 'pkg/debian/patches/x86/0002-tune.diff'), patchBody(target, body))),
    ),
  ),
  'pkg-dirs': tree(
    pick('debian_pkg_dirs', 'debian_pkg_dirs_rt', 'debian_bullseye_pkg_dirs_std').chain((name) =>
      both(one(file('pkg-dirs', fc.constant(name), listBody(F.pkgDirsLine))), maybe(file('pkg-dirs', fc.constant(`${name}_arm64`), listBody(F.pkgDirsLine)))),
    ),
  ),
  'pkg-list': tree(
    pick(['debian_iso_image', '.inc'], ['base-bullseye', '.lst'], ['debian_trixie_iso_image_std', '.inc'], ['debian-image', '.inc']).chain(([name, ext]) =>
      both(one(file('pkg-list', fc.constant(`${name}${ext}`), listBody(F.pkgListLine))), maybe(file('pkg-list', fc.constant(`${name}_arm64${ext}`), listBody(F.pkgListLine)))),
    ),
  ),
  'wheel-list': tree(one(file('wheel-list', pick('build-wheels/debian-bullseye/stable-wheels.cfg', 'dev-wheels.cfg'), listBody(F.wheelLine)))),
  shell: tree(one(file('shell', pick('scripts/build.sh', 'tools/fetch.bash'), seq(F.shellFragments)))),
  python: tree(one(file('python', pick('tools/fetch.py', 'build/lists.py'), seq(F.pythonFragments)))),
  yaml: tree(
    pick('pkg/debian/meta_data.yaml', 'helm/values.yaml', 'image/base-bullseye.yaml', 'lat/image.yaml').chain((p) =>
      both(one(file('yaml', fc.constant(p), seq(F.yamlFragments))), maybe(file('yaml', fc.constant(p.replace(/\.yaml$/, '_arm64.yaml')), seq(F.yamlFragments, 2)))),
    ),
  ),
  dockerfile: tree(
    pick('docker/Dockerfile', 'tools/tool.Dockerfile').chain((p) =>
      both(
        one(file('dockerfile', fc.constant(p), seq(F.dockerFragments))),
        maybe(file('dockerfile', fc.constant(p.endsWith('.Dockerfile') ? 'tools/tool_arm64.Dockerfile' : `${p}_arm64`), seq(F.dockerFragments, 2))),
      ),
    ),
  ),
  bootcfg: tree(
    fc.oneof(
      one(file('bootcfg', pick('iso/grub.cfg', 'pxeboot/pxe-grub.cfg'), seq(F.grubFragments))),
      one(file('bootcfg', pick('pxeboot/pxelinux.cfg/default', 'iso/isolinux.cfg'), seq(F.syslinuxFragments))),
    ),
  ),
  puppet: tree(
    fc.oneof(
      one(file('puppet', pick('modules/agent/manifests/init.pp', 'modules/pxe/manifests/params.pp'), seq(F.puppetFragments))),
      one(file('puppet', pick('modules/grub/templates/cmdline.erb'), seq(F.erbFragments))),
    ),
  ),
  kconfig: tree(one(file('kconfig', pick('kernel/configs/x86_64_defconfig', 'kernel/config-6.6'), seq(F.kconfigFragments)))),
};
