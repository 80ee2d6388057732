/**
 * legacy-bios-boot: legacy BIOS boot pieces (syslinux, isolinux, pxelinux, `*.c32` modules,
 * grub-pc, the `i386-pc` GRUB target, isohybrid, memtest86+). arm64 machines boot UEFI only:
 * Debian builds syslinux and grub-pc for amd64/i386 alone, so a list, image or config that needs
 * them fails to install or boot on arm64 (use grub-efi-arm64 and an EFI boot path there).
 * In lists and debian/control the arch-only rules report the same entries with the archive's
 * facts and a fix; they supersede this rule there.
 */
import { ALL_KINDS, type Rule } from '../src/types.js';
import { triggerFrom, archAllPackageOf, bootTerms, fix, guardHint, isIsoRemasterTool, latScriptAdvice, relationEntries, reportInLat, restrictionEdit, wordAround, type Alternative, type RuleContext } from '../src/rule-kit.js';

export const TERM = new RegExp(
  '(?<![\\w.+-])(' +
    [
      // not `pxelinux.cfg/`: StarlingX keeps its UEFI grub menus in that folder too
      '(?!pxelinux\\.cfg)(?:sys|iso|pxe|ext|ld)linux(?:-[a-z0-9]+)*(?:\\.(?:bin|0|cfg|c32))?', 'isohdpfx\\.bin', '[\\w-]+\\.c32', 'grub-pc(?:-[a-z]+)*', 'i386-pc',
      'isohybrid', 'memtest86\\+', 'iso-syslinux-entry', 'grub-bios-setup',
    ].join('|') +
    ')(?![\\w+])',
  'dg',
);
/**
 * `/>\s*["']?\S*$/.test(s)`, in one pass: the last word holds the `>`, or a `>` ends what is before
 * the blanks in front of it (the regex reads the rest of a run of `>` once per `>`).
 */
function endsInRedirect(s: string): boolean {
  const word = /(?<!\S)\S*$/.exec(s)?.[0] ?? '';
  return word.includes('>') || />\s*$/.test(s.slice(0, s.length - word.length));
}
/** A line naming arm64's EFI counterpart too is a list of every platform (grub's REAL_PACKAGES) or a mapping. */
const COUNTERPART = /grub-efi-arm64|arm64-efi|aa64\.efi/i;

/** A file a PXE/TFTP server hands to the machines it boots: pxelinux, lpxelinux, a `*.c32` module, memdisk. */
const PXE_SERVED = /^(?:l?pxelinux\.0|[\w-]+\.c32|memdisk)$/;
/** A TFTP root: `/var/lib/tftpboot`, `${OCF_RESKEY_tftproot}`, `$TFTP_ROOT`. */
const TFTP_ROOT = /tftp/i;

/**
 * True when the hit is a PXE-served file (pxelinux.0, chain.c32) that a statement of a script
 * copies, links, owns or serves into a TFTP root: those files go to the *other* machines the
 * server boots, whose arch is not the server's, and they come from Architecture: all packages
 * (pxelinux, syslinux-common) that install on arm64 too. A host that boots through BIOS pieces
 * itself (grub-install --target=i386-pc, isohybrid, its own image) stays a finding, and so does
 * an image build putting them into its own media (no TFTP root there).
 */
function servedOverTftp(ctx: RuleContext, hit: { start: number; end: number; text: string }): boolean {
  if (ctx.kind !== 'shell' && ctx.kind !== 'python') return false;
  const text = ctx.file.text;
  // the file the hit names: `/usr/share/syslinux/pxelinux.0` is pxelinux.0
  const base = wordAround(text, hit.start, hit.end).text.replace(/(?<!\/)\/+$/, '').replace(/^.*\//, '');
  if (!PXE_SERVED.test(base)) return false;
  let s = text.lastIndexOf('\n', hit.start - 1) + 1;
  let e = text.indexOf('\n', hit.end);
  if (e < 0) e = text.length;
  // the whole statement: backslash-continued lines
  while (s > 1 && text[s - 2] === '\\') s = text.lastIndexOf('\n', s - 2) + 1;
  while (e < text.length && text[e - 1] === '\\') {
    const n = text.indexOf('\n', e + 1);
    e = n < 0 ? text.length : n;
  }
  return TFTP_ROOT.test(text.slice(s, e).replace(/#.*/g, ''));
}

const RELATIONS = ['build-depends', 'build-depends-arch', 'build-depends-indep', 'depends', 'pre-depends', 'recommends', 'suggests'];

/** The relation alternative at `offset`, and whether it is a binary relation of an `Architecture: all` package. */
function alternativeAt(ctx: RuleContext, offset: number): { alt: Alternative; archAll: boolean } | undefined {
  for (const { paragraph, field, relation } of relationEntries(ctx, RELATIONS)) {
    for (const alt of relation.alternatives) {
      if (offset >= alt.name.start && offset < alt.name.start + alt.name.text.length) {
        return { alt, archAll: paragraph.type === 'binary' && !field.startsWith('build-') && !!paragraph.architecture?.includes('all') };
      }
    }
  }
  return undefined;
}

/**
 * True when the hit names a file the source package ships itself: a relative path that
 * debian/rules installs or copies (debian/rules runs in the package's source tree). Such a
 * BIOS file is data for x86 clients (a PXE server's `pxelinux.0`), installed the same on every
 * arch; nothing needs an x86-only package for it.
 */
function shippedBySource(ctx: RuleContext, start: number, end: number): boolean {
  if (ctx.kind !== 'rules') return false;
  const line = ctx.make?.lineAt(start);
  if (!line || line.kind !== 'recipe') return false;
  const text = ctx.file.text;
  const word = wordAround(text, start, end);
  if (/^[/$~]/.test(word.text)) return false;
  const before = text.slice(line.start, word.start);
  // the source operand of install/cp: not the last word of the command
  return /^\s*(?:[-@+]+\s*)?(?:install|cp)\s(?:[^;&|]*\s)?$/.test(before) && /^\s+\S/.test(text.slice(word.end, line.end));
}

/**
 * True when the hit names a BIOS menu file (`isolinux/isolinux.cfg`) that an ISO tool READS a
 * value from into a command substitution (`LABEL=$(grep instiso …/isolinux.cfg | …)`): grep, awk,
 * cat, head, or sed without -i. Guarding such a read leaves the value empty on an arm64 ISO,
 * which has no BIOS menu; the value must come from the EFI menu every arch's ISO has. An edit
 * (`sed -i`, a redirect into the file) or a copy keeps the guard advice.
 */
function readsBiosMenu(ctx: RuleContext, hit: { start: number; end: number; lineStart: number; lineEnd: number }): boolean {
  if (ctx.kind !== 'shell' || !isIsoRemasterTool(ctx)) return false;
  const word = wordAround(ctx.file.text, hit.start, hit.end).text;
  if (!/(?:isolinux|syslinux)[\w.-]*\.cfg\b/.test(word)) return false;
  const line = ctx.file.text.slice(hit.lineStart, hit.lineEnd);
  const at = hit.start - hit.lineStart;
  // the innermost command substitution open before the hit, and still open at it
  const opens: number[] = [];
  for (let i = 0; i < at; i++) {
    if (line.startsWith('$(', i)) opens.push(i++);
    else if (line[i] === ')' && opens.length) opens.pop();
  }
  const ticks = line.slice(0, at).split('`').length - 1;
  const open = Math.max(opens[opens.length - 1] ?? -1, ticks % 2 ? line.lastIndexOf('`', at) : -1);
  if (open < 0) return false;
  const inner = line.slice(open, at);
  // the command the file is an argument of: the last one of the pipeline before it
  const cmd = /(?:^|[|;]|\$\(|`)\s*(\w+)(?!\w)[^|;`]*$/.exec(inner)?.[1];
  // what a command substitution prints is read into a value: a reader (grep, awk, a helper of the
  // script such as check_iso_prestage) unless the command writes files
  if (!cmd || /^(?:cp|mv|rm|ln|install|chmod|chown|touch|tee|mkdir|rsync|dd|truncate|isohybrid|mkisofs|xorriso|genisoimage)$/.test(cmd)) return false;
  if (cmd === 'sed' && /\bsed\s+(?:-\S*\s+)*(?:-\w*i|--in-place)/.test(inner)) return false;
  // a redirect into the file is a write
  return !endsInRedirect(line.slice(0, at));
}

const rule: Rule = {
  id: 'legacy-bios-boot',
  description: 'A legacy BIOS boot piece (syslinux, isolinux, grub-pc, i386-pc, *.c32) where every arch boots.',
  appliesTo: ALL_KINDS.filter((k) => k !== 'patch' && k !== 'kconfig'),
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  // One range, one meaning: `i386-pc` is a GRUB platform, not an i386 build or download.
  supersedes: ['hardcoded-arch', 'arch-in-download-url'],
  trigger: triggerFrom(TERM),
  docs: {
    rationale:
      'arm64 servers boot UEFI only. syslinux, isolinux, pxelinux, extlinux and their `*.c32` modules, `grub-pc` and ' +
      'the `i386-pc` GRUB target, `isohybrid`, `memtest86+` and LAT\'s `iso-syslinux-entry` exist ' +
      'for x86 BIOS alone (Debian builds syslinux and grub-pc for amd64 and i386), so an image, package list or boot ' +
      'config that needs them fails to build, install or boot on arm64. Keep them under an x86 guard and give arm64 its ' +
      'EFI path (`grub-efi-arm64`, `arm64-efi`). In debian/control and package lists the arch-only rules report the ' +
      'same entries with a fix and take precedence. A term is reported only where it is used as what it names: not in ' +
      'a syslinux menu itself (only x86 reads it; the code that writes or installs it is the finding), not as a value ' +
      'sed puts into a menu template, not in a message a script prints, and not as a file the source package ships ' +
      'and debian/rules installs as data for x86 clients. ' +
      'In an `Architecture: all` package no `$(DEB_HOST_ARCH)` guard can leave ' +
      'them out (it is built once and reused on every arch): install every arch\'s EFI files beside them, or make the ' +
      'package `Architecture: any`. In a LAT image yaml (plain yaml, no Jinja or guards) a value needs the arm64 twin ' +
      '`<name>_arm64.yaml` (one finding per file), and a script block a shell test on the ISO\'s own layout ' +
      '(`[ -d isolinux ]`) or the target rootfs\'s arch. Where an ISO tool reads a value from the BIOS menu ' +
      '(`LABEL=$(grep instiso …/isolinux/isolinux.cfg | …)`), a guard would leave it empty on an arm64 ISO: the advice is ' +
      'to read it from the EFI menu every arch\'s ISO has (`EFI/BOOT/grub.cfg`), or from both with a fallback.',
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
      if (shippedBySource(ctx, hit.start, hit.end)) continue;
      if (servedOverTftp(ctx, hit)) continue;
      // A LAT image yaml: the arm64 twin for its values, a shell test in its scripts (an EFI-only arm64 ISO has no isolinux/).
      const nonX86 = ctx.architectures.filter((a) => a !== 'amd64' && a !== 'i386');
      const lat = { at: [hit.start, hit.end] as const, what: `'${hit.text}' is legacy BIOS boot, which ${nonX86.join(', ')} does not have`, on: nonX86 };
      if (!hit.comment && reportInLat(ctx, { ...lat, script: (p) => latScriptAdvice(p, 'guard', 'if [ -d isolinux ]; then … fi, run where the ISO tree is') })) continue;
      // A list entry the archive knows is arch-only-list-entry's (pxelinux, Architecture: all, installs everywhere).
      if (ctx.kind === 'pkg-list' && ctx.archive.package(wordAround(ctx.file.text, hit.start, hit.end).text)) continue;
      // In debian/control the guard is a restriction on the relation (names the archive knows are arch-only-dependency's).
      const at = ctx.kind === 'control' ? alternativeAt(ctx, hit.start) : undefined;
      // Those include the Architecture: all ones with x86 content (isolinux, ovmf): they install everywhere.
      if (at && ctx.archive.package(at.alt.name.text)) continue;
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
      // dpkg-gencontrol rejects [arch] in the binary relations of an `Architecture: all` package (Policy §7.1).
      const edit = at && !at.archAll ? restrictionEdit(at.alt, ['amd64', 'i386'], false) : undefined;
      if (readsBiosMenu(ctx, hit)) {
        ctx.report({
          at: [hit.start, hit.end],
          message: `'${hit.text}' is legacy BIOS boot, which arm64 does not have: this reads a value from the BIOS menu, and a guard would leave it empty on an arm64 ISO: ` +
            'read it from the EFI menu every arch\'s ISO has (EFI/BOOT/grub.cfg), or from both with a fallback',
        });
        continue;
      }
      const guard = at?.archAll
        ? `an Architecture: all package cannot restrict a relation to [amd64 i386] (dpkg-gencontrol rejects it): offer an alternative every arch has (${hit.text} | grub-efi-arm64), or exclude the package on arm64`
        : `keep it under an x86 guard (${guardHint(ctx)})`;
      ctx.report({
        at: [hit.start, hit.end],
        message: `'${hit.text}' is legacy BIOS boot, which arm64 does not have: ${guard} and boot arm64 through EFI (grub-efi-arm64)`,
        ...(edit ? { suggest: [fix('restrict it to [amd64 i386]', [edit])] } : {}),
      });
    }
  },
};

export default rule;
