/**
 * ambiguous-arch-match: an arch test that matches by glob or substring — `$(findstring
 * arm,$(DEB_HOST_ARCH))`, shell `arm*)`, python `'arm' in platform.machine()`, `x86*`. Such a
 * test meant for one arch also catches others (arm64, armhf and armel; x86_64 and x86), or
 * none: `uname -m` says `aarch64` on arm64, so `arm*)` never sees it. A test with another
 * source's spelling (`[ "$(uname -m)" = amd64 ]`) is a dead guard: it never matches at all.
 */
import { ARCH_SOURCE_WORDS, PYTHON_ARCH_SOURCE, ambiguousArchMatches, triggerAllOf, triggerByKind, triggerFrom, deadArchTests, fix, puppetDeadGuards, replace, type Rule } from '../src/rule-kit.js';

const rule: Rule = {
  id: 'ambiguous-arch-match',
  description: 'An arch test by glob or substring that also matches other architectures.',
  appliesTo: ['rules', 'makefile', 'shell', 'python', 'puppet'],
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  // a glob or substring test, or a dead one, is a test of an arch source (python's: one its guard reader reads)
  trigger: triggerByKind(['rules', 'makefile', 'shell', 'puppet'], triggerFrom(ARCH_SOURCE_WORDS), { python: triggerAllOf(PYTHON_ARCH_SOURCE) }),
  docs: {
    rationale:
      'A pattern like `arm*`, `x86*` or `*64`, or a substring test like `$(findstring arm,$(DEB_HOST_ARCH))` or ' +
      '`\'arm\' in platform.machine()`, matches more than the arch it was written for: `arm` is in arm64, armhf and ' +
      'armel, `x86` in x86_64 and x86. Worse, the spelling differs by source: `uname -m` and `platform.machine()` say ' +
      '`aarch64` on arm64, so `arm*)` after `case $(uname -m)` never matches it and arm64 falls into the x86 branch ' +
      'or the error. Name the exact value (`aarch64`, `arm64`, `x86_64`) for the spelling the test reads. ' +
      'A test with another source\'s spelling is a dead guard: `[ "$(uname -m)" = amd64 ]` and python ' +
      '`platform.machine() == \'arm64\'` never match on Linux (uname says `x86_64`, `aarch64`), and ' +
      '`dpkg --print-architecture` never says `x86_64`: the branch never runs on the arch it names. ' +
      'In Puppet the same holds for Facter on Debian: `$::architecture` says `amd64` on x86-64 but `aarch64` on ' +
      'arm64, `$::hardwaremodel` says `x86_64`/`aarch64`, so `$::architecture == \'arm64\'` never matches and its ' +
      'branch never runs (reported unless the same if-chain, case or selector also tests the right spelling).',
    bad: {
      path: 'build-tools/setup-loader.sh',
      text: '#!/bin/sh\ncase "$(uname -m)" in\n  x86_64) LOADER=grubx64.efi ;;\n  arm*) LOADER=grubaa64.efi ;;\nesac\necho "$LOADER"\n',
    },
    good: {
      path: 'build-tools/setup-loader.sh',
      text: '#!/bin/sh\ncase "$(uname -m)" in\n  x86_64) LOADER=grubx64.efi ;;\n  aarch64) LOADER=grubaa64.efi ;;\nesac\necho "$LOADER"\n',
    },
  },
  check(ctx) {
    if (ctx.kind === 'puppet') {
      // A Facter test that never matches on Debian ('arm64': Facter says aarch64) misses the arch it names.
      for (const d of puppetDeadGuards(ctx)) ctx.report({ at: [d.start, d.end], message: d.message, ...(d.fix ? { suggest: [d.fix] } : {}) });
      return;
    }
    for (const d of deadArchTests(ctx)) {
      const source = d.kind === 'arch' ? 'dpkg --print-architecture' : d.kind === 'gnuCpu' ? (ctx.kind === 'python' ? 'platform.machine()' : 'uname -m') : `the ${d.kind} value`;
      const says = d.meant.map((a, i) => `${d.exact[i]} on ${a}`).join(', ');
      ctx.report({
        at: [d.start, d.end],
        message: `'${d.literal}' never matches: ${source} says ${says}, so that branch never runs on the arch it names: test for ${d.exact.join(' or ')}`,
        ...(d.edit ? { suggest: [fix(`test for ${d.exact.join(', ')}`, [replace(d.edit.start, d.edit.end, d.edit.text)])] } : {}),
      });
    }
    for (const m of ambiguousArchMatches(ctx)) {
      const others = m.matches.filter((a) => !m.meant.includes(a));
      const source = m.valueKind === 'arch' ? 'the Debian arch' : m.valueKind === 'gnuCpu' ? (ctx.kind === 'python' ? 'platform.machine()' : 'uname -m') : `the ${m.valueKind} value`;
      const missed = m.meant.filter((a) => !m.hits.includes(a));
      let message: string;
      if (missed.length && m.exact.length) {
        message = `'${m.pattern}' never matches ${missed.join(', ')}: ${source} says ${m.exact.join(', ')} there; it matches ${others.join(', ') || 'other arches'} instead: test for ${m.exact.join(' or ')}`;
      } else if (m.meant.length) {
        message = `'${m.pattern}' matches ${m.meant.join(', ')} but also ${others.join(', ')}: test for the exact name${m.exact.length > 1 ? 's' : ''} ${m.exact.join(', ')}`;
      } else {
        message = `'${m.pattern}' matches ${m.matches.join(', ')}, none of them configured alone: name the exact arch it is for`;
      }
      const e = m.edit;
      ctx.report({
        at: [m.start, m.end],
        message,
        ...(e ? { suggest: [fix(`test for ${m.exact.join(', ')}`, [replace(e.start, e.end, e.text)])] } : {}),
      });
    }
  },
};

export default rule;
