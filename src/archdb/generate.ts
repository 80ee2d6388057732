/**
 * Builds the archive database (DESIGN §5) from Debian's `Packages` and `Sources` indices of one
 * suite: every binary package that is not available on each indexed arch, with where it
 * exists, what its source declares (`Package-List` `arch=`), why it is missing, its source and
 * an alternative. Pure: text in, data out. The same indices give the same bytes (everything is
 * sorted; no clock is read), so `npm run archdb` twice is a no-op in git.
 */
import { archSpecMatches, isArchName } from '../arch.js';
import { parseDeb822, type Deb822Paragraph } from '../models/deb822.js';
import { byCodeUnit } from '../order.js';

export const ARCHDB_FORMAT = 1;
export const INDEXED_ARCHES = ['amd64', 'arm64', 'i386'] as const;
export type IndexedArch = (typeof INDEXED_ARCHES)[number];

/**
 * One package: [arches where a binary exists, the arch list its source declares, reason,
 * source package, alternative]. The reason is about arm64 when arm64 lacks it, else about the
 * indexed arches that lack it: `restricted` when the declaration excludes them, `not-built`
 * when it includes them but the suite has no binary there. The alternative is a package that
 * exists where this one does not (on arm64, or on amd64 for an arm64-only package), or "".
 */
export type ArchDbEntry = [exists: string, declared: string, reason: 'restricted' | 'not-built', source: string, alternative: string];

export interface ArchDbSuite {
  /** `Date:` of each dist's Release file the data was built from. */
  dates: Record<string, string>;
  /** Indices that could not be downloaded (`bookworm-security/binary-i386`), if any. */
  incomplete?: string[];
  packages: Record<string, ArchDbEntry>;
}

export interface ArchDb {
  format: number;
  arches: readonly string[];
  suites: Record<string, ArchDbSuite>;
}

export interface SuiteIndices {
  /** dist name (`bullseye-security`) → the `Date:` of its Release file. */
  dates: Record<string, string>;
  packages: { dist: string; arch: IndexedArch; text: string }[];
  sources: string[];
  /**
   * `dist/binary-arch` indices that could not be had: a package that dist has on other arches
   * is taken to exist on that arch too (never flag what the data cannot tell).
   */
  incomplete?: string[];
}

const field = (p: Deb822Paragraph, text: string, name: string): string | undefined => {
  const f = p.get(name);
  return f ? text.slice(f.valueStart, f.end).replace(/\s+/g, ' ').trim() : undefined;
};

/** `Package-List` lines: `name type section priority arch=a,b …`. */
/**
 * `s.replace(/\s*\(.*\)$/, '')` (a Source field's ` (version)`) without reading a run of `(` to the
 * end once per `(`: from the first `(` of the last line, with the blanks before it.
 */
function dropParenthesized(s: string): string {
  if (!s.endsWith(')')) return s;
  const line = Math.max(s.lastIndexOf('\n'), s.lastIndexOf('\r'), s.lastIndexOf('\u2028'), s.lastIndexOf('\u2029')) + 1;
  const open = s.indexOf('(', line);
  return open < 0 ? s : s.slice(0, open).trimEnd();
}

function packageListArches(value: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of value.split(/\r?\n/)) {
    const words = line.trim().split(/\s+/);
    const arch = words.find((w) => w.startsWith('arch='));
    if (words[0] && arch) out.set(words[0], arch.slice(5).split(','));
  }
  return out;
}

/** Arch tokens in package names, and what stands for them on the other arch. */
const SWAPS: Record<'arm64' | 'amd64', [RegExp, string][]> = {
  arm64: [
    [/(^|-)(amd64|i386|686-pae|686)(?=-|$)/, '$1arm64'],
    [/(^|-)(x86-64|x86_64)(?=-|$)/, '$1aarch64'],
    [/(^|-)pc(?=-|$)/, '$1efi-arm64'],
    [/(^|-)efi-(amd64|ia32)(?=-|$)/, '$1efi-arm64'],
  ],
  amd64: [
    [/(^|-)arm64(?=-|$)/, '$1amd64'],
    [/(^|-)aarch64(?=-|$)/, '$1x86-64'],
  ],
};
const ARCH_WORDS = /(^|-)(amd64|arm64|i386|686-pae|686|x86-64|x86_64|aarch64|pc|efi|ia32|x64|aa64)(?=-|$)/g;
const strip = (n: string): string => n.replace(ARCH_WORDS, '');

function alternativeFor(
  name: string,
  target: 'arm64' | 'amd64',
  existsOn: (n: string, a: string) => boolean,
  siblings: readonly string[],
): string {
  for (const [re, to] of SWAPS[target]) {
    if (!re.test(name)) continue;
    const candidate = name.replace(re, to);
    if (candidate !== name && existsOn(candidate, target)) return candidate;
  }
  const own = target === 'arm64' ? /(^|-)(arm64|aarch64|aa64)(-|$)/ : /(^|-)(amd64|x86-64|x64)(-|$)/;
  const match = siblings.filter((s) => s !== name && own.test(s) && existsOn(s, target) && strip(s) === strip(name)).sort();
  return match[0] ?? '';
}

/** The database entries of one suite. */
export function generateSuite(input: SuiteIndices): ArchDbSuite {
  const exists = new Map<string, Set<IndexedArch>>();
  const anyArch = new Set<string>();
  const sourceOf = new Map<string, string>();
  const binariesOf = new Map<string, Set<string>>();
  const declared = new Map<string, Set<string>>();
  const incomplete = new Set(input.incomplete ?? []);
  for (const { dist, arch, text } of input.packages) {
    const assumed = INDEXED_ARCHES.filter((a) => a !== arch && incomplete.has(`${dist}/binary-${a}`));
    for (const p of parseDeb822(text, false).paragraphs) {
      const name = field(p, text, 'Package');
      const a = field(p, text, 'Architecture');
      if (!name || !a) continue;
      if (a === 'all') {
        anyArch.add(name);
        continue;
      }
      if (a !== arch) continue;
      const set = exists.get(name) ?? new Set<IndexedArch>();
      set.add(arch);
      for (const a of assumed) set.add(a);
      exists.set(name, set);
      const src = dropParenthesized(field(p, text, 'Source') ?? name);
      if (!sourceOf.has(name) || src < (sourceOf.get(name) as string)) sourceOf.set(name, src);
      const bins = binariesOf.get(src) ?? new Set<string>();
      bins.add(name);
      binariesOf.set(src, bins);
    }
  }
  for (const text of input.sources) {
    for (const p of parseDeb822(text, false).paragraphs) {
      const srcArch = (field(p, text, 'Architecture') ?? '').split(' ').filter(Boolean);
      const list = p.get('Package-List');
      const perBinary = list ? packageListArches(text.slice(list.valueStart, list.end)) : new Map<string, string[]>();
      const binaries = (field(p, text, 'Binary') ?? '').split(/[,\s]+/).filter(Boolean);
      for (const b of new Set([...binaries, ...perBinary.keys()])) {
        const terms = perBinary.get(b) ?? srcArch;
        const set = declared.get(b) ?? new Set<string>();
        for (const t of terms) if (t !== 'all') set.add(t);
        declared.set(b, set);
      }
    }
  }
  const existsOn = (n: string, a: string): boolean => anyArch.has(n) || !!exists.get(n)?.has(a as IndexedArch);
  const packages: Record<string, ArchDbEntry> = {};
  for (const name of [...exists.keys()].sort()) {
    if (anyArch.has(name)) continue;
    const on = exists.get(name) as Set<IndexedArch>;
    if (on.size === INDEXED_ARCHES.length) continue;
    const decl = [...(declared.get(name) ?? [])].sort();
    const missing = INDEXED_ARCHES.filter((a) => !on.has(a));
    const about = missing.includes('arm64') ? ['arm64' as const] : missing;
    const declares = (a: IndexedArch): boolean => decl.length === 0 || decl.some((t) => isArchName(a) && archSpecMatches(t, a));
    const reason = about.every((a) => !declares(a)) ? 'restricted' : 'not-built';
    const source = sourceOf.get(name) as string;
    const target = missing.includes('arm64') ? 'arm64' : missing.includes('amd64') ? 'amd64' : undefined;
    const alt = target ? alternativeFor(name, target, existsOn, [...(binariesOf.get(source) ?? [])]) : '';
    packages[name] = [INDEXED_ARCHES.filter((a) => on.has(a)).join(' '), decl.join(' '), reason, source, alt];
  }
  const dates = Object.fromEntries(Object.entries(input.dates).sort(([a], [b]) => byCodeUnit(a, b)));
  return { dates, ...(incomplete.size ? { incomplete: [...incomplete].sort() } : {}), packages };
}

/**
 * The committed JSON text: one package per line, sorted, so a regeneration shows in `git diff`
 * as the packages that changed.
 */
export function serializeArchDb(db: ArchDb): string {
  const suites = Object.keys(db.suites).sort();
  let out = `{\n"format": ${db.format},\n"arches": ${JSON.stringify(db.arches)},\n"suites": {\n`;
  suites.forEach((s, i) => {
    const suite = db.suites[s] as ArchDbSuite;
    const names = Object.keys(suite.packages).sort();
    out += `${JSON.stringify(s)}: {\n"dates": ${JSON.stringify(suite.dates)},\n`;
    if (suite.incomplete) out += `"incomplete": ${JSON.stringify(suite.incomplete)},\n`;
    out += '"packages": {\n';
    out += names.map((n) => `${JSON.stringify(n)}: ${JSON.stringify(suite.packages[n])}`).join(',\n');
    out += `\n}\n}${i < suites.length - 1 ? ',' : ''}\n`;
  });
  return out + '}\n}\n';
}
