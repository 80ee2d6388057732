/**
 * Fragments of every file kind, each a few lines a porter meets in a Debian/StarlingX tree:
 * arch literals in every meaning, arch guards of each form the kind has, comments, directives,
 * continuation lines. A file is a sequence of fragments (see trees.ts). Written for these tests.
 */
import fc from 'fast-check';
import {
  anyPackage, archOnlyPackage, archWord, assetName, debArch, directive, efiBinary, gnuCpu, goName, indent, loader, multiarchPath,
  nonAscii, pick, plainPackage, prose, triplet, url, word, x86Arch,
} from './words.js';

type Frag = fc.Arbitrary<string>;
const lines = (...xs: string[]): string => `${xs.join('\n')}\n`;

// ---------------------------------------------------------------- make (rules, makefile)

const makeVar = pick('PLUGIN_DIR', 'LIBDIR', 'TOOLS_DEB', 'ARCH', 'KERNEL_PKG', 'CONF');
const makeOp = pick('=', ':=', '?=', '+=');
const hostVar = pick('DEB_HOST_ARCH', 'DEB_HOST_ARCH_CPU', 'DEB_HOST_GNU_TYPE', 'DEB_HOST_MULTIARCH', 'DEB_BUILD_ARCH', 'DEB_BUILD_MULTIARCH', 'DEB_BUILD_GNU_TYPE');
const x86Flag = pick('-msse4.2', '-mavx2', '-maes', '-mpclmul', '-march=x86-64', '-m64', '-mtune=generic', '-O2', '-Wall');

const makeBody: Frag = fc.oneof(
  fc.tuple(makeVar, makeOp, archWord).map(([v, op, a]) => `${v} ${op} ${a}`),
  fc.tuple(makeVar, makeOp, multiarchPath).map(([v, op, p]) => `${v} ${op} ${p}`),
  fc.tuple(indent, x86Flag).map(([i, f]) => `${i}CFLAGS += ${f}`),
  fc.tuple(makeVar, hostVar).map(([v, h]) => `${v} = /usr/lib/$(${h})/x`),
  fc.tuple(indent, pick('export', ''), x86Flag).map(([i, e, f]) => `${i}${e ? `${e} ` : ''}DEB_CFLAGS_MAINT_APPEND += ${f}`),
);

export const makeFragments: Frag[] = [
  fc.tuple(pick('', 'export '), makeVar, makeOp, archWord, pick('', '/x', '-unsigned')).map(([e, v, op, a, s]) => lines(`${e}${v} ${op} ${a}${s}`)),
  fc.tuple(makeVar, multiarchPath, prose).map(([v, p, c]) => lines(`${v} = ${p} # ${c}`)),
  fc.tuple(makeVar, url).map(([v, u]) => lines(`${v} = ${u}`)),
  fc.tuple(makeVar, word, debArch).map(([v, n, a]) => lines(`${v} = ${n}_$(VERSION)_${a}.deb`)),
  fc.tuple(hostVar, pick('ifeq', 'ifneq'), debArch, makeBody, fc.option(makeBody)).map(([h, op, a, b, e]) =>
    e === null ? lines(`${op} ($(${h}),${a})`, b, 'endif') : lines(`${op} ($(${h}),${a})`, b, 'else', e, 'endif'),
  ),
  fc.tuple(fc.subarray(['amd64', 'i386', 'arm64', 'x32'], { minLength: 1 }), pick('ifneq', 'ifeq'), makeBody).map(([as, op, b]) =>
    lines(`${op} (,$(filter ${as.join(' ')},$(DEB_HOST_ARCH)))`, b, 'endif'),
  ),
  fc.tuple(gnuCpu, makeBody).map(([c, b]) => lines(`ifeq ($(shell uname -m),${c})`, b, 'endif')),
  fc.tuple(pick('export ', ''), pick('DEB_CFLAGS_MAINT_APPEND', 'DEB_CXXFLAGS_MAINT_APPEND', 'CFLAGS'), fc.array(x86Flag, { minLength: 1, maxLength: 3 }), fc.array(x86Flag, { maxLength: 2 }), indent).map(
    ([e, v, a, b, i]) => (b.length ? lines(`${e}${v} = ${a.join(' ')} \\`, `${i}${b.join(' ')}`) : lines(`${e}${v} = ${a.join(' ')}`)),
  ),
  fc.tuple(pick('override_dh_auto_configure', 'override_dh_auto_install', 'build'), fc.oneof(triplet, multiarchPath, archWord), indent).map(([t, a, i]) =>
    lines(`${t}:`, `\tdh_auto_configure -- --host=${a} --libdir=/usr/lib64`, `${i === '\t' ? '\t' : '\t'}install -m 644 conf/${a}/x.conf debian/tmp/etc/`),
  ),
  fc.tuple(hostVar, pick('$(', '${')).map(([h, o]) => lines(`LIB = /usr/lib/${o}${h}${o === '$(' ? ')' : '}'}/plugins`)),
  pick(lines('include /usr/share/dpkg/architecture.mk'), lines('%:', '\tdh $@'), lines('#!/usr/bin/make -f'), lines('', '')),
  fc.tuple(directive, fc.oneof(makeBody, fc.constant('# nothing'))).map(([d, b]) => lines(`# ${d}`, b)),
  fc.tuple(makeVar, archWord, directive).map(([v, a, d]) => lines(`${v} := ${a} # ${d}`)),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(word, archWord).map(([n, a]) => lines(`define ${n.toUpperCase()}_RULE`, `\techo ${a}`, 'endef')),
  // an unterminated conditional or define: the file must be linted and never fixed
  fc.tuple(debArch, archWord).map(([a, w]) => lines(`ifeq ($(DEB_HOST_ARCH),${a})`, `X = ${w}`)),
  fc.tuple(word, loader).map(([n, l]) => lines(`${n.toUpperCase()} = ${l}`)),
  fc.tuple(x86Arch, nonAscii).map(([a, n]) => lines(`# ${n}: ${a}`, `NAME = ${n}-${a}`)),
];

// ---------------------------------------------------------------- debian/control

const relationTerm = fc.tuple(anyPackage, pick('', ' (>= 1.0)', ' [amd64]', ' [!s390x]', ' [linux-any]', ' [amd64 i386]', ' <!nocheck>', ' [any-amd64]', ':any')).map(([p, r]) => `${p}${r}`);
const relation = fc.tuple(relationTerm, fc.option(relationTerm)).map(([a, b]) => (b === null ? a : `${a} | ${b}`));
const relationField = fc.tuple(fc.array(relation, { minLength: 1, maxLength: 4 }), pick('inline', 'folded', 'comment')).map(([rs, style]) =>
  style === 'inline' ? ` ${rs.join(', ')}` : style === 'folded' ? ` ${rs[0]},\n${rs.slice(1).map((r) => `               ${r},`).join('\n')}`.replace(/,\n$/, '') : `\n# a comment line with ${rs.length}\n ${rs.join(',\n ')}`,
);
const architectureValue = fc.oneof(
  pick('any', 'all', 'amd64', 'amd64 i386', 'linux-any', 'any-amd64', 'amd64 arm64', 'i386', 'x32 amd64'),
  fc.subarray(['amd64', 'i386', 'arm64', 'armhf', 'ppc64el'], { minLength: 1 }).map((xs) => xs.join(' ')),
);

export const controlSource = fc.tuple(word, relationField, fc.option(relationField), fc.boolean()).map(([n, bd, bdi, comment]) => {
  const out = [`Source: ${n}`, 'Section: admin', 'Priority: optional'];
  if (comment) out.push('# build deps follow');
  out.push(`Build-Depends:${bd}`);
  if (bdi !== null) out.push(`Build-Depends-Indep:${bdi}`);
  out.push('Standards-Version: 4.5.1');
  return lines(...out);
});

export const controlBinary = (name: fc.Arbitrary<string>): Frag =>
  fc.tuple(name, architectureValue, fc.option(relationField), nonAscii, fc.option(directive)).map(([n, a, dep, na, d]) => {
    const out = [`Package: ${n}`];
    if (d !== null) out.push(`# ${d}`);
    out.push(`Architecture: ${a}`);
    if (dep !== null) out.push(`Depends: \${misc:Depends},${dep}`);
    out.push(`Description: the ${n} tools ${na}`, ` Longer text naming ${na} and x86_64.`, ' .', ' More.');
    return lines(...out);
  });

// ---------------------------------------------------------------- debhelper

export const debhelperLine: Frag = fc.oneof(
  fc.tuple(multiarchPath, pick('', ' usr/lib/', ' usr/share/foo/')).map(([p, d]) => `${p.replace(/^\//, '')}${d}`),
  fc.tuple(pick('usr/lib/${DEB_HOST_MULTIARCH}/libfoo.so.*', 'usr/bin/foo', 'etc/foo/*.conf', 'usr/lib/*/libbar.so.1')).map(([p]) => p),
  fc.tuple(archWord).map(([a]) => `usr/share/foo/${a}/data`),
  prose.map((c) => `# ${c}`),
  directive.map((d) => `# ${d}`),
  fc.constant(''),
  fc.tuple(archWord, nonAscii).map(([a, n]) => `opt/${n}/${a} usr/lib/`),
);

// ---------------------------------------------------------------- lists

/** Source dirs as a `debian_pkg_dirs` names them, some of them x86-only in the curated knowledge. */
export const sourceDir = pick('kernel-std', 'kernel-modules/qat', 'kernel-modules/intel-ice', 'tools/pcm', 'monitoring/collector', 'utilities/agent', 'kernel-modules/iavf', 'tools/dsa-setup', 'base/bash');
export const pkgDirsLine: Frag = fc.oneof(
  sourceDir,
  sourceDir,
  sourceDir.map((d) => `#${d}  # x86-only: Intel tool`),
  prose.map((c) => `# ${c}`),
  directive.map((d) => `# ${d}`),
  fc.constant(''),
  fc.tuple(sourceDir, indent).map(([d, i]) => `${d}${i}`),
);
export const pkgListLine: Frag = fc.oneof(
  anyPackage,
  archOnlyPackage,
  fc.tuple(anyPackage, pick('1.0-1', '2.06-3~deb11u5', '4.0+b2')).map(([p, v]) => `${p}  ${v}`),
  fc.tuple(anyPackage, pick('1.0-1', '1.07.1-2+b2'), url).map(([p, v, u]) => `${p}  ${v}  ${u}`),
  fc.tuple(word, debArch).map(([w, a]) => `${w}  1.0-1  https://snapshot.example.org/pool/main/${w}_1.0-1_${a}.deb`),
  prose.map((c) => `# ${c}`),
  directive.map((d) => `# ${d}`),
  fc.constant(''),
  archOnlyPackage.map((p) => `#${p}  # x86-only`),
);
export const wheelLine: Frag = fc.oneof(
  fc.tuple(word, pick('linux_x86_64', 'manylinux_2_17_aarch64', 'manylinux2014_x86_64', 'any', 'linux_aarch64'), pick('pypi', 'git', 'tar')).map(
    ([w, t, s]) => `${w}-1.0.0-cp39-cp39-${t}.whl|${s}|https://files.example.org/${w}/${w}-1.0.0.tar.gz|${w}-1.0.0`,
  ),
  fc.tuple(word, url).map(([w, u]) => `${w}-2.0-py3-none-any.whl|tar|${u}|${w}-2.0`),
  prose.map((c) => `# ${c}`),
  directive.map((d) => `# ${d}`),
  fc.constant(''),
);
export const seriesLine: Frag = fc.oneof(
  fc.tuple(pick('0001', '0002', '0003'), word).map(([n, w]) => `${n}-${w}.patch`),
  fc.tuple(pick('x86/', 'amd64/', 'arm64/', 'common/'), word).map(([d, w]) => `${d}0004-${w}-msr.patch`),
  fc.tuple(word).map(([w]) => `0005-${w}.patch -p1`),
  fc.tuple(pick('0001', '0002', '0003'), word).map(([n, w]) => `${n}-${w}-grub-efi-amd64-note.patch`),
  prose.map((c) => `# ${c}`),
  directive.map((d) => `# ${d}`),
  fc.constant(''),
);

// ---------------------------------------------------------------- shell

const shVar = pick('ARCH', 'OS_ARCH', 'arch', 'TARGET_ARCH', 'HOST');
const shArchSource = pick('$(uname -m)', '$(dpkg --print-architecture)', '${ARCH}', '"$ARCH"', '$(arch)', '`uname -m`');
const shStmt: Frag = fc.oneof(
  fc.tuple(url).map(([u]) => `curl -fsSL -o /tmp/x.tgz ${u}`),
  fc.tuple(multiarchPath).map(([p]) => `cp libfoo.so ${p}`),
  fc.tuple(archWord).map(([a]) => `echo "building for ${a}"`),
  fc.tuple(goName).map(([g]) => `tar xzf helm-v3-${g}.tar.gz`),
  fc.constant('dpkg --add-architecture i386'),
  fc.constant('apt-get install -y libc6:i386 grub-pc'),
  fc.tuple(debArch).map(([a]) => `docker pull --platform linux/${a} registry.example.org/pause-${a}:3.2`),
  fc.constant('exit 1'),
  fc.tuple(efiBinary).map(([e]) => `cp /boot/efi/EFI/BOOT/${e} "$dest"`),
  fc.tuple(loader).map(([l]) => `patchelf --set-interpreter ${l} bin/tool`),
);
export const shellFragments: Frag[] = [
  fc.tuple(shArchSource, gnuCpu, shStmt, gnuCpu, shStmt, indent).map(([src, a, s1, b, s2, i]) =>
    lines(`case ${src} in`, `${i}${a})`, `${i}${i}${s1}`, `${i}${i};;`, `${i}${b}|${b}*)`, `${i}${i}${s2} ;;`, `${i}*) echo "unsupported" >&2; exit 1 ;;`, 'esac'),
  ),
  fc.tuple(pick('[ ', '[[ ', 'test '), shVar, pick('=', '==', '!='), debArch, shStmt, fc.option(shStmt)).map(([open, v, op, a, s, e]) => {
    const close = open === '[ ' ? ' ]' : open === '[[ ' ? ' ]]' : '';
    const head = `if ${open}"$${v}" ${op} "${a}"${close}; then`;
    return e === null ? lines(head, `    ${s}`, 'fi') : lines(head, `    ${s}`, 'else', `    ${e}`, 'fi');
  }),
  fc.tuple(shVar, shArchSource).map(([v, s]) => lines(`${v}=${s}`)),
  fc.tuple(shStmt).map(([s]) => lines(s)),
  fc.tuple(shStmt, indent, url).map(([s, i, u]) => lines(`${s} \\`, `${i}--retry 3 \\`, `${i}${u}`)),
  fc.tuple(archWord, efiBinary).map(([a, e]) => lines('cat > /tmp/menu.cfg <<EOF', `menuentry "x" { linux /vmlinuz console=ttyS0 arch=${a} }`, `chainloader /EFI/BOOT/${e}`, 'EOF')),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive, shStmt).map(([d, s]) => lines(`# ${d}`, s)),
  fc.tuple(shStmt, directive).map(([s, d]) => lines(`${s} # ${d}`)),
  fc.tuple(gnuCpu, shStmt).map(([a, s]) => lines(`[ "$(uname -m)" = "${a}" ] && ${s}`)),
  fc.tuple(debArch, archWord).map(([a, w]) => lines(`sed -i 's/${a}/${w}/g' debian/control`)),
  pick(lines('#!/bin/bash'), lines('set -euo pipefail'), lines('')),
  fc.tuple(nonAscii, archWord).map(([n, a]) => lines(`echo '${n} ${a}'`)),
];

// ---------------------------------------------------------------- python

const pyStmt: Frag = fc.oneof(
  fc.tuple(url).map(([u]) => `urllib.request.urlretrieve('${u}', dest)`),
  fc.tuple(archWord).map(([a]) => `arch = '${a}'`),
  fc.tuple(multiarchPath).map(([p]) => `LIB = "${p}"`),
  fc.constant("raise RuntimeError('unsupported arch')"),
  fc.constant('pass'),
  fc.tuple(debArch, debArch).map(([a, b]) => `name = name.replace('${a}', '${b}')`),
  fc.constant("arch = subprocess.check_output(['dpkg', '--print-architecture']).decode().strip()"),
  fc.tuple(efiBinary).map(([e]) => `shutil.copy('/boot/efi/EFI/BOOT/${e}', dest)`),
);
export const pythonFragments: Frag[] = [
  fc.tuple(pick('platform.machine()', 'os.uname().machine', 'arch', 'ARCH'), pick('==', '!=', 'in', 'startswith'), gnuCpu, pyStmt, fc.option(pyStmt), indent).map(
    ([src, op, a, s, e, i]) => {
      const test = op === 'in' ? `${src} in ('${a}', 'amd64')` : op === 'startswith' ? `${src}.startswith('${a}')` : `${src} ${op} '${a}'`;
      return e === null ? lines(`if ${test}:`, `${i}${s}`) : lines(`if ${test}:`, `${i}${s}`, 'else:', `${i}${e}`);
    },
  ),
  fc.tuple(pyStmt).map(([s]) => lines(s)),
  fc.tuple(archWord, archWord).map(([a, b]) => lines(`ARCHES = {`, `    'x86_64': '${a}',`, `    'aarch64': '${b}',`, '}')),
  fc.tuple(url, indent).map(([u, i]) => lines(`URL = \\`, `${i}"${u}"`)),
  fc.tuple(archWord, nonAscii).map(([a, n]) => lines('"""', `Docstring ${n} mentions ${a}.`, '"""')),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive, pyStmt).map(([d, s]) => lines(`# ${d}`, s)),
  fc.tuple(pyStmt, directive).map(([s, d]) => lines(`${s}  # ${d}`)),
  pick(lines('import os', 'import platform', 'import subprocess'), lines('#!/usr/bin/env python3'), lines('')),
  fc.tuple(pick('debian_pkg_dirs', 'dl_path'), word).map(([k, w]) => lines(`def ${w}(d):`, `    return open(os.path.join(d, '${k}')).read()`)),
];

// ---------------------------------------------------------------- yaml

export const yamlFragments: Frag[] = [
  fc.tuple(assetName, url).map(([n, u]) => lines('dl_path:', `  name: ${n}`, `  url: ${u}`, '  sha256sum: 0123abcd')),
  fc.tuple(word, debArch).map(([w, a]) => lines('image:', `  repository: registry.example.org/${w}-${a}`, '  tag: 3.2')),
  fc.tuple(debArch).map(([a]) => lines('nodeSelector:', `  kubernetes.io/arch: ${a}`)),
  fc.tuple(fc.array(anyPackage, { minLength: 1, maxLength: 3 })).map(([ps]) => lines('packages:', ...ps.map((p) => `  - ${p}`))),
  fc.tuple(pick('intel-x86-64', 'qemuarm64', 'genericx86-64')).map(([m]) => lines(`machine: ${m}`)),
  fc.tuple(archWord, efiBinary).map(([a, e]) => lines('rootfs-post-scripts:', `  - |-`, `    echo ${a}`, `    cp ${e} /boot/efi/EFI/BOOT/`)),
  fc.tuple(debArch, archWord).map(([a, w]) => lines(`{% if arch == '${a}' %}`, `kernel: ${w}`, '{% endif %}')),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive, archWord).map(([d, a]) => lines(`# ${d}`, `arch: ${a}`)),
  fc.tuple(archWord, directive).map(([a, d]) => lines(`arch: ${a} # ${d}`)),
  fc.tuple(nonAscii, archWord).map(([n, a]) => lines(`description: "${n} ${a}"`)),
  pick(lines('---'), lines('debver: 1.0-1'), lines('')),
  fc.tuple(pick('bzImage', 'Image', 'vmlinuz'), pick('console=ttyS0', 'console=ttyAMA0')).map(([k, c]) => lines(`kernel: ${k}`, `bootargs: ${c},115200`)),
];

// ---------------------------------------------------------------- dockerfile

export const dockerFragments: Frag[] = [
  fc.tuple(pick('', '--platform=linux/amd64 ', '--platform=$BUILDPLATFORM ', '--platform=linux/arm64 '), pick('debian:bullseye', 'amd64/debian:bookworm', 'registry.example.org/base-amd64:1')).map(([p, i]) =>
    lines(`FROM ${p}${i}`),
  ),
  pick(lines('ARG TARGETARCH'), lines('ARG TARGETARCH=amd64'), lines('')),
  fc.tuple(url, indent).map(([u, i]) => lines(`RUN curl -fsSL ${u} \\`, `${i}| tar xz -C /usr/local/bin`)),
  fc.tuple(fc.array(anyPackage, { minLength: 1, maxLength: 3 }), indent).map(([ps, i]) => lines('RUN apt-get update && \\', `${i}apt-get install -y ${ps.join(' ')}`)),
  fc.tuple(multiarchPath).map(([p]) => lines(`ENV LD_LIBRARY_PATH=${p}`)),
  fc.tuple(archWord).map(([a]) => lines(`RUN echo ${a} > /etc/arch`)),
  fc.tuple(gnuCpu, url).map(([a, u]) => lines(`RUN if [ "$(uname -m)" = "${a}" ]; then \\`, `      curl -LO ${u}; \\`, '    fi')),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive, archWord).map(([d, a]) => lines(`# ${d}`, `ENV ARCH=${a}`)),
  fc.tuple(nonAscii, debArch).map(([n, a]) => lines(`LABEL description="${n}" arch=${a}`)),
  fc.tuple(goName).map(([g]) => lines(`COPY bin/${g}/tool /usr/bin/`)),
];

// ---------------------------------------------------------------- bootcfg

export const grubFragments: Frag[] = [
  fc.tuple(pick('console=ttyS0,115200', 'console=ttyAMA0', 'console=tty0'), pick('vmlinuz', 'bzImage'), indent, nonAscii).map(([c, k, i, n]) =>
    lines(`menuentry '${n} boot' {`, `${i}linux /${k} root=/dev/sda1 ${c}`, `${i}initrd /initrd.img`, '}'),
  ),
  fc.tuple(gnuCpu, efiBinary, indent).map(([a, e, i]) => lines(`if [ "\${grub_cpu}" = "${a}" ]; then`, `${i}chainloader /EFI/BOOT/${e}`, 'fi')),
  fc.tuple(efiBinary).map(([e]) => lines(`chainloader /EFI/BOOT/${e}`)),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive, efiBinary).map(([d, e]) => lines(`# ${d}`, `chainloader /EFI/BOOT/${e}`)),
  pick(lines('set timeout=5'), lines('insmod part_gpt'), lines(''), lines('set default=0')),
  fc.tuple(url).map(([u]) => lines(`# fetched from ${u}`, `linux (http)/${u.replace(/^https?:\/\//, '')}`)),
];
export const syslinuxFragments: Frag[] = [
  fc.tuple(word, pick('bzImage', 'vmlinuz'), pick('console=ttyS0', 'console=ttyAMA0,115200')).map(([l, k, c]) => lines(`label ${l}`, `  kernel ${k}`, `  append initrd=initrd.img ${c}`)),
  pick(lines('default vesamenu.c32'), lines('timeout 50'), lines('ui menu.c32'), lines('')),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive).map(([d]) => lines(`# ${d}`)),
];

// ---------------------------------------------------------------- puppet

const factExpr = pick("$facts['os']['architecture']", '$::architecture', "$facts['architecture']", '$::hardwaremodel', "$facts['os']['hardware']");
const ppStmt: Frag = fc.oneof(
  fc.tuple(archOnlyPackage).map(([p]) => `package { '${p}': ensure => installed }`),
  fc.tuple(url).map(([u]) => `$url = "${u}"`),
  fc.tuple(archWord).map(([a]) => `$arch = '${a}'`),
  fc.tuple(efiBinary).map(([e]) => `$loader = '${e}'`),
  fc.tuple(multiarchPath).map(([p]) => `file { '${p}': ensure => directory }`),
);
export const puppetFragments: Frag[] = [
  fc.tuple(factExpr, pick(...['amd64', 'x86_64', 'arm64', 'aarch64']), ppStmt, indent).map(([f, a, s, i]) =>
    lines(`case ${f} {`, `${i}'${a}': {`, `${i}${i}${s}`, `${i}}`, `${i}default: {}`, '}'),
  ),
  fc.tuple(factExpr, pick('amd64', 'x86_64', 'aarch64'), archWord, archWord).map(([f, a, x, y]) => lines(`$pkg = ${f} ? {`, `  '${a}' => '${x}',`, `  default => '${y}',`, '}')),
  fc.tuple(factExpr, pick('==', '!='), gnuCpu, ppStmt).map(([f, op, a, s]) => lines(`if ${f} ${op} '${a}' {`, `  ${s}`, '}')),
  fc.tuple(ppStmt).map(([s]) => lines(s)),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive, ppStmt).map(([d, s]) => lines(`# ${d}`, s)),
  fc.tuple(word, nonAscii).map(([w, n]) => lines(`class ${w} (`, `  String $note = '${n}',`, ') {', '}')),
];
export const erbFragments: Frag[] = [
  fc.tuple(pick('@architecture', "@facts['os']['architecture']", 'scope["::architecture"]'), pick('amd64', 'x86_64', 'arm64'), archWord).map(([v, a, w]) =>
    lines(`<% if ${v} == '${a}' -%>`, `arch=${w}`, '<% end -%>'),
  ),
  fc.tuple(pick('console=ttyS0', 'console=ttyAMA0'), efiBinary).map(([c, e]) => lines(`GRUB_CMDLINE_LINUX="${c}"`, `LOADER=${e}`)),
  fc.tuple(url).map(([u]) => lines(`URL=${u}`)),
  fc.tuple(prose).map(([c]) => lines(`<%# ${c} %>`)),
  fc.tuple(directive, archWord).map(([d, a]) => lines(`<%# ${d} %>`, `X=${a}`)),
  fc.tuple(nonAscii, archWord).map(([n, a]) => lines(`# ${n} ${a}`)),
];

// ---------------------------------------------------------------- kconfig

export const kconfigFragments: Frag[] = [
  pick(lines('#', '# Automatically generated file; DO NOT EDIT.', '# Linux/x86 6.6.0 Kernel Configuration', '#'), lines('# Linux/arm64 6.6.0 Kernel Configuration')),
  pick(lines('CONFIG_X86_64=y'), lines('CONFIG_64BIT=y'), lines('# CONFIG_ARM64 is not set'), lines('CONFIG_X86=y'), lines('CONFIG_ARM64=y')),
  fc.tuple(pick('console=ttyS0,115200', 'console=ttyAMA0')).map(([c]) => lines(`CONFIG_CMDLINE="${c}"`)),
  fc.tuple(pick('CONFIG_HZ', 'CONFIG_NR_CPUS'), pick('250', '512')).map(([k, v]) => lines(`${k}=${v}`)),
  fc.tuple(prose).map(([c]) => lines(`# ${c}`)),
  fc.tuple(directive).map(([d]) => lines(`# ${d}`)),
  fc.tuple(efiBinary).map(([e]) => lines(`CONFIG_EFI_STUB_NAME="${e}"`)),
];

export { archWord, debArch, gnuCpu, goName, nonAscii, plainPackage, word };
