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
  createTwinsFix, entryParts, exclusions, foreignEmulator, genericEntry, listModel, listScope, ownQemuDrops, seriesSplitAdvice, twinIsRead, twinPath, twinReaderNote, twinsFixReport, yamlPackages,
  type ArchName, type Edit, type Rule, type RuleContext,
} from '../src/rule-kit.js';
import {
  ANSIBLE_PKG_MODULE, APT_INSTALL, LAT_APT_INSTALL, LAT_PACKAGE_KEYS, reachInImage, requiredWordGroups, triggerAllOf, triggerByKind, triggerFrom, x86ImageInstalls, type ListScope,
} from '../src/rule-kit.js';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const plural = (n: number, what: string): string => `${n} ${what}${what.endsWith('h') ? 'es' : 's'}`;

/**
 * The package lists of yaml files, read like any list (archive data, curated knowledge): a LAT
 * image yaml (`packages:`, `external-packages:`, `apt install` in its scripts) has no conditionals,
 * so an entry some arch cannot install goes into an arch-keyed twin (`base-bullseye_arm64.yaml`,
 * described, not written); an ansible `apt`/`package` task is kept off that arch by a task-level
 * `when:` on `ansible_architecture` (or a registered `dpkg --print-architecture`), and a guarded
 * task is silent. One finding per file.
 */
function checkYamlPackages(ctx: RuleContext): void {
  const packages = yamlPackages(ctx);
  const listed = new Set(packages.map((p) => p.name));
  for (const p of packages) {
    const reach = ctx.guards.reachAt(p.start).configured;
    // A system emulator installs everywhere, but emulates its own machines only (qemu-system-x86 on an arm64 host).
    const emu = foreignEmulator(p.name, reach, listed);
    if (emu) {
      const needs = emu.needs.map((n) => `${n.arch} needs ${n.pkg} (qemu-system-${n.target})`).join(', ');
      const where = p.flavour === 'lat'
        ? `add it to the ${emu.on.join(', ')} twin of this file (${emu.on.map((a) => base(twinPath(ctx.file.path, a))).join(', ')}: LAT image yaml has no conditionals; ${twinReaderNote(ctx.file.path, { reader: 'the image build' })})`
        : `install it in a task of its own under a \`when:\` on ansible_architecture`;
      const drops = [...new Set(emu.needs.map((n) => ownQemuDrops(ctx.project, n.pkg)).filter(Boolean))];
      ctx.report({
        at: [p.start, p.end],
        message: `package '${p.name}' installs on ${emu.on.join(', ')} but emulates ${emu.targets.join('/')} machines only: ${needs}: ${where}` +
          (drops.length ? `; the tree builds its own qemu without it (${drops.join('; ')}): build ${emu.needs.map((n) => n.pkg).join(', ')} there first` : ''),
        severity: 'warning',
      });
      continue;
    }
    const ex = exclusions(ctx, p.name, reach);
    if (!ex.length) continue;
    const arches = ex.map((e) => e.arch);
    const keep = ctx.architectures.filter((a) => reach.includes(a) && !arches.includes(a));
    const why = ex.map((e) => e.reason).join('; ');
    const where = p.flavour === 'lat'
      ? `exclude it on ${arches.join(', ')} in an arch-keyed twin (${arches.map((a) => base(twinPath(ctx.file.path, a))).join(', ')}: a copy of this file the ${arches.join(', ')} image build reads instead, LAT yaml having no conditionals; ${twinReaderNote(ctx.file.path, { reader: 'the image build' })})`
      : `install it in a task of its own under \`when: ansible_architecture ${keep.length === 1 ? `== '${keep[0] === 'amd64' ? 'x86_64' : keep[0] === 'arm64' ? 'aarch64' : keep[0]}'` : `not in [${arches.map((a) => `'${a === 'amd64' ? 'x86_64' : a === 'arm64' ? 'aarch64' : a}'`).join(', ')}]`}\``;
    ctx.report({
      at: [p.start, p.end],
      message: `package '${p.name}' cannot be installed on ${arches.join(', ')} (${why}): ${where}`,
      summary: (n) => `${n} packages this file installs cannot be installed on ${arches.join(', ')} — '${p.name}' (${why}) and ${n - 1} more: ${where.replace(/\bit\b/, 'them')}`,
      group: `yaml-${arches.join()}`,
    });
  }
}

/**
 * A Dockerfile whose image installs x86 hardware tooling a configured arch cannot have (pcm,
 * accel-config, opae): the image as a whole is for the arches that have it. One finding, at the
 * first such name; the engine reads the rest of the file as reached by the arches that build it.
 */
function checkDockerImage(ctx: RuleContext): void {
  const hw = x86ImageInstalls(ctx.file.text, ctx.archive, (o) => reachInImage(ctx.guards, o));
  const first = hw[0];
  if (!first) return;
  const lacks = ctx.architectures.filter((a) => hw.some((h) => h.lacks.includes(a)));
  const builds = ctx.architectures.filter((a) => !lacks.includes(a));
  const names = [...new Set(hw.map((h) => h.name))];
  const reasons = [...new Set(hw.flatMap((h) => h.hardware ? [`${h.name}: ${h.hardware}`] : []))];
  ctx.report({
    at: [first.start, first.end],
    message: `this image installs ${names.join(', ')} that ${lacks.join(', ')} does not have (${reasons.slice(0, 2).join('; ')}${reasons.length > 2 ? `; ${reasons.length - 2} more` : ''}): ` +
      `build it for ${builds.length ? builds.join(', ') : 'the arches that have them'} only (exclude it on ${lacks.join(', ')}), or replace them`,
    related: hw.slice(1).map((h) => ({ path: ctx.file.path, range: [h.start, h.end] as const })),
  });
}

const rule: Rule<{ archLists: string }> = {
  id: 'arch-only-list-entry',
  description: 'An entry in a generic package, package-dir or patch list that cannot build or install on (or is not meant for) one of the architectures.',
  appliesTo: ['pkg-dirs', 'pkg-list', 'series', 'yaml', 'dockerfile'],
  severity: 'error',
  fixable: 'fix',
  defaultOptions: { archLists: 'twin' },
  supersedes: ['hardcoded-arch', 'legacy-bios-boot'],
  // every entry of a list is looked up (archive, curated list, twins): always; yaml and Dockerfiles install packages by name
  // (yaml: a LAT list key, an `apt install` in its scripts, or an ansible apt/package task: each a key or a word)
  trigger: triggerByKind(['pkg-dirs', 'pkg-list', 'series'], 'always', {
    yaml: triggerAllOf([new RegExp(`^(?:${LAT_PACKAGE_KEYS.join('|')})$`), LAT_APT_INSTALL, ANSIBLE_PKG_MODULE].flatMap((re) => requiredWordGroups(re, 'split') ?? [undefined])),
    dockerfile: triggerFrom(APT_INSTALL),
  }),
  docs: {
    rationale:
      'StarlingX builds every dir of `debian_pkg_dirs*` and installs every package of `*_iso_image*.inc` and the `.lst` ' +
      'mirror lists on each architecture. An x86-only entry — an Intel QAT or PCM source dir, `grub-pc`, `syslinux`, ' +
      '`intel-microcode` — fails the arm64 build or image. The archive database (which packages a suite lacks on an arch, ' +
      'and why) and the curated list (x86-only `Architecture: all` packages and StarlingX source dirs) say which entries. ' +
      'The fix follows the porting convention: create the twin `<list>_<arch>` (`debian_pkg_dirs_arm64`, ' +
      '`debian_iso_image_arm64.inc`, `base-bullseye_arm64.lst`) as a copy of the generic list with each such entry ' +
      'commented out with its reason (`#tools/pcm  # x86-only: …`); the build tools use the twin instead of the generic ' +
      'list on that arch once they look up `<list>_<arch>` before `<list>` and keep other arches\' twins out of their ' +
      'globs (upstream StarlingX\'s `{distro}_pkg_dirs*` and `base-<codename>*.lst` readers do not yet; every message says so). A pinned `_amd64.deb` URL becomes the `_arm64.deb` build of the same version at the same pool ' +
      'path (only in archives that carry arm64, never for a binNMU): a twin that derives URLs is a suggestion that says ' +
      'how many, to check by running the downloader for arm64 once. An entry whose name carries the generic list\'s arch ' +
      '(`linux-image-6.12.0-1-amd64-unsigned`, `-rt-amd64`) gets the twin\'s arch in the twin, marked in a comment line ' +
      'above as a derived name to check, which makes the twin a suggestion too. A curated name covers its rt-kernel ' +
      'flavour (`iqvlinux-rt`), and a source dir without a control of its own is named by its meta_data.yaml `debname`. ' +
      'An `Architecture: all` package of x86 content (ovmf) installs everywhere: the finding asks for its counterpart ' +
      '(qemu-efi-aarch64) in the list arm64 installs when that list runs guests (a `qemu-system-*` emulator, `qemu-kvm`, ' +
      '`libvirt-daemon*`, `nova-compute*`), and is silent when nothing there runs one, when that list has it or there is none (seabios). All entries of a list are one finding at the first, ' +
      'the others related. In an existing twin, the fix comments the entries out there. Option `archLists: "report"` ' +
      'reports without a fix (trees without the twin convention). Lists in the codename layout ' +
      '(`debian_bullseye_pkg_dirs_std`, `debian_trixie_iso_image_std.inc`) get twins the same way, the arch appended last ' +
      'before any extension (`debian_bullseye_pkg_dirs_std_arm64`, `debian_trixie_iso_image_std_arm64.inc`), read in the ' +
      'same lookup order (`<list>_<build-type>_<arch>`, `<list>_<build-type>`, for std only `<list>_<arch>`, `<list>`). ' +
      'Once a twin exists, the generic list is what the other arches build: its entries are no findings for the twin\'s ' +
      'arch, the twin is checked instead, and arch-list-drift compares the two. Only twins something in the build reads ' +
      'are created: a quilt `series` gets one in `debian/<codename|all>/patches/` and `deb_patches/` (StarlingX\'s own ' +
      'tools), where a patch meant for some arches only (in an arch folder, `x86/0002-….patch`, or named `…_amd64.patch`) ' +
      'is commented out in the twin (a warning: the tree says where it applies, nothing says it breaks). dpkg-source ' +
      'reads `debian/patches/series` (and a `deb_folder/patches/series` copied there) as `series` or `<vendor>.series` ' +
      'only: there no twin is created, the message says to make the patch arch-conditional or apply it from debian/rules ' +
      'on its arches only, and a `series_<arch>` beside it is reported as read by nothing. A system emulator installs on every arch but emulates its own machines ' +
      'only: `qemu-system-x86` in a list for arm64 is reported (warning, no fix) unless the list also has arm64\'s emulator, ' +
      '`qemu-system-arm` (qemu-system-aarch64); where the tree builds its own qemu without it (a patch that removes the ' +
      '`qemu-system-arm` stanza, or `system_targets` limited to x86), the message says to build it there first. A source dir ' +
      'the tree holds is judged by its own packaging too: when every package is limited to other arches and it repackages ' +
      'prebuilt x86 binaries (an x86 download in its meta_data.yaml, a prebuilt `*-amd64` install, a qemu-system-x86 ' +
      'dependency), the entry is a finding; a restriction without such a signal is control-architecture\'s (append the ' +
      'arch) and the entry stays silent. ' +
      'Package lists inside yaml are read the same way: a LAT image yaml ' +
      '(`packages:`, `external-packages:`, `apt install` in `rootfs-pre-scripts`) has no conditionals, so the remedy is ' +
      'an arch-keyed twin (`base-bullseye_arm64.yaml`, described: a twin beside the file silences it); an ansible `apt` / ' +
      '`package` task\'s `name:` list is kept off an arch by a task-level `when:` on `ansible_architecture` (x86_64, ' +
      'aarch64) or on a registered `dpkg --print-architecture`, and a guarded task is silent. A Dockerfile whose ' +
      '`apt-get install` names x86 hardware tooling the curated list says arm64 does not have (pcm, accel-config, opae) ' +
      'builds an x86-only image: one finding at the first such name asks to build the image for amd64 only or replace ' +
      'them, and the rest of the file is read as reached by amd64 only (its other lines are not a port\'s change). A ' +
      'package the archive alone restricts (syslinux-utils) stays a line to guard in an image every arch builds.',
    bad: { path: 'debian_pkg_dirs', text: 'kernel-std\nkernel-modules/qat\nuserspace/initramfs-trigger\n' },
    good: { path: 'debian_pkg_dirs_arm64', text: 'kernel-std\n#kernel-modules/qat  # x86-only: builds the Intel QAT kernel modules\nuserspace/initramfs-trigger\n' },
  },
  check(ctx) {
    if (ctx.kind === 'yaml') return checkYamlPackages(ctx);
    if (ctx.kind === 'dockerfile') return checkDockerImage(ctx);
    const scope = listScope(ctx);
    if (!scope.arches.length) return;
    const report = ctx.options.archLists === 'report';
    const what = ctx.kind === 'pkg-dirs' ? 'source dir' : ctx.kind === 'series' ? 'patch' : 'package';
    const verb = ctx.kind === 'pkg-dirs' ? 'build' : ctx.kind === 'series' ? 'be patched with' : 'be installed';
    // a patch is not impossible on an arch: the tree says it is meant for others
    const cannot = ctx.kind === 'series' ? 'is not meant for' : `cannot ${verb} on`;
    const found = listModel(ctx.file, ctx.kind).entries.flatMap((line) => {
      const parts = entryParts(line.words, ctx.kind);
      const ex = parts ? exclusions(ctx, parts.name.text, scope.arches) : [];
      return parts && ex.length ? [{ line, parts, ex }] : [];
    });
    // Architecture: all with x86 content (ovmf): it installs there; what the other arches need is its counterpart.
    const names = ctx.kind === 'pkg-dirs' ? [] : listModel(ctx.file, ctx.kind).entries.map((l) => entryParts(l.words, ctx.kind)?.name.text ?? '');
    // Guest firmware matters only where something runs guests: without one, nothing needs the counterpart.
    const guests = names.find(runsGuests);
    for (const line of guests ? listModel(ctx.file, ctx.kind).entries : []) {
      const parts = entryParts(line.words, ctx.kind);
      const p = parts && ctx.archive.package(parts.name.text);
      if (!parts || !p || p.content !== 'x86') continue;
      const need = counterpartNeeds(ctx, scope, p.alternative, scope.arches.filter((a) => !p.declared.includes(a)));
      if (!need) continue;
      ctx.report({
        at: [parts.name.start, parts.name.end],
        message: `package '${parts.name.text}' has x86-only content (${p.note?.replace(/^x86-only content:\s*/, '')}); ${need.on.join(', ')} guests of ${guests} need ${p.alternative}: ` +
          `add ${p.alternative} ${need.where}; ${parts.name.text} itself installs on ${need.on.join(', ')} (Architecture: all) and may stay`,
        severity: 'info',
      });
    }
    // A system emulator installs everywhere, but emulates its own machines only (qemu-system-x86 on an arm64 host).
    const entries = ctx.kind === 'pkg-list' ? listModel(ctx.file, ctx.kind).entries : [];
    const listed = new Set(entries.map((l) => entryParts(l.words, ctx.kind)?.name.text ?? ''));
    for (const line of entries) {
      const parts = entryParts(line.words, ctx.kind);
      const emu = parts && foreignEmulator(parts.name.text, scope.arches, listed);
      if (!parts || !emu) continue;
      const needs = emu.needs.map((n) => `${n.arch} needs ${n.pkg} (qemu-system-${n.target})`).join(', ');
      const where = scope.own ? 'add it to this list' : `add it to this list, or to the ${emu.on.join(', ')} twin (${emu.on.map((a) => base(twinPath(ctx.file.path, a))).join(', ')})`;
      const drops = [...new Set(emu.needs.map((n) => ownQemuDrops(ctx.project, n.pkg)).filter(Boolean))];
      ctx.report({
        at: [parts.name.start, parts.name.end],
        message: `package '${parts.name.text}' installs on ${emu.on.join(', ')} but emulates ${emu.targets.join('/')} machines only: ${needs}: ${where}` +
          (drops.length ? `; the tree builds its own qemu without it (${drops.join('; ')}): build ${emu.needs.map((n) => n.pkg).join(', ')} there first` : ''),
        severity: 'warning',
      });
    }
    // debian/rules may apply the twin itself (`QUILT_SERIES=…/series_arm64 quilt push -a`): then it is read
    const rules = ctx.project.get(ctx.file.path.replace(/patches\/[^/]+$/, 'rules'));
    if (scope.own && !twinIsRead(ctx.file.path) && !rules?.text.includes(base(ctx.file.path))) {
      // `series_arm64` beside dpkg-source's series: the arch split it holds is never applied
      const first = listModel(ctx.file, ctx.kind).lines[0];
      ctx.report({
        at: [first?.start ?? 0, Math.max(first?.end ?? 0, (first?.start ?? 0) + 1)],
        message: `nothing reads ${base(ctx.file.path)}: ${seriesSplitAdvice('each patch whose use differs per arch', ctx.architectures.filter((a) => !scope.arches.includes(a)), scope.arches)}; then delete this file`,
        severity: 'warning',
      });
      return;
    }
    if (!found.length) return;
    if (scope.own) {
      // An arch-specific list (a twin): comment every such entry out, here, in one fix.
      const edits: Edit[] = found.flatMap(({ line, ex }) => [
        { range: [line.start, line.start] as const, text: '#' },
        { range: [line.end, line.end] as const, text: `  # ${(ex[0] as { reason: string }).reason}` },
      ]);
      const fix = report ? undefined : { description: `comment out ${ctx.kind === 'series' ? 'the patches not meant for' : 'what'} ${scope.arches.join(', ')}${ctx.kind === 'series' ? '' : ` cannot ${verb}`} in ${base(ctx.file.path)}`, edits };
      for (const { parts, ex } of found) {
        const on = ex.map((e) => e.arch).join(', ');
        const why = ex.map((e) => e.reason).join('; ');
        ctx.report({
          at: [parts.name.start, parts.name.end],
          message: `${what} '${parts.name.text}' ${cannot} ${on} (${why}), yet this list is for ${scope.arches.join(', ')}: comment it out with its reason`,
          ...(ctx.kind === 'series' ? { severity: 'warning' as const } : {}),
          summary: (n) => `${plural(n, what)} ${cannot} ${on}, yet this list is for ${scope.arches.join(', ')} — '${parts.name.text}' (${why}) and ${n - 1} more: comment them out with their reasons`,
          ...(fix ? { fix } : {}),
          related: genericEntry(ctx, scope, parts.name.text),
        });
      }
      return;
    }
    const dead = !twinIsRead(ctx.file.path);
    const twinsFix = report || dead ? undefined : createTwinsFix(ctx);
    const fix = twinsFix?.fix;
    for (const { parts, ex } of found) {
      const arches = ex.map((e) => e.arch);
      const twins = arches.map((a) => base(twinPath(ctx.file.path, a))).join(', ');
      const why = ex.map((e) => e.reason).join('; ');
      if (dead) {
        // dpkg-source's series: no twin can hold the split (nothing would read it)
        const keep = ctx.architectures.filter((a) => !arches.includes(a));
        ctx.report({
          at: [parts.name.start, parts.name.end],
          message: `${what} '${parts.name.text}' ${cannot} ${arches.join(', ')} (${why}), yet this series applies it on every arch: ${seriesSplitAdvice(`'${parts.name.text}'`, arches, keep)}`,
          summary: (n) => `${plural(n, what)} of this series ${cannot} ${arches.join(', ')} — '${parts.name.text}' (${why}) and ${n - 1} more —, yet it applies them on every arch: ${seriesSplitAdvice('each', arches, keep)}`,
          severity: 'warning',
          group: 'twin',
        });
        continue;
      }
      const where = fix
        ? `in ${twins} (created from this list, each commented out with its reason${twinsFix?.derived ? `; a suggestion, --fix --unsafe: it has ${twinsFix.derivedText} to check` : ''}; ${twinReaderNote(ctx.file.path)})`
        : `on ${arches.join(', ')}, e.g. in a twin list ${twins} (${twinReaderNote(ctx.file.path)})`;
      // a dir that repackages a prebuilt x86 download could build on arm64 from that arch's download
      const choice = ex.every((e) => e.choice);
      ctx.report({
        at: [parts.name.start, parts.name.end],
        message: ex.every((e) => e.port)
          ? `${what} '${parts.name.text}' ${cannot} ${arches.join(', ')} as the tree builds it (${why}): port its packaging to ${arches.join(', ')} (see control-architecture), or exclude it ${where}`
          : choice
          ? `${what} '${parts.name.text}' does not build on ${arches.join(', ')} as it is (${why}): add the ${arches.join(', ')} download to its meta_data.yaml, or exclude it ${where} and its packages from the image lists`
          : `${what} '${parts.name.text}' ${cannot} ${arches.join(', ')} (${why}): exclude it ${where}`,
        ...(ctx.kind === 'series' ? { severity: 'warning' as const } : {}),
        summary: (n) => (choice || twinsFix?.derivedText.includes('choice'))
          ? `${plural(n, what)} of this list do not build or install on ${arches.join(', ')} as they are — '${parts.name.text}' (${why}) and ${n - 1} more: ` +
            `where one repackages a prebuilt x86 download, add the ${arches.join(', ')} download to its meta_data.yaml, or exclude them ${where} and their packages from the image lists`
          : `${plural(n, what)} of this list ${cannot} ${arches.join(', ')} — '${parts.name.text}' (${why}) and ${n - 1} more: exclude them ${where}`,
        group: 'twin',
        ...twinsFixReport(twinsFix),
      });
    }
  },
};

/**
 * A package that runs virtual machine guests, and so loads guest firmware (ovmf, seabios): a QEMU
 * system emulator, libvirt's daemon, nova-compute.
 */
function runsGuests(name: string): boolean {
  return /^(qemu-system(-\S+)?|qemu-kvm|libvirt-daemon(-\S+)?|nova-compute(-\S+)?)$/.test(name);
}

/**
 * Where the arches that install an `Architecture: all` package of x86 content (ovmf) get its
 * counterpart (qemu-efi-aarch64): the list serving them (this one: a generic list whose other
 * arches have twins serves only its own arches, and a twin is checked on its own). Undefined
 * when there is no counterpart (seabios: nothing to add, keeping it is not wrong) or the list
 * already has it.
 */
function counterpartNeeds(ctx: RuleContext, scope: ListScope, alternative: string | undefined, on: readonly ArchName[]): { on: readonly ArchName[]; where: string } | undefined {
  if (!alternative || !on.length) return undefined;
  if (listModel(ctx.file, ctx.kind).entries.some((l) => entryParts(l.words, ctx.kind)?.name.text === alternative)) return undefined;
  const where = scope.own ? 'to this list' : `to the list ${on.join(', ')} installs: this one, or its twin ${on.map((a) => base(twinPath(ctx.file.path, a))).join(', ')} once there is one`;
  return { on, where };
}

export default rule;

