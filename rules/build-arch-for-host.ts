/**
 * build-arch-for-host: the build machine's arch used where the host's is meant.
 * DEB_BUILD_ARCH, `dpkg --print-architecture` and `uname -m` describe the machine running
 * the build; the package is for DEB_HOST_ARCH (dpkg-architecture(1)). Natively they agree,
 * so the bug hides until someone cross-builds arm64 packages on an amd64 builder.
 * Left alone: `--build=$(DEB_BUILD_GNU_TYPE)`, `*_FOR_BUILD`, build-vs-host comparisons, and
 * the definitions of the DEB_BUILD_* variables themselves.
 */
import { triggerFrom, fix, fixOrSuggest, makeCode, makeVariableFix, replace, type Fix, type Rule } from '../src/rule-kit.js';

export const BUILD_VAR = /(?:(?<![\w])|(?<=[\s(]-q))DEB_BUILD_(ARCH(?:_CPU|_BITS|_ENDIAN|_OS|_ABI|_LIBC)?|GNU_CPU|GNU_TYPE|GNU_SYSTEM|MULTIARCH)(?!\w)/g;
export const COMMAND = /\$\(shell\s+(uname\s+-[mp]|arch|dpkg\s+--print-architecture)\s*\)|\$\$\(\s*(uname\s+-[mp]|arch|dpkg\s+--print-architecture)\s*\)|`\s*(uname\s+-[mp]|arch|dpkg\s+--print-architecture)\s*`/g;
/** Every match of BUILD_VAR or COMMAND holds one of these: a span of code without any is skipped. */
export const SPAN_LITERALS = ['DEB_BUILD_', '$(shell', '$$(', '`'];
/** What a definition of a host variable should ask instead of a build-machine command. */
const selfQuery = (variable: string): string => `$(shell dpkg-architecture -q${variable})`;

const OPERAND = String.raw`"?(?<!\$)\$+[({]?DEB_(?:BUILD|HOST)_\w+[)}]?"?`;
const COMPARE = new RegExp(`${OPERAND}[ \t]*(?:!=|==|=)[ \t]*${OPERAND}`, 'g');

const rule: Rule = {
  id: 'build-arch-for-host',
  description: "The build machine's architecture used where the host's is meant.",
  appliesTo: ['rules', 'makefile'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: {},
  trigger: triggerFrom(BUILD_VAR, COMMAND),
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
      if (!SPAN_LITERALS.some((l) => code.includes(l))) continue;
      const lineText = text.slice(line.start, line.end);
      // Definitions of the build variables, build tools, build-vs-host comparisons: correct as they are.
      if (line.assignment && /^DEB_BUILD_|_FOR_BUILD$/.test(line.assignment.name)) continue;
      const comparesHost =
        (line.kind === 'conditional' || line.kind === 'else') && /DEB_HOST_/.test(lineText) && /DEB_BUILD_/.test(lineText);
      // Shell cross checks in recipes: `[ "$(DEB_BUILD_ARCH)" = "$(DEB_HOST_ARCH)" ]`.
      const crossChecks = [...code.matchAll(COMPARE)]
        .filter((c) => /DEB_BUILD_/.test(c[0]) && /DEB_HOST_/.test(c[0]))
        .map((c): [number, number] => [span.start + c.index, span.start + c.index + c[0].length]);
      // `export DEB_BUILD_ARCH …` passes the variable on: no use of its value.
      if (line.kind === 'directive' && /^[ \t]*(?:export|unexport|undefine)[ \t]/.test(lineText)) continue;
      const a = line.assignment;
      const usage = a ? text.slice(a.valueStart, span.end) : code;
      for (const m of code.matchAll(BUILD_VAR)) {
        if (comparesHost) break;
        // A line naming DEB_HOST_X beside DEB_BUILD_X tells them apart on purpose (`building on … for …`).
        if (new RegExp(`DEB_HOST_${m[1]}(?!\\w)`).test(usage)) continue;
        const start = span.start + m.index;
        const end = start + m[0].length;
        if (/--build=\$[({]$/.test(text.slice(Math.max(0, start - 10), start))) continue;
        if (crossChecks.some(([s, e]) => start >= s && start < e)) continue;
        // `CC_FOR_BUILD=$(DEB_BUILD_GNU_TYPE)-gcc`: a tool for the build machine.
        if (/(?:^|[\s"'])\w+_FOR_BUILD=[^\s"']*$/.test(text.slice(line.start, start))) continue;
        const host = m[0].replace('DEB_BUILD_', 'DEB_HOST_');
        // `dpkg-architecture -qDEB_BUILD_ARCH` asks dpkg itself: nothing to define for the host name.
        const query = /(?:-q ?|--query )$/.test(text.slice(Math.max(0, start - 8), start));
        let f: Fix | undefined;
        if (query) f = fix(`use ${host}`, [replace(start, end, host)]);
        else if (a?.name === host) {
          // `DEB_HOST_ARCH ?= $(DEB_BUILD_ARCH)`: the variable cannot name itself; ask dpkg.
          const wrapped = /\$[({]$/.test(text.slice(start - 2, start)) && /^[)}]/.test(text.slice(end, end + 1));
          if (wrapped) f = fix(`ask dpkg-architecture for ${host}`, [replace(start - 2, end + 1, selfQuery(host))]);
        } else f = makeVariableFix(ctx, `use ${host}`, start, end, host, host);
        const asTest = ctx.make?.buildTests.some(([s, e]) => start >= s && start < e);
        ctx.report({
          at: [start, end],
          message: `${m[0]} is the build machine's ${asTest ? 'arch in this test' : 'value'}; the package is for the host: use ${a?.name === host && !query ? selfQuery(host) : host} (they differ when cross-building)`,
          ...(f ? fixOrSuggest(f) : {}),
        });
      }
      for (const m of code.matchAll(COMMAND)) {
        const cmd = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\s+/g, ' ');
        const start = span.start + m.index;
        const end = start + m[0].length;
        const variable = cmd.startsWith('dpkg') ? 'DEB_HOST_ARCH' : 'DEB_HOST_GNU_CPU';
        const f =
          a?.name === variable
            ? fix(`ask dpkg-architecture for ${variable}`, [replace(start, end, selfQuery(variable))])
            : makeVariableFix(ctx, `use $(${variable})`, start, end, variable);
        ctx.report({
          at: [start, end],
          message: `'${cmd}' reads the build machine, not the host the package is for: use ${a?.name === variable ? selfQuery(variable) : `$(${variable})`} (they differ when cross-building)`,
          suggest: [f],
        });
      }
    }
  },
};

export default rule;
