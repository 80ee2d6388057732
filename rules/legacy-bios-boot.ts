/**
 * legacy-bios-boot: legacy BIOS boot pieces (syslinux, isolinux, pxelinux, `*.c32` modules,
 * grub-pc, the `i386-pc` GRUB target, isohybrid, memtest86+). arm64 machines boot UEFI only:
 * Debian builds syslinux and grub-pc for amd64/i386 alone, so a list, image or config that needs
 * them fails to install or boot on arm64 (use grub-efi-arm64 and an EFI boot path there).
 * In lists and debian/control the arch-only rules report the same entries with the archive's
 * facts and a fix; they supersede this rule there.
 */
import { ALL_KINDS, type Rule } from '../src/types.js';
import { archAllPackageOf, bootTerms, fix, guardHint, relationEntries, restrictionEdit, type Alternative, type RuleContext } from '../src/rule-kit.js';

const TERM = new RegExp(
  '(?<![\\w.+-])(' +
    [
      // not `pxelinux.cfg/`: StarlingX keeps its UEFI grub menus in that folder too
      '(?!pxelinux\\.cfg)(?:sys|iso|pxe|ext|ld)linux(?:-[a-z0-9]+)*(?:\\.(?:bin|0|cfg|c32))?', 'isohdpfx\\.bin', '[\\w-]+\\.c32', 'grub-pc(?:-[a-z]+)*', 'i386-pc',
      'biosplusefi=1', 'isohybrid', 'memtest86\\+', 'iso-syslinux-entry', 'grub-bios-setup',
    ].join('|') +
    ')(?![\\w+])',
  'dg',
);
/** A line naming arm64's EFI counterpart too is a list of every platform (grub's REAL_PACKAGES) or a mapping. */
const COUNTERPART = /grub-efi-arm64|arm64-efi|aa64\.efi/i;

const RELATIONS = ['build-depends', 'build-depends-arch', 'build-depends-indep', 'depends', 'pre-depends', 'recommends', 'suggests'];

function alternativeAt(ctx: RuleContext, offset: number): Alternative | undefined {
  for (const { relation } of relationEntries(ctx, RELATIONS)) {
    for (const alt of relation.alternatives) if (offset >= alt.name.start && offset < alt.name.start + alt.name.text.length) return alt;
  }
  return undefined;
}

const rule: Rule = {
  id: 'legacy-bios-boot',
  description: 'A legacy BIOS boot piece (syslinux, isolinux, grub-pc, i386-pc, *.c32) where every arch boots.',
  appliesTo: ALL_KINDS.filter((k) => k !== 'patch'),
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  docs: {
    rationale:
      'arm64 servers boot UEFI only. syslinux, isolinux, pxelinux, extlinux and their `*.c32` modules, `grub-pc` and ' +
      'the `i386-pc` GRUB target, `isohybrid`, `memtest86+` and LAT\'s `biosplusefi=1` / `iso-syslinux-entry` exist ' +
      'for x86 BIOS alone (Debian builds syslinux and grub-pc for amd64 and i386), so an image, package list or boot ' +
      'config that needs them fails to build, install or boot on arm64. Keep them under an x86 guard and give arm64 its ' +
      'EFI path (`grub-efi-arm64`, `arm64-efi`). In debian/control and package lists the arch-only rules report the ' +
      'same entries with a fix and take precedence. In an `Architecture: all` package no `$(DEB_HOST_ARCH)` guard can leave ' +
      'them out (it is built once and reused on every arch): install every arch\'s EFI files beside them, or make the ' +
      'package `Architecture: any`.',
    bad: {
      path: 'lat/base-bullseye.yaml',
      text: 'name: starlingx\nmachine: generic\npackages:\n  - grub-efi\n  - syslinux\n',
    },
    good: {
      path: 'lat/base-bullseye.yaml',
      text:
        'name: starlingx\npackages:\n  - grub-efi\n{% if ansible_architecture == \'x86_64\' %}\n  - syslinux\n{% endif %}\n',
    },
  },
  check(ctx) {
    for (const hit of bootTerms(ctx, TERM, undefined, COUNTERPART)) {
      // In debian/control the guard is a restriction on the relation (names the archive knows are arch-only-dependency's).
      const alt = ctx.kind === 'control' ? alternativeAt(ctx, hit.start) : undefined;
      // Those include the Architecture: all ones with x86 content (isolinux, ovmf): they install everywhere.
      if (alt && ctx.archive.package(alt.name.text)) continue;
      // An Architecture: all package is built once for every arch: no $(DEB_HOST_ARCH) guard works there.
      const allPkg = hit.comment ? undefined : archAllPackageOf(ctx, hit.start);
      if (allPkg) {
        ctx.report({
          at: [hit.start, hit.end],
          message: `'${hit.text}' is legacy BIOS boot, for x86 machines only. It goes into ${allPkg} (Architecture: all), built once and reused on every arch, ` +
            'so no $(DEB_HOST_ARCH) guard can leave it out: install the EFI files of every arch beside it (grubaa64.efi for arm64), or make the package Architecture: any',
        });
        continue;
      }
      const edit = alt ? restrictionEdit(alt, ['amd64', 'i386'], false) : undefined;
      ctx.report({
        at: [hit.start, hit.end],
        message: `'${hit.text}' is legacy BIOS boot, which arm64 does not have: keep it under an x86 guard (${guardHint(ctx)}) and boot arm64 through EFI (grub-efi-arm64)`,
        ...(edit ? { suggest: [fix('restrict it to [amd64 i386]', [edit])] } : {}),
      });
    }
  },
};

export default rule;
