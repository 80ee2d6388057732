/**
 * x86-efi-binary: the x86-64 names of EFI binaries (`grubx64.efi`, `shimx64.efi`, `BOOTX64.EFI`).
 * The UEFI specification names the removable-media loader per arch (BOOTX64.EFI, BOOTAA64.EFI),
 * and Debian's shim and grub follow it, so an image or installer that copies or chains the x64
 * file finds nothing, or an x86 binary, on arm64.
 * A committed prebuilt binary that the packaging installs is judged by its header instead of its
 * name (PE `Machine` of an EFI binary, ELF `e_machine`; read by the CLI, never executed): one
 * arch's binary installed on every arch is wrong on the others, whatever the file is called.
 */
import type { Rule } from '../src/types.js';
import { ALL_KINDS } from '../src/types.js';
import {
  COPY_LINE, triggerByKind, triggerFrom, archAllPackageOf, bootTerms, headerField, installedBinaries, isoLayoutAdvice, latScriptAdvice, makeMappingFix, puppetEfiSelector, reportInLat, shellMappingFix, VOCABULARIES,
  type ArchName, type Fix, type InstalledBinary, type RuleContext,
} from '../src/rule-kit.js';

export const TERM = /(?<![A-Za-z0-9_])((?:grub|boot|shim|mm|fb)x64(?:-nosig)?\.efi)(?![A-Za-z0-9_])/dgi;
/** A line that names the arm64 file too is a per-arch mapping. */
const COUNTERPART = /aa64(?:-nosig)?\.efi/i;

/**
 * The suggestion: the `x64` of the name becomes a variable set per arch (x64, aa64 …), defined
 * with it: a make mapping on DEB_HOST_ARCH, or a shell `case` on the running arch. An
 * upper-case name (`BOOTX64.EFI`) gets its own upper-case variable: outside a FAT partition
 * case matters.
 */
function efiArchFix(ctx: RuleContext, at: number, upper: boolean): Fix | undefined {
  const spell: Partial<Record<ArchName, string>> = Object.fromEntries(
    Object.entries(VOCABULARIES.efi.spell).map(([a, v]) => [a, upper ? v.toUpperCase() : v]),
  );
  const variable = upper ? 'EFI_ARCH_UPPER' : 'EFI_ARCH';
  const description = `replace '${upper ? 'X64' : 'x64'}' with ${variable}, set per arch (${ctx.architectures.map((a) => spell[a]).join(', ')})`;
  if (ctx.kind === 'rules' || ctx.kind === 'makefile') return makeMappingFix(ctx, description, at, at + 3, variable, spell);
  if (ctx.kind === 'shell') return shellMappingFix(ctx, description, at, at + 3, variable, spell);
  return undefined;
}

/** legacy-bios-boot reports these by name (syslinux modules, pxelinux.0): their header adds nothing. */
const LEGACY_BIOS_FILE = /(?:^|\/)(?:[\w-]+\.c32|(?:sys|iso|pxe|ext|ld)linux[\w.-]*|isohdpfx\.bin)$/i;

/**
 * Reports committed binaries installed on arches that cannot run them; returns the binaries it
 * judged (reported, or fine where they are installed), whose lines' name hits are said.
 */
function checkInstalledBinaries(ctx: RuleContext): InstalledBinary[] {
  const judged: InstalledBinary[] = [];
  const installed = installedBinaries(ctx);
  const reported = new Set<number>();
  for (const b of installed) {
    if (LEGACY_BIOS_FILE.test(b.path) || reported.has(b.start)) continue;
    // Every arch's file shipped side by side (a PXE server for mixed clusters) is a choice, not a defect.
    const sibling = (a: string): boolean => installed.some((o) => o.path !== b.path && o.header.format === b.header.format && (o.header.arches as string[]).includes(a));
    const wrongOn = b.reach.filter((a) => !b.header.arches.includes(a) && !sibling(a));
    judged.push(b);
    if (wrongOn.length === 0) continue;
    // One finding per word: a folder or glob names the first such file, and how many more.
    reported.add(b.start);
    const more = installed.filter((o) => o.start === b.start && o !== b && !LEGACY_BIOS_FILE.test(o.path) && wrongOn.some((a) => !o.header.arches.includes(a))).length;
    const what = `${b.header.machine} ${b.header.format === 'pe' ? 'EFI' : 'ELF'} binary (${headerField(b.header)})`;
    const where = b.reach.length === ctx.architectures.length ? 'for every arch' : `on ${b.reach.join(', ')}`;
    const all = b.archAll ? '; its package is Architecture: all (one build for every arch): make it Architecture: any, or ship every arch\'s file' : '';
    // `grub$(EFI_ARCH).efi` works only once the arm64 file exists beside it.
    const x64 = /x64(?=(?:-nosig)?\.efi$)/i.exec(b.word);
    const twin = x64 ? b.path.replace(/x64((?:-nosig)?\.efi)$/i, (_, ext: string) => `${x64[0] === 'X64' ? 'AA64' : 'aa64'}${ext}`) : undefined;
    const twinOk = twin !== undefined && wrongOn.every((a) => ctx.project.binary?.(twin)?.arches.includes(a));
    const suggestion = x64 && twinOk && !b.archAll ? efiArchFix(ctx, b.start + x64.index, x64[0] === 'X64') : undefined;
    ctx.report({
      at: [b.start, b.end],
      message: (b.exact ? `'${b.word}' is a committed ${what}, installed here ${where}` : `'${b.word}' installs the committed ${what} '${b.path}'${more ? ` (and ${more} more)` : ''} ${where}`) +
        ` (wrong on ${wrongOn.join(', ')}): ` +
        (twinOk ? `install '${twin?.slice(twin.lastIndexOf('/') + 1)}' on arm64 instead (per arch)` : `add the ${wrongOn.join(', ')} binary (or build it) and install per arch`) + all,
      ...(suggestion ? { suggest: [suggestion] } : {}),
    });
  }
  return judged;
}

const rule: Rule = {
  id: 'x86-efi-binary',
  description: 'An x86-64 EFI binary name (grubx64.efi, shimx64.efi, BOOTX64.EFI) in generic boot or image logic, or a committed binary (EFI or ELF) the packaging installs on arches that cannot run it.',
  appliesTo: ALL_KINDS.filter((k) => k !== 'patch' && k !== 'kconfig'),
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  // One range, one meaning: `i386-pc` is a GRUB platform, not an i386 build or download.
  supersedes: ['hardcoded-arch', 'arch-in-download-url'],
  // a committed binary is installed from debian/rules copy lines and from every line of a debhelper .install file
  trigger: triggerByKind(ALL_KINDS.filter((k) => k !== 'patch' && k !== 'kconfig'), triggerFrom(TERM), { rules: triggerFrom(TERM, COPY_LINE), debhelper: 'always' }),
  docs: {
    rationale:
      'UEFI names boot loaders per arch: `BOOTX64.EFI`/`grubx64.efi`/`shimx64.efi`/`mmx64.efi`/`fbx64.efi` on x86-64, ' +
      '`BOOTAA64.EFI`/`grubaa64.efi`/`shimaa64.efi` on arm64. A build, installer or boot config that names the x64 ' +
      'file copies nothing (or an x86 binary) on arm64, and the machine does not boot. Name it through a variable set ' +
      'per arch (`EFI_ARCH` = x64 on amd64, aa64 on arm64), or guard it; a line that also names the aa64 file is a ' +
      'mapping and stays silent. In an `Architecture: all` package (its debhelper files, or debian/rules when it installs into ' +
      'one) no variable can pick the file: the package is built once and reused on every arch, so the advice is to install ' +
      'every arch\'s binary, or to make the package `Architecture: any`; nothing is applied. A committed binary that ' +
      'debian/rules or a debhelper install list installs is judged by its header (PE `Machine` of an EFI image, ELF ' +
      '`e_machine`), whatever its name: installed on an arch that cannot run it, it needs that arch\'s binary first ' +
      '(the `EFI_ARCH` name is offered only once the aa64 file is there). ' +
      'A LAT image yaml ' +
      '(`base-bullseye.yaml`, known by its keys) is plain yaml with no variables: its values need the arm64 twin ' +
      '`<name>_arm64.yaml` (one finding per file), its script blocks a shell test on the target rootfs\'s arch.',
    bad: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\n%:\n\tdh $@\n\noverride_dh_auto_install:\n\tinstall -m 644 grubx64.efi debian/tmp/boot/efi/EFI/BOOT/\n',
    },
    good: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\nEFI_ARCH_amd64 = x64\nEFI_ARCH_arm64 = aa64\n' +
        'EFI_ARCH = $(EFI_ARCH_$(DEB_HOST_ARCH))\n\n%:\n\tdh $@\n\noverride_dh_auto_install:\n' +
        '\tinstall -m 644 grub$(EFI_ARCH).efi debian/tmp/boot/efi/EFI/BOOT/\n',
    },
  },
  check(ctx) {
    const binaries = checkInstalledBinaries(ctx);
    for (const hit of bootTerms(ctx, TERM, ['amd64'], COUNTERPART)) {
      // Said already, from the header of the file this copy line installs.
      if (binaries.some((b) => hit.lineStart <= b.start && b.start < hit.lineEnd)) continue;
      const iso = isoLayoutAdvice(ctx);
      const x64 = /x64/i.exec(hit.text) as RegExpExecArray;
      const aa64 = hit.text.replace(/x64/i, x64[0] === 'X64' ? 'AA64' : 'aa64');
      // A LAT image yaml: the arm64 twin for its values, a shell test in its scripts.
      const on = ctx.architectures.filter((a) => a !== 'amd64');
      if (!hit.comment && reportInLat(ctx, { at: [hit.start, hit.end], what: `'${hit.text}' is the x86-64 EFI binary; arm64's is '${aa64}'`, on, script: (p) => latScriptAdvice(p, 'efi') })) continue;
      // Puppet: a selector on $facts['os']['architecture'] where an expression may stand.
      const selector = ctx.kind === 'puppet' && !hit.comment ? puppetEfiSelector(ctx, hit.start, hit.end) : undefined;
      if (selector) {
        ctx.report({ at: [hit.start, hit.end], message: `'${hit.text}' is the x86-64 EFI binary; arm64's is '${aa64}': pick it per arch with a selector on $facts['os']['architecture']`, suggest: [selector] });
        continue;
      }
      // An Architecture: all package is built once for every arch: no variable can pick the file (never auto-applied).
      const allPkg = hit.comment ? undefined : archAllPackageOf(ctx, hit.start);
      if (allPkg) {
        ctx.report({
          at: [hit.start, hit.end],
          message: `'${hit.text}' is the x86-64 EFI binary; arm64's is '${aa64}'. It goes into ${allPkg} (Architecture: all), built once and reused on ` +
            `every arch, so EFI_ARCH or $(DEB_HOST_ARCH) there would name the build machine's: install every arch's binary ('${hit.text}' and '${aa64}'), or make the package Architecture: any`,
        });
        continue;
      }
      const suggestion = hit.comment ? undefined : efiArchFix(ctx, hit.start + x64.index, x64[0] === 'X64');
      ctx.report({
        at: [hit.start, hit.end],
        message: `'${hit.text}' is the x86-64 EFI binary; arm64's is '${aa64}': name it per arch (an EFI_ARCH variable: x64 on amd64, aa64 on arm64) or guard it${iso ? ` (${iso})` : ''}`,
        ...(suggestion ? { suggest: [suggestion] } : {}),
      });
    }
  },
};

export default rule;
