/**
 * arch-only-list-entry: an entry of a generic StarlingX list (debian_pkg_dirs*, *_iso_image*.inc,
 * *.lst) that cannot build or install on one of the architectures: an x86-only source dir
 * (kernel-modules/qat, tools/pcm) fails the arm64 build, an amd64-only package (grub-pc,
 * intel-microcode) fails the arm64 image. The facts come from the archive database and the
 * curated list (DESIGN §5). The fix is StarlingX's porting convention (DESIGN §6): a twin list
 * `<list>_<arch>` replaces the generic one on that arch, with each excluded entry kept commented
 * out with its reason.
 */
import {
  createTwinsFix, entryParts, exclusions, genericEntry, isCodenameLayout, listModel, listScope, twinPath,
  type Edit, type Rule,
} from '../src/rule-kit.js';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

const rule: Rule<{ archLists: string }> = {
  id: 'arch-only-list-entry',
  description: 'An entry in a generic package or package-dir list that cannot build or install on one of the architectures.',
  appliesTo: ['pkg-dirs', 'pkg-list'],
  severity: 'error',
  fixable: 'fix',
  defaultOptions: { archLists: 'twin' },
  supersedes: ['hardcoded-arch', 'legacy-bios-boot'],
  docs: {
    rationale:
      'StarlingX builds every dir of `debian_pkg_dirs*` and installs every package of `*_iso_image*.inc` and the `.lst` ' +
      'mirror lists on each architecture. An x86-only entry — an Intel QAT or PCM source dir, `grub-pc`, `syslinux`, ' +
      '`intel-microcode` — fails the arm64 build or image. The archive database (which packages a suite lacks on an arch, ' +
      'and why) and the curated list (x86-only `Architecture: all` packages and StarlingX source dirs) say which entries. ' +
      'The fix follows the porting convention: create the twin `<list>_<arch>` (`debian_pkg_dirs_arm64`, ' +
      '`debian_iso_image_arm64.inc`, `base-bullseye_arm64.lst`) as a copy of the generic list with each such entry ' +
      'commented out with its reason (`#tools/pcm  # x86-only: …`) and pinned URLs of another arch\'s build dropped; the ' +
      'build tools use the twin instead of the generic list on that arch. In an existing twin, the fix comments the entries ' +
      'out there. Option `archLists: "report"` reports without a fix (trees without the twin convention); lists in the ' +
      'codename layout (`debian_bullseye_pkg_dirs_std`) are reported only, as no twin convention exists for them yet.',
    bad: { path: 'debian_pkg_dirs', text: 'kernel-std\nkernel-modules/qat\nuserspace/initramfs-trigger\n' },
    good: { path: 'debian_pkg_dirs_arm64', text: 'kernel-std\n#kernel-modules/qat  # x86-only: builds the Intel QAT kernel modules\nuserspace/initramfs-trigger\n' },
  },
  check(ctx) {
    const scope = listScope(ctx);
    if (!scope.arches.length) return;
    const report = ctx.options.archLists === 'report' || isCodenameLayout(ctx.file.path);
    const what = ctx.kind === 'pkg-dirs' ? 'source dir' : 'package';
    const verb = ctx.kind === 'pkg-dirs' ? 'build' : 'be installed';
    const found = listModel(ctx.file, ctx.kind).entries.flatMap((line) => {
      const parts = entryParts(line.words, ctx.kind);
      const ex = parts ? exclusions(ctx, parts.name.text, scope.arches) : [];
      return parts && ex.length ? [{ line, parts, ex }] : [];
    });
    // Architecture: all with x86 content (ovmf, seabios): it installs there, so keeping it is not wrong (info, no fix).
    for (const line of ctx.kind === 'pkg-dirs' ? [] : listModel(ctx.file, ctx.kind).entries) {
      const parts = entryParts(line.words, ctx.kind);
      const p = parts && ctx.archive.package(parts.name.text);
      const on = scope.arches.filter((a) => !p?.declared.includes(a));
      if (!parts || p?.content !== 'x86' || !on.length) continue;
      ctx.report({
        at: [parts.name.start, parts.name.end],
        message: `package '${parts.name.text}' has x86-only content (${p.note?.replace(/^x86-only content:\s*/, '')})` +
          `${p.alternative ? `; ${on.join(', ')} guests need ${p.alternative}` : ''}: it installs on ${on.join(', ')} (Architecture: all), so keeping it is not wrong`,
        severity: 'info',
      });
    }
    if (!found.length) return;
    if (scope.own) {
      // An arch-specific list (a twin): comment every such entry out, here, in one fix.
      const edits: Edit[] = found.flatMap(({ line, ex }) => [
        { range: [line.start, line.start] as const, text: '#' },
        { range: [line.end, line.end] as const, text: `  # ${(ex[0] as { reason: string }).reason}` },
      ]);
      const fix = report ? undefined : { description: `comment out what ${scope.arches.join(', ')} cannot ${verb} in ${base(ctx.file.path)}`, edits };
      for (const { parts, ex } of found) {
        ctx.report({
          at: [parts.name.start, parts.name.end],
          message: `${what} '${parts.name.text}' cannot ${verb} on ${ex.map((e) => e.arch).join(', ')} (${ex.map((e) => e.reason).join('; ')}), yet this list is for ${scope.arches.join(', ')}: comment it out with its reason`,
          ...(fix ? { fix } : {}),
          related: genericEntry(ctx, scope, parts.name.text),
        });
      }
      return;
    }
    const fix = report ? undefined : createTwinsFix(ctx);
    for (const { parts, ex } of found) {
      const arches = ex.map((e) => e.arch);
      const twins = arches.map((a) => base(twinPath(ctx.file.path, a))).join(', ');
      const how = fix
        ? `exclude it in ${twins} (created from this list)`
        : isCodenameLayout(ctx.file.path)
          ? `exclude it on ${arches.join(', ')} (codename-layout lists have no twin convention yet)`
          : `exclude it on ${arches.join(', ')}, e.g. in a twin list ${twins}`;
      ctx.report({
        at: [parts.name.start, parts.name.end],
        message: `${what} '${parts.name.text}' cannot ${verb} on ${arches.join(', ')} (${ex.map((e) => e.reason).join('; ')}): ${how}`,
        ...(fix ? { fix } : {}),
      });
    }
  },
};

export default rule;
