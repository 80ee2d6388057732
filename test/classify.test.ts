/**
 * `classify` asks only the kinds a path's name leaves (NAME_SCREENS): it must answer what asking
 * every kind in order answers, for every path. Compared over generated paths built from the
 * pieces each matcher looks at (names, extensions in several cases, prefixes, the folders that
 * matter, near misses) and over every path of the project's own tree (the fixtures are small
 * Debian and StarlingX trees).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEBHELPER_NAMES, KINDS, NAME_SCREENS, classify, neverRead, type KindSupport } from '../src/kinds/index.js';
import { seededRandom } from '../scripts/seams.js';

/** The reference: every kind asked in order (what classify did before its screen). */
const everyKind = (p: string): KindSupport | undefined => (neverRead(p) ? undefined : KINDS.find((k) => k.matches(p)));

const FOLDERS = [
  'debian', 'deb_folder', 'patches', 'deb_patches', 'centos', 'kickstart', 'kickstarts', 'pxelinux.cfg', 'pxeboot', 'pxe-network',
  'iso', 'isolinux', 'grub', 'grub2', 'efi', 'EFI', 'boot', 'libvirt', 'virt-tools', 'kvm', 'qemu', 'meta', 'src', 'a.b', 'x',
  'debian/deb_folder', 'stx', 'templates', 'manifests', 'files', '',
];
const STEMS = [
  'rules', 'control', 'compat', 'changelog', 'copyright', 'series', 'series_arm64', 'series.bak', 'Makefile', 'makefile', 'GNUmakefile',
  'makefile.in', 'Dockerfile', 'Dockerfile.stable', 'Dockerfile-dev', 'dockerfile', 'debian_pkg_dirs', 'debian_pkg_dirs_arm64',
  'debian_rt_pkg_dirs', 'centos_pkg_dirs', 'debian_iso_image.inc', 'debian-image.inc', 'debian-rt-image-arm64.inc', 'base-bullseye',
  'stx-wheels', 'grub', 'pxe-grub', 'grub-runtime', 'isolinux', 'syslinux', 'extlinux', 'pxelinux', 'ks', 'foo_ks', 'domain',
  'guest-vm', 'values', 'meta_data', 'init', 'site', 'foo', 'foo.bar', '.hidden', 'pkg.install', 'pkg.not-installed', 'Foo.install',
  'a+b.links', ...DEBHELPER_NAMES,
];
const EXTS = [
  '', '.sh', '.bash', '.SH', '.py', '.pyc', '.mk', '.yaml', '.yml', '.YAML', '.yaml.j2', '.yml.jinja2', '.j2', '.jinja', '.pp', '.erb',
  '.epp', '.cfg', '.CFG', '.cfg.stx', '.xml', '.XML', '.patch', '.diff', '.PATCH', '.lst', '.inc', '.dockerfile', '.Dockerfile', '.in',
  '.install', '.txt', '.orig', '.', '_arm64', '.cfg.j2',
];

function generated(count: number, seed: number): string[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const depth = Math.floor(rnd() * 4);
    const dirs = Array.from({ length: depth }, () => pick(FOLDERS)).filter(Boolean);
    // a third without an extension: most names a matcher claims whole have none
    const ext = (): string => (rnd() < 0.3 ? '' : pick(EXTS));
    let name = pick(STEMS) + ext();
    if (rnd() < 0.1) name = pick(STEMS) + ext() + ext();
    if (rnd() < 0.05) name = `${pick(['x-', 'my_', 'a.'])}${name}`;
    out.push([...dirs, name].join('/'));
  }
  return out;
}

/** Every file and folder under `dir`, as paths relative to the project and absolute. */
function treePaths(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git' || e.name === 'dist') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    out.push(r);
    if (e.isDirectory()) out.push(...treePaths(path.join(dir, e.name), r));
  }
  return out;
}

describe('classify', () => {
  it('answers what asking every kind in order answers, for generated paths', () => {
    const paths = generated(40000, 12);
    const kinds = new Set<string>();
    for (const p of paths) {
      const k = classify(p);
      expect(k?.kind, p).toBe(everyKind(p)?.kind);
      if (k) kinds.add(k.kind);
    }
    // the generated names reach every kind a name can say (kconfig is told by content only)
    expect([...kinds].sort()).toEqual(KINDS.map((k) => k.kind).filter((k) => k !== 'kconfig').sort());
  });

  it('answers what asking every kind in order answers, for every path of the project tree', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const paths = treePaths(root);
    expect(paths.length).toBeGreaterThan(1000);
    let claimed = 0;
    for (const p of [...paths, ...paths.map((x) => `${root}/${x}`)]) {
      const k = classify(p);
      expect(k?.kind, p).toBe(everyKind(p)?.kind);
      if (k) claimed++;
    }
    expect(claimed).toBeGreaterThan(100);
  });

  it('has a screen for every kind, whose names and extensions agree with the matchers', () => {
    for (const k of KINDS) expect(NAME_SCREENS[k.kind], k.kind).toBeDefined();
    // every debhelper name the screen lists is one the matcher claims, in a debian folder
    for (const n of DEBHELPER_NAMES) {
      expect(classify(`debian/${n}`)?.kind).toBe('debhelper');
      expect(classify(`deb_folder/pkg.${n}`)?.kind).toBe('debhelper');
    }
  });
});
