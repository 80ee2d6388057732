/**
 * Small pieces the fragment generators build files from: arch literals in each of their
 * meanings, package names, non-ASCII words, directives. Written for these tests; no upstream text.
 */
import fc from 'fast-check';

export const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

/** Debian architecture names (dpkg-architecture's DEB_*_ARCH). */
export const debArch = pick('amd64', 'i386', 'arm64', 'armhf', 'ppc64el', 's390x', 'riscv64');
/** x86 Debian names only: what a guard for the build machine tests. */
export const x86Arch = pick('amd64', 'i386');
/** GNU cpus / `uname -m` spellings, and the loose aliases scripts test for. */
export const gnuCpu = pick('x86_64', 'aarch64', 'i686', 'x86', 'arm', 'armv7l', 'ppc64le', 'amd64');
/** GNU triplets (DEB_HOST_GNU_TYPE / DEB_HOST_MULTIARCH). */
export const triplet = pick('x86_64-linux-gnu', 'aarch64-linux-gnu', 'i386-linux-gnu', 'arm-linux-gnueabihf');
/** Multiarch paths and 64-bit library dirs. */
export const multiarchPath = fc.tuple(
  pick('/usr/lib/', '/lib/', '/usr/include/', 'usr/lib/', '/usr/libexec/'),
  triplet,
  pick('', '/', '/libfoo.so.1', '/pkgconfig', '/collectd/'),
).map(([a, b, c]) => `${a}${b}${c}`);
/** Go / release-asset spellings: `linux-amd64`, `linux_arm64`, `GOARCH=amd64`. */
export const goName = fc.tuple(pick('linux', 'darwin'), pick('-', '_', '/'), pick('amd64', 'arm64', '386', 'x86_64')).map(([o, s, a]) => `${o}${s}${a}`);
/** Dynamic loaders and EFI binaries. */
export const loader = pick('/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1', 'ld-linux-x86-64.so.2');
export const efiBinary = pick('grubx64.efi', 'shimx64.efi', 'bootx64.efi', 'BOOTX64.EFI', 'mmx64.efi', 'grubaa64.efi', 'bootia32.efi');

/** Any arch literal, in any of its meanings. */
export const archWord = fc.oneof(debArch, gnuCpu, triplet, multiarchPath, goName, loader, efiBinary, pick('x64', 'aa64', 'x86-64', 'lib64'));

/** Words that are not ASCII (including a surrogate pair: UTF-16 offsets must still line up). */
export const nonAscii = pick('café', 'naïve', 'Ünïcödé', '日本語', 'señal', 'Ωmega', '🚀', 'ß', 'Δ');

/** A plain word for names and values. */
export const word = pick('agent', 'collector', 'fmclient', 'tool', 'helper', 'base', 'plugin', 'shim', 'probe', 'mon');

/** A comment body: prose, maybe with an arch word or non-ASCII in it. */
export const prose = fc.tuple(pick('build the', 'note:', 'kept for', 'TODO', 'see', ''), fc.oneof(word, archWord, nonAscii), pick('', ' here', ' only', ' — really')).map(
  ([a, b, c]) => `${a} ${b}${c}`.trim(),
);

export const RULE_IDS = [
  'hardcoded-arch', 'x86-compiler-flag', 'build-arch-for-host', 'arch-in-download-url', 'arch-only-list-entry',
  'control-architecture', 'arch-only-dependency', 'legacy-bios-boot', 'x86-efi-binary', 'container-image-arch', 'no-such-rule',
];

/** A directive comment body (after the comment marker): next-line, line, block, with or without a reason. */
export const directive = fc.tuple(
  pick('disable-next-line', 'disable-line', 'disable', 'enable', 'disabel-next-line'),
  fc.subarray(RULE_IDS, { minLength: 1, maxLength: 2 }),
  pick('', ' -- kept for amd64 only', ' -- vendor tool, x86 only'),
).map(([verb, ids, why]) => `debarch-lint ${verb} ${ids.join(', ')}${why}`);

/** Packages the archive builds for some arches only (x86 boot and hardware tools), and ordinary ones. */
export const archOnlyPackage = pick('grub-pc', 'syslinux', 'isolinux', 'intel-microcode', 'libipsec-mb-dev', 'cpuid', 'memtest86+', 'pcm', 'qemu-system-x86', 'grub-efi-amd64', 'linux-image-amd64');
export const plainPackage = pick('nasm', 'bc', 'tree', 'openssh-server', 'libssl-dev', 'python3', 'curl', 'grub-efi-arm64', 'debhelper-compat (= 13)');
export const anyPackage = fc.oneof(archOnlyPackage, plainPackage);

/** A download host. */
export const urlBase = pick('https://example.org/dl', 'https://get.example.io/releases/v1.2.3', 'http://mirror.example.net/pool');
/** A download file name carrying an arch. */
export const assetName = fc.tuple(word, pick('-1.2.3', '-v2', ''), pick('-', '_', '.'), fc.oneof(goName, debArch, gnuCpu), pick('.tar.gz', '.deb', '.zip', '', '.tgz')).map(
  ([n, v, s, a, ext]) => `${n}${v}${s}${a}${ext}`,
);
export const url = fc.tuple(urlBase, assetName).map(([b, a]) => `${b}/${a}`);

/** Indentation: tabs or spaces. */
export const indent = pick('\t', '  ', '    ', ' \t');
