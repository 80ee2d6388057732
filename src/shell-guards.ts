/**
 * Arch guards in shell text: `case "$(dpkg-architecture -qDEB_HOST_ARCH)" in amd64) … ;; esac`,
 * `if [ "$(uname -m)" = x86_64 ]; then … else … fi`, `[ "$ARCH" = aarch64 ] && …`, also through
 * a variable assigned from one of those (or set per arch in such a guard: `x86_64) ARCH=amd64 ;;`).
 * Used for make recipe lines, shell files, kickstart sections and Dockerfile RUN lines.
 * The scanner is deliberately small: it reads words, quotes, substitutions and operators, and
 * never fails (what it does not understand simply guards nothing).
 */
import { ARCHES, ARCH_NAMES, archesWithValue, scanArchLiterals, spellings, type ArchName, type ArchValueKind } from './arch.js';
import { complement, type GuardRegion } from './guards.js';
import { archCommand, archVariable, type VarSubject } from './make-expr.js';
import { isSpace } from './lexers/shell.js';
import { assignedValues } from './shell-values.js';

interface ShWord {
  type: 'word' | 'op' | 'nl';
  text: string;
  start: number;
  end: number;
}


/** What an ASCII unit is to the word scanner. */
const PLAIN = 0;
/** `\s`: ends a word. */
const SPACE = 1;
/** `;&|()`: ends a word, starts an operator. */
const OP = 2;
/** `\\`, `'`, `"`, `` ` ``, `$`: read by `shellWordEnd` beyond the one unit. */
const QUOTE = 3;
const ASCII_CLASS = new Uint8Array(128);
for (const c of [9, 10, 11, 12, 13, 32]) ASCII_CLASS[c] = SPACE;
for (const c of ';&|()') ASCII_CLASS[c.charCodeAt(0)] = OP;
for (const c of '\\\'"`$') ASCII_CLASS[c.charCodeAt(0)] = QUOTE;

/** A word's kind in `ShellWords.kinds`. */
const NL = 0;
const OP_WORD = 1;
const WORD = 2;
const WORD_TYPES = ['nl', 'op', 'word'] as const;

/**
 * The words and operators the scan compares with whatever word it is at (the keywords, the test
 * openers, the separators), by a code each: `ShellWords.keywords` holds it per word, 0 for any
 * other text, so the passes over every word compare numbers and make no word object.
 */
const KEYWORDS = ['case', 'esac', 'if', 'fi', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '[', '[[', 'test', 'grep', ';;', ';&', ';;&', '&&', '||', ';', '&'] as const;
const K_CASE = 1;
const K_ESAC = 2;
const K_IF = 3;
const K_FI = 4;
const K_THEN = 5;
const K_ELIF = 6;
const K_ELSE = 7;
const K_DO = 8;
const K_WHILE = 9;
const K_UNTIL = 10;
const K_BANG = 11;
const K_BRACKET = 12;
const K_BRACKETS = 13;
const K_TEST = 14;
const K_GREP = 15;
const K_DSEMI = 16;
const K_SEMI_AMP = 17;
const K_DSEMI_AMP = 18;
const K_AND = 19;
const K_OR = 20;
const K_SEMI = 21;
const K_AMP = 22;
/** The keywords by their first unit (ASCII), with their codes. */
const KEYWORDS_BY_FIRST: [string, number][][] = Array.from({ length: 128 }, () => []);
KEYWORDS.forEach((k, i) => (KEYWORDS_BY_FIRST[k.charCodeAt(0)] as [string, number][]).push([k, i + 1]));

/** The keyword code of `text.slice(s, e)`, 0 when it is no keyword. */
function keywordAt(text: string, s: number, e: number): number {
  const c = text.charCodeAt(s);
  if (e - s > 5 || c >= 128) return 0;
  for (const [k, code] of KEYWORDS_BY_FIRST[c] as [string, number][]) if (k.length === e - s && text.startsWith(k, s)) return code;
  return 0;
}

/**
 * The words and control operators of a shell text (`$$`, make's escape, counts as `$`): kinds,
 * offsets and keyword codes in typed arrays, a word's object made when a guard reads it (`at`).
 * A `\s` unit other than a blank or a newline (a form feed, a vertical tab, U+00A0) is skipped
 * as a blank: it ends a word, and a word never starts at it.
 */
class ShellWords {
  count = 0;
  kinds: Uint8Array;
  keywords: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  private made: (ShWord | undefined)[] | undefined;

  constructor(readonly text: string) {
    // room for one word per four characters (most texts have fewer); grown by doubling when a text has more
    const cap = (text.length >> 2) + 16;
    this.kinds = new Uint8Array(cap);
    this.keywords = new Uint8Array(cap);
    this.starts = new Int32Array(cap);
    this.ends = new Int32Array(cap);
    shellWords(text, this);
  }

  push(kind: number, start: number, end: number): void {
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.keywords[i] = kind === NL ? 0 : keywordAt(this.text, start, end);
  }

  private grow(): void {
    const cap = this.kinds.length * 2;
    const kinds = new Uint8Array(cap);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const keywords = new Uint8Array(cap);
    keywords.set(this.keywords);
    this.keywords = keywords;
    const starts = new Int32Array(cap);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(cap);
    ends.set(this.ends);
    this.ends = ends;
  }

  /** The object of word `i` (one per word), undefined past the ends. */
  at(i: number): ShWord | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    const made = (this.made ??= new Array<ShWord | undefined>(this.count));
    let w = made[i];
    if (!w) {
      const s = this.starts[i] as number;
      const e = this.ends[i] as number;
      w = { type: WORD_TYPES[this.kinds[i] as number] as ShWord['type'], text: this.text.slice(s, e), start: s, end: e };
      made[i] = w;
    }
    return w;
  }

  /** `isSep(at(i))`: `;`, `&`, a newline, or past the ends. */
  isSep(i: number): boolean {
    if (!(i >= 0 && i < this.count)) return true;
    const kind = this.kinds[i];
    return kind === NL || (kind === OP_WORD && (this.keywords[i] === K_SEMI || this.keywords[i] === K_AMP));
  }

  /** Whether word j starts a command (where `if`, `then`, `fi` … are keywords). */
  commandStart(j: number): boolean {
    if (j === 0) return true;
    if (this.isSep(j - 1)) return true;
    // isCommandLead: then, do, else, &&, ||
    const k = this.keywords[j - 1];
    return k === K_THEN || k === K_DO || k === K_ELSE || k === K_AND || k === K_OR;
  }
}

/** Reads the words of `text` into `out`. */
function shellWords(text: string, out: ShellWords): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      out.push(NL, i, i + 1);
      i++;
    } else if (c === 32 || c === 9 || c === 13 || (c < 128 ? ASCII_CLASS[c] === SPACE : isSpace(c))) {
      i++;
    } else if (c === 92 && isContinuation(text, i)) {
      i += text.charCodeAt(i + 1) === 10 ? 2 : 3;
    } else if (c === 35 && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (c < 128 && ASCII_CLASS[c] === OP) {
      const len = opLength(text, i, c);
      out.push(OP_WORD, i, i + len);
      i += len;
    } else {
      const start = i;
      i = shellWordEnd(text, i, n);
      out.push(WORD, start, i);
    }
  }
}

/** A backslash at `i` before a line end (`\\\n`, `\\\r\n`): a line continuation. */
function isContinuation(text: string, i: number): boolean {
  const d = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
  return d === 10 || (d === 13 && i + 2 < text.length && text.charCodeAt(i + 2) === 10);
}

/** The length of the operator at `i` (its first unit `c`): `;;&`, `;;`, `;&`, `&&`, `||`, else the one character. */
function opLength(text: string, i: number, c: number): number {
  const d = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
  if (c === 59 && d === 59) return i + 2 < text.length && text.charCodeAt(i + 2) === 38 ? 3 : 2;
  return (c === 59 && d === 38) || (c === 38 && d === 38) || (c === 124 && d === 124) ? 2 : 1;
}

/** The end of the word starting at `i`: up to a blank or `;&|()` outside quotes and substitutions. */
function shellWordEnd(text: string, i: number, n: number): number {
  while (i < n) {
    const d = text.charCodeAt(i);
    const cls = d < 128 ? ASCII_CLASS[d] : isSpace(d) ? SPACE : PLAIN;
    if (cls === PLAIN) i++;
    else if (cls !== QUOTE) break;
    else if (d === 92) i += 2;
    else if (d === 39) {
      const close = text.indexOf("'", i + 1);
      i = close < 0 ? n : close + 1;
    } else if (d === 36) i = dollarWordEnd(text, i);
    else i = quotedEnd(text, i, d);
  }
  return i;
}

/** Past a `$` in a word: past its `$(…)`/`${…}` (or make's `$$(…)`), else past the `$`. */
function dollarWordEnd(text: string, i: number): number {
  const e = text[i + 1];
  if (e === '(' || e === '{' || (e === '$' && (text[i + 2] === '(' || text[i + 2] === '{'))) {
    const close = closeOf(text, e === '$' ? i + 2 : i + 1);
    return close < 0 ? text.length : close + 1;
  }
  return i + 1;
}

/** Past the `"…"` or backquoted text opening at `i` (backslash escapes and `$(…)`/`${…}` inside, which may hold quotes: "${1//\"/}"). */
function quotedEnd(text: string, i: number, quote: number): number {
  const n = text.length;
  let k = i + 1;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === quote) break;
    if (c === 92) k += 2;
    else if (quote === 34 && c === 36 && (text[k + 1] === '(' || text[k + 1] === '{')) {
      const close = closeOf(text, k + 1);
      k = close < 0 ? n : close + 1;
    } else k++;
  }
  return Math.min(n, k + 1);
}

function closeOf(s: string, open: number): number {
  // one frame per open `$(…)`/`${…}` (its bracket depth) or `"…"` (undefined) — a stack, not
  // recursion: `"$("$(…` nested 10,000 deep must not overflow
  const frame = (at: number): { o: string; c: string; depth: number } => ({ o: s[at] as string, c: s[at] === '(' ? ')' : '}', depth: 0 });
  const frames: ({ o: string; c: string; depth: number } | undefined)[] = [frame(open)];
  for (let i = open; i < s.length; i++) {
    const f = frames[frames.length - 1];
    const ch = s[i];
    if (!f) {
      // a double-quoted string may hold quotes of the other kind and its own $(…)
      if (ch === '\\') i++;
      else if (ch === '"') frames.pop();
      else if (ch === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) frames.push(frame(i + 1));
      continue;
    }
    if (ch === '\\') i++;
    else if (ch === "'" && f.o === '(') {
      const q = s.indexOf("'", i + 1);
      if (q < 0) return -1;
      i = q;
    } else if (ch === '"') frames.push(undefined);
    else if (ch === f.o) f.depth++;
    else if (ch === f.c && --f.depth === 0) {
      frames.pop();
      if (!frames.length) return i;
    }
  }
  return -1;
}

/** The word without one pair of enclosing quotes, `$$` (make's escape) read as `$`. */
function unquote(w: string): string {
  const q = w.charCodeAt(0);
  const s = (q === 34 || q === 39) && w.length >= 2 && w.charCodeAt(w.length - 1) === q ? w.slice(1, -1) : w;
  return s.includes('$$') ? s.replace(/\$\$/g, '$') : s;
}

export interface ArchSource {
  kind: ArchValueKind;
  subject: VarSubject;
  /** The spelling was guessed from a name or a compared literal, not read from the command. */
  guessed?: boolean;
}

/** What arch value a shell word expands to, if any. */
export function shellArchSource(word: string, vars: ReadonlyMap<string, ArchSource>): ArchSource | undefined {
  const w = unquote(word.trim());
  let m = /^\$\((.*)\)$/s.exec(w) ?? /^`(.*)`$/s.exec(w);
  if (m) {
    const inner = (m[1] as string).trim();
    // $(DEB_HOST_ARCH) in a make recipe is a make reference, not a command
    const av = archVariable(inner);
    if (av) return av;
    // `$(/usr/bin/dpkg --print-architecture)`, `$(/bin/uname -m)`
    return archCommand(inner.replace(/^(?:\/usr)?\/s?bin\//, ''));
  }
  m = /^\$\{?(\w+)(?:\[[^\]]*\])?\}?$/.exec(w);
  if (m) {
    const name = m[1] as string;
    // Docker's automatic platform args hold the Debian/Go arch name
    if (name === 'TARGETARCH' || name === 'BUILDARCH') return { kind: 'arch', subject: name === 'TARGETARCH' ? 'host' : 'build' };
    return archVariable(name) ?? vars.get(name);
  }
  return undefined;
}

function globToRe(p: string): RegExp {
  let re = '';
  for (const c of p) {
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function toRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

/** The arches whose value (any spelling) matches one of the glob patterns. */
export function archesMatching(patterns: readonly string[], kind: ArchValueKind): Set<ArchName> {
  const res = patterns.map((p) => globToRe(unquote(p)));
  return new Set(ARCHES.filter((a) => spellings(a, kind).some((v) => res.some((r) => r.test(v)))).map((a) => a.name));
}

/**
 * Distribution tests (DESIGN §2): a branch taken only on CentOS/RHEL/Fedora and the like
 * (`[ -f /etc/redhat-release ]`, `grep -q CentOS /etc/os-release`, `[ "$ID" = centos ]` after
 * reading os-release) is reached by no Debian build, whatever its arch; a branch taken only on
 * Debian is reached by every arch, and what is left after it by none. These narrow the reaching
 * set like an arch test, but their literals are not arch tests.
 */
const OTHER_DISTRO = /^(?:centos|rhel|redhat|red ?hat|fedora|rocky|almalinux|alma|ol|oracle|amzn|amazon|opensuse[\w-]*|sles|suse|alpine|wrlinux)$/i;
const OTHER_DISTRO_IN = /centos|red ?hat|rhel|fedora|rocky|almalinux|suse|alpine/i;
const OTHER_RELEASE_FILE = /^\/etc\/(?:redhat|centos|fedora|system|rocky|almalinux|SuSE|alpine)-release$/;
const DEBIAN_RELEASE_FILE = /^\/etc\/debian_version$/;
const OS_RELEASE_FILE = /^\/(?:etc|usr\/lib)\/(?:os|lsb|redhat|centos|system)-release$/;

/** The paths `isoLayoutArches` knows (the prefilter's triggers are read from them). */
export const ISO_LAYOUT_NAMES: readonly RegExp[] = [
  /(?:^|\/)isolinux(?:\/isolinux\.(?:bin|cfg))?$/,
  /(?:^|\/)EFI\/BOOT\/BOOT(AA64|X64|IA32)\.EFI$/i,
  /(?:^|\/)(?:grub|boot|shim|mm|fb)(aa64|x64|ia32)(?:-nosig)?\.efi$/i,
];

/**
 * The arches an ISO tree's boot file says the ISO is for: `isolinux/` (or its `isolinux.bin`,
 * `isolinux.cfg`) exists on x86 BIOS media only; `EFI/BOOT/BOOTAA64.EFI` on arm64 media,
 * `BOOTX64.EFI` on amd64, `BOOTIA32.EFI` on i386; a per-arch EFI loader (`grubx64.efi`,
 * `bootaa64-nosig.efi`) exists where that arch's was built. A remastering tool may run on an amd64 host
 * for an arm64 ISO, so this, not the host's arch, is its guard.
 */
export function isoLayoutArches(path: string): Set<ArchName> | undefined {
  const p = path.replace(/(?<!\/)\/+$/, '');
  const [isolinux, efiBoot, efiLoader] = ISO_LAYOUT_NAMES as [RegExp, RegExp, RegExp];
  if (isolinux.test(p)) return new Set<ArchName>(['amd64', 'i386']);
  // EFI/BOOT/BOOTAA64.EFI, and any per-arch EFI loader by name (a file test on
  // `…/bootx64-nosig.efi` is true only where that x86 file was built or shipped)
  const efi = efiBoot.exec(p) ?? efiLoader.exec(p);
  if (!efi) return undefined;
  const arch = ({ AA64: 'arm64', X64: 'amd64', IA32: 'i386' } as const)[(efi[1] as string).toUpperCase() as 'AA64' | 'X64' | 'IA32'];
  return new Set<ArchName>([arch]);
}

/** What a distro value selects: every arch for Debian, none for another distribution, undefined when unknown. */
function distroArches(value: string): Set<ArchName> | undefined {
  const v = unquote(value).replace(/^\*|\*$/g, '');
  if (/^debian$/i.test(v)) return new Set(ARCH_NAMES);
  if (OTHER_DISTRO.test(v)) return new Set();
  return undefined;
}

/** A command substitution (or backquotes) that prints the distribution's ID: `$(. /etc/os-release; echo $ID)`, `lsb_release -is`. */
function isDistroCommand(word: string): boolean {
  // `$(` or a backquote starts it: most words have neither
  if (!word.includes('(') && !word.includes('`')) return false;
  const w = unquote(word.trim());
  if (!/^(?:\$\(|`)/.test(w)) return false;
  // the ID is what is printed: `echo $ID` after sourcing it, or an `^ID=` line picked by awk/grep/sed
  return (/\/(?:etc|usr\/lib)\/os-release/.test(w) && /\becho\s+["']?\$\{?ID\b(?!_)|\^ID=/.test(w)) || /\blsb_release\s+-\w*i/.test(w);
}

/** A glob pattern in an arch test (`arm*)`, `[[ $ARCH == x86* ]]`): ambiguous-arch-match reads these. */
export interface ArchPattern {
  start: number;
  end: number;
  /** The pattern as written (quotes removed). */
  pattern: string;
  kind: ArchValueKind;
}

export interface ShellGuards {
  regions: GuardRegion[];
  /** Glob patterns used in arch tests. */
  patterns: ArchPattern[];
  /** Ranges that are arch tests themselves (their literals are the guard). */
  tests: [number, number][];
  /** Build-machine reads used in tests: they also raise build-arch-for-host. */
  buildTests: [number, number][];
  /** Arch tests that can never match: the literal is another source's spelling (`$(uname -m)` = amd64). */
  dead: DeadArchTest[];
}

/** A literal compared with an arch value that never takes it: `uname -m` says x86_64, never amd64. */
export interface DeadArchTest {
  start: number;
  end: number;
  /** The literal as written (quotes removed). */
  literal: string;
  /** The spelling the tested value uses. */
  kind: ArchValueKind;
  /** The configured-or-not arches the literal names in another spelling (what the author meant). */
  meant: ArchName[];
}

/** The arches a literal names in some spelling other than `kind`, when it names none in `kind`. */
export function otherSpellingArches(literal: string, kind: ArchValueKind): ArchName[] {
  const v = unquote(literal);
  if (/[*?[\]$]/.test(v) || archesWithValue(v, kind).length) return [];
  const kinds: ArchValueKind[] = ['arch', 'gnuCpu', 'cpu', 'gnuType', 'multiarch'];
  return [...new Set(kinds.filter((k) => k !== kind).flatMap((k) => archesWithValue(v, k)))];
}

/** The arch of an EFI binary's name: `grubx64.efi`, `bootaa64-nosig.efi`, `mmx64.efi`. */
/** An EFI binary named for its arch (`grubx64.efi`): a test on it names that arch. */
export const EFI_NAME = /(?:^|[/_-])(?:grub|boot|shim|mm|fb)(x64|ia32|aa64|arm|riscv64)(?:-[\w]+)?\.efi$/i;
const EFI_ARCH: Record<string, ArchName> = { x64: 'amd64', ia32: 'i386', aa64: 'arm64', arm: 'armhf', riscv64: 'riscv64' };

/**
 * The arches a word names as one arch's *thing*: a Debian arch name in it (`grub-efi-amd64`,
 * `install/grub-efi-amd64`), a GRUB platform (`x86_64-efi`, `i386-pc`) or an EFI binary name
 * (`grubx64.efi`). Empty for any other word (`grub-pc`, `grub-xen`) and for a bare arch name
 * (`amd64`): that is the arch itself, a guard only when the other side is known to hold an arch.
 */
export function namedThingArches(word: string): ArchName[] {
  const w = unquote(word);
  // a bare arch name compared with a variable of unknown content is no guard (the variable may not be the host's arch)
  if (/[$*?[\]`]/.test(w) || archesWithValue(w, 'arch').length || archesWithValue(w, 'gnuCpu').length) return [];
  const out = new Set<ArchName>();
  for (const l of scanArchLiterals(w)) {
    const platform = l.meaning === 'gnuCpu' && /^-(?:efi|pc|xen|emu|ieee1275|coreboot|qemu|uboot)\b/.test(w.slice(l.end));
    if (l.meaning === 'arch' || platform) for (const a of l.arches) out.add(a);
  }
  const efi = EFI_NAME.exec(w);
  const a = efi ? EFI_ARCH[(efi[1] as string).toLowerCase()] : undefined;
  if (a) out.add(a);
  return [...out];
}

/**
 * A word that holds a name (a package, a make target, a platform) rather than a known arch or
 * literal: make's `$@`/`$*`/`$<`, a command substitution, or a variable the text never sets to a
 * plain literal naming no arch. `[ "$@" = "install/grub-efi-amd64" ]` then tests for one arch's thing.
 */
function isNameSubject(word: string, text: string, memo: Map<string, boolean>): boolean {
  let known = memo.get(word);
  if (known === undefined) {
    known = readNameSubject(word, text);
    memo.set(word, known);
  }
  return known;
}

function readNameSubject(word: string, text: string): boolean {
  const w = unquote(word.trim());
  if (/^\$[@*<]$/.test(w) || /^\$\((?!\()[\s\S]*\)$/.test(w) || /^`[\s\S]*`$/.test(w)) return true;
  const m = /^\$\{?(\w+)\}?$/.exec(w);
  if (!m) return false;
  const values = assignedValues(text, m[1] as string);
  // set only to literals, none of them naming an arch: it holds something else
  return !(values.length && values.every((v) => !/[$`]/.test(v) && namedThingArches(v).length === 0));
}

/** Finds arch guards in `text`; offsets are shifted by `base`; `known` variables hold an arch from the start (grub's `grub_cpu`). */
export function findShellArchGuards(text: string, base = 0, known: ReadonlyMap<string, ArchSource> = new Map()): ShellGuards {
  // every guard starts at a `case`, a `[`/`[[`, a `test` or a `grep` (an `if` reads one of them):
  // text with none of these (most make recipe lines) guards nothing
  if (!text.includes('[') && !text.includes('case') && !text.includes('test') && !text.includes('grep')) {
    return { regions: [], patterns: [], tests: [], buildTests: [], dead: [] };
  }
  const scan = prepareScan(text, base);
  const first = scanGuards(scan, known);
  // A variable set to an arch spelling inside an arch guard (`x86_64) ARCH=amd64 ;;`) is an
  // arch source too: a second pass reads the tests on it.
  const derived = new Map<string, ArchSource>(known);
  for (const a of scan.assignments) {
    const m = /^(\w+)=(["']?)([\w.-]+)\2$/.exec(a.word.text);
    if (!m || derived.has(m[1] as string)) continue;
    const value = m[3] as string;
    const kind: ArchValueKind | undefined = archesWithValue(value, 'arch').length ? 'arch' : archesWithValue(value, 'gnuCpu').length ? 'gnuCpu' : undefined;
    const region = kind ? first.regions.find((r) => base + a.word.start >= r.start && base + a.word.start < r.end) : undefined;
    if (kind && region) derived.set(m[1] as string, { kind, subject: region.subject, guessed: true });
  }
  return derived.size > known.size ? scanGuards(scan, derived) : first;
}

/** An assignment word `NAME=value` (the value as written). */
interface Assignment {
  word: ShWord;
  name: string;
  value: string;
}

/** What both passes of `scanGuards` over one text share: the words and what is read from them alone. */
interface GuardScan {
  text: string;
  base: number;
  words: ShellWords;
  /** The words holding a `=` that are assignments (`/^(\w+)=(.*)$/s`). */
  assignments: Assignment[];
  /** The variables set to a command printing the distribution's ID. */
  distroVars: Set<string>;
  /** `isNameSubject` per word. */
  nameSubjects: Map<string, boolean>;
  /** `namedThingArches` per word. */
  namedThings: Map<string, ArchName[]>;
  /** Per word index: where the case arm whose body starts there ends (see `armEnd`). */
  armEndAt: Int32Array;
  /** Per `if` word index: the indices of its own then/elif/else/fi. */
  ifParts: Map<number, number[]>;
}

/** `;`, `&`, a newline, or past the ends: what ends a command. */
const isSep = (w: ShWord | undefined): boolean => !w || w.type === 'nl' || (w.type === 'op' && (w.text === ';' || w.text === '&'));

function prepareScan(text: string, base: number): GuardScan {
  const words = new ShellWords(text);
  const assignments: Assignment[] = [];
  const distroVars = new Set<string>();
  for (let i = 0; i < words.count; i++) {
    const eq = words.kinds[i] === WORD ? assignmentEq(text, words.starts[i] as number, words.ends[i] as number) : -1;
    if (eq < 0) continue;
    const w = words.at(i) as ShWord;
    const name = w.text.slice(0, eq);
    const value = w.text.slice(eq + 1);
    assignments.push({ word: w, name, value });
    // variables holding the distribution's ID: OS="$(. /etc/os-release && echo $ID)"
    if (isDistroCommand(value)) distroVars.add(name);
  }
  // ID itself once os-release is sourced
  if (text.includes('os-release') && /(?:^|[\s;&|])(?:\.|source)\s+["']?\/(?:etc|usr\/lib)\/os-release\b/m.test(text)) distroVars.add('ID');
  return { text, base, words, assignments, distroVars, nameSubjects: new Map(), namedThings: new Map(), armEndAt: armEnds(words), ifParts: ifPartsOf(words) };
}

const isWordUnit = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Where the `=` of the assignment word `text.slice(s, e)` is, from the word's start (`/^(\w+)=(.*)$/s`:
 * a name, then `=`), -1 for any other word.
 */
function assignmentEq(text: string, s: number, e: number): number {
  let i = s;
  while (i < e && isWordUnit(text.charCodeAt(i))) i++;
  return i > s && i < e && text.charCodeAt(i) === 61 ? i - s : -1;
}

/**
 * For every word index k, where a case arm's body starting at k ends: the index of its `;;`, `;&`
 * or `;;&` at this nesting level, or of the `esac` that closes the case (words.length if none
 * does). From the end, a nested case … esac skipped whole: walking forward from every arm was
 * quadratic in the nesting (10,000 nested cases).
 */
function armEnds(words: ShellWords): Int32Array {
  const n = words.count;
  const kw = words.keywords;
  const esacOf = new Map<number, number>();
  const openCases: number[] = [];
  for (let j = 0; j < n; j++) {
    const t = kw[j];
    if (t === K_CASE) openCases.push(j);
    else if (t === K_ESAC) {
      const c = openCases.pop();
      if (c !== undefined) esacOf.set(c, j);
    }
  }
  const armEndAt = new Int32Array(n + 1);
  armEndAt[n] = n;
  for (let k = n - 1; k >= 0; k--) {
    const t = kw[k];
    const esac = t === K_CASE ? esacOf.get(k) : undefined;
    armEndAt[k] = t === K_ESAC || t === K_DSEMI || t === K_SEMI_AMP || t === K_DSEMI_AMP ? k
      : t === K_CASE ? (esac === undefined ? n : (armEndAt[esac + 1] as number))
      : (armEndAt[k + 1] as number);
  }
  return armEndAt;
}

/**
 * Each if's own then/elif/else/fi (nested ifs are their own), in one pass: walking to the fi
 * from every if was quadratic in the nesting (10,000 nested ifs).
 */
function ifPartsOf(words: ShellWords): Map<number, number[]> {
  const ifParts = new Map<number, number[]>();
  const openIfs: number[][] = [];
  for (let j = 0; j < words.count; j++) {
    if (words.kinds[j] !== WORD) continue;
    const t = words.keywords[j];
    if (t !== K_IF && t !== K_FI && t !== K_THEN && t !== K_ELIF && t !== K_ELSE) continue;
    if (!words.commandStart(j)) continue;
    if (t === K_IF) {
      const parts = [j];
      ifParts.set(j, parts);
      openIfs.push(parts);
    } else if (t === K_FI) openIfs.pop()?.push(j);
    else openIfs.at(-1)?.push(j);
  }
  return ifParts;
}

/** The arches a test's clauses select together: the union over `-o`/`||`, else the intersection, left to right. */
function foldClauses(clauses: readonly (Set<ArchName> | undefined)[], joiners: readonly (string | undefined)[]): Set<ArchName> | undefined {
  let arches: Set<ArchName> | undefined;
  for (let i = 0; i < clauses.length; i++) {
    const clause = clauses[i] ?? new Set(ARCH_NAMES);
    const joiner = joiners[i];
    arches = !arches ? clause : joiner === '-o' || joiner === '||' ? new Set([...arches, ...clause]) : new Set([...arches].filter((x) => clause.has(x)));
  }
  return arches;
}

function scanGuards(scan: GuardScan, known: ReadonlyMap<string, ArchSource>): ShellGuards {
  const { text, base, words, assignments, distroVars, nameSubjects, namedThings, armEndAt, ifParts } = scan;
  const vars = new Map<string, ArchSource>(known);
  const result: ShellGuards = { regions: [], patterns: [], tests: [], buildTests: [], dead: [] };
  const at = (i: number): ShWord | undefined => words.at(i);
  const count = words.count;

  // Variables assigned from an arch source: ARCH=$(uname -m)
  for (const a of assignments) {
    const src = shellArchSource(a.value, vars);
    if (src) vars.set(a.name, src);
  }

  const isDistroValue = (word: string): boolean => {
    if (isDistroCommand(word)) return true;
    const m = /^\$\{?(\w+)\}?$/.exec(unquote(word.trim()));
    return !!m && distroVars.has(m[1] as string);
  };

  const region = (start: number, end: number, arches: Set<ArchName>, positive: boolean, subject: VarSubject): void => {
    result.regions.push({ start: base + start, end: base + end, arches, positive, subject });
  };
  const ALL = (): Set<ArchName> => new Set(ARCH_NAMES);

  /** `otherwise`: what the else-branch reaches when it is not the complement (a name test: every arch). */
  type TestResult = { arches: Set<ArchName>; subject: VarSubject; next: number; distro: boolean; otherwise?: Set<ArchName> };

  /** `grep -q CentOS /etc/os-release`: a distribution test; undefined for any other grep. */
  const parseGrep = (j: number, negate: boolean): TestResult | undefined => {
    let k = j + 1;
    const args: ShWord[] = [];
    while (at(k)?.type === 'word' && !['then', 'do'].includes(at(k)?.text ?? '')) args.push(at(k++) as ShWord);
    const opts = args.filter((a) => a.text.startsWith('-'));
    const rest = args.filter((a) => !a.text.startsWith('-'));
    if (opts.some((o) => /^-\w*v/.test(o.text)) || rest.length !== 2) return undefined;
    if (!OS_RELEASE_FILE.test(unquote((rest[1] as ShWord).text))) return undefined;
    const pattern = unquote((rest[0] as ShWord).text).replace(/^\^?(?:ID|NAME)=["']?/, '');
    let arches: Set<ArchName> | undefined;
    if (/^debian\b/i.test(pattern)) arches = ALL();
    else if (OTHER_DISTRO_IN.test(pattern)) arches = new Set();
    if (!arches) return undefined;
    return { arches: negate ? complement(arches) : arches, subject: 'host', next: k, distro: true };
  };

  /**
   * Parses `[ A op B ]`, `[[ … ]]`, `test A op B` (or a distribution test) from index i; returns
   * the arch set it selects. Clauses that test something else select every arch: in
   * `[[ $OS == debian && $OS_ARCH == amd64 ]]` the arch clause still narrows, and is a test.
   */
  /** The literal of a name test `A = B`: one side a name subject, the other one arch's thing. */
  const nameClause = (a: ShWord, b: ShWord): ShWord | undefined => {
    // the literal side first: few words name an arch's thing, and a name subject may read the whole text
    if (namedThing(b.text).length && isNameSubject(a.text, text, nameSubjects)) return b;
    if (namedThing(a.text).length && isNameSubject(b.text, text, nameSubjects)) return a;
    return undefined;
  };
  /** `namedThingArches`, once per word text (shared by both passes: do not change the arrays). */
  const namedThing = (word: string): ArchName[] => {
    let named = namedThings.get(word);
    if (named === undefined) {
      named = namedThingArches(word);
      namedThings.set(word, named);
    }
    return named;
  };

  const parseTest = (i: number): TestResult | undefined => {
    let j = i;
    let negate = false;
    if (at(j)?.text === '!') {
      negate = true;
      j++;
    }
    const open = at(j)?.text;
    if (open === 'grep') return parseGrep(j, negate);
    if (open !== '[' && open !== '[[' && open !== 'test') return undefined;
    const close = open === '[' ? ']' : open === '[[' ? ']]' : undefined;
    const isJoiner = (t: string | undefined): boolean => t === '-o' || t === '-a' || (open === '[[' && (t === '||' || t === '&&'));
    // clauses joined by -o/-a (and ||/&& inside [[ ]]): `[ "$A" = i686 -o "$A" = i386 ]`; each
    // clause's arches (undefined: every arch) and the joiner before it, folded once the test is
    // known to be about arches or distributions (most are not)
    const clauses: (Set<ArchName> | undefined)[] = [];
    const joiners: (string | undefined)[] = [];
    let subject: VarSubject = 'host';
    let joiner: string | undefined;
    let archClauses = 0;
    let distroClauses = 0;
    const dead: DeadArchTest[] = [];
    let liveArch = false;
    let nameClauses = 0;
    let nameOtherwise: Set<ArchName> | undefined;
    const clauseTests: [number, number][] = [];
    let k = j + 1;
    // grouping parentheses (`[[ ( A && B ) || C ]]`, `[ \( A \) ]`) are read left to right, as the clauses are
    const isParen = (t: string | undefined, c: string): boolean => t === c || t === `\\${c}`;
    for (;;) {
      while (isParen(at(k)?.text, '(')) k++;
      const a = at(k);
      const op = at(k + 1);
      const b = at(k + 2);
      let clause: Set<ArchName> | undefined;
      let nameLit: ShWord | undefined;
      if (a && op && b && open === '[[' && op.text === '=~') {
        // `[[ $(uname -m) =~ ^(x86_64|amd64)$ ]]`: the arches whose spelling the regex matches
        // the regex is one word to the shell, though the word scanner cut it at `(`, `|`, `)`
        let last = k + 2;
        while (at(last + 1) && at(last + 1)?.text !== ']]' && at(last + 1)?.type !== 'nl' && !['&&', '||'].includes(at(last + 1)?.text ?? '')) last++;
        const raw = text.slice(b.start, (at(last) as ShWord).end);
        const src = shellArchSource(a.text, vars);
        const re = src && !/\$[\w{(]/.test(raw) ? toRegExp(unquote(raw)) : undefined;
        if (src && re) {
          clause = new Set(ARCHES.filter((x) => spellings(x, src.kind).some((v) => re.test(v))).map((x) => x.name));
          liveArch = true;
          subject = src.subject;
          archClauses++;
          clauseTests.push([base + a.start, base + (at(last) as ShWord).end]);
        }
        k = last + 1;
      } else if (a && op && b && (op.text === '=' || op.text === '==' || op.text === '!=')) {
        let src = shellArchSource(a.text, vars);
        let lit = b;
        if (!src) {
          src = shellArchSource(b.text, vars);
          lit = a;
        }
        if (src && !shellArchSource(lit.text, vars) && !/\$/.test(lit.text)) {
          const pattern = open === '[[' ? unquote(lit.text) : unquote(lit.text).replace(/[*?]/g, '\\$&');
          if (open === '[[' && /[*?[]/.test(pattern)) result.patterns.push({ start: base + lit.start, end: base + lit.end, pattern, kind: src.kind });
          clause = archesMatching([pattern], src.kind);
          const meant = src.guessed ? [] : otherSpellingArches(lit.text, src.kind);
          if (clause.size === 0 && meant.length) dead.push({ start: base + lit.start, end: base + lit.end, literal: unquote(lit.text), kind: src.kind, meant });
          else liveArch = true;
          if (op.text === '!=') clause = complement(clause);
          subject = src.subject;
          archClauses++;
          clauseTests.push([base + Math.min(a.start, b.start), base + Math.max(a.end, b.end)]);
        } else if ((nameLit = nameClause(a, b))) {
          // `[ "$@" = "install/grub-efi-amd64" ]`: the then-branch is that arch's; every arch may take the else-branch
          const lit = nameLit;
          const named = new Set(namedThing(lit.text));
          clause = op.text === '!=' ? ALL() : named;
          nameOtherwise = op.text === '!=' ? named : ALL();
          nameClauses++;
          archClauses++;
          liveArch = true;
          clauseTests.push([base + lit.start, base + lit.end]);
        } else {
          const distroLit = isDistroValue(a.text) ? b : isDistroValue(b.text) ? a : undefined;
          const d = distroLit && !/\$/.test(distroLit.text) ? distroArches(distroLit.text) : undefined;
          if (d) {
            clause = op.text === '!=' ? complement(d) : d;
            distroClauses++;
          }
        }
        k += 3;
      } else if (a && op && /^-[efrsd]$/.test(a.text) && op.type === 'word') {
        const file = unquote(op.text);
        const layout = isoLayoutArches(file);
        if (layout) {
          // the ISO's own layout (isolinux/ ⇒ x86 BIOS media, EFI/BOOT/BOOTAA64.EFI ⇒ arm64): what a remastering tool must test
          clause = layout;
          archClauses++;
          liveArch = true;
          clauseTests.push([base + a.start, base + op.end]);
        } else if (a.text !== '-d') {
          if (OTHER_RELEASE_FILE.test(file)) clause = new Set();
          else if (DEBIAN_RELEASE_FILE.test(file)) clause = ALL();
          if (clause) distroClauses++;
        }
        k += 2;
      } else {
        // a clause about something else: up to the next joiner or the closing bracket
        const from = k;
        while (at(k) && !isJoiner(at(k)?.text) && !isParen(at(k)?.text, ')') && at(k)?.text !== close && !(close === undefined && (isSep(at(k)) || at(k)?.type === 'op'))) k++;
        if (k === from) return undefined;
      }
      while (isParen(at(k)?.text, ')')) k++;
      clauses.push(clause);
      joiners.push(joiner);
      const nxt = at(k)?.text;
      if (isJoiner(nxt)) {
        joiner = nxt;
        k++;
        continue;
      }
      break;
    }
    if (close !== undefined && at(k)?.text !== close) return undefined;
    if (!archClauses && !distroClauses) return undefined;
    let arches = foldClauses(clauses, joiners);
    if (!arches) return undefined;
    // a name test's else-branch is every arch's (other names), unless it is the only clause and negated
    let otherwise: Set<ArchName> | undefined;
    if (nameClauses) {
      otherwise = archClauses === 1 && nameOtherwise ? nameOtherwise : ALL();
      if (archClauses > 1 && joiner !== undefined && (joiner === '-o' || joiner === '||')) otherwise = ALL();
    }
    if (negate) {
      if (otherwise) [arches, otherwise] = [otherwise, arches];
      else arches = complement(arches);
    }
    // a test every arch clause of which can never match is a dead guard
    if (dead.length && !liveArch) for (const d of dead) result.dead.push(d);
    for (const t of clauseTests) {
      result.tests.push(t);
      if (subject === 'build') result.buildTests.push(t);
    }
    return { arches, subject, next: close === undefined ? k : k + 1, distro: archClauses === 0, ...(otherwise ? { otherwise } : {}) };
  };

  /** `[ A ] || [ B ]`, `[ A ] && [ B ]`: the union or intersection of what each test selects. */
  const parseCondition = (i: number): ReturnType<typeof parseTest> => {
    const t = parseTest(i);
    if (!t) return undefined;
    for (;;) {
      const op = at(t.next)?.text;
      const u = op === '||' || op === '&&' ? parseTest(t.next + 1) : undefined;
      if (!u) return t;
      t.arches = op === '||' ? new Set([...t.arches, ...u.arches]) : new Set([...t.arches].filter((a) => u.arches.has(a)));
      if (t.otherwise || u.otherwise) t.otherwise = ALL();
      t.distro &&= u.distro;
      t.next = u.next;
    }
  };

  /**
   * Where a case arm's body starting at word index k ends: the index of its `;;`, `;&` or `;;&`
   * at this nesting level, or of the `esac` that closes the case (words.length if none does).
   */
  const armEnd = (k: number): number => (k < count ? (armEndAt[k] as number) : k);

  /** The pattern words of a case arm starting at word index j, and the index of its closing `)`. */
  const armPatterns = (j: number): { patterns: ShWord[]; close: number } => {
    const patterns: ShWord[] = [];
    for (; j < count && at(j)?.text !== ')'; j++) {
      const p = at(j) as ShWord;
      if (p.type === 'word' && p.text !== '|') patterns.push(p);
    }
    return { patterns, close: j };
  };

  /** The arms of `case "$OS" in centos|rhel) … ;; esac` from index j (after `in`): other distributions' arms reach no arch. */
  const distroCase = (j: number): void => {
    let debianTaken = false;
    while (j < count && at(j)?.text !== 'esac') {
      while (at(j)?.type === 'nl') j++;
      if (at(j)?.text === 'esac' || j >= count) break;
      if (at(j)?.text === '(') j++;
      const arm = armPatterns(j);
      const patterns = arm.patterns.map((p) => p.text);
      j = arm.close;
      const paren = at(j);
      if (!paren) break;
      const sets = patterns.map((p) => (unquote(p) === '*' ? (debianTaken ? new Set<ArchName>() : undefined) : distroArches(p)));
      const debian = sets.some((x) => x?.size === ARCHES.length);
      debianTaken ||= debian;
      const k = armEnd(j + 1);
      if (!debian && sets.length && sets.every((x) => x?.size === 0)) region(paren.end, at(k)?.start ?? text.length, new Set(), true, 'host');
      j = at(k)?.text === 'esac' ? k : k + 1;
    }
  };

  /**
   * The arms of `case "$pkg" in grub-efi-amd64) … ;; esac` from index j (after `in`): an arm every
   * pattern of which names one arch's thing is reached by those arches; its patterns are tests.
   * Other arms (`grub-pc)`, `*)`) reach every arch: other names take them.
   */
  const nameCase = (j: number): void => {
    while (j < count && at(j)?.text !== 'esac') {
      while (at(j)?.type === 'nl') j++;
      if (at(j)?.text === 'esac' || j >= count) break;
      if (at(j)?.text === '(') j++;
      const arm = armPatterns(j);
      const patterns = arm.patterns;
      j = arm.close;
      const paren = at(j);
      if (!paren) break;
      const named = patterns.map((p) => namedThing(p.text));
      const k = armEnd(j + 1);
      if (patterns.length && named.every((x) => x.length)) {
        for (const p of patterns) result.tests.push([base + p.start, base + p.end]);
        region(paren.end, at(k)?.start ?? text.length, new Set(named.flat()), true, 'host');
      }
      j = at(k)?.text === 'esac' ? k : k + 1;
    }
  };

  /** `case WORD in … esac` at word i: an arch case, a distribution case or a name case. */
  const caseStatement = (i: number): void => {
    const subj = at(i + 1);
    const src = subj ? shellArchSource(subj.text, vars) : undefined;
    if (subj && !src && at(i + 2)?.text === 'in' && isDistroValue(subj.text)) {
      distroCase(i + 3);
      return;
    }
    if (subj && !src && at(i + 2)?.text === 'in' && isNameSubject(subj.text, text, nameSubjects)) {
      nameCase(i + 3);
      return;
    }
    if (!src || !subj || at(i + 2)?.text !== 'in') return;
    result.tests.push([base + subj.start, base + subj.end]);
    if (src.subject === 'build') result.buildTests.push([base + subj.start, base + subj.end]);
    let taken = new Set<ArchName>();
    let fallthrough = new Set<ArchName>();
    let j = i + 3;
    while (j < count && at(j)?.text !== 'esac') {
      while (at(j)?.type === 'nl') j++;
      if (at(j)?.text === 'esac' || j >= count) break;
      if (at(j)?.text === '(') j++;
      const patterns: string[] = [];
      const patStart = at(j)?.start ?? 0;
      while (j < count && at(j)?.text !== ')') {
        const p = at(j) as ShWord;
        if (p.type === 'word') {
          patterns.push(p.text);
          const u = unquote(p.text);
          if (/[*?[]/.test(u) && u !== '*') result.patterns.push({ start: base + p.start, end: base + p.end, pattern: u, kind: src.kind });
        }
        j++;
      }
      const paren = at(j);
      if (!paren) break;
      result.tests.push([base + patStart, base + paren.end]);
      const matched = archesMatching(patterns, src.kind);
      // an arm none of whose patterns the value can ever take: `amd64)` after `case $(uname -m)`
      if (matched.size === 0 && !src.guessed) {
        const arm = patterns.map((p) => ({ p, meant: otherSpellingArches(p, src.kind) }));
        if (arm.every((x) => x.meant.length)) {
          let at0 = patStart;
          for (const x of arm) {
            const start = text.indexOf(x.p, at0);
            at0 = start + x.p.length;
            result.dead.push({ start: base + start, end: base + start + x.p.length, literal: unquote(x.p), kind: src.kind, meant: x.meant });
          }
        }
      }
      // `;&` falls through: the previous arm's arches run this body too
      const arm = new Set([...[...matched].filter((a) => !taken.has(a)), ...fallthrough]);
      taken = new Set([...taken, ...matched]);
      const k = armEnd(j + 1);
      const bodyEnd = at(k)?.start ?? text.length;
      const positive = !patterns.some((p) => unquote(p) === '*');
      region(paren.end, bodyEnd, arm, positive, src.subject);
      fallthrough = at(k)?.text === ';&' ? arm : new Set();
      j = at(k)?.text === ';;' || at(k)?.text === ';&' || at(k)?.text === ';;&' ? k + 1 : k;
    }
  };

  /** The `if … elif … else … fi` chain whose `if` is word i. */
  const ifChain = (i: number): void => {
    // Walk the if … fi chain at this level.
    let remaining: Set<ArchName> | undefined = new Set(ARCH_NAMES);
    let subject: VarSubject = 'host';
    let branchArches: Set<ArchName> | undefined;
    let branchPositive = true;
    let bodyStart = -1;
    // a chain of distribution tests only: a branch every arch reaches is no guard (no region)
    let distroOnly = true;
    const branch = (start: number, end: number, arches: Set<ArchName>, positive: boolean): void => {
      if (!(distroOnly && arches.size === ARCHES.length)) region(start, end, arches, positive, subject);
    };
    for (const j of ifParts.get(i) as number[]) {
      const t = at(j) as ShWord;
      if (t.text === 'fi') {
        if (bodyStart >= 0 && branchArches) branch(bodyStart, t.start, branchArches, branchPositive);
        break;
      }
      if (j === i || t.text === 'elif') {
        if (bodyStart >= 0 && branchArches) branch(bodyStart, t.start, branchArches, branchPositive);
        const test = parseCondition(j + 1);
        if (test && remaining) {
          subject = test.subject;
          distroOnly &&= test.distro;
          branchArches = new Set([...test.arches].filter((a) => remaining?.has(a)));
          branchPositive = test.arches.size < ARCHES.length / 2;
          const other = test.otherwise;
          remaining = other ? new Set([...remaining].filter((a) => other.has(a))) : new Set([...remaining].filter((a) => !test.arches.has(a)));
        } else {
          branchArches = undefined;
          remaining = undefined;
        }
        bodyStart = -1;
        continue;
      }
      if (t.text === 'then') {
        bodyStart = t.end;
        continue;
      }
      if (t.text === 'else') {
        if (bodyStart >= 0 && branchArches) branch(bodyStart, t.start, branchArches, branchPositive);
        branchArches = remaining;
        branchPositive = false;
        bodyStart = t.end;
      }
    }
  };

  // by keyword codes: a word object is made only where a guard may start
  const kw = words.keywords;
  for (let i = 0; i < count; i++) {
    const key = kw[i];
    if (key === 0 || words.kinds[i] !== WORD) continue;
    const prev = i > 0 ? kw[i - 1] : 0;
    if (key === K_CASE && (i === 0 || words.isSep(i - 1) || prev === K_THEN || prev === K_DO || prev === K_AND || prev === K_OR)) {
      caseStatement(i);
      continue;
    }
    if ((key === K_IF || key === K_ELIF) && words.commandStart(i)) {
      if (key === K_ELIF) continue; // handled with its if
      ifChain(i);
      continue;
    }
    // [ A = B ] && cmd   /   [ A = B ] || cmd
    // a test anywhere else (`if ! is_atomic || [ "$(uname -m)" = s390x ]`) is still a test: its literal is the guard
    if ((key === K_BRACKET || key === K_BRACKETS) && (prev === K_OR || prev === K_AND || prev === K_BANG || prev === K_WHILE || prev === K_UNTIL)) {
      parseTest(i);
      continue;
    }
    if ((key === K_BRACKET || key === K_BRACKETS || key === K_TEST || key === K_GREP) && (i === 0 || words.isSep(i - 1))) {
      const test = parseTest(i);
      if (!test) continue;
      const op = at(test.next);
      if (op?.type !== 'op' || (op.text !== '&&' && op.text !== '||')) continue;
      let k = test.next + 1;
      while (k < count && !words.isSep(k) && kw[k] !== K_DSEMI) k++;
      const end = at(k)?.start ?? text.length;
      const arches = op.text === '&&' ? test.arches : test.otherwise ?? complement(test.arches);
      if (!(test.distro && arches.size === ARCHES.length)) region(op.end, end, arches, op.text === '&&' || arches.size === 0, test.subject);
    }
  }
  return result;
}
