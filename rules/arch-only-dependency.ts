/**
 * arch-only-dependency: a dependency in debian/control that does not exist on one of the
 * configured arches (DESIGN §5 archive data + curated list) and carries no restriction.
 * Buildds and sbuild resolve `[arch]` lists first and then take only the FIRST alternative
 * of a `|` group, so `grub-pc | grub-efi-arm64` fails on arm64 until grub-pc is restricted
 * (Debian Policy §7.1, deb-src-control(5), sbuild(1) "resolve_alternatives").
 */
import {
  alternativeArches, relationEntries, restrictionEdit, sourceDirArches, fix,
  type Alternative, type ArchName, type Edit, type Rule,
} from '../src/rule-kit.js';

const BUILD_FIELDS = ['build-depends', 'build-depends-arch', 'build-depends-indep'];
const BINARY_FIELDS = ['depends', 'pre-depends', 'recommends'];

const rule: Rule = {
  id: 'arch-only-dependency',
  description: 'A dependency that does not exist on one of the architectures and carries no [arch] restriction.',
  appliesTo: ['control'],
  severity: 'error',
  fixable: 'fix',
  defaultOptions: {},
  supersedes: ['hardcoded-arch', 'foreign-arch-dependency', 'legacy-bios-boot'],
  docs: {
    rationale:
      'A Build-Depends, Depends or Pre-Depends entry that Debian builds for x86 only (`grub-pc`, `syslinux`, `intel-microcode`, ' +
      '`gcc-multilib`, `linux-image-amd64`) makes the package unbuildable or uninstallable on arm64. Buildds and sbuild take only ' +
      'the first alternative of a `|` group, so `grub-pc | grub-efi-arm64` still fails there. The fix writes the restriction the ' +
      'source package declares (`grub-pc [amd64 i386] | grub-efi-arm64 [arm64]`), merged into an existing `[…]` and placed before ' +
      'any `<profile>`. When the archive declares the package for arm64 but has no arm64 binary (`not-built`), `[!arm64]` is ' +
      'offered as a suggestion; in `Architecture: all` paragraphs every change is a suggestion. The facts come from the Debian ' +
      'archive of the configured `suite` (default bullseye) and a curated list of x86-only `Architecture: all` and platform ' +
      'packages (isolinux, ovmf, qat…); names Debian does not know are never flagged. Recommends are reported at info.',
    bad: {
      path: 'debian/control',
      text:
        'Source: stx-boot\nBuild-Depends: debhelper-compat (= 13),\n grub-pc | grub-efi-arm64,\n syslinux\n\n' +
        'Package: stx-boot\nArchitecture: any\nDepends: ${misc:Depends}, intel-microcode\n',
    },
    good: {
      path: 'debian/control',
      text:
        'Source: stx-boot\nBuild-Depends: debhelper-compat (= 13),\n grub-pc [amd64 i386] | grub-efi-arm64 [arm64],\n syslinux [amd64 i386]\n\n' +
        'Package: stx-boot\nArchitecture: any\nDepends: ${misc:Depends}, intel-microcode [amd64 i386]\n',
    },
  },
  check(ctx) {
    const archive = ctx.archive;
    const dirArches = sourceDirArches(ctx);
    for (const { paragraph, field, relation } of relationEntries(ctx, [...BUILD_FIELDS, ...BINARY_FIELDS])) {
      if ((paragraph.type === 'source') !== BUILD_FIELDS.includes(field)) continue;
      const misses = new Map<Alternative, { arch: ArchName; reason: string }[]>();
      for (const arch of ctx.architectures) {
        if (!paragraph.arches.includes(arch) || !dirArches.includes(arch)) continue;
        const first = relation.alternatives.find((alt) => alternativeArches(paragraph, alt).includes(arch));
        const reason = first && archive.missingOn(first.name.text, arch);
        if (first && reason) misses.set(first, [...(misses.get(first) ?? []), { arch, reason }]);
      }
      for (const [alt, miss] of misses) {
        const name = alt.name.text;
        const pkg = archive.package(name);
        if (!pkg) continue;
        const on = miss.map((m) => m.arch);
        const notBuilt = miss.every((m) => m.reason === 'not-built');
        const allParagraph = !!paragraph.architecture?.includes('all');
        const where = pkg.origin === 'curated'
          ? `is ${pkg.declared.join('/')}-only: ${pkg.note}`
          : notBuilt
            ? `is not built for ${on.join(', ')} in ${archive.suite} (its source ${pkg.source} declares ${pkg.declared.join(' ') || 'any'}, but the archive has no ${on.join('/')} binary)`
            : `does not exist on ${on.join(', ')} in ${archive.suite} (${pkg.source} builds it for ${pkg.declared.join(' ')})`;
        const instead = pkg.alternative ? `; on ${on.join(', ')} use ${pkg.alternative}` : '';
        const group = relation.alternatives.length > 1 ? ' (only the first alternative counts on buildds)' : '';
        const severity = field === 'recommends' ? 'info' : notBuilt ? 'warning' : undefined;
        if (notBuilt) {
          const edit = restrictionEdit(alt, on, true);
          ctx.report({
            at: [alt.name.start, alt.name.end],
            message: `'${name}' ${where}${group}: add [${on.map((a) => `!${a}`).join(' ')}] if the package can do without it${instead}`,
            severity,
            suggest: edit ? [fix(`exclude ${on.join(', ')}`, [edit])] : undefined,
          });
          continue;
        }
        const restriction = archive.restriction(name);
        const edits: Edit[] = [];
        const first = restriction && restrictionEdit(alt, restriction, false);
        if (first) {
          edits.push(first);
          // The other members of the group become first where this one drops out: restrict
          // the arch-only ones to where they exist.
          for (const other of relation.alternatives) {
            if (other === alt || other.archList) continue;
            const r = archive.package(other.name.text) && archive.restriction(other.name.text);
            const e = r && restrictionEdit(other, r, false);
            if (e) edits.push(e);
          }
        }
        const message = `'${name}' ${where}${group}: restrict it${restriction ? ` to [${restriction.join(' ')}]` : ''}${instead}`;
        const f = first ? fix(`restrict '${name}' to [${(restriction as string[]).join(' ')}]`, edits) : undefined;
        if (f && !allParagraph) ctx.report({ at: [alt.name.start, alt.name.end], message, severity, fix: f });
        else ctx.report({ at: [alt.name.start, alt.name.end], message, severity, suggest: f ? [f] : undefined });
      }
    }
  },
};

export default rule;
