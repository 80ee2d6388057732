/**
 * Architecture facts, as dpkg's cputable and tupletable give them (dpkg-architecture(1)),
 * shipped as data: debarch-lint never runs dpkg. And the token-aware scanner that finds
 * arch literals in text.
 */
import { linesAround, perText } from './line-memo.js';

export type ArchName =
  | 'amd64' | 'arm64' | 'i386' | 'armhf' | 'armel' | 'ppc64el' | 's390x' | 'riscv64' | 'mips64el' | 'loong64';

export interface ArchFacts {
  name: ArchName;
  /** DEB_HOST_ARCH_CPU */
  cpu: string;
  /** DEB_HOST_GNU_CPU (what `uname -m` says, near enough) */
  gnuCpu: string;
  /** DEB_HOST_GNU_TYPE */
  gnuType: string;
  /** DEB_HOST_MULTIARCH */
  multiarch: string;
  /** GOARCH: the tag Go and Kubernetes downloads use */
  goArch: string;
  /** Other spellings `uname -m` or upstreams use for the same machine */
  aliases: string[];
  /** QEMU's name for the machine (`qemu-system-<target>`, `<target>-softmmu`) */
  qemuTarget: string;
  /** The Debian package of that system emulator (qemu's debian/control: qemu-system-x86 has x86_64 and i386) */
  qemuPackage: string;
}

export const ARCHES: readonly ArchFacts[] = [
  { name: 'amd64', cpu: 'amd64', gnuCpu: 'x86_64', gnuType: 'x86_64-linux-gnu', multiarch: 'x86_64-linux-gnu', goArch: 'amd64', aliases: ['x86-64', 'x64'], qemuTarget: 'x86_64', qemuPackage: 'qemu-system-x86' },
  { name: 'arm64', cpu: 'arm64', gnuCpu: 'aarch64', gnuType: 'aarch64-linux-gnu', multiarch: 'aarch64-linux-gnu', goArch: 'arm64', aliases: ['aa64'], qemuTarget: 'aarch64', qemuPackage: 'qemu-system-arm' },
  { name: 'i386', cpu: 'i386', gnuCpu: 'i686', gnuType: 'i686-linux-gnu', multiarch: 'i386-linux-gnu', goArch: '386', aliases: ['i486', 'i586', 'ia32', 'x86'], qemuTarget: 'i386', qemuPackage: 'qemu-system-x86' },
  { name: 'armhf', cpu: 'arm', gnuCpu: 'arm', gnuType: 'arm-linux-gnueabihf', multiarch: 'arm-linux-gnueabihf', goArch: 'arm', aliases: ['armv7l', 'armv7'], qemuTarget: 'arm', qemuPackage: 'qemu-system-arm' },
  { name: 'armel', cpu: 'arm', gnuCpu: 'arm', gnuType: 'arm-linux-gnueabi', multiarch: 'arm-linux-gnueabi', goArch: 'arm', aliases: ['armv5tel'], qemuTarget: 'arm', qemuPackage: 'qemu-system-arm' },
  { name: 'ppc64el', cpu: 'ppc64el', gnuCpu: 'powerpc64le', gnuType: 'powerpc64le-linux-gnu', multiarch: 'powerpc64le-linux-gnu', goArch: 'ppc64le', aliases: ['ppc64le'], qemuTarget: 'ppc64', qemuPackage: 'qemu-system-ppc' },
  { name: 's390x', cpu: 's390x', gnuCpu: 's390x', gnuType: 's390x-linux-gnu', multiarch: 's390x-linux-gnu', goArch: 's390x', aliases: [], qemuTarget: 's390x', qemuPackage: 'qemu-system-s390x' },
  { name: 'riscv64', cpu: 'riscv64', gnuCpu: 'riscv64', gnuType: 'riscv64-linux-gnu', multiarch: 'riscv64-linux-gnu', goArch: 'riscv64', aliases: [], qemuTarget: 'riscv64', qemuPackage: 'qemu-system-misc' },
  { name: 'mips64el', cpu: 'mips64el', gnuCpu: 'mips64el', gnuType: 'mips64el-linux-gnuabi64', multiarch: 'mips64el-linux-gnuabi64', goArch: 'mips64le', aliases: [], qemuTarget: 'mips64el', qemuPackage: 'qemu-system-mips' },
  { name: 'loong64', cpu: 'loong64', gnuCpu: 'loongarch64', gnuType: 'loongarch64-linux-gnu', multiarch: 'loongarch64-linux-gnu', goArch: 'loong64', aliases: [], qemuTarget: 'loongarch64', qemuPackage: 'qemu-system-misc' },
];

export const ARCH_NAMES: readonly ArchName[] = ARCHES.map((a) => a.name);

export function isArchName(s: string): s is ArchName {
  return (ARCH_NAMES as readonly string[]).includes(s);
}

export function archFacts(name: ArchName): ArchFacts {
  return ARCHES.find((a) => a.name === name) as ArchFacts;
}

/** The x86 family: what `-msse4.2` and friends are right for. */
export const X86_FAMILY: readonly ArchName[] = ['amd64', 'i386'];

/**
 * What a value of some arch-describing variable or command looks like, per arch:
 * `arch` for DEB_HOST_ARCH / dpkg --print-architecture, `cpu` for DEB_HOST_ARCH_CPU,
 * `gnuCpu` for DEB_HOST_GNU_CPU / uname -m, `gnuType`, `multiarch`.
 */
export type ArchValueKind = 'arch' | 'cpu' | 'gnuCpu' | 'gnuType' | 'multiarch' | 'grubCpu';

/** GRUB's `${grub_cpu}`: x86_64, i386, arm64, arm, powerpc … (grub-core/Makefile.core.def). */
const GRUB_CPU: Partial<Record<ArchName, string>> = { amd64: 'x86_64', i386: 'i386', arm64: 'arm64', armhf: 'arm', armel: 'arm', ppc64el: 'powerpc', riscv64: 'riscv64', loong64: 'loongarch64', mips64el: 'mips64el', s390x: 's390x' };

/** The spellings of an arch under one value kind (`uname -m` also says i586, armv7l …). */
export function spellings(arch: ArchFacts, kind: ArchValueKind): string[] {
  switch (kind) {
    case 'arch': return [arch.name];
    case 'cpu': return [arch.cpu];
    case 'gnuCpu': return [arch.gnuCpu, ...arch.aliases.filter((a) => /^(i[3-6]86|armv\w+|ppc64le)$/.test(a))];
    case 'gnuType': return [arch.gnuType];
    case 'multiarch': return [arch.multiarch];
    case 'grubCpu': return [GRUB_CPU[arch.name] ?? arch.gnuCpu];
  }
}

/** Arches whose value under `kind` is exactly `value`. */
export function archesWithValue(value: string, kind: ArchValueKind): ArchName[] {
  return ARCHES.filter((a) => spellings(a, kind).includes(value)).map((a) => a.name);
}

/** What an arch literal in text means, which decides its replacement (DESIGN §2 table). */
export type LiteralMeaning =
  /** a Debian arch name: amd64 */
  | 'arch'
  /** a GNU cpu: x86_64 */
  | 'gnuCpu'
  /** a GNU triplet: x86_64-linux-gnu */
  | 'triplet'
  /** the dynamic loader: ld-linux-x86-64.so.2 */
  | 'loader'
  /** the x86-64 psABI name, as in -march=x86-64 */
  | 'psabi'
  /** a lib64 directory */
  | 'lib64';

export interface ArchLiteral {
  /** Offsets into the scanned text (plus the base passed to the scanner). */
  start: number;
  end: number;
  text: string;
  meaning: LiteralMeaning;
  /** The arches this literal names. */
  arches: ArchName[];
}

interface LiteralSpec {
  text: string;
  meaning: LiteralMeaning;
  arches: ArchName[];
}

function buildSpecs(): LiteralSpec[] {
  const specs = new Map<string, LiteralSpec>();
  const add = (text: string, meaning: LiteralMeaning, arch: ArchName): void => {
    const old = specs.get(text);
    if (old) {
      if (!old.arches.includes(arch)) old.arches.push(arch);
    } else specs.set(text, { text, meaning, arches: [arch] });
  };
  for (const a of ARCHES) {
    add(a.gnuType, 'triplet', a.name);
    add(a.multiarch, 'triplet', a.name);
  }
  add('lib64/ld-linux-x86-64.so.2', 'loader', 'amd64');
  add('ld-linux-x86-64.so.2', 'loader', 'amd64');
  add('ld-linux-aarch64.so.1', 'loader', 'arm64');
  add('ld-linux-armhf.so.3', 'loader', 'armhf');
  for (const a of ARCHES) add(a.name, 'arch', a.name);
  for (const a of ARCHES) {
    // `arm` alone is a word in too many other senses to be a literal; s390x/riscv64 spell
    // their cpu like their arch name and are already there.
    if (a.gnuCpu !== 'arm' && a.gnuCpu !== a.name) add(a.gnuCpu, 'gnuCpu', a.name);
  }
  add('ppc64le', 'gnuCpu', 'ppc64el');
  add('x86-64', 'psabi', 'amd64');
  add('lib64', 'lib64', 'amd64');
  return [...specs.values()].sort((x, y) => y.text.length - x.text.length);
}

const SPECS = buildSpecs();
/** Every literal `scanArchLiterals` finds: triplets, loaders, arch names, GNU cpus, `x86-64`, `lib64`. */
export const ARCH_LITERAL_TEXTS: readonly string[] = SPECS.map((s) => s.text);
const SPEC_BY_TEXT = new Map(SPECS.map((s) => [s.text, s]));
const LITERAL_RE = new RegExp(
  SPECS.map((s) => s.text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'),
  'g',
);
/**
 * Short strings of which every literal holds one (`64`, `86`, `arm`, `390`; a literal holding
 * none is its own): a text holding none of them holds no literal.
 */
const ANCHORS: readonly string[] = (() => {
  const out = ['64', '86', 'arm', '390'];
  for (const s of SPECS) if (!out.some((a) => s.text.includes(a))) out.push(s.text);
  return out;
})();
const ANCHOR_RE = new RegExp(ANCHORS.map((a) => a.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'));

/**
 * False when `text` surely holds no arch literal (`scanArchLiterals` would find none): a test
 * for the many short texts (yaml keys) of which few name an arch. True says nothing.
 */
export function mayNameArch(text: string): boolean {
  return ANCHOR_RE.test(text);
}
const WORDCHAR = /[A-Za-z0-9]/;
/**
 * Long base64/hex runs, `/[A-Za-z0-9+/]{40,}={0,2}/g` with upper case, lower case and a digit:
 * literals inside them are data, not arch names.
 */
const isBlobChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 47;

/**
 * `lib64` names the x86-64 multilib layout only beside its 32-bit siblings (`lib32`, `libx32`)
 * on its line or the two lines around it: a layout that picks the library folder by word size. Alone it is a
 * project's private folder (`$DEST/lib64` registered in ld.so.conf.d), an RPM distribution's
 * library path (`/usr/lib64/<app>`, which Fedora and CentOS use on aarch64 as well) or an
 * install dir (`--libdir=/usr/lib64`) that is as right or as wrong on arm64 as on amd64: Debian
 * has no `/usr/lib64` on either, so the arm64 port need not change it. The dynamic loader path
 * (`/lib64/ld-linux-x86-64.so.2`) is its own literal and always counts.
 */
function isMultilibLine(text: string, offset: number): boolean {
  // the line and two on each side: `32) LIBDIR=lib32 ;;` / `64) LIBDIR=lib64 ;;` are one layout
  // (found by a line index and answered once per span: a long line holds many lib64s)
  const [s, e] = linesAround(text, offset, 2, 2);
  return perText(text, 'multilib', `${s}:${e}`, () => /(?<![A-Za-z0-9])libx?32(?![A-Za-z0-9])/.test(text.slice(s, e)));
}

/**
 * Finds arch literals in `text`, token-aware: a literal must not touch a letter or digit on
 * either side (`samd64x` is no literal; `linux-image-5.10-amd64` and `x86_64_defconfig` are).
 * `base` is added to every offset; `whole`, when given, is the file `text` was cut from at
 * `base` (the lines around a `lib64` are read there).
 */
export function scanArchLiterals(text: string, base = 0, whole?: string): ArchLiteral[] {
  // BLOB_RE's matches are the maximal runs of its class 40 long or more (and their `=` pad, which
  // no literal holds): the run around a literal is read when a literal needs it, not the whole
  // text up front (that regex retried every offset of every word, the cost of most scans).
  let runStart = -1;
  let runEnd = -1;
  let runBlob = false;
  const inBlob = (start: number, end: number): boolean => {
    if (start < runStart || start >= runEnd) {
      let s = start;
      while (s > 0 && isBlobChar(text.charCodeAt(s - 1))) s--;
      let e = start;
      while (e < text.length && isBlobChar(text.charCodeAt(e))) e++;
      runStart = s;
      runEnd = e;
      const run = e - s >= 40 ? text.slice(s, e) : '';
      runBlob = run !== '' && /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
    }
    return runBlob && end <= runEnd;
  };
  const out: ArchLiteral[] = [];
  LITERAL_RE.lastIndex = 0;
  for (let m = LITERAL_RE.exec(text); m; m = LITERAL_RE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text[start - 1];
    const after = text[end];
    if ((before !== undefined && WORDCHAR.test(before)) || (after !== undefined && WORDCHAR.test(after))) {
      // Not bounded: try again one character later (a shorter literal may start inside).
      LITERAL_RE.lastIndex = start + 1;
      continue;
    }
    if (inBlob(start, end)) continue;
    const spec = SPEC_BY_TEXT.get(m[0]) as LiteralSpec;
    if (spec.meaning === 'lib64' && !(whole === undefined ? isMultilibLine(text, start) : isMultilibLine(whole, start + base))) continue;
    out.push({ start: start + base, end: end + base, text: m[0], meaning: spec.meaning, arches: [...spec.arches] });
  }
  return out;
}

/**
 * True when an arch restriction term (`amd64`, `linux-any`, `any-amd64`, `any`) matches a
 * Debian arch, as dpkg's wildcards do for the Linux arches this project knows (`any-arm`
 * matches armel and armhf). `all` and other kernels' wildcards match none of them.
 */
export function archSpecMatches(spec: string, arch: ArchName): boolean {
  if (spec === arch || spec === 'any' || spec === 'linux-any' || spec === 'any-any') return true;
  const m = /^(any|linux)-([a-z0-9]+)$/.exec(spec);
  return !!m && archFacts(arch).cpu === m[2];
}

/** The known Debian arches a list of restriction terms matches (negated terms: all but those). */
export function archesMatching(terms: readonly { arch: string; negated: boolean }[]): ArchName[] {
  if (terms.length === 0) return [...ARCH_NAMES];
  const negated = terms.every((t) => t.negated);
  return ARCH_NAMES.filter((a) => {
    const hit = terms.some((t) => archSpecMatches(t.arch, a));
    return negated ? !hit : hit;
  });
}

/** Folder names that make everything under them one arch's. */
const ARCH_DIRS: Record<string, ArchName[]> = { x86: ['amd64', 'i386'], x86_64: ['amd64'], arm64: ['arm64'], aarch64: ['arm64'], arm: ['armhf', 'armel', 'arm64'] };

/**
 * The arches a path is specific to, from its file name (`debian_pkg_dirs_arm64`,
 * `base-bullseye_amd64.lst`, `grub-x86_64.cfg`) or an arch folder (`x86/`, `arm64/`); empty
 * for a generic file.
 */
export function pathArches(path: string): ArchName[] {
  // asked for each file by the engine, then by the kits of the rules that lint it
  if (path !== lastPath) {
    lastArches = pathArchesOf(path);
    lastPath = path;
  }
  return [...lastArches];
}

let lastPath: string | undefined;
let lastArches: readonly ArchName[] = [];

function pathArchesOf(path: string): ArchName[] {
  const parts = path.split('/');
  const out = new Set<ArchName>();
  for (const d of parts.slice(0, -1)) for (const a of ARCH_DIRS[d] ?? []) out.add(a);
  const name = parts[parts.length - 1] ?? '';
  for (const lit of scanArchLiterals(name)) if (lit.meaning === 'arch' || lit.meaning === 'gnuCpu') for (const a of lit.arches) out.add(a);
  return [...out];
}

/**
 * Vocabularies that spell an arch their own way (DESIGN §2 meaning table): what a literal in
 * such a name must become on each arch. A dpkg variable replaces the literal only where it spells
 * every configured arch the same way (Go's `amd64`/`arm64` are dpkg's, GRUB's `arm64` is not
 * DEB_HOST_GNU_CPU's `aarch64`); otherwise a per-arch mapping variable is the advice.
 */
export type Vocabulary = 'grubCpu' | 'grubBios' | 'efi' | 'go' | 'kernel' | 'rust' | 'qemu';

export interface VocabularyFacts {
  /** What the name is, for messages: "GRUB platform cpu". */
  what: string;
  /** The mapping variable a fix defines (`GRUB_CPU_amd64 := x86_64` … `GRUB_CPU := $(GRUB_CPU_$(DEB_HOST_ARCH))`). */
  variable: string;
  /** Its spelling per arch; an arch missing here has no such thing (no BIOS GRUB on arm64). */
  spell: Partial<Record<ArchName, string>>;
}

const fromFacts = (pick: (a: ArchFacts) => string): Partial<Record<ArchName, string>> =>
  Object.fromEntries(ARCHES.map((a) => [a.name, pick(a)]));

export const VOCABULARIES: Readonly<Record<Vocabulary, VocabularyFacts>> = {
  // GRUB's cpu names (grub-core/Makefile.core.def): x86_64-efi, arm64-efi, i386-efi …
  grubCpu: { what: 'GRUB cpu', variable: 'GRUB_CPU', spell: GRUB_CPU },
  // i386-pc, i386-efi (32-bit UEFI), i386-coreboot, i386-ieee1275, x86_64-xen: firmware only x86 has
  grubBios: { what: 'GRUB x86 firmware platform', variable: 'GRUB_CPU', spell: { amd64: 'i386', i386: 'i386' } },
  // UEFI's arch suffix: BOOTX64.EFI, grubx64.efi ↔ BOOTAA64.EFI, grubaa64.efi
  efi: { what: 'EFI arch suffix', variable: 'EFI_ARCH', spell: { amd64: 'x64', i386: 'ia32', arm64: 'aa64', armhf: 'arm', armel: 'arm', riscv64: 'riscv64', loong64: 'loongarch64' } },
  // GOARCH, and the container platform `linux/amd64` (OCI platforms use Go's names)
  go: { what: 'Go arch', variable: 'GOARCH', spell: fromFacts((a) => a.goArch) },
  // the kernel's ARCH (arch/<ARCH>/)
  kernel: { what: 'kernel ARCH', variable: 'KERNEL_ARCH', spell: { amd64: 'x86', i386: 'x86', arm64: 'arm64', armhf: 'arm', armel: 'arm', ppc64el: 'powerpc', s390x: 's390', riscv64: 'riscv', mips64el: 'mips', loong64: 'loongarch' } },
  // Rust targets (rustc's architecture.mk gives DEB_HOST_RUST_TYPE)
  rust: { what: 'Rust target', variable: 'DEB_HOST_RUST_TYPE', spell: { amd64: 'x86_64-unknown-linux-gnu', arm64: 'aarch64-unknown-linux-gnu', i386: 'i686-unknown-linux-gnu', armhf: 'armv7-unknown-linux-gnueabihf', armel: 'armv5te-unknown-linux-gnueabi', ppc64el: 'powerpc64le-unknown-linux-gnu', s390x: 's390x-unknown-linux-gnu', riscv64: 'riscv64gc-unknown-linux-gnu' } },
  // qemu-system-<target>
  qemu: { what: 'QEMU system target', variable: 'QEMU_ARCH', spell: { amd64: 'x86_64', i386: 'i386', arm64: 'aarch64', armhf: 'arm', armel: 'arm', ppc64el: 'ppc64', s390x: 's390x', riscv64: 'riscv64', mips64el: 'mips64el', loong64: 'loongarch64' } },
};

/** Where a literal in a vocabulary sits: the text to replace may be wider (a whole Rust triple). */
export interface VocabularyUse {
  vocab: Vocabulary;
  start: number;
  end: number;
}

const GRUB_EFI_AFTER = /^-efi\b/;
const GRUB_BIOS_AFTER = /^-(?:pc|coreboot|ieee1275|multiboot|qemu|xen(?:_pvh)?)\b/;
const GRUB_VAR_BEFORE = /(?:\bGRUB_(?:TARGET|CPU|ARCH)\w*|\bgrub_cpu)["']?\s*(?:[:?+]?=|:)\s*["']?$/i;
const GO_BEFORE = /(?:\bGOARCH["']?\s*(?:[:?]?=|:)\s*["']?|(?:--platform[= ]|\bplatform["']?\s*[:=]\s*)["']?linux\/)$/;
const KERNEL_BEFORE = /(?:^|[\s"'])(?:K?ARCH|SRCARCH|KERNEL_ARCH)\s*[:?]?=\s*["']?$/;
const RUST_AFTER = /^-(?:unknown|pc)-linux-gnu\w*(?![\w-])/;

/**
 * The vocabulary the literal at [start, end) of `text` is spelled in, judged from its
 * neighbours on the line; undefined for dpkg's own spellings.
 */
export function vocabularyAt(text: string, start: number, end: number): VocabularyUse | undefined {
  const [lineStart] = linesAround(text, start);
  const nl = linesAround(text, end)[1];
  const before = text.slice(lineStart, start);
  const after = text.slice(end, nl);
  // GRUB_VAR_BEFORE, GO_BEFORE and KERNEL_BEFORE end in `=` or `:` (then blanks and a quote) or
  // in `linux/`: only then are they worth reading the line for (each read is as long as the line)
  let k = start;
  if (k > lineStart && /["']/.test(text[k - 1] as string)) k--;
  while (k > lineStart && /\s/.test(text[k - 1] as string)) k--;
  const assigned = (k > lineStart && /[=:]/.test(text[k - 1] as string)) || before.endsWith('linux/');
  const lit = text.slice(start, end);
  const grubCpus = Object.values(GRUB_CPU);
  // i386-efi is 32-bit UEFI on x86 PCs (grub-efi-ia32): an x86 firmware platform like i386-pc.
  if ((lit === 'i386' || lit === 'x86_64') && (GRUB_BIOS_AFTER.test(after) || (lit === 'i386' && GRUB_EFI_AFTER.test(after)))) return { vocab: 'grubBios', start, end };
  if (grubCpus.includes(lit) && GRUB_EFI_AFTER.test(after)) return { vocab: 'grubCpu', start, end };
  if (assigned && GRUB_VAR_BEFORE.test(before)) return { vocab: 'grubCpu', start, end };
  if (before.endsWith('qemu-system-')) return { vocab: 'qemu', start, end };
  const rust = RUST_AFTER.exec(after);
  if (rust && Object.values(VOCABULARIES.rust.spell).some((t) => t.startsWith(`${lit}-`))) return { vocab: 'rust', start, end: end + rust[0].length };
  if (assigned && GO_BEFORE.test(before)) return { vocab: 'go', start, end };
  if (assigned && KERNEL_BEFORE.test(before) && lit !== 'amd64' && lit !== 'arm64') return { vocab: 'kernel', start, end };
  return undefined;
}

/** dpkg variables and what they hold per arch. */
const DPKG_VARIABLES: readonly { variable: string; value: (a: ArchFacts) => string }[] = [
  { variable: 'DEB_HOST_ARCH', value: (a) => a.name },
  { variable: 'DEB_HOST_ARCH_CPU', value: (a) => a.cpu },
  { variable: 'DEB_HOST_GNU_CPU', value: (a) => a.gnuCpu },
];

/** The dpkg variable that spells `vocab` right on every one of `arches`, if one does. */
export function dpkgVariableFor(vocab: Vocabulary, arches: readonly ArchName[]): string | undefined {
  const spell = VOCABULARIES[vocab].spell;
  if (vocab === 'rust') return arches.every((a) => spell[a]) ? 'DEB_HOST_RUST_TYPE' : undefined;
  return DPKG_VARIABLES.find((v) => arches.every((a) => spell[a] !== undefined && spell[a] === v.value(archFacts(a))))?.variable;
}

/** The configured arches a vocabulary has no spelling for (no BIOS GRUB on arm64). */
export function unspelled(vocab: Vocabulary, arches: readonly ArchName[]): ArchName[] {
  return arches.filter((a) => VOCABULARIES[vocab].spell[a] === undefined);
}
