/**
 * control-architecture: a binary paragraph whose `Architecture:` names some but not all of the
 * configured arches, so the package is never built on the others (deb-src-control(5)). The
 * real arm64 port appended `arm64`; wildcards (`linux-any`, `any`) are the other style. When
 * the package is known not to build there (curated or archive data), the change is only a
 * suggestion; when it repackages prebuilt x86 binaries, the download must be ported first (no
 * fix); a source dir not built there at all (curated x86-only, left out of the arch's twin
 * list) is silent. Arch-only Build-Depends do not block the fix: `arch-only-dependency`
 * restricts them in the same run.
 */
import {
  triggerFrom,
  archSpecMatches, fix, prebuiltX86, replace, scanArchLiterals, sourceDirScope,
  type Rule,
} from '../src/rule-kit.js';

const STYLES = ['append', 'any', 'linux-any'];

const rule: Rule<{ style: string }> = {
  id: 'control-architecture',
  description: 'An Architecture: field that names some but not all of the architectures.',
  appliesTo: ['control'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: { style: 'append' },
  trigger: triggerFrom('Architecture'),
  docs: {
    rationale:
      'A binary package with `Architecture: amd64` is never built on arm64: the build tools skip it and everything that ' +
      'depends on it fails to install. The fix appends the missing arches (`amd64 arm64`, what the StarlingX arm64 port did); ' +
      'option `style` chooses `any` or `linux-any` instead. A package curated or archived as arch-only ' +
      'gets a suggestion only; a package that repackages prebuilt x86 binaries (an x86 download in its meta_data.yaml, a ' +
      'prebuilt `*-amd64` file its rules install, a qemu-system-x86 dependency) needs the arm64 download first, or to be ' +
      'excluded there: no fix. A source dir curated as x86-only or left out of an arch\'s twin list is silent (the list entry ' +
      'that still builds it says so). `all`, `any` and wildcards that cover every configured arch are silent.',
    bad: { path: 'debian/control', text: 'Source: collectd-extensions\n\nPackage: collectd-extensions\nArchitecture: amd64\nDepends: ${misc:Depends}\n' },
    good: { path: 'debian/control', text: 'Source: collectd-extensions\n\nPackage: collectd-extensions\nArchitecture: amd64 arm64\nDepends: ${misc:Depends}\n' },
  },
  check(ctx) {
    const style = STYLES.includes(ctx.options.style) ? ctx.options.style : 'append';
    const text = ctx.file.text;
    for (const p of ctx.control?.binaries ?? []) {
      const field = p.paragraph.get('Architecture');
      if (!field || !p.architecture || p.architecture.includes('all')) continue;
      const covered = ctx.architectures.filter((a) => p.architecture?.some((w) => archSpecMatches(w, a)));
      const missing = ctx.architectures.filter((a) => !covered.includes(a));
      if (covered.length === 0 || missing.length === 0) continue;
      // A per-arch package (`linux-image-stx-amd64`, Architecture: amd64): the other arch has its own twin package.
      const named = scanArchLiterals(p.name ?? '').flatMap((l) => l.arches);
      if (named.length && covered.every((a) => named.includes(a))) continue;
      const words = [...text.slice(field.valueStart, field.end).matchAll(/[^\s#]+/g)];
      const firstWord = words[0];
      const lastWord = words[words.length - 1];
      if (!firstWord || !lastWord) continue;
      const start = field.valueStart + firstWord.index;
      const end = field.valueStart + lastWord.index + lastWord[0].length;
      const edit = style === 'append' ? replace(end, end, ` ${missing.join(' ')}`) : replace(start, end, style);
      const f = fix(style === 'append' ? `append ${missing.join(' ')}` : `use ${style}`, [edit]);
      const name = p.name ?? '';
      // A source dir only some arches build (curated x86-only, left out of a twin): by design; the list entry says so.
      const dir = sourceDirScope(ctx.file.path, ctx.project, ctx.archive, ctx.architectures);
      if (missing.every((a) => !dir.arches.includes(a))) continue;
      const prebuilt = prebuiltX86(ctx.project, ctx.file.path, p);
      if (prebuilt) {
        ctx.report({
          at: [start, end],
          message: `Architecture '${text.slice(start, end)}' leaves out ${missing.join(', ')}, and the package repackages prebuilt x86 binaries (${prebuilt}): ` +
            `add the ${missing.join('/')} download first, or exclude the package on ${missing.join(', ')}`,
        });
        continue;
      }
      // The package, or the source it comes from (`Source: opae-sdk`), known not to build there.
      const sourceName = ctx.control?.source?.name ?? '';
      const known = [name, sourceName].find((n) => n && missing.some((a) => ctx.archive.missingOn(n, a))) ?? name;
      const archOnly = missing.find((a) => ctx.archive.missingOn(known, a));
      const pkg = ctx.archive.package(known);
      const why = !archOnly || !pkg
        ? undefined
        : pkg.origin === 'archive' && pkg.source === sourceName
          // The archive only repeats this source's own declaration: no evidence it cannot build.
          ? `Debian's ${ctx.archive.suite} ${pkg.source} declares '${known}' for ${pkg.declared.join(' ')} only too`
          : `'${known}' is known not to build on ${archOnly} (${pkg.note ?? `Debian's ${ctx.archive.suite} archive`})`;
      const message = `Architecture '${text.slice(start, end)}' leaves out ${missing.join(', ')}: ${style === 'append' ? `append ${missing.join(' ')}` : `use ${style}`}` +
        (why ? `, if it can build there: ${why}` : '');
      if (why) ctx.report({ at: [start, end], message, suggest: [f] });
      else ctx.report({ at: [start, end], message, fix: f });
    }
  },
};

export default rule;
