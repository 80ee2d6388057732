/**
 * hardcoded-arch: an arch name, GNU cpu or triplet literal in generic build logic.
 * `amd64` in debian/rules builds the amd64 thing on every arch; dpkg-architecture(1) gives
 * the host's value in DEB_HOST_ARCH, DEB_HOST_GNU_CPU, DEB_HOST_MULTIARCH, DEB_HOST_GNU_TYPE.
 * Guarded literals (inside `ifeq ($(DEB_HOST_ARCH),amd64)` and the like) stay silent.
 */
import {
  ARCH_LITERAL_TEXTS, ARCH_NAMES, alternativeArches, triggerFrom, archFacts, descriptionBuildArch, checkBootHardcodedArch, checkPuppetHardcodedArch, checkListArchNames, checkScriptHardcodedArch, debhelperArchLiterals, debhelperFix, debhelperPackageArches, debhelperReplacement, isExemptMakeLiteral,
  fixOrSuggest, makeArchLiterals, makeMappingFix, makeVariableFix, spanNamesEveryArch, spellingsText, vocabularyAt, dpkgVariableFor, unspelled, VOCABULARIES, fix, relationEntries, replace, restrictionEdit, scanArchLiterals, sourceDirArches,
  type ArchLiteral, type ArchName, type ControlParagraph, type Fix, type MakeLiteral, type Rule, type RuleContext,
} from '../src/rule-kit.js';

interface Replacement {
  variable?: string;
  /** The range to replace when wider than the literal (a whole Rust triple). */
  range?: [number, number];
  /** A per-arch mapping to define (DESIGN §2: no dpkg variable spells the name on every arch). */
  mapping?: { variable: string; spell: Partial<Record<ArchName, string>> };
  /** A make file to include for the variable, when not architecture.mk. */
  include?: string;
  /** Text to put instead of the literal, when not `$(variable)`. */
  text?: string;
  /** True when right for every configured arch and the context is plain. */
  safe: boolean;
  hint: string;
}

const TOOL_SUFFIX = /^-(gcc|g\+\+|cc|c\+\+|cpp|ld|ld\.bfd|ld\.gold|as|ar|nm|ranlib|strip|objcopy|objdump|readelf|pkg-config|gfortran|windres)\b/;

/**
 * The replacement of a literal spelled in another vocabulary than dpkg's (GRUB, Go, the kernel,
 * Rust, QEMU): the dpkg variable only where it spells every configured arch right, else a
 * per-arch mapping; no replacement where some arch has no such thing (BIOS GRUB on arm64).
 */
function vocabularyReplacement(ctx: RuleContext, lit: MakeLiteral): Replacement | undefined {
  const use = vocabularyAt(ctx.file.text, lit.start, lit.end);
  if (!use) return undefined;
  const facts = VOCABULARIES[use.vocab];
  const missing = unspelled(use.vocab, ctx.architectures);
  const spelled = `the ${facts.what} is ${spellingsText(ctx, use.vocab)}`;
  if (missing.length) return { safe: false, hint: `${spelled}: keep it under an arch guard` };
  if (use.vocab === 'rust') {
    return { variable: 'DEB_HOST_RUST_TYPE', range: [use.start, use.end], include: '/usr/share/rustc/architecture.mk', safe: false, hint: 'use $(DEB_HOST_RUST_TYPE) (include /usr/share/rustc/architecture.mk)' };
  }
  const variable = dpkgVariableFor(use.vocab, ctx.architectures);
  if (variable && use.vocab === 'qemu') {
    return { variable, safe: false, hint: `${spelled}: $(${variable}) names the host's own emulator (keep qemu-system-x86_64 where an x86 guest is meant)` };
  }
  if (variable) return { variable, safe: use.vocab === 'go', hint: `use $(${variable}) (${spelled})` };
  const mappingHint = `${facts.variable}_${ctx.architectures[0]} := ${facts.spell[ctx.architectures[0] as ArchName]} …, ${facts.variable} := $(${facts.variable}_$(DEB_HOST_ARCH))`;
  const never = use.vocab === 'grubCpu' ? '; never $(DEB_HOST_GNU_CPU), which gives aarch64 where GRUB wants arm64' : '';
  return { mapping: { variable: facts.variable, spell: facts.spell }, safe: false, hint: `${spelled}, which no dpkg variable gives${never}: map it per arch (${mappingHint})` };
}

function replacementFor(ctx: RuleContext, lit: MakeLiteral): Replacement {
  const text = ctx.file.text;
  const vocab = vocabularyReplacement(ctx, lit);
  if (vocab) return vocab;
  const before = text.slice(Math.max(lit.line.start, lit.start - 40), lit.start);
  const after = text.slice(lit.end, Math.min(lit.line.end, lit.end + 40));
  switch (lit.meaning) {
    case 'arch':
      return { variable: 'DEB_HOST_ARCH', safe: true, hint: 'use $(DEB_HOST_ARCH)' };
    case 'gnuCpu':
      if (/\bARCH\s*[:?]?=\s*$/.test(before)) {
        return { safe: false, hint: 'the kernel ARCH has no dpkg variable: map it from $(DEB_HOST_ARCH_CPU)' };
      }
      return { variable: 'DEB_HOST_GNU_CPU', safe: true, hint: 'use $(DEB_HOST_GNU_CPU)' };
    case 'triplet':
      if (/--build=$/.test(before)) return { variable: 'DEB_BUILD_GNU_TYPE', safe: true, hint: 'use $(DEB_BUILD_GNU_TYPE)' };
      if (/--(host|target)=$/.test(before) || TOOL_SUFFIX.test(after) || /CROSS_COMPILE\s*[:?]?=\s*$/.test(before)) {
        return { variable: 'DEB_HOST_GNU_TYPE', safe: true, hint: 'use $(DEB_HOST_GNU_TYPE) (for tools, prefer buildtools.mk and $(CC))' };
      }
      if (before.endsWith('/') || after.startsWith('/')) {
        return { variable: 'DEB_HOST_MULTIARCH', safe: true, hint: 'use $(DEB_HOST_MULTIARCH)' };
      }
      return { variable: 'DEB_HOST_MULTIARCH', safe: false, hint: 'use $(DEB_HOST_MULTIARCH) for paths, $(DEB_HOST_GNU_TYPE) for tools' };
    case 'loader':
      return { safe: false, hint: 'the dynamic loader is ld-linux-aarch64.so.1 on arm64; do not name it, or pick it per arch' };
    case 'psabi':
      return { safe: false, hint: 'x86-64 is an x86 ABI name; guard it with an arch conditional' };
    case 'lib64':
      return { variable: 'DEB_HOST_MULTIARCH', text: 'lib/$(DEB_HOST_MULTIARCH)', safe: false, hint: 'lib64 is the x86-64 multilib layout; Debian installs to /usr/lib/$(DEB_HOST_MULTIARCH)' };
  }
}

const RELATION_FIELDS = ['build-depends', 'build-depends-arch', 'build-depends-indep', 'depends', 'pre-depends', 'recommends'];

const wrongOnText = (wrongOn: readonly string[]): string => (wrongOn.length ? ` is wrong on ${wrongOn.join(', ')}` : '');

/** In a StarlingX deb_folder with a `placeholder`, an arch name in a package name becomes the placeholder. */
function placeholderFix(ctx: RuleContext, lit: ArchLiteral): Fix | undefined {
  if (!ctx.placeholder || lit.meaning !== 'arch' || !/(^|\/)deb_folder\//.test(ctx.file.path)) return undefined;
  return fix(`replace '${lit.text}' with ${ctx.placeholder}`, [replace(lit.start, lit.end, ctx.placeholder)]);
}

/**
 * debian/control: platform package names that carry an arch (`linux-headers-stx-amd64`, a
 * `Package:` name) and `:amd64` qualifiers. Names the archive knows are arch-only-dependency's.
 */
function checkControl(ctx: RuleContext): void {
  const control = ctx.control;
  if (!control) return;
  const text = ctx.file.text;
  const dirArches = sourceDirArches(ctx);
  const configured = (arches: readonly ArchName[]): ArchName[] => arches.filter((a) => ctx.architectures.includes(a) && dirArches.includes(a));
  for (const p of control.binaries) {
    const f = p.paragraph.get('Package');
    if (!f) continue;
    const m = /\S+/.exec(text.slice(f.valueStart, f.end));
    if (!m) continue;
    for (const lit of scanArchLiterals(m[0], f.valueStart + m.index)) {
      const wrongOn = configured(p.arches).filter((a) => !lit.arches.includes(a));
      if (wrongOn.length === 0) continue;
      const pf = placeholderFix(ctx, lit);
      ctx.report({
        at: [lit.start, lit.end],
        message: `package name '${m[0]}' names ${lit.text} and${wrongOnText(wrongOn)}: build it per arch${ctx.placeholder ? ` (${ctx.placeholder} in deb_folder)` : ''}, or limit its Architecture`,
        ...(pf ? { fix: pf } : {}),
      });
    }
  }
  for (const p of control.binaries) checkDescription(ctx, p, configured);
  for (const { paragraph, relation } of relationEntries(ctx, RELATION_FIELDS)) {
    for (const alt of relation.alternatives) {
      const reach = configured(alternativeArches(paragraph, alt));
      const q = alt.qualifier;
      if (q && ctx.architectures.includes(q.text as ArchName)) {
        const wrongOn = reach.filter((a) => a !== q.text);
        if (wrongOn.length) {
          ctx.report({
            at: [q.start - 1, q.end],
            message: `':${q.text}' pins the ${q.text} package, which${wrongOnText(wrongOn)}: drop the qualifier (or use :native for a build tool)`,
            suggest: [fix(`drop ':${q.text}'`, [replace(q.start - 1, q.end, '')])],
          });
        }
      }
      if (ctx.archive.package(alt.name.text)) continue;
      // A cross toolchain names its target (`gcc-arm-linux-gnueabihf [arm64]` builds arm64's compat vDSO).
      if (/^(?:gcc|g\+\+|cpp|gfortran|binutils)(?:-\d+)?-[a-z0-9_]+-linux-gnu\w*$/.test(alt.name.text)) continue;
      const allBinary = paragraph.type === 'binary' && !!paragraph.architecture?.includes('all');
      for (const lit of scanArchLiterals(alt.name.text, alt.name.start)) {
        const wrongOn = reach.filter((a) => !lit.arches.includes(a));
        if (wrongOn.length === 0) continue;
        const own = configured(lit.arches);
        const pf = placeholderFix(ctx, lit);
        const head = `platform package '${alt.name.text}' names ${lit.text} and${wrongOnText(wrongOn)}: `;
        if (pf) {
          ctx.report({ at: [lit.start, lit.end], message: `${head}use ${ctx.placeholder}`, fix: pf });
          continue;
        }
        const otherName = (a: ArchName): string =>
          `${ctx.file.text.slice(alt.name.start, lit.start)}${lit.meaning === 'arch' ? a : archFacts(a).gnuCpu}${ctx.file.text.slice(lit.end, alt.name.end)}`;
        const canRename = lit.meaning === 'arch' || lit.meaning === 'gnuCpu';
        if (allBinary) {
          // dpkg-gencontrol rejects [arch] in the binary relations of an Architecture: all package (Policy §7.1);
          // an unrestricted alternative is valid there, and apt takes whichever exists: an arch
          // another alternative already serves (`…-amd64 | …-arm64`) is covered.
          const covered = (a: ArchName): boolean =>
            relation.alternatives.some((o) => o !== alt && scanArchLiterals(o.name.text).every((l) => l.arches.includes(a)));
          const uncovered = wrongOn.filter((a) => !covered(a));
          if (uncovered.length === 0) continue;
          const group = canRename ? [alt.name.text, ...uncovered.map(otherName)].join(' | ') : undefined;
          const last = relation.alternatives[relation.alternatives.length - 1] ?? alt;
          ctx.report({
            at: [lit.start, lit.end],
            message: `${head}an Architecture: all package cannot restrict its relations by arch: ` +
              `${group ? `add an alternative ('${group}'), ` : ''}restrict the package's own Architecture, or exclude its source dir on ${uncovered.join(', ')}`,
            suggest: group ? [fix('add the other arch\'s package as an alternative', [replace(last.end, last.end, ` | ${uncovered.map(otherName).join(' | ')}`)])] : undefined,
          });
          continue;
        }
        // One relation per arch, each restricted to its arch (DESIGN §2): the other names follow the convention.
        const perArch = relation.alternatives.length === 1 && !alt.archList && canRename
          ? ctx.architectures.filter((a) => reach.includes(a) || lit.arches.includes(a)).map((a) => `${otherName(a)}${ctx.file.text.slice(alt.name.end, alt.end)} [${a}]`)
          : undefined;
        if (perArch && perArch.length > 1) {
          ctx.report({
            at: [lit.start, lit.end],
            message: `${head}depend on each arch's package, restricted to its arch: '${perArch.join(', ')}' (check that the ${wrongOn.join('/')} name exists)`,
            suggest: [fix('one relation per arch', [replace(alt.start, alt.end, perArch.join(', '))])],
          });
          continue;
        }
        const restrict = own.length ? restrictionEdit(alt, own, false) : undefined;
        ctx.report({
          at: [lit.start, lit.end],
          message: `${head}restrict it to [${own.join(' ') || lit.text}], or depend on the package built for each arch`,
          suggest: restrict ? [fix(`restrict to [${own.join(' ')}]`, [restrict])] : undefined,
        });
      }
    }
  }
}

/**
 * A Description that states the package's build arch (`using the amd64 processors`) is wrong in
 * the other arches' packages. dpkg-gencontrol substitutes `${Arch}`, the host arch, in every
 * field but Package, Source and Architecture (deb-substvars(5)); an `Architecture: all` package
 * is built once, on whatever machine, so there the phrase goes.
 */
function checkDescription(ctx: RuleContext, p: ControlParagraph, configured: (arches: readonly ArchName[]) => ArchName[]): void {
  const text = ctx.file.text;
  const all = !!p.architecture?.includes('all');
  const restricted = !all && !!p.architecture && !p.architecture.some((w) => w === 'any' || w === 'linux-any');
  // A stanza limited to its arch on purpose (a per-arch package, one the archive or curated list knows): its own arches.
  const names = [p.name, ctx.control?.source?.name].filter((n): n is string => !!n);
  const deliberate = restricted && (
    scanArchLiterals(p.name ?? '').some((l) => l.arches.some((a) => p.arches.includes(a))) ||
    ctx.architectures.some((a) => !p.arches.includes(a) && names.some((n) => ctx.archive.missingOn(n, a))));
  const reach = configured(deliberate ? p.arches : ARCH_NAMES);
  for (const ph of descriptionBuildArch(text, p)) {
    const lit = ph.literal;
    const wrongOn = reach.filter((a) => !lit.arches.includes(a));
    if (!wrongOn.length) continue;
    const phrase = text.slice(ph.start, ph.end).replace(/\s+/g, ' ');
    const head = `Description says the package is built for ${lit.text} ('${phrase}'), which${wrongOnText(wrongOn)}`;
    if (all) {
      ctx.report({
        at: [lit.start, lit.end],
        message: `${head}: an Architecture: all package is built once for every arch (\${Arch} there is the build machine's arch): drop the phrase`,
        severity: 'info',
        suggest: [fix(`drop '${phrase}'`, [replace(ph.dropStart, ph.end, '')])],
      });
      continue;
    }
    const f = fix(`replace '${lit.text}' with \${Arch}`, [replace(lit.start, lit.end, '${Arch}')]);
    const exact = lit.meaning === 'arch';
    ctx.report({
      at: [lit.start, lit.end],
      message: `${head}: use \${Arch} (dpkg-gencontrol substitutes the host arch in the Description, deb-substvars(5))` +
        (exact ? '' : `; \${Arch} gives the Debian arch name (${wrongOn[0]}), not a cpu name like ${lit.text}`),
      severity: 'info',
      ...(exact ? { fix: f } : { suggest: [f] }),
    });
  }
}

/** Debhelper list files: `${DEB_HOST_*}` at compat ≥ 13, the placeholder in deb_folder, else a suggestion. */
function checkDebhelper(ctx: RuleContext): void {
  const reach = debhelperPackageArches(ctx).filter((a) => ctx.architectures.includes(a));
  for (const lit of debhelperArchLiterals(ctx)) {
    const wrongOn = reach.filter((a) => lit.lineArches.includes(a) && !lit.arches.includes(a));
    if (wrongOn.length === 0 || spanNamesEveryArch(ctx, lit.lineStart, lit.lineEnd)) continue;
    const r = debhelperReplacement(ctx, lit);
    const what = lit.meaning === 'lib64' ? 'x86-64 library path' : lit.meaning === 'loader' ? 'dynamic loader path' : 'architecture';
    const message = `hardcoded ${what} '${lit.text}'${wrongOnText(wrongOn)}: ${r.hint}`;
    const f = debhelperFix(lit, r);
    if (f && r.safe) ctx.report({ at: [lit.start, lit.end], message, fix: f });
    else ctx.report({ at: [lit.start, lit.end], message, suggest: f ? [f] : undefined });
  }
}

const rule: Rule = {
  id: 'hardcoded-arch',
  description: 'An architecture name, GNU cpu or triplet hardcoded in generic build logic.',
  appliesTo: ['rules', 'makefile', 'control', 'debhelper', 'pkg-list', 'pkg-dirs', 'yaml', 'bootcfg', 'shell', 'python', 'dockerfile', 'puppet'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: {},
  trigger: triggerFrom(ARCH_LITERAL_TEXTS),
  docs: {
    rationale:
      'A literal `amd64`, `x86_64` or `x86_64-linux-gnu` in packaging builds, installs or downloads the amd64 ' +
      'thing on every architecture, so the arm64 build fails or ships the wrong files. dpkg-architecture(1) ' +
      'gives the host values: `$(DEB_HOST_ARCH)`, `$(DEB_HOST_GNU_CPU)`, `$(DEB_HOST_MULTIARCH)` (paths), ' +
      '`$(DEB_HOST_GNU_TYPE)` (toolchains). A literal inside a conditional that only that arch reaches is ' +
      'correct and stays silent; `amd64` in the `else` of `ifeq ($(DEB_HOST_ARCH),amd64)` is still a finding. ' +
      'The fix adds `include /usr/share/dpkg/architecture.mk` to debian/rules (or `VAR ?= $(shell dpkg-architecture -qVAR)` ' +
      'to other make files) when the variable is not defined yet. In debian/control, platform package names that carry an ' +
      'arch (`linux-headers-stx-amd64`) and `:amd64` qualifiers are reported unless the entry or its paragraph is limited to ' +
      'that arch. In debhelper list files (install, dirs, links …) the fix is `${DEB_HOST_MULTIARCH}` / `${DEB_HOST_ARCH}` ' +
      'from compat 13 on, the `placeholder` in StarlingX deb_folder files, else a suggestion (a `usr/lib/*/` glob). ' +
      'A binary package\'s Description that states its build arch (`built for the Linux kernel using the amd64 processors`) ' +
      'is reported at info: dpkg-gencontrol substitutes `${Arch}`, the host arch, in every field but Package, Source and ' +
      'Architecture (deb-substvars(5)), so the fix writes `${Arch}`; in an `Architecture: all` package `${Arch}` would be ' +
      'the build machine\'s, so the suggestion drops the phrase. A sentence that names several arches lists what is ' +
      'supported and stays silent, as does a stanza limited to that arch on purpose.',
    bad: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\n%:\n\tdh $@\n\noverride_dh_auto_install:\n\tinstall -d debian/tmp/usr/lib/x86_64-linux-gnu/foo\n',
    },
    good: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\n%:\n\tdh $@\n\noverride_dh_auto_install:\n' +
        '\tinstall -d debian/tmp/usr/lib/$(DEB_HOST_MULTIARCH)/foo\nifeq ($(DEB_HOST_ARCH),amd64)\n\tcp amd64-only.conf debian/tmp/etc/\nendif\n',
    },
  },
  check(ctx) {
    const text = ctx.file.text;
    if (ctx.kind === 'pkg-list' || ctx.kind === 'pkg-dirs') return checkListArchNames(ctx);
    if (ctx.kind === 'yaml' || ctx.kind === 'bootcfg') return checkBootHardcodedArch(ctx);
    if (ctx.kind === 'shell' || ctx.kind === 'python' || ctx.kind === 'dockerfile') return checkScriptHardcodedArch(ctx);
    if (ctx.kind === 'puppet') return checkPuppetHardcodedArch(ctx);
    if (ctx.kind === 'control') return checkControl(ctx);
    if (ctx.kind === 'debhelper') return checkDebhelper(ctx);
    for (const lit of makeArchLiterals(ctx)) {
      if (isExemptMakeLiteral(ctx, lit)) continue;
      const wrongOn = ctx.architectures.filter((a) => !lit.arches.includes(a));
      const r = replacementFor(ctx, lit);
      const what = lit.meaning === 'lib64' ? 'x86-64 library path' : lit.meaning === 'loader' ? 'dynamic loader path' : 'architecture';
      const message = `hardcoded ${what} '${lit.text}'${wrongOn.length ? ` is wrong on ${wrongOn.join(', ')}` : ''}: ${r.hint}`;
      if (lit.comment) {
        ctx.report({ at: [lit.start, lit.end], message });
        continue;
      }
      let proposed: Fix | undefined;
      const a = lit.line.assignment;
      if (r.mapping) {
        proposed = makeMappingFix(ctx, `replace '${lit.text}' with $(${r.mapping.variable}), mapped per arch`, lit.start, lit.end, r.mapping.variable, r.mapping.spell);
      } else if (r.include && r.variable) {
        const [s, e] = r.range ?? [lit.start, lit.end];
        const make = ctx.make;
        const edits = [replace(s, e, `$(${r.variable})`)];
        if (make && !make.defines(r.variable) && !make.includes(r.include.replace(/^.*\/share\//, ''))) edits.push(replace(make.headerEnd, make.headerEnd, `include ${r.include}${ctx.file.eol}`));
        proposed = fix(`replace '${text.slice(s, e)}' with $(${r.variable})`, edits);
      } else if (r.variable && a && a.name === r.variable) {
        // `DEB_HOST_ARCH ?= amd64`: the variable cannot name itself.
        proposed = fix(`ask dpkg-architecture for ${r.variable}`, [
          replace(lit.start, lit.end, `$(shell dpkg-architecture -q${r.variable})`),
        ]);
        r.safe = false;
      } else if (r.variable) {
        proposed = makeVariableFix(ctx, `replace '${lit.text}' with ${r.text ?? `$(${r.variable})`}`, lit.start, lit.end, r.variable, r.text);
      }
      const reach = ctx.guards.reachAt(lit.start);
      // Inside an arch conditional or a non-arch test the author chose the literal: offer, do not apply.
      const plain = !reach.guarded && lit.line.kind !== 'conditional' && lit.line.kind !== 'else';
      if (proposed && r.safe && plain) ctx.report({ at: [lit.start, lit.end], message, ...fixOrSuggest(proposed) });
      else ctx.report({ at: [lit.start, lit.end], message, suggest: proposed ? [proposed] : undefined });
    }
  },
};

export default rule;
