/**
 * The LAT kit: advice for findings in a LAT (Linux Assembly Tool) image yaml, StarlingX's
 * `base-bullseye.yaml`, `base-trixie.yaml`, `debian-image*.yaml` (`machine:`, `image_type:`,
 * `packages:`, `rootfs-pre-scripts:`, `iso-post-script:`, `gpg:` …). LAT loads it as plain
 * yaml: no Jinja, no variables, no guards in its values. So a value that is wrong on arm64 needs
 * the arm64 twin `<name>_arm64.yaml` (DESIGN §6), which the image build must read for arm64 —
 * one file-level change, so the findings of one rule that share it are one finding. Inside its
 * script blocks (`rootfs-pre-scripts`, `iso-post-script` …: bash) a shell test works: on the
 * ISO's own layout, or on the target rootfs's arch.
 */
import { VOCABULARIES, type ArchName } from './arch.js';
import { pathArches } from './arch.js';
import { yamlModelOf } from './kinds/boot.js';
import { parseYaml, type YamlKey, type YamlModel } from './models/yaml.js';
import type { SourceFile } from './source.js';
import type { Range, RuleContext, Severity } from './types.js';
import { twinPath, twinReaderNote } from './list-kit.js';

/** Top-level keys of a LAT image yaml (genimage/appsdk's schema). */
const LAT_KEYS = new Set([
  'machine', 'image_type', 'package_feeds', 'package_type', 'packages', 'external-packages', 'include-default-packages',
  'rootfs-pre-scripts', 'rootfs-post-scripts', 'iso-post-script', 'debootstrap-mirror', 'debootstrap-key', 'apt-keys',
  'gpg', 'wic', 'ostree', 'iso-grub-entry', 'iso-syslinux-entry', 'multiple-kernels', 'default-kernel', 'environments',
]);

interface LatFile {
  model: YamlModel;
  top: YamlKey[];
}

const cache = new WeakMap<SourceFile, LatFile | null>();

/** The LAT view of the file, or undefined when it is not a LAT image yaml (detected by content, not by name). */
function latFile(ctx: RuleContext): LatFile | undefined {
  if (ctx.kind !== 'yaml' || /\.j2$|\.jinja2?$/.test(ctx.file.path)) return undefined;
  let lat = cache.get(ctx.file);
  if (lat === undefined) {
    const model = yamlModelOf(ctx.guards) ?? parseYaml(ctx.file.text, ctx.architectures);
    const top = model.keys.filter((k) => k.column === 0);
    const names = new Set(top.map((k) => k.name));
    const known = [...names].filter((n) => LAT_KEYS.has(n)).length;
    // a machine or image type, and enough of the rest of the schema
    lat = (names.has('image_type') || names.has('machine')) && known >= 4 ? { model, top } : null;
    cache.set(ctx.file, lat);
  }
  return lat ?? undefined;
}

/** True when the file is a LAT image yaml. */
export function isLatImage(ctx: RuleContext): boolean {
  return latFile(ctx) !== undefined;
}

/** Where in a LAT image yaml a place is: a data value, or a script block (bash) of an ISO or a rootfs step. */
export type LatPlace = { script: false } | { script: true; key: string; iso: boolean };

/** The place of `offset` in a LAT image yaml, or undefined for any other file. */
export function latPlace(ctx: RuleContext, offset: number): LatPlace | undefined {
  const lat = latFile(ctx);
  if (!lat) return undefined;
  // a top key's value runs to the next top key (a sequence may sit at column 0: `rootfs-pre-scripts:` / `- |`)
  const i = lat.top.findIndex((k, n) => k.valueStart <= offset && offset < (lat.top[n + 1]?.start ?? Infinity));
  const key = lat.top[i];
  if (key && /-scripts?$/.test(key.name)) return { script: true, key: key.name, iso: /^iso-/.test(key.name) };
  return { script: false };
}

/** The target rootfs's arch, as a script step of a LAT image yaml reads it (the host may be another arch). */
export const LAT_ROOTFS_ARCH = '"$(chroot "$IMAGE_ROOTFS" dpkg --print-architecture)"';

const NO_TEMPLATE = 'a LAT image yaml is read as plain yaml, so no Jinja, variable or guard of it applies';

/** The twin advice for a data value wrong on `on`: the arch-keyed twin the image build reads. */
export function latTwinAdvice(ctx: RuleContext, on: readonly ArchName[]): string {
  const own = pathArches(ctx.file.path);
  if (own.length) return `this LAT image yaml is ${own.join(', ')}'s: give it ${own.join('/')}'s own value`;
  const twins = on.map((a) => base(twinPath(ctx.file.path, a))).join(', ');
  return `${NO_TEMPLATE}: give ${on.join(', ')} ${on.length > 1 ? 'their' : 'its'} own value in a twin ${twins} (${twinReaderNote(ctx.file.path, { reader: 'the image build' })})`;
}

/** The advice inside a script block: a shell test on what is built, never the build host. */
export function latScriptAdvice(place: LatPlace & { script: true }, kind: 'guard' | 'name' | 'efi', layout?: string): string {
  const where = `this is bash in the image yaml's ${place.key} (${NO_TEMPLATE})`;
  if (kind === 'guard' && place.iso && layout) return `${where}: guard it on the ISO's own layout (${layout}), not on the build host's arch`;
  if (kind === 'guard') return `${where}: guard it on the target rootfs's arch (if [ ${LAT_ROOTFS_ARCH} = amd64 ]; then … fi)`;
  if (kind === 'efi') {
    const arms = Object.entries(VOCABULARIES.efi.spell).filter(([a]) => a === 'amd64' || a === 'arm64').map(([a, v]) => `${a}) EFI_ARCH=${v} ;;`).join(' ');
    return `${where}: set EFI_ARCH in the script from the target rootfs's arch (case ${LAT_ROOTFS_ARCH} in ${arms} esac) and name the file with \${EFI_ARCH}`;
  }
  return `${where}: take the arch from the target rootfs in the script (${LAT_ROOTFS_ARCH}), not the build host's`;
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

export interface LatReport {
  at: Range;
  /** What is wrong, without advice: `'grubx64.efi' is the x86-64 EFI binary; arm64's is 'grubaa64.efi'`. */
  what: string;
  /** The arches the value is wrong on. */
  on: readonly ArchName[];
  /** The advice inside a script block. */
  script: (place: LatPlace & { script: true }) => string;
  severity?: Severity;
}

/**
 * Reports a finding of a LAT image yaml with the advice that works there, and returns true; false
 * for any other file (the rule reports as usual). Data values share the twin: one finding per
 * rule and file. A generic yaml whose twin exists for every arch it is wrong on is what the other
 * arches build: nothing to report.
 */
export function reportInLat(ctx: RuleContext, r: LatReport): boolean {
  const place = latPlace(ctx, r.at[0]);
  if (!place) return false;
  if (!pathArches(ctx.file.path).length && r.on.length && r.on.every((a) => ctx.project.get(twinPath(ctx.file.path, a)) !== undefined)) return true;
  const severity = r.severity ? { severity: r.severity } : {};
  if (place.script) {
    ctx.report({ at: r.at, message: `${r.what}: ${r.script(place)}`, ...severity });
    return true;
  }
  const advice = latTwinAdvice(ctx, r.on);
  ctx.report({
    at: r.at,
    message: `${r.what}: ${advice}`,
    summary: (n) => `${r.what}, and ${n - 1} more value${n === 2 ? '' : 's'} like it in this LAT image yaml: ${advice}`,
    group: 'lat-twin',
    ...severity,
  });
  return true;
}
