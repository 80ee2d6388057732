/**
 * arch-only-dependency: a dependency in debian/control that does not exist on one of the
 * configured arches (DESIGN §5 archive data + curated list) and carries no restriction.
 * Buildds and sbuild resolve `[arch]` lists first and then take only the FIRST alternative
 * of a `|` group, so `grub-pc | grub-efi-arm64` fails on arm64 until grub-pc is restricted
 * (Debian Policy §7.1, deb-src-control(5), sbuild(1) "resolve_alternatives").
 */
import {
  triggerFrom,
  alternativeReaches, relationEntries, restrictionEdit, sourceDirArches, fix,
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
  // every relation field read holds `depends` or `recommends`; the package names are looked up in the archive
  trigger: triggerFrom(BUILD_FIELDS, BINARY_FIELDS),
  docs: {
    rationale:
      'A Build-Depends, Depends or Pre-Depends entry that Debian builds for x86 only (`grub-pc`, `syslinux`, `intel-microcode`, ' +
      '`gcc-multilib`, `linux-image-amd64`) makes the package unbuildable or uninstallable on arm64. Buildds and sbuild take only ' +
      'the first alternative of a `|` group, so `grub-pc | grub-efi-arm64` still fails there. The fix writes the restriction the ' +
      'source package declares (`grub-pc [amd64 i386] | grub-efi-arm64 [arm64]`), merged into an existing `[…]` and placed before ' +
      'any `<profile>`. When the archive declares the package for arm64 but has no arm64 binary (`not-built`), `[!arm64]` is ' +
      'offered as a suggestion. dpkg-gencontrol rejects `[arch]` in the binary relations of an `Architecture: all` package ' +
      '(Policy §7.1): there the advice is an unrestricted alternative (`grub-pc | grub-efi-arm64`), restricting the package\'s ' +
      'own Architecture, or excluding its source dir on that arch. A binary relation is satisfied by any of its alternatives; ' +
      'a package of the same control file takes its availability from its own stanza (control-architecture). The facts come ' +
      'from the Debian archive of the configured `suite` (default bullseye) and a curated list of platform packages (qat, ' +
      'opae…); names Debian does not know are never flagged, and `Architecture: all` packages with x86 content (ovmf, ' +
      'isolinux) install everywhere. Recommends are reported at info.',
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
      const binary = !BUILD_FIELDS.includes(field);
      const misses = new Map<Alternative, { arch: ArchName; reason: string }[]>();
      for (const arch of ctx.architectures) {
        if (!paragraph.arches.includes(arch) || !dirArches.includes(arch)) continue;
        const reaching = relation.alternatives.filter((alt) => alternativeReaches(paragraph, alt, arch));
        // A package of this control takes its availability from its own stanza (control-architecture judges that).
        const available = (alt: Alternative): boolean => !!ctx.control?.binary(alt.name.text) || !archive.missingOn(alt.name.text, arch);
        // apt takes any alternative of a binary relation; buildds only the first of a build relation.
        if (binary && reaching.some(available)) continue;
        const first = reaching[0];
        if (!first || ctx.control?.binary(first.name.text)) continue;
        const reason = archive.missingOn(first.name.text, arch);
        if (reason) misses.set(first, [...(misses.get(first) ?? []), { arch, reason }]);
      }
      for (const [alt, miss] of misses) {
        const name = alt.name.text;
        const pkg = archive.package(name);
        if (!pkg) continue;
        const on = miss.map((m) => m.arch);
        const notBuilt = miss.every((m) => m.reason === 'not-built');
        const allParagraph = binary && !!paragraph.architecture?.includes('all');
        const where = pkg.origin === 'curated'
          ? `is ${pkg.declared.join('/')}-only: ${pkg.note}`
          : notBuilt
            ? `is not built for ${on.join(', ')} in ${archive.suite} (its source ${pkg.source} declares ${pkg.declared.join(' ') || 'any'}, but the archive has no ${on.join('/')} binary)`
            : `does not exist on ${on.join(', ')} in ${archive.suite} (${pkg.source} builds it for ${pkg.declared.join(' ')})`;
        const instead = pkg.alternative ? `; on ${on.join(', ')} use ${pkg.alternative}` : '';
        const group = relation.alternatives.length > 1 && !binary ? ' (only the first alternative counts on buildds)' : '';
        const severity = field === 'recommends' ? 'info' : notBuilt ? 'warning' : undefined;
        if (allParagraph) {
          // dpkg-gencontrol rejects [arch] in the binary relations of an Architecture: all package (Policy §7.1).
          const other = pkg.alternative && !relation.alternatives.some((a) => a.name.text === pkg.alternative) ? pkg.alternative : undefined;
          const last = relation.alternatives[relation.alternatives.length - 1] as Alternative;
          ctx.report({
            at: [alt.name.start, alt.name.end],
            message: `'${name}' ${where}: an Architecture: all package cannot restrict its relations by arch (dpkg-gencontrol rejects it): ` +
              `${other ? `add an alternative ('${name} | ${other}'), ` : ''}restrict the package's own Architecture, or exclude its source dir on ${on.join(', ')}`,
            severity,
            suggest: other ? [fix(`add the alternative '${other}'`, [{ range: [last.end, last.end], text: ` | ${other}` }])] : undefined,
          });
          continue;
        }
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
        ctx.report({ at: [alt.name.start, alt.name.end], message, severity, ...(f ? { fix: f } : {}) });
      }
    }
  },
};

export default rule;
