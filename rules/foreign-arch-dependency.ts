/**
 * foreign-arch-dependency: a dependency on another arch's package — a `:i386` qualifier, a
 * 32-bit compat library (`lib32*`, `libx32*`, `libc6-i386`). Those need an x86-64 host with
 * the i386 foreign arch (dpkg --add-architecture i386); an arm64 host cannot run them.
 */
import { ARCH_LITERAL_TEXTS, X86_FAMILY, triggerFrom, alternativeArches, checkScriptForeignArch, fix, relationEntries, restrictionEdit, sourceDirArches, type Rule } from '../src/rule-kit.js';

const FIELDS = ['build-depends', 'build-depends-arch', 'build-depends-indep', 'depends', 'pre-depends', 'recommends'];
const COMPAT_LIB = /^(lib32|libx32)|^libc6(-dev)?-(i386|amd64|x32)$/;
/** Foreign arches a host can install packages of (multiarch co-installable and runnable). */
const RUNS_ON: Record<string, string[]> = { amd64: ['i386', 'x32'], arm64: ['armhf', 'armel'] };

const rule: Rule = {
  id: 'foreign-arch-dependency',
  description: 'A dependency on another architecture\'s package (:i386, lib32*, libc6-i386).',
  appliesTo: ['control', 'shell'],
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  supersedes: ['hardcoded-arch'],
  // control: a qualifier or compat library in a relation field; shell: a foreign arch is one of ARCHES
  trigger: { control: triggerFrom(FIELDS), shell: triggerFrom(ARCH_LITERAL_TEXTS) },
  docs: {
    rationale:
      'A `:i386` qualifier or a 32-bit compat library (`lib32z1-dev`, `libc6-i386`, `libc6-dev-i386`) only installs on an ' +
      'x86-64 host that has the i386 foreign arch enabled; on arm64 it cannot be satisfied. Restrict the entry to the arches ' +
      'that can use it (`[amd64]`), or drop it if the 32-bit part is not needed. Entries already restricted to x86 are silent. ' +
      'In shell scripts: `dpkg --add-architecture i386` and `apt-get install pkg:i386` outside an amd64 test (adding a ' +
      'configured arch, as a cross-build host does, is right).',
    bad: { path: 'debian/control', text: 'Source: bootimage\nBuild-Depends: debhelper-compat (= 13), libc6-dev:i386, lib32stdc++-dev-stx\n' },
    good: { path: 'debian/control', text: 'Source: bootimage\nBuild-Depends: debhelper-compat (= 13), libc6-dev:i386 [amd64], lib32stdc++-dev-stx [amd64]\n' },
  },
  check(ctx) {
    if (ctx.kind === 'shell') return checkScriptForeignArch(ctx);
    const dirArches = sourceDirArches(ctx);
    for (const { paragraph, relation } of relationEntries(ctx, FIELDS)) {
      for (const alt of relation.alternatives) {
        const q = alt.qualifier?.text;
        const foreign = q && q !== 'any' && q !== 'native' && !ctx.architectures.includes(q as never) ? q : undefined;
        const compat = COMPAT_LIB.test(alt.name.text);
        if (!foreign && !compat) continue;
        const reach = alternativeArches(paragraph, alt).filter((a) => ctx.architectures.includes(a) && dirArches.includes(a));
        const usable = foreign ? (a: string): boolean => a === foreign || (RUNS_ON[a] ?? []).includes(foreign) : (a: string): boolean => a === 'amd64';
        const wrongOn = reach.filter((a) => !usable(a));
        if (wrongOn.length === 0) continue;
        const okOn = reach.filter(usable);
        const to = okOn.length ? okOn : X86_FAMILY.filter((a) => ctx.architectures.includes(a));
        const what = foreign ? `'${alt.name.text}:${foreign}' asks for the ${foreign} package` : `'${alt.name.text}' is a 32-bit compat library for x86-64 hosts`;
        if (paragraph.type === 'binary' && paragraph.architecture?.includes('all')) {
          // dpkg-gencontrol rejects [arch] in the binary relations of an Architecture: all package (Policy §7.1).
          ctx.report({
            at: [alt.start, alt.qualifier?.end ?? alt.name.end],
            message: `${what}: it cannot be installed on ${wrongOn.join(', ')}, and an Architecture: all package cannot restrict its relations by arch: ` +
              `drop it, restrict the package's own Architecture, or exclude its source dir on ${wrongOn.join(', ')}`,
          });
          continue;
        }
        const edit = to.length ? restrictionEdit(alt, to, false) : undefined;
        ctx.report({
          at: [alt.start, alt.qualifier?.end ?? alt.name.end],
          message: `${what}: it cannot be installed on ${wrongOn.join(', ')}; restrict it${to.length ? ` to [${to.join(' ')}]` : ''} or drop it`,
          suggest: edit ? [fix(`restrict to [${to.join(' ')}]`, [edit])] : undefined,
        });
      }
    }
  },
};

export default rule;
