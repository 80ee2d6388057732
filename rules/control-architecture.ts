/**
 * control-architecture: a binary paragraph whose `Architecture:` names some but not all of the
 * configured arches, so the package is never built on the others (deb-src-control(5)). The
 * real arm64 port appended `arm64`; wildcards (`linux-any`, `any`) are the other style. When
 * the package or its source dir is known not to build there (curated or archive data, or left
 * out of the arch's twin list), the change is only a suggestion. Arch-only Build-Depends do
 * not block the fix: `arch-only-dependency` restricts them in the same run.
 */
import { archSpecMatches, fix, replace, scanArchLiterals, type ArchName, type Rule, type RuleContext } from '../src/rule-kit.js';

const STYLES = ['append', 'any', 'linux-any'];

/** The source dir of a control file is excluded from an arch's twin list (`debian_pkg_dirs_arm64`). */
function excludedByTwin(ctx: RuleContext, arch: ArchName): string | undefined {
  const path = ctx.file.path;
  const cut = path.search(/\/debian\//);
  if (cut < 0) return undefined;
  const dir = path.slice(0, cut);
  for (const p of ctx.project.paths()) {
    if (!new RegExp(`^debian(?:_[a-z]+)?_pkg_dirs.*_${arch}$`).test(p.slice(p.lastIndexOf('/') + 1))) continue;
    const root = p.slice(0, p.lastIndexOf('/') + 1);
    if (!dir.startsWith(root)) continue;
    const rel = dir.slice(root.length);
    const entries = (q: string): string[] => (ctx.project.get(q)?.text ?? '').split(/\r?\n/).map((l) => l.trim());
    // Left out only if the generic list this twin replaces builds the dir (the rt twin says nothing of std dirs).
    const generic = p.replace(new RegExp(`_${arch}$`), '');
    if (ctx.project.get(generic) && !entries(generic).includes(rel)) continue;
    if (!entries(p).includes(rel)) return p;
  }
  return undefined;
}

const rule: Rule<{ style: string }> = {
  id: 'control-architecture',
  description: 'An Architecture: field that names some but not all of the architectures.',
  appliesTo: ['control'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: { style: 'append' },
  docs: {
    rationale:
      'A binary package with `Architecture: amd64` is never built on arm64: the build tools skip it and everything that ' +
      'depends on it fails to install. The fix appends the missing arches (`amd64 arm64`, what the StarlingX arm64 port did); ' +
      'option `style` chooses `any` or `linux-any` instead. A package that really cannot build on an arch — curated as ' +
      'x86-only (Intel QAT, iqvlinux, pcm…), restricted in the Debian archive, or left out of that arch\'s twin package list — ' +
      'gets a suggestion only. `all`, `any` and wildcards that cover every configured arch are silent.',
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
      const curatedDir = ctx.archive.dir(ctx.file.path);
      // The package, or the source it comes from (`Source: opae-sdk`), known not to build there.
      const sourceName = ctx.control?.source?.name ?? '';
      const known = [name, sourceName].find((n) => n && missing.some((a) => ctx.archive.missingOn(n, a))) ?? name;
      const archOnly = missing.find((a) => ctx.archive.missingOn(known, a));
      const twin = missing.map((a) => excludedByTwin(ctx, a)).find(Boolean);
      const why = curatedDir
        ? `its source dir is curated as ${curatedDir.arches.join('/')}-only (${curatedDir.reason})`
        : archOnly
          ? `'${known}' is known not to build on ${archOnly} (${ctx.archive.package(known)?.note ?? `Debian's ${ctx.archive.suite} archive`})`
          : twin
            ? `its source dir is left out of ${twin}`
            : undefined;
      const message = `Architecture '${text.slice(start, end)}' leaves out ${missing.join(', ')}: ${style === 'append' ? `append ${missing.join(' ')}` : `use ${style}`}` +
        (why ? `, if it can build there: ${why}` : '');
      if (why) ctx.report({ at: [start, end], message, suggest: [f] });
      else ctx.report({ at: [start, end], message, fix: f });
    }
  },
};

export default rule;
