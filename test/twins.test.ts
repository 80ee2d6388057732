/**
 * The twin fix on the bundled example tree (DESIGN §6): `--fix` creates the arm64 twins of the
 * generic lists beside them, byte for byte what fixtures/arch-only-list-entry/twin-created/out/
 * holds, and a second `--fix` changes nothing. A `.lst` twin whose pinned URLs are derived is a
 * suggestion: only `--fix --unsafe` creates it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { resolveConfig } from '../src/config/index.js';
import { lintProject } from '../src/engine/lint.js';
import { classify } from '../src/kinds/index.js';
import { SourceFile } from '../src/source.js';
import { FIXTURES, cli, copyTree, readTree, tempDir } from './helpers.js';
import { isDpkgSourceSeries, twinIsRead, twinPath, twinReaderNote } from '../src/list-kit.js';

/** Every finding of a tree's list files, through the library (with `related`, which the CLI formats leave out). */
function lintTree(dir: string) {
  const targets = [...readTree(dir)].flatMap(([p, bytes]) => {
    const kind = classify(p);
    return kind ? [{ file: SourceFile.fromBytes(p, bytes), kind: kind.kind, config: resolveConfig(undefined, p, RULES) }] : [];
  });
  return lintProject(targets, RULES).flatMap((r) => r.findings);
}

const CASE_OUT = path.join(FIXTURES, 'arch-only-list-entry', 'twin-created', 'out');
const TWINS = ['kernel/debian_pkg_dirs_arm64'];
/** Its per-arch kernel name is derived for arm64: a suggestion, created by --fix --unsafe only. */
const ISO_TWIN = 'kernel/debian_iso_image_arm64.inc';
const LST = 'tools/debian-mirror-tools/config/debian/bullseye/common/base-bullseye.lst';
const LST_TWIN = 'tools/debian-mirror-tools/config/debian/bullseye/common/base-bullseye_arm64.lst';

let work: string | undefined;
afterEach(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  work = undefined;
});

it('--fix on fixtures/example creates the twin lists beside the generic ones, byte-exact, once', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'example'), work);
  for (const t of TWINS) expect(fs.existsSync(path.join(work, t)), t).toBe(false);
  await cli(work, ['--fix', '--format', 'json', '.']);
  for (const t of TWINS) {
    expect(fs.readFileSync(path.join(work, t)).equals(fs.readFileSync(path.join(CASE_OUT, t))), t).toBe(true);
  }
  // its pinned amd64 URL would be derived: a suggestion, not a safe fix
  expect(fs.existsSync(path.join(work, LST_TWIN))).toBe(false);
  expect(fs.existsSync(path.join(work, ISO_TWIN))).toBe(false);
  const once = readTree(work);
  const again = await cli(work, ['--fix', '--format', 'json', '.']);
  expect(readTree(work)).toEqual(once);
  // the generic lists are now what amd64 uses: nothing there is arch-only-list-entry's any more
  // (a LAT image yaml's twin is described, not written: it stays reported)
  const report = JSON.parse(again.stdout);
  expect(report.findings.filter((f: { ruleId: string; path: string }) => f.ruleId === 'arch-only-list-entry' && f.path !== LST && f.path !== 'kernel/debian_iso_image.inc' && !f.path.endsWith('.yaml'))).toEqual([]);
  // no stray temp files of the atomic writes
  expect([...once.keys()].filter((p) => p.includes('.debarch-lint-'))).toEqual([]);
});

it('--fix --unsafe creates the ISO twin with the per-arch kernel name swapped and marked to check', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'example'), work);
  await cli(work, ['--fix', '--unsafe', '--format', 'json', '.']);
  const twin = fs.readFileSync(path.join(work, ISO_TWIN), 'utf8');
  expect(twin).toContain('# derived from linux-image-6.6.0-1-amd64-unsigned: check the arm64 name\nlinux-image-6.6.0-1-arm64-unsigned\n');
  expect(twin).not.toMatch(/^linux-image-[\w.-]*amd64/m);
});

it('--fix --unsafe creates the .lst twin with the arm64 build of each pinned version, and says how many URLs it derived', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'example'), work);
  const before = JSON.parse((await cli(work, ['--format', 'json', LST])).stdout);
  const descriptions = before.findings.flatMap((f: { suggestions?: { description: string }[] }) => (f.suggestions ?? []).map((s) => s.description));
  expect(descriptions.some((d: string) => /1 pinned URL derived .*run the downloader for arm64 once/.test(d))).toBe(true);
  await cli(work, ['--fix', '--unsafe', '--format', 'json', '.']);
  const generic = fs.readFileSync(path.join(work, LST), 'utf8');
  const twin = fs.readFileSync(path.join(work, LST_TWIN), 'utf8');
  expect(twin).toContain(generic.split('\n')[2]?.replace('_amd64.deb', '_arm64.deb'));
  expect(twin).toContain('_all.deb');
  expect(twin).toMatch(/^#syslinux-utils .*# x86-only/m);
});

it('a twin that appears after the run started is never overwritten; nothing is written then', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'arch-only-list-entry', 'twin-created', 'in'), work);
  // lint only the generic list: the project does not see the twin the user made meanwhile
  fs.writeFileSync(path.join(work, 'kernel/debian_pkg_dirs_arm64'), 'mine\n');
  const r = await cli(work, ['--fix', '--format', 'json', 'kernel/debian_pkg_dirs']);
  expect(fs.readFileSync(path.join(work, 'kernel/debian_pkg_dirs_arm64'), 'utf8')).toBe('mine\n');
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stdout).errors.map((e: { message: string }) => e.message).join('\n')).toMatch(/exists/);
});

it('a twin finding names the generic list line it depends on, so changed-lines mode shows it there', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'arch-list-drift', 'missing-entries', 'in'), work);
  const diff = '--- a/debian_pkg_dirs\n+++ b/debian_pkg_dirs\n@@ -4,1 +4,2 @@\n userspace/initramfs-trigger\n+kernel-modules/bnxt_en\n';
  fs.writeFileSync(path.join(work, 'change.diff'), diff);
  const r = await cli(work, ['--format', 'json', '--diff', 'change.diff', '.']);
  const found = JSON.parse(r.stdout).findings;
  expect(found.map((f: { path: string; line: number; ruleId: string }) => `${f.path}:${f.line} ${f.ruleId}`)).toEqual(['debian_pkg_dirs:5 arch-list-drift']);

  const drift = lintTree(work).find((f) => f.message.includes("'kernel-modules/bnxt_en'"));
  expect(drift?.path).toBe('debian_pkg_dirs_arm64');
  const generic = fs.readFileSync(path.join(work, 'debian_pkg_dirs'), 'utf8');
  const at = generic.indexOf('kernel-modules/bnxt_en');
  expect(drift?.related).toEqual([{ path: 'debian_pkg_dirs', range: [at, at + 'kernel-modules/bnxt_en'.length], line: 5, column: 1, endLine: 5, endColumn: 23 }]);
});

it('in an existing twin, an x86-only entry is commented out there, related to the generic line', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'arch-only-list-entry', 'existing-twin', 'in'), work);
  const [f, ...rest] = lintTree(work);
  expect(rest).toEqual([]);
  expect(f?.path).toBe('debian_pkg_dirs_arm64');
  const generic = fs.readFileSync(path.join(work, 'debian_pkg_dirs'), 'utf8');
  const at = generic.indexOf('tools/pcm');
  expect(f?.related).toMatchObject([{ path: 'debian_pkg_dirs', range: [at, at + 'tools/pcm'.length] }]);
  expect(f?.fix?.edits.every((e) => e.path === undefined)).toBe(true);
});

it('a std twin named <l>_std_<arch> also replaces the generic list on that arch', () => {
  work = tempDir();
  fs.writeFileSync(path.join(work, 'debian_pkg_dirs'), 'kernel-std\ntools/pcm\n');
  fs.writeFileSync(path.join(work, 'debian_pkg_dirs_std_arm64'), 'kernel-std\n#tools/pcm  # x86-only: Intel PCM reads x86 MSRs\n');
  expect(lintTree(work)).toEqual([]);
});

it('a twin of a list with a BOM keeps the BOM, as a byte copy would', async () => {
  work = tempDir();
  fs.writeFileSync(path.join(work, 'debian_pkg_dirs'), Buffer.from('\ufeffkernel-std\ntools/pcm\n', 'utf8'));
  await cli(work, ['--fix', '--format', 'json', '.']);
  expect(fs.readFileSync(path.join(work, 'debian_pkg_dirs_arm64')).toString('latin1')).toBe(
    Buffer.from('\ufeffkernel-std\n#tools/pcm  # x86-only: Intel PCM reads x86 MSRs\n', 'utf8').toString('latin1'),
  );
});

// Every advice that proposes a twin says, in one clause, that the reader must be taught to read it.
it('twinReaderNote names the lookup order and, for lists, the glob to keep other twins out of', () => {
  expect(twinReaderNote('tools/config/base-bullseye.lst')).toBe(
    "the build tools must look up `base-bullseye_<arch>.lst` before `base-bullseye.lst` and keep other arches' twins out of globs like `base-bullseye*.lst`; upstream StarlingX's do not yet",
  );
  expect(twinReaderNote('kernel/debian_pkg_dirs')).toContain('globs like `debian_pkg_dirs*`');
  expect(twinReaderNote('dl_path', { key: true, reader: 'debrepack.py' })).toBe(
    "debrepack.py must look up `dl_path_<arch>` before `dl_path`; upstream StarlingX's do not yet",
  );
  // a Dockerfile or a LAT yaml is named by its reader, never globbed
  expect(twinReaderNote('stx-lat-tool.Dockerfile', { reader: 'the image build' })).not.toContain('glob');
  expect(twinReaderNote('lat/base-trixie.yaml', { reader: 'the image build' })).toContain('`base-trixie_<arch>.yaml` before `base-trixie.yaml`;');
});

it('codename-layout lists get the same twin name, the arch appended last before any extension', () => {
  expect(twinPath('integ/debian_bullseye_pkg_dirs_std', 'arm64')).toBe('integ/debian_bullseye_pkg_dirs_std_arm64');
  expect(twinPath('kernel/debian_trixie_iso_image_std.inc', 'arm64')).toBe('kernel/debian_trixie_iso_image_std_arm64.inc');
});

it('only series something in the build reads get twins: never the one dpkg-source reads', () => {
  for (const p of ['pkg/debian/patches/series', 'pkg/debian/bullseye/deb_folder/patches/series', 'debian/patches/series']) {
    expect(isDpkgSourceSeries(p)).toBe(true);
    expect(twinIsRead(p)).toBe(false);
  }
  for (const p of ['pkg/debian/bullseye/patches/series', 'pkg/debian/all/patches/series', 'pkg/debian/trixie/deb_patches/series', 'debian_pkg_dirs']) {
    expect(twinIsRead(p)).toBe(true);
  }
});
