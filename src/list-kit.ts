/**
 * Rule-kit helpers for StarlingX's lists (pkg-dirs, pkg-list): which arches a list is built or
 * installed on, its twins (DESIGN §6: `debian_pkg_dirs_arm64`, `debian_iso_image_arm64.inc`,
 * `base-bullseye_arm64.lst` REPLACE the generic list on that arch), why an entry cannot be on an
 * arch (the archive database and curated list, DESIGN §5), and the one file-level twin fix that
 * carries every exclusion of a list. Also the list walkers of hardcoded-arch and
 * arch-in-download-url.
 */
import { ARCHES, archFacts, isArchName, scanArchLiterals, type ArchName } from './arch.js';
import type { ArchOnlyReason } from './archdb/lookup.js';
import { listedDirScope } from './control-kit.js';
import { parseList, type ListLine, type ListModel, type ListWord } from './models/list.js';
import type { SourceFile } from './source.js';
import type { Fix, ProjectView, RelatedLocation, RuleContext } from './types.js';
import { projectMemo } from './project-view.js';

export type { ListLine, ListModel, ListWord } from './models/list.js';

const modelCache = new WeakMap<SourceFile, ListModel>();

/** The parsed list of a pkg-dirs, pkg-list or series file (parsed once per text). */
export function listModel(file: SourceFile, kind: string): ListModel {
  let m = modelCache.get(file);
  if (!m) {
    m = parseList(file.text, kind === 'series' ? 'series' : 'list');
    modelCache.set(file, m);
  }
  return m;
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const dirOf = (p: string): string => p.slice(0, p.lastIndexOf('/') + 1);
/** The extension a twin keeps at the end (`.inc`, `.lst`), or ''. */
const extOf = (name: string): string => /\.(inc|lst|yaml|yml|cfg)$/.exec(name)?.[0] ?? '';

/** Folder names that make everything below them arch-specific. */
const ARCH_FOLDERS: Record<string, readonly ArchName[]> = {
  x86: ['amd64', 'i386'],
  x86_64: ['amd64'],
  amd64: ['amd64'],
  i386: ['i386'],
  arm: ['arm64', 'armhf', 'armel'],
  arm64: ['arm64'],
  aarch64: ['arm64'],
};

/**
 * The arches a file is for when its name or a folder says so (`debian_pkg_dirs_arm64`,
 * `base-bullseye_amd64.lst`, `…/arm/…`, `…/x86/…`); undefined for a generic file.
 */
function ownArches(path: string): ArchName[] | undefined {
  const name = base(path);
  const stem = name.slice(0, name.length - extOf(name).length);
  const named = scanArchLiterals(stem).filter((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu');
  if (named.length) return [...new Set(named.flatMap((l) => l.arches))];
  const folders = path.split('/').slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const arches = ARCH_FOLDERS[folders[i] as string];
    if (arches) return [...arches];
  }
  return undefined;
}

/** The twin of a generic list for an arch: the arch appended before any extension (DESIGN §6). */
export function twinPath(path: string, arch: ArchName): string {
  const name = base(path);
  const ext = extOf(name);
  return `${dirOf(path)}${name.slice(0, name.length - ext.length)}_${arch}${ext}`;
}

/**
 * A codename-layout list (`debian_bullseye_pkg_dirs_std`, `debian_trixie_iso_image_std.inc`):
 * its twin follows the same convention, the arch appended last before any extension
 * (`debian_bullseye_pkg_dirs_std_arm64`, `debian_trixie_iso_image_std_arm64.inc`; DESIGN §6).
 */
export function isCodenameLayout(path: string): boolean {
  return /^(?:debian|centos)_[a-z]+_(?:pkg_dirs|iso_image)/.test(base(path));
}

/** What the build tools use on an arch instead of a std list: `<l>_<arch>` or `<l>_std_<arch>`. */
function twinCandidates(path: string, arch: ArchName): string[] {
  const out = [twinPath(path, arch)];
  const name = base(path);
  if (/(?:^|_)(?:pkg_dirs|iso_image)(?:\.inc)?$/.test(name)) {
    const ext = extOf(name);
    out.push(`${dirOf(path)}${name.slice(0, name.length - ext.length)}_std_${arch}${ext}`);
  }
  return out;
}

/**
 * The quilt series dpkg-source reads: `debian/patches/series` (and a `deb_folder/patches/series`
 * StarlingX copies there). dpkg-source reads `series` or `<vendor>.series` only, never a
 * `series_<arch>` twin. StarlingX's own tools read `debian/<codename|all>/patches/series` and
 * `deb_patches/series` (debrepack.py), and may be taught a twin there.
 */
export function isDpkgSourceSeries(path: string): boolean {
  return /(?:^|\/)(?:debian|deb_folder)\/patches\/[^/]+$/.test(path);
}

/** Whether anything in the build could read a twin of this list (DESIGN §6: only twins someone reads). */
export function twinIsRead(path: string): boolean {
  return !isDpkgSourceSeries(path);
}

/**
 * Where the arch split of a dpkg-source series goes instead of a twin: into the patch itself, or
 * into debian/rules (a patch applied there on some arches only).
 */
export function seriesSplitAdvice(patch: string, arches: readonly ArchName[], keep: readonly ArchName[]): string {
  const on = keep.length ? keep.join(', ') : 'the arches it is for';
  return `dpkg-source reads only \`series\` (or \`<vendor>.series\`), never a \`series_<arch>\` twin: ` +
    `make ${patch} arch-conditional (guard the code its hunks add on the arch, so ${arches.join(', ')} builds it out), ` +
    `or drop it from series and apply it from debian/rules on ${on} only (\`ifeq ($(DEB_HOST_ARCH),…)\` around a \`patch -p1\` in override_dh_auto_configure, reverted in clean)`;
}

/**
 * The arches a patch of a series is for, when its path says so: an arch folder (`x86/0001-…patch`)
 * or the arch appended to its name (`0001-msr_amd64.patch`). A subject that mentions an arch
 * (`0004-…-grub-efi-amd64.patch`) names what it touches, not where it applies.
 */
function patchArches(entry: string): ArchName[] | undefined {
  const folders = entry.split('/').slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const arches = ARCH_FOLDERS[folders[i] as string];
    if (arches) return [...arches];
  }
  const m = /_([a-z0-9]+)\.(?:patch|diff)$/.exec(base(entry));
  return m && isArchName(m[1] as string) ? [m[1] as ArchName] : undefined;
}

export interface ListScope {
  /** The configured arches this list is built or installed on. */
  arches: ArchName[];
  /** The arches the file's name or folder names, when it is arch-specific. */
  own?: ArchName[];
  /** Twins that replace this (generic) list on an arch, by arch: paths in the project. */
  twins: Map<ArchName, string>;
  /** For a twin: the generic list it replaces, when the project has it. */
  generic?: string;
}

/** Which configured arches a list serves: its own arches, or every arch no twin replaces it on. */
export function listScope(ctx: RuleContext): ListScope {
  const path = ctx.file.path;
  // asking for each candidate, not copying every path of the tree into a set per call
  const known = { has: (p: string): boolean => ctx.project.get(p) !== undefined };
  const own = ownArches(path);
  const twins = new Map<ArchName, string>();
  if (own) {
    let generic: string | undefined;
    const name = base(path);
    const ext = extOf(name);
    const stem = name.slice(0, name.length - ext.length);
    for (const a of own) {
      // `<l>_std_<arch>` replaces `<l>_std`, or `<l>` where there is no `<l>_std`
      for (const cand of [stem.replace(new RegExp(`_${a}$`), ''), stem.replace(new RegExp(`_std_${a}$`), '')]) {
        const p = `${dirOf(path)}${cand}${ext}`;
        if (cand !== stem && known.has(p)) {
          generic = p;
          break;
        }
      }
      if (generic) break;
    }
    return { arches: ctx.architectures.filter((a) => own.includes(a)), own, twins, generic };
  }
  // a twin nothing reads (`series_arm64` beside dpkg-source's series) replaces nothing
  for (const a of twinIsRead(path) ? ctx.architectures : []) {
    const t = twinCandidates(path, a).find((p) => known.has(p));
    if (t) twins.set(a, t);
  }
  return { arches: ctx.architectures.filter((a) => !twins.has(a)), twins };
}

/** The parts of a list entry: its name, and in `.lst` files its version and pinned URL. */
export interface EntryParts {
  name: ListWord;
  version?: ListWord;
  url?: ListWord;
}

export function entryParts(words: readonly ListWord[], kind: string): EntryParts | undefined {
  const name = words[0];
  if (!name) return undefined;
  if (kind !== 'pkg-list') return { name };
  const version = words[1];
  const url = words.slice(1).find((w) => w.text.includes('://'));
  return { name, version: version && version !== url ? version : undefined, url };
}

export interface Exclusion {
  arch: ArchName;
  why: ArchOnlyReason;
  /** Short reason for a comment: `x86-only: Intel PCM reads x86 MSRs`. */
  reason: string;
  /** A choice rather than a fact: the dir repackages a prebuilt x86 download, whose arm64 download could be added instead. */
  choice?: boolean;
  /** The tree itself builds the package for other arches only: porting its control is the other way. */
  port?: boolean;
}

/** A curated reason without its own trailing `: x86-only …` (the comment says that first). */
const bare = (reason: string): string => reason.replace(/(?:[:,;]|(?<!\s))\s*x86-only(?: hardware)?\s*$/, '');

/** True when a declaration names x86 cpus only (`amd64 i386 x32`, `any-amd64 kopensolaris-i386`). */
const x86Only = (arches: readonly string[]): boolean =>
  arches.length > 0 && arches.every((a) => /^(?:[a-z]+-)?(?:amd64|i386|x32)$/.test(a));

/** Why a pkg-dirs or package-list entry cannot be on each of `arches` (empty: it can everywhere or the data does not know). */
export function exclusions(ctx: RuleContext, name: string, arches: readonly ArchName[]): Exclusion[] {
  const out: Exclusion[] = [];
  if (ctx.kind === 'series') {
    const own = patchArches(name);
    if (!own) return out;
    const label = x86Only(own) ? 'x86-only' : `${own.join(' ')} only`;
    const where = name.includes('/') ? `a patch in ${name.slice(0, name.lastIndexOf('/') + 1)}` : `a patch named for ${own.join(', ')}`;
    for (const a of arches) if (!own.includes(a)) out.push({ arch: a, why: 'curated', reason: `${label}: ${where}` });
    return out;
  }
  if (ctx.kind === 'pkg-dirs') {
    // Curated by its path, or by the names its packaging builds (a renamed or forked dir).
    const scope = listedDirScope(ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/') + 1), name, ctx.project, ctx.archive, ctx.architectures);
    const d = scope?.curated;
    if (!d) return out;
    const label = x86Only(d.arches) ? 'x86-only' : `${d.arches.join(' ')} only`;
    for (const a of arches) {
      if (d.arches.includes(a)) continue;
      out.push({ arch: a, why: 'curated', reason: `${label}: ${bare(d.reason)}`, ...(scope.prebuilt ? { choice: true } : {}) });
    }
    return out;
  }
  const p = ctx.archive.package(name);
  if (!p) return treeExclusions(ctx.project, name, arches);
  for (const a of arches) {
    const why = ctx.archive.missingOn(name, a);
    if (!why) continue;
    let reason: string;
    if (why === 'curated') reason = `${x86Only(p.declared) ? 'x86-only' : `${p.declared.join(' ')} only`}: ${bare(p.note ?? p.source)}`;
    else if (why === 'restricted') reason = `${x86Only(p.declared) ? 'x86-only' : `${p.declared.join(' ')} only`}: ${p.source} builds it for ${p.declared.join(' ')}`;
    else reason = `not built for ${a} in ${ctx.archive.suite}`;
    if (p.alternative && why !== 'not-built') reason += `; on ${a} use ${p.alternative}`;
    out.push({ arch: a, why, reason });
  }
  return out;
}

/** The Debian arch a pinned `.deb` URL is built for (`…_amd64.deb`), or undefined (`_all.deb`, not a .deb). */
export function urlArch(url: string): { arch: ArchName; start: number; end: number } | undefined {
  const m = /_([a-z0-9]+)\.u?deb$/.exec(url.replace(/(?<![?#])[?#].*$/, ''));
  if (!m || !isArchName(m[1] as string)) return undefined;
  const start = m.index + 1;
  return { arch: m[1] as ArchName, start, end: start + (m[1] as string).length };
}

/** True when a directive above or on `offset` turns `ruleId` off there. */
export function disabledAt(ctx: RuleContext, ruleId: string, offset: number): boolean {
  return ctx.directives.list.some(
    (d) => d.kind !== 'enable' && offset >= d.covers[0] && offset <= d.covers[1] && (d.rules.length === 0 || d.rules.some((r) => r.id === ruleId)),
  );
}

const ARCH_ONLY_RULE = 'arch-only-list-entry';

/**
 * Archives that carry every Debian release arch (arm64 among them): the main and security
 * archives, live, archived or on snapshot. `debian-ports` carries only the ports, so never.
 */
const RELEASE_ARCHIVE =
  /^https?:\/\/(?:snapshot\.debian\.org\/archive\/(?:debian|debian-security)\/|(?:deb|ftp(?:\.[a-z]{2})?|httpredir|security|archive)\.debian\.org\/(?:debian|debian-security)\/)/;

/** A pinned URL of another arch's build as the twin for `arch` pins it: the same pool path's build for `arch`, or why not. */
export type UrlForArch = { url: string } | { reason: string };

/**
 * What a pinned `…_amd64.deb` URL becomes in `arch`'s twin (DESIGN §6), or undefined when it is
 * not bound to another arch (`_all.deb`, `_arm64.deb` for arm64). Pool paths are per source
 * package, so `…_<version>_arm64.deb` at the same place is the arm64 build of the same version —
 * a derivation, not a fact (each file has its own first-seen time on snapshot). Never derived in
 * an archive that does not carry `arch`, nor for a binNMU (`+bN` is per arch).
 */
export function urlForArch(url: string, arch: ArchName): UrlForArch | undefined {
  const u = urlArch(url);
  if (!u || u.arch === arch) return undefined;
  const file = base(url.replace(/(?<![?#])[?#].*$/, ''));
  let version = /^[^_]+_(.+)_[a-z0-9]+\.u?deb$/.exec(file)?.[1] ?? '';
  try {
    version = decodeURIComponent(version);
  } catch {
    // keep it encoded: only its `+bN` suffix matters
  }
  if (/\+b\d+$/.test(version)) return { reason: `${u.arch} binNMU ${version}, binNMUs are per arch: pin the ${arch} binNMU` };
  if (!RELEASE_ARCHIVE.test(url)) {
    const where = /debian-ports/.test(url) ? 'debian-ports, which carries no' : 'an archive not known to carry';
    return { reason: `${u.arch} build from ${where} ${arch} builds: pin the ${arch} build's URL` };
  }
  return { url: url.slice(0, u.start) + arch + url.slice(u.end) };
}

/** A twin's line: its text, and whether it pins a URL derived from another arch's. */
interface TwinLine {
  text: string;
  /** It pins a URL derived from another arch's. */
  derived: boolean;
  /** Its name is derived from another arch's (`renamedForArch`). */
  renamed?: boolean;
  /** Commented out by choice (a prebuilt x86 download), not because the arch cannot have it. */
  choice?: boolean;
}

function twinLineOf(ctx: RuleContext, file: SourceFile, line: ListLine, arch: ArchName): TwinLine | undefined {
  const parts = entryParts(line.words, ctx.kind);
  if (!parts || line.kind !== 'entry') return undefined;
  const text = file.text;
  const body = text.slice(line.start, line.end);
  // a directive in this file that keeps the entry (the twin copies the directive with it)
  const kept = file === ctx.file && disabledAt(ctx, ARCH_ONLY_RULE, line.start);
  const ex = kept ? [] : exclusions(ctx, parts.name.text, [arch]);
  if (ex[0]) return { text: `#${body}  # ${ex[0].reason}`, derived: false, choice: !!ex[0].choice };
  const to = parts.url ? urlForArch(parts.url.text, arch) : undefined;
  const renamed = renamedForArch(ctx, parts.name.text, arch);
  if (to && 'reason' in to) return { text: `#${body}  # ${to.reason}`, derived: false };
  if (!renamed && (!parts.url || !to)) return undefined;
  let out = text.slice(line.start, line.end);
  // the URL first: it comes after the name
  if (parts.url && to) out = out.slice(0, parts.url.start - line.start) + to.url + out.slice(parts.url.end - line.start);
  if (renamed) {
    const at = parts.name.start - line.start;
    out = `# derived from ${parts.name.text}: check the ${arch} name${file.eol}${out.slice(0, at)}${renamed}${out.slice(at + parts.name.text.length)}`;
  }
  return { text: out, derived: !!(parts.url && to), renamed: !!renamed };
}

/**
 * A per-arch name of a generic list as `arch`'s twin lists it: the arch it carries swapped for
 * `arch` (`linux-image-6.12.0-1-amd64-unsigned` → `…-arm64-unsigned`, `-rt-amd64` → `-rt-arm64`).
 * Only for names the archive data does not know (a known package is excluded or kept by its
 * facts) and only Debian arch names; a derivation to check, never a fact.
 */
export function renamedForArch(ctx: RuleContext, name: string, arch: ArchName): string | undefined {
  // a patch's name is its subject (`…-grub-efi-amd64-….patch`), not a per-arch package
  if (ctx.kind === 'series' || ctx.archive.package(name)) return undefined;
  const lits = scanArchLiterals(name).filter((l) => l.meaning !== 'lib64');
  if (!lits.length || lits.some((l) => l.meaning !== 'arch') || lits.every((l) => l.arches.includes(arch))) return undefined;
  let out = '';
  let pos = 0;
  for (const l of lits) {
    out += name.slice(pos, l.start) + (l.arches.includes(arch) ? l.text : arch);
    pos = l.end;
  }
  return out + name.slice(pos);
}

/**
 * What a generic list's line becomes in the twin for `arch`, or undefined when it is copied as
 * it is: an entry that cannot be on `arch` commented out with its reason; a pinned URL of
 * another arch's build swapped for `arch`'s build at the same place (`urlForArch`), or
 * commented out with the reason it cannot be.
 */
export function twinLine(ctx: RuleContext, file: SourceFile, line: ListLine, arch: ArchName): string | undefined {
  return twinLineOf(ctx, file, line, arch)?.text;
}

/** The text of a twin for `arch` (the generic list, each line as `twinLine` makes it) and how many URLs it derived. */
export function twinText(ctx: RuleContext, arch: ArchName): { text: string; derived: number; renamed: number; choices: number } {
  const text = ctx.file.text;
  let out = '';
  let pos = 0;
  let derived = 0;
  let renamed = 0;
  let choices = 0;
  for (const line of listModel(ctx.file, ctx.kind).entries) {
    const t = twinLineOf(ctx, ctx.file, line, arch);
    if (t === undefined) continue;
    out += text.slice(pos, line.start) + t.text;
    pos = line.end;
    if (t.derived) derived++;
    if (t.renamed) renamed++;
    if (t.choice) choices++;
  }
  return { text: out + text.slice(pos), derived, renamed, choices };
}

/** True when a twin for `arch` would differ from the generic list (something to exclude or to swap). */
function needsTwin(ctx: RuleContext, arch: ArchName, twin: string): boolean {
  return twin !== ctx.file.text || (ctx.kind !== 'series' && listModel(ctx.file, ctx.kind).entries.some((l) => {
    const parts = entryParts(l.words, ctx.kind);
    return !!parts && scanArchLiterals(parts.name.text).some((x) => x.meaning === 'arch' && !x.arches.includes(arch) && !ctx.archive.package(parts.name.text));
  }));
}

/** The twin fix of a generic list, and how many pinned URLs it derived (then it is a suggestion, not a safe fix). */
export interface TwinsFix {
  fix: Fix;
  /** Derived URLs and names: any makes the fix a suggestion. */
  derived: number;
  /** What it derives, for messages: `1 name and 2 URLs`. */
  derivedText: string;
}

const TWIN_FIXES = Symbol('list-kit twin fixes');

/** How a porter checks derived URLs: each one either downloads or is not found. */
export const checkDerived = (arches: readonly string[], one = false): string =>
  `run the downloader for ${arches.join(', ')} once to check ${one ? 'it' : 'them'}; a derived URL that is not found needs that build's own snapshot URL`;

/**
 * The one file-level fix of a generic list: create the twin of every configured arch that
 * needs one (DESIGN §6), in either layout (`debian_pkg_dirs_arm64`,
 * `debian_bullseye_pkg_dirs_std_arm64`), or undefined when there is nothing to create. The same Fix object for every finding of the list, so the fixer takes it
 * once and the engine reports it once per rule.
 */
export function createTwinsFix(ctx: RuleContext): TwinsFix | undefined {
  // once per project view and file: every rule of the list shares the Fix object
  const key = `${ctx.file.path}\u0000${ctx.architectures.join(' ')}\u0000${ctx.archive.suite}`;
  const memo = projectMemo(ctx.project, TWIN_FIXES, key, (project) => ({ file: ctx.file, fix: twinsFixOf({ ...ctx, project }) }));
  // another text at the same path (two hunks of one patch changing the list): not the cached one's
  return memo.file === ctx.file ? memo.fix : twinsFixOf(ctx);
}

function twinsFixOf(ctx: RuleContext): TwinsFix | undefined {
  let result: TwinsFix | undefined;
  const scope = listScope(ctx);
  if (!scope.own && twinIsRead(ctx.file.path)) {
    const twins = scope.arches.map((a) => ({ arch: a, ...twinText(ctx, a) })).filter((t) => needsTwin(ctx, t.arch, t.text));
    if (twins.length) {
      const paths = twins.map((t) => twinPath(ctx.file.path, t.arch));
      const arches = twins.map((t) => t.arch);
      const urlCount = twins.reduce((n, t) => n + t.derived, 0);
      const nameCount = twins.reduce((n, t) => n + t.renamed, 0);
      const choiceCount = twins.reduce((n, t) => n + t.choices, 0);
      // leaving out a dir that repackages a prebuilt x86 download is a choice: a suggestion
      const derived = urlCount + nameCount + choiceCount;
      let urls = urlCount
        ? `; ${urlCount} pinned URL${urlCount === 1 ? '' : 's'} derived (the same version's build at the same pool path): ${checkDerived(arches)}`
        : '';
      if (choiceCount) {
        urls += `; ${choiceCount} left out by choice (${choiceCount === 1 ? 'it repackages' : 'they repackage'} a prebuilt x86 download: adding the ${arches.join(', ')} download to ${choiceCount === 1 ? 'its' : 'their'} meta_data.yaml is the other way; left out, ${choiceCount === 1 ? 'its' : 'their'} packages must leave the image lists too)`;
      }
      if (nameCount) {
        urls += `; ${nameCount} per-arch name${nameCount === 1 ? '' : 's'} derived (the arch in the name swapped, a comment line above each): check ${nameCount === 1 ? 'it' : 'them'} against the ${arches.join(', ')} archive`;
      }
      result = {
        fix: {
          description: `create ${paths.map(base).join(' and ')} (${arches.length > 1 ? 'copies' : 'a copy'} of ${base(ctx.file.path)} without ${ctx.kind === 'series' ? `the patches not meant for ${arches.join(', ')}` : `what ${arches.join(', ')} cannot build or install`}${urls}; ${twinReaderNote(ctx.file.path)})`,
          edits: twins.map((t, i) => ({ path: paths[i] as string, range: [0, 0] as const, text: t.text, create: true })),
        },
        derived,
        derivedText: ([[nameCount, 'name', 'names'], [urlCount, 'URL', 'URLs'], [choiceCount, 'exclusion by choice', 'exclusions by choice']] as const)
          .filter(([n]) => n).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`).join(' and '),
      };
    }
  }
  return result;
}

/** Where a generic list has an entry of this name, for a twin's `related` locations. */
export function genericEntry(ctx: RuleContext, scope: ListScope, name: string): RelatedLocation[] {
  if (!scope.generic) return [];
  const g = ctx.project.get(scope.generic);
  if (!g) return [];
  const line = listModel(g, ctx.kind).entries.find((l) => l.words[0]?.text === name);
  return line ? [{ path: scope.generic, range: [line.start, line.end] }] : [];
}

/**
 * The one clause every advice that proposes a twin carries (DESIGN §6): a twin is read only by
 * build tools that look up `<name>_<arch>` before `<name>` and keep other arches' twins out of
 * their globs; upstream StarlingX's (discovery.py's `{distro}_pkg_dirs*`, the downloader's
 * `base-<codename>*.lst`, debrepack.py's `dl_path`) do not yet. `name` is the generic file's
 * path or base name, or a yaml key (`dl_path`) with `key`; `reader` names the tool when known.
 */
export function twinReaderNote(name: string, opts: { key?: boolean; reader?: string } = {}): string {
  const file = base(name);
  const ext = opts.key ? '' : /\.Dockerfile$/i.test(file) ? '.Dockerfile' : extOf(file);
  const stem = file.slice(0, file.length - ext.length);
  // only lists are read through globs (a Dockerfile or a LAT yaml is named by its reader)
  const glob = opts.key || /^\.(?:Dockerfile|ya?ml)$/i.test(ext) ? '' : ` and keep other arches' twins out of globs like \`${stem}*${ext}\``;
  return `${opts.reader ?? 'the build tools'} must look up \`${stem}_<arch>${ext}\` before \`${file}\`${glob}; upstream StarlingX's do not yet`;
}

/** Where per-arch entries of a generic list go: its twins, with what else to say about them (`inner`) in the same parentheses. */
function twinsWhere(ctx: RuleContext, arches: readonly ArchName[], inner = ''): string {
  return `in the twin list ${arches.map((a) => base(twinPath(ctx.file.path, a))).join(', ')} (${inner ? `${inner}; ` : ''}${twinReaderNote(ctx.file.path)})`;
}

/** The twin fix as a report's fix (no derived URL) or suggestion (derived URLs must be checked). */
export function twinsFixReport(twins: TwinsFix | undefined): { fix?: Fix; suggest?: Fix[] } {
  if (!twins) return {};
  return twins.derived ? { suggest: [twins.fix] } : { fix: twins.fix };
}

const wrongOn = (arches: readonly string[]): string => (arches.length ? ` is wrong on ${arches.join(', ')}` : '');

/** hardcoded-arch in lists: an entry whose name carries an arch the archive does not know (`linux-image-6.12.0-1-amd64-unsigned`). */
export function checkListArchNames(ctx: RuleContext): void {
  const scope = listScope(ctx);
  for (const line of listModel(ctx.file, ctx.kind).entries) {
    const parts = entryParts(line.words, ctx.kind);
    if (!parts || ctx.archive.package(parts.name.text) || (ctx.kind === 'pkg-dirs' && ctx.archive.dir(parts.name.text))) continue;
    for (const lit of scanArchLiterals(parts.name.text, parts.name.start)) {
      if (lit.meaning === 'lib64') continue;
      const bad = scope.arches.filter((a) => !lit.arches.includes(a));
      if (!bad.length) continue;
      const what = ctx.kind === 'pkg-dirs' ? 'source dir' : 'package';
      if (scope.own) {
        // a twin entry naming another arch: that arch's package copied over
        const to = bad.length === 1 && lit.meaning === 'arch' ? bad[0] : undefined;
        ctx.report({
          at: [lit.start, lit.end],
          message: `${what} '${parts.name.text}' names ${lit.text} in a list for ${scope.arches.join(', ')}: name the ${scope.arches.join('/')} build${to ? ` (${lit.text} → ${to})` : ''}`,
          suggest: to ? [{ description: `replace '${lit.text}' with '${to}'`, edits: [{ range: [lit.start, lit.end], text: to }] }] : undefined,
          related: genericEntry(ctx, scope, parts.name.text),
        });
        continue;
      }
      const twins = createTwinsFix(ctx);
      // the suggested twin names them per arch (derived names, each marked to check): --fix --unsafe
      const derived = twins !== undefined && bad.every((a) => renamedForArch(ctx, parts.name.text, a));
      const where = twinsWhere(ctx, bad, derived
        ? `the suggested twin does: ${bad.map((a) => `'${renamedForArch(ctx, parts.name.text, a)}'`).join(', ')}, derived and marked to check; --fix --unsafe writes it`
        : '');
      const whereAll = twinsWhere(ctx, bad, derived ? 'the suggested twin does, each name derived and marked to check; --fix --unsafe writes it' : '');
      ctx.report({
        at: [lit.start, lit.end],
        message: `${what} '${parts.name.text}' names ${lit.text} and${wrongOn(bad)}: list the per-arch name ${where}`,
        summary: (n) => `${n} ${what}s of this list name ${lit.text} or another arch, wrong on ${bad.join(', ')} — '${parts.name.text}' and ${n - 1} more: list the per-arch names ${whereAll}`,
        suggest: twins ? [twins.fix] : undefined,
        group: 'twin',
      });
    }
  }
}

/** arch-in-download-url in `.lst` files: a pinned URL of one arch's build (`…_amd64.deb`). */
export function checkListUrls(ctx: RuleContext): void {
  if (ctx.kind !== 'pkg-list') return;
  const scope = listScope(ctx);
  let underivable = 0;
  for (const line of listModel(ctx.file, ctx.kind).entries) {
    const parts = entryParts(line.words, ctx.kind);
    const url = parts?.url;
    if (!parts || !url) continue;
    const u = urlArch(url.text);
    if (!u) continue;
    const bad = scope.arches.filter((a) => a !== u.arch);
    if (!bad.length) continue;
    // an entry the arch cannot have at all is arch-only-list-entry's: the twin comments it out
    if (exclusions(ctx, parts.name.text, bad).length === bad.length) continue;
    const at = [url.start + u.start, url.start + u.end] as const;
    const file = base(url.text);
    if (scope.own) {
      const arch = scope.arches[0] as ArchName;
      const to = urlForArch(url.text, arch);
      if (!to) continue;
      const swap = 'url' in to;
      ctx.report({
        at,
        message: swap
          ? `'${file}' is the ${u.arch} build, pinned in a list for ${scope.arches.join(', ')}: pin the ${arch} build of the same version (${base(to.url)} at the same pool path)`
          : `'${file}' is the ${u.arch} build, pinned in a list for ${scope.arches.join(', ')}: ${to.reason}`,
        suggest: [swap
          ? { description: `pin ${base(to.url)} (derived: ${checkDerived([arch], true)})`, edits: [{ range: [url.start, url.end], text: to.url }] }
          : { description: 'comment the entry out with the reason', edits: [{ range: [line.start, line.start], text: '#' }, { range: [line.end, line.end], text: `  # ${to.reason}` }] }],
        related: genericEntry(ctx, scope, parts.name.text),
      });
      continue;
    }
    const twins = createTwinsFix(ctx);
    const where = twinsWhere(ctx, bad);
    const tos = bad.map((a) => urlForArch(url.text, a));
    const reasons = tos.flatMap((t) => (t && 'reason' in t ? [t.reason] : []));
    if (reasons.length) underivable++;
    const own = reasons.length
      ? `no ${bad.join(', ')} URL can be derived (${reasons.join('; ')}): comment it out ${where}`
      : `pin the ${bad.join(', ')} build of the same version at the same pool path ${twinsWhere(ctx, bad, `derived: ${checkDerived(bad, true)}`)}`;
    const derived = twins?.derived ?? 0;
    ctx.report({
      at,
      message: `'${file}' pins the ${u.arch} build on ${bad.join(', ')}: ${own}`,
      summary: (n) =>
        `${n} pinned ${u.arch} URLs ('${file}' and ${n - 1} more) pin the ${u.arch} build on ${bad.join(', ')}: pin the ${bad.join(', ')} build of each ` +
        `version at the same pool path ${twinsWhere(ctx, bad, derived ? `${derived} derived: ${checkDerived(bad)}` : '')}` +
        `${underivable ? `; ${underivable} binNMU or other-archive URL${underivable === 1 ? ' is' : 's are'} commented out there with the reason` : ''}`,
      ...twinsFixReport(twins),
      group: 'twin',
    });
  }
}

/** A system emulator in a list for an arch whose own machine it does not emulate (`qemu-system-x86` on arm64). */
export interface ForeignEmulator {
  /** Arches of the list whose machine the package does not emulate (and whose emulator the list lacks). */
  on: ArchName[];
  /** The QEMU targets it emulates (`x86_64`, `i386`). */
  targets: string[];
  /** The package each of `on` needs (`qemu-system-arm` for arm64), with its target (`aarch64`). */
  needs: { arch: ArchName; pkg: string; target: string }[];
}

/**
 * `qemu-system-x86` installs on arm64 (Debian builds every emulator for every arch), but it
 * emulates x86 machines: an arm64 host runs its KVM guests with the aarch64 emulator, which
 * Debian ships in qemu-system-arm (the naming table, src/arch.ts). Undefined when the package is
 * no emulator, or the list has each arch's own emulator too.
 */
export function foreignEmulator(name: string, arches: readonly ArchName[], listed: ReadonlySet<string>): ForeignEmulator | undefined {
  const emulates = ARCHES.filter((a) => a.qemuPackage === name);
  if (!emulates.length) return undefined;
  const on = arches.filter((a) => !emulates.some((e) => e.name === a) && !listed.has(archFacts(a).qemuPackage));
  if (!on.length) return undefined;
  return {
    on,
    targets: [...new Set(emulates.map((e) => e.qemuTarget))],
    needs: on.map((a) => ({ arch: a, pkg: archFacts(a).qemuPackage, target: archFacts(a).qemuTarget })),
  };
}

const QEMU_DROPS = Symbol('list-kit own qemu drops');

/**
 * Where the tree builds its own qemu without `pkg` (for arm64: qemu-system-arm): a patch or a
 * qemu packaging file that removes the `Package: pkg` stanza, or sets `system_targets` (qemu's
 * debian/rules) to targets none of which `pkg` holds. Read through the project only.
 */
export function ownQemuDrops(view: ProjectView, pkg: string): string | undefined {
  return projectMemo(view, QEMU_DROPS, pkg, (project) => qemuDropsOf(project, pkg));
}

function qemuDropsOf(project: ProjectView, pkg: string): string | undefined {
  const targets = ARCHES.filter((a) => a.qemuPackage === pkg).map((a) => a.qemuTarget);
  let found: string | undefined;
  for (const p of project.paths()) {
    if (!/(^|\/)[^/]*qemu[^/]*\//i.test(p) || !/(\.(?:patch|diff)|\/rules|\/control)$/.test(p)) continue;
    const text = project.get(p)?.text ?? '';
    const patch = /\.(?:patch|diff)$/.test(p);
    if (patch && new RegExp(`^-Package:\\s*${pkg}\\s*$`, 'm').test(text)) {
      found = `${p} removes the ${pkg} stanza`;
      break;
    }
    const m = new RegExp(`^${patch ? '\\+' : ''}[ \\t]*system_targets[ \\t]*[:?]?=([^\\r\\n]*)$`, 'm').exec(text);
    const words = m ? (m[1] as string).replace(/#.*/, '').trim().split(/\s+/).filter(Boolean) : [];
    if (words.length && !words.some((w) => w.startsWith('$')) && !words.some((w) => targets.some((t) => w === t || w.startsWith(`${t}`)))) {
      found = `${p} limits system_targets to ${words.join(' ')}`;
      break;
    }
  }
  return found;
}

/** A binary package the tree's own debian/control files build: on which arches, and where. */
interface TreePackage {
  /** Union of the Architecture fields of every stanza that builds it (`any`, `all` kept as words). */
  arches: Set<string>;
  paths: string[];
}

const TREE_PACKAGES = Symbol('treePackages');

/**
 * The binary packages the tree's control files build (`debian/control`, StarlingX's
 * `debian/deb_folder/control`): in a workspace run the view spans every project, so an image
 * list in one project sees the packaging of another. Read through the project only.
 */
function treePackages(view: ProjectView): Map<string, TreePackage> {
  // once per project, not per file (each file's lint reads through a view of its own): every
  // caller still depends on every path and the control files, as if it had read them itself
  return projectMemo(view, TREE_PACKAGES, '', readTreePackages);
}

function readTreePackages(project: ProjectView): Map<string, TreePackage> {
  const out = new Map<string, TreePackage>();
  for (const path of project.paths()) {
    if (!/(?:^|\/)debian\/(?:deb_folder\/)?control$/.test(path)) continue;
    const text = project.get(path)?.text ?? '';
    for (const stanza of text.split(/\r?\n[ \t]*\r?\n/)) {
      const pkg = /^Package:[ \t]*(\S+)/im.exec(stanza)?.[1];
      if (!pkg) continue;
      const arch = /^Architecture:[ \t]*([^\r\n]*)/im.exec(stanza)?.[1]?.trim() ?? 'any';
      let t = out.get(pkg);
      if (!t) out.set(pkg, (t = { arches: new Set(), paths: [] }));
      for (const w of arch.split(/\s+/).filter(Boolean)) t.arches.add(w);
      t.paths.push(path);
    }
  }
  return out;
}

/**
 * A package the archive does not know, whose only source in the tree declares arches that leave
 * some of `arches` out (`Architecture: amd64`): the image cannot install it there. A choice, not
 * a fact (a suggestion, never a safe fix): porting that control (control-architecture) may be
 * the better way.
 */
function treeExclusions(project: ProjectView, name: string, arches: readonly ArchName[]): Exclusion[] {
  const t = treePackages(project).get(name);
  if (!t || t.arches.size === 0) return [];
  const declared = [...t.arches];
  // wildcards (`any`, `linux-any`, `any-arm64`) and `all` build everywhere as far as a list can tell
  if (declared.some((a) => a === 'all' || a.includes('any'))) return [];
  const label = x86Only(declared) ? 'x86-only' : `${declared.join(' ')} only`;
  const where = t.paths.length === 1 ? t.paths[0] : `${t.paths[0]} and ${t.paths.length - 1} more`;
  return arches.filter((a) => !declared.includes(a)).map((a) => ({ arch: a, why: 'restricted' as const, reason: `${label}: built in this tree by ${where} (Architecture: ${declared.join(' ')})`, choice: true, port: true }));
}
