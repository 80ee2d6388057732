/**
 * build-arch-for-host: the build machine's arch used where the host's is meant.
 * DEB_BUILD_ARCH, `dpkg --print-architecture` and `uname -m` describe the machine running
 * the build; the package is for DEB_HOST_ARCH (dpkg-architecture(1)). Natively they agree,
 * so the bug hides until someone cross-builds arm64 packages on an amd64 builder.
 * Left alone: `--build=$(DEB_BUILD_GNU_TYPE)`, `*_FOR_BUILD`, build-vs-host comparisons, and
 * the definitions of the DEB_BUILD_* variables themselves.
 */
import { makeCode, makeVariableFix, type Rule } from '../src/rule-kit.js';

const BUILD_VAR = /(?<![\w])DEB_BUILD_(ARCH(?:_CPU|_BITS|_ENDIAN|_OS|_ABI|_LIBC)?|GNU_CPU|GNU_TYPE|GNU_SYSTEM|MULTIARCH)(?!\w)/g;
const COMMAND = /\$\(shell\s+(uname\s+-[mp]|arch|dpkg\s+--print-architecture)\s*\)|\$\$\(\s*(uname\s+-[mp]|arch|dpkg\s+--print-architecture)\s*\)|`\s*(uname\s+-[mp]|arch|dpkg\s+--print-architecture)\s*`/g;

const rule: Rule = {
  id: 'build-arch-for-host',
  description: "The build machine's architecture used where the host's is meant.",
  appliesTo: ['rules', 'makefile'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: {},
  docs: {
    rationale:
      '`DEB_BUILD_ARCH`, `dpkg --print-architecture` and `uname -m` describe the machine running the build, ' +
      'not the one the package is for (`DEB_HOST_ARCH`, dpkg-architecture(1)). They agree on a native build, ' +
      'so the bug shows only when arm64 packages are cross-built on an amd64 machine: paths, flags and ' +
      'conditionals then pick amd64. `DEB_BUILD_*` is fixed to `DEB_HOST_*`; the commands get a suggestion. ' +
      '`--build=$(DEB_BUILD_GNU_TYPE)`, `*_FOR_BUILD` and build-versus-host comparisons are correct and left alone.',
    bad: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\n%:\n\tdh $@\n\n' +
        'override_dh_auto_install:\n\tdh_auto_install -- LIBDIR=/usr/lib/$(DEB_BUILD_MULTIARCH)\n',
    },
    good: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\n%:\n\tdh $@\n\n' +
        'override_dh_auto_configure:\n\tdh_auto_configure -- --build=$(DEB_BUILD_GNU_TYPE) --host=$(DEB_HOST_GNU_TYPE)\n\n' +
        'override_dh_auto_install:\n\tdh_auto_install -- LIBDIR=/usr/lib/$(DEB_HOST_MULTIARCH)\n',
    },
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const span of makeCode(ctx)) {
      if (span.comment) continue;
      const line = span.line;
      const code = text.slice(span.start, span.end);
      const lineText = text.slice(line.start, line.end);
      // Definitions of the build variables, build tools, build-vs-host comparisons: correct as they are.
      if (line.assignment && /^DEB_BUILD_/.test(line.assignment.name)) continue;
      if (/_FOR_BUILD\b/.test(lineText)) continue;
      const comparesHost =
        (line.kind === 'conditional' || line.kind === 'else') && /DEB_HOST_/.test(lineText) && /DEB_BUILD_/.test(lineText);
      for (const m of code.matchAll(BUILD_VAR)) {
        if (comparesHost) break;
        const start = span.start + m.index;
        const end = start + m[0].length;
        if (/--build=\$[({]$/.test(text.slice(Math.max(0, start - 10), start))) continue;
        const host = m[0].replace('DEB_BUILD_', 'DEB_HOST_');
        const f = makeVariableFix(ctx, `use ${host}`, start, end, host, host);
        const asTest = ctx.make?.buildTests.some(([s, e]) => start >= s && start < e);
        ctx.report({
          at: [start, end],
          message: `${m[0]} is the build machine's ${asTest ? 'arch in this test' : 'value'}; the package is for the host: use ${host} (they differ when cross-building)`,
          fix: f,
        });
      }
      for (const m of code.matchAll(COMMAND)) {
        const cmd = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\s+/g, ' ');
        const start = span.start + m.index;
        const end = start + m[0].length;
        const variable = cmd.startsWith('dpkg') ? 'DEB_HOST_ARCH' : 'DEB_HOST_GNU_CPU';
        const f = makeVariableFix(ctx, `use $(${variable})`, start, end, variable);
        ctx.report({
          at: [start, end],
          message: `'${cmd}' reads the build machine, not the host the package is for: use $(${variable}) (they differ when cross-building)`,
          suggest: [f],
        });
      }
    }
  },
};

export default rule;
