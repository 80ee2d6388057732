/**
 * The one answer every rule asks the archive (DESIGN §5): is this package (or StarlingX source
 * dir) arch-only, on which arches does it exist, why, and what to use instead. It joins the
 * generated archive data (data/archdb.json), the curated list (data/curated.json) and the
 * config's `curated.add` / `curated.remove`. Names the data does not know — a platform's own
 * packages, `${misc:Depends}`, `@TOKEN@` names — are unknown, and never arch-only.
 */
import { ARCH_NAMES, archSpecMatches, isArchName, type ArchName } from '../arch.js';
import type { ArchDb, ArchDbEntry } from './generate.js';

export type ArchOnlyReason = 'restricted' | 'not-built' | 'curated';

/** A curated entry (data/curated.json), or one a config adds (`curated.add`). */
export interface CuratedEntry {
  /** A binary package name; `*` matches any run of characters. */
  name?: string;
  /** A source dir, matched as a path suffix (`kernel-modules/qat`). */
  dir?: string;
  /** The Debian arches it builds and installs on. */
  arches: string[];
  reason: string;
  /** Where the fact comes from. */
  source?: string;
  /** Only in these suites (all when absent). */
  suites?: string[];
  alternative?: string;
  /**
   * `x86`: an `Architecture: all` package whose content serves x86 machines or guests (ovmf,
   * seabios, isolinux): it installs on every arch, so it is never missing; `arches` says whom
   * the content is for.
   */
  content?: 'x86';
}

export interface ArchOnlyPackage {
  name: string;
  origin: 'archive' | 'curated';
  /** Indexed arches (amd64, arm64, i386) with a binary in the suite; for curated entries, its arches. */
  availableOn: string[];
  /** The arch list the source declares (`Package-List` `arch=`), or the curated arches. */
  declared: string[];
  /** The source package (archive) or where the fact comes from (curated). */
  source: string;
  /** The curated reason, when curated. */
  note?: string;
  /** A package that exists where this one does not, when the data knows one. */
  alternative?: string;
  /** `x86`: installs everywhere (`Architecture: all`), but its content is for x86 machines or guests. */
  content?: 'x86';
}

/** Debian arch names a restriction list may keep besides the ones src/arch.ts knows (ports). */
const PORTS = ['alpha', 'hppa', 'ia64', 'm68k', 'powerpc', 'ppc64', 'sh4', 'sparc64', 'x32', 'mips', 'mipsel', 'mips64', 's390', 'sparc'];

export interface ArchLookup {
  readonly suite: string;
  /** The Release dates of the suite's dists the data was built from. */
  readonly dates: Readonly<Record<string, string>>;
  /** The arch-only facts about a package, or undefined (available everywhere, or unknown). */
  package(name: string): ArchOnlyPackage | undefined;
  /**
   * Why `name` cannot be installed on `arch`: `restricted` (its source excludes the arch),
   * `not-built` (declared, but no binary in the suite), `curated`; undefined when it can or
   * the data does not know.
   */
  missingOn(name: string, arch: ArchName): ArchOnlyReason | undefined;
  /** The `[…]` restriction to write for a package: its declaration as Debian arch names, sorted. */
  restriction(name: string): string[] | undefined;
  /**
   * The curated entry of the source dir that `path` is (or is in: `…/kernel-modules/qat/debian/control`),
   * matched as a path suffix with `_` and `-` alike and an `intel-` prefix dropped (`intel-qat` = `qat`); an entry for a
   * folder covers the source dirs below it (`tools/opae` covers `tools/opae/opae-sdk`).
   */
  dir(path: string): CuratedEntry | undefined;
  /**
   * The curated entry of a package name (or of the name its rt-kernel flavour is built from),
   * even where the archive also knows the name: what the curated list says of its hardware.
   */
  curated(name: string): CuratedEntry | undefined;
}

/**
 * A dir path with `_` and `-` alike and a vendor's `intel-` prefix dropped from each folder name:
 * `intel_qat` = `intel-qat` = `qat` (a renamed or forked dir of the same family).
 */
const normalDir = (d: string): string => d.toLowerCase().replace(/_/g, '-').replace(/(^|\/)intel-(?=[^/])/g, '$1');

/** The name a kernel-flavour variant is built from: `iqvlinux-rt` and `iqvlinux-rt-dbgsym` → `iqvlinux`; undefined for other names. */
export const rtFlavourBase = (name: string): string | undefined => /^(.+?)-rt(?:-[a-z0-9][a-z0-9.+-]*)?$/.exec(name)?.[1];

const globRe = (g: string): RegExp => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** Turns a declaration into restriction terms: wildcards to the Debian arches they match, other kernels dropped. */
export function declarationToArches(declared: readonly string[]): string[] {
  const out = new Set<string>();
  for (const d of declared) {
    if (d === 'any' || d === 'linux-any') return [];
    if (isArchName(d) || PORTS.includes(d)) out.add(d);
    else if (/^(any|linux)-[a-z0-9]+$/.test(d)) {
      for (const a of ARCH_NAMES) if (archSpecMatches(d, a)) out.add(a);
      const cpu = d.slice(d.indexOf('-') + 1);
      if (PORTS.includes(cpu)) out.add(cpu);
    }
  }
  return [...out].sort();
}

/**
 * Builds the lookup for one suite. `add` entries take precedence over everything; `remove`
 * (names or dirs) drops curated entries and archive entries of that name.
 */
export function createArchLookup(
  /** The data, or a function that loads it the first time a package is asked about. */
  db: ArchDb | (() => ArchDb),
  curated: readonly CuratedEntry[],
  suite: string,
  config: { add?: readonly CuratedEntry[]; remove?: readonly string[] } = {},
): ArchLookup {
  const loadDb = typeof db === 'function' ? db : () => db;
  const data = () => loadDb().suites[suite];
  let packagesOfSuite: Record<string, ArchDbEntry> | undefined;
  const packages = (): Record<string, ArchDbEntry> => (packagesOfSuite ??= data()?.packages ?? {});
  const removed = new Set(config.remove ?? []);
  const entries = [...(config.add ?? []), ...curated]
    .filter((e) => !e.suites || e.suites.includes(suite))
    .filter((e) => !removed.has(e.name ?? '') && !removed.has(e.dir ?? ''));
  const fromConfig = new Set(config.add ?? []);
  const named = entries.filter((e) => e.name);
  // the first named entry matching a name, in order: exact names by a map, the few globs tried one by one
  const exact = new Map<string, number>();
  const globs: { i: number; re: RegExp }[] = [];
  named.forEach((e, i) => {
    const n = e.name as string;
    if (!n.includes('*')) {
      if (!exact.has(n)) exact.set(n, i);
    } else globs.push({ i, re: globRe(n) });
  });
  const firstNamed = (name: string): number => {
    let first = exact.get(name) ?? named.length;
    for (const g of globs) {
      if (g.i >= first) break;
      if (g.re.test(name)) first = g.i;
    }
    return first;
  };
  const namedEntry = (name: string): CuratedEntry | undefined => named[firstNamed(name)];
  // each entry's dir normalised once, and each path's answer kept: a list of 200,000 dirs asks
  const dirs = entries.filter((e) => e.dir).map((e) => ({ e, key: `/${normalDir(e.dir as string)}/` }));
  const dirCache = new Map<string, CuratedEntry | undefined>();
  const cache = new Map<string, ArchOnlyPackage | undefined>();

  const curatedPackage = (name: string, e: CuratedEntry): ArchOnlyPackage => ({
    name,
    origin: 'curated',
    availableOn: [...e.arches],
    declared: [...e.arches],
    source: e.source ?? 'curated',
    note: e.reason,
    alternative: e.alternative,
    ...(e.content ? { content: e.content } : {}),
  });

  const find = (name: string): ArchOnlyPackage | undefined => {
    if (/[$@]/.test(name) || removed.has(name)) return undefined;
    const hit = namedEntry(name);
    if (hit && fromConfig.has(hit)) return curatedPackage(name, hit);
    const p = packages()[name];
    if (p) {
      const [exists, declared, , source, alternative] = p;
      return {
        name,
        origin: 'archive',
        availableOn: exists.split(' ').filter(Boolean),
        declared: declared.split(' ').filter(Boolean),
        source,
        alternative: alternative || undefined,
      };
    }
    if (hit) return curatedPackage(name, hit);
    // A kernel module package built for the rt kernel is its curated name's flavour: `iqvlinux-rt`, `iqvlinux-rt-dbgsym`.
    const base = rtFlavourBase(name);
    const flavoured = base ? namedEntry(base) : undefined;
    return flavoured ? curatedPackage(name, flavoured) : undefined;
  };

  const curatedCache = new Map<string, CuratedEntry | undefined>();
  const curatedEntry = (name: string): CuratedEntry | undefined => {
    if (/[$@]/.test(name) || removed.has(name)) return undefined;
    let e = curatedCache.get(name);
    if (e === undefined && !curatedCache.has(name)) {
      // the first entry matching the name or its rt flavour's base
      const base = rtFlavourBase(name);
      e = named[Math.min(firstNamed(name), base !== undefined ? firstNamed(base) : named.length)];
      curatedCache.set(name, e);
    }
    return e;
  };

  const lookup: ArchLookup = {
    suite,
    get dates() {
      return data()?.dates ?? {};
    },
    package(name) {
      let p = cache.get(name);
      if (p === undefined && !cache.has(name)) cache.set(name, (p = find(name)));
      return p;
    },
    missingOn(name, arch) {
      const p = lookup.package(name);
      if (!p) return undefined;
      // Architecture: all: installs everywhere, whatever its content is for.
      if (p.content) return undefined;
      if (p.origin === 'curated') return p.declared.some((d) => d === arch || (isArchName(arch) && archSpecMatches(d, arch))) ? undefined : 'curated';
      const declares = p.declared.length === 0 || p.declared.some((d) => archSpecMatches(d, arch));
      if ((loadDb().arches as readonly string[]).includes(arch)) {
        if (p.availableOn.includes(arch)) return undefined;
        return declares ? 'not-built' : 'restricted';
      }
      // An arch the data did not index: only the declaration can tell.
      return declares ? undefined : 'restricted';
    },
    restriction(name) {
      const p = lookup.package(name);
      if (!p) return undefined;
      const r = declarationToArches(p.declared);
      return r.length ? r : undefined;
    },
    curated: curatedEntry,
    dir(path) {
      // by the part that is read: every file under one debian/ asks the same question
      const read = path.replace(/(^|\/)debian\/.*$/, '').replace(/(?<!\/)\/+$/, '');
      let hit = dirCache.get(read);
      if (hit === undefined && !dirCache.has(read)) {
        const p = normalDir(`/${read}/`);
        hit = dirs.find(({ key }) => p.includes(key))?.e;
        dirCache.set(read, hit);
      }
      return hit;
    },
  };
  return lookup;
}
