/**
 * Rule-kit helpers for debian/control and debhelper files: walking relation entries, writing
 * an `[arch …]` restriction into an entry while keeping the line's layout, and the debhelper
 * substitutions (`${DEB_HOST_ARCH}`, compat ≥ 13) or the `placeholder` a fix may use.
 */
import { ARCH_NAMES, X86_FAMILY, archesMatching, archSpecMatches, isArchName, scanArchLiterals, type ArchLiteral, type ArchName } from './arch.js';
import { lexDebhelperLines } from './lexers/debhelper.js';
import { controlModel, type ControlModel, type ControlParagraph } from './models/control.js';
import type { Alternative, Relation } from './models/relations.js';
import type { SourceFile } from './source.js';
import type { ArchLookup, CuratedEntry } from './archdb/lookup.js';
import type { Edit, Fix, ProjectView, RuleContext } from './types.js';
import { packageCommittedBinaries } from './binary-kit.js';
import { projectMemo } from './project-view.js';

export type { Alternative, Relation } from './models/relations.js';
export type { ControlModel, ControlParagraph } from './models/control.js';

export interface RelationEntry {
  paragraph: ControlParagraph;
  /** Lower-case field name. */
  field: string;
  relation: Relation;
}

/** Every relation of the given fields (lower-case names), paragraph by paragraph. */
export function* relationEntries(ctx: RuleContext, fields: readonly string[]): Generator<RelationEntry> {
  for (const paragraph of ctx.control?.paragraphs ?? []) {
    for (const field of fields) {
      for (const relation of paragraph.relations.get(field)?.relations ?? []) yield { paragraph, field, relation };
    }
  }
}

/** The known arches an alternative applies on: its paragraph's, narrowed by its own `[…]`. */
export function alternativeArches(paragraph: ControlParagraph, alt: Alternative): ArchName[] {
  const own = alt.archList ? archesMatching(alt.archList.terms) : ARCH_NAMES;
  return paragraph.arches.filter((a) => own.includes(a));
}

/** `alternativeArches(paragraph, alt).includes(arch)`, without building the list (asked per arch of every alternative). */
export function alternativeReaches(paragraph: ControlParagraph, alt: Alternative, arch: ArchName): boolean {
  return paragraph.arches.includes(arch) && (alt.archList ? archesMatching(alt.archList.terms) : ARCH_NAMES).includes(arch);
}

/**
 * The edit that restricts an entry to `arches` (plain) or away from them (`negated`): a new
 * ` [amd64 i386]` after the name and version (before any `<profile>`), or merged into the
 * entry's own list without mixing plain and negated terms. Undefined when it cannot be said
 * without changing what the list means for other arches.
 */
export function restrictionEdit(alt: Alternative, arches: readonly string[], negated: boolean): Edit | undefined {
  const list = alt.archList;
  const words = (xs: readonly string[]): string => xs.map((a) => (negated ? `!${a}` : a)).join(' ');
  if (!list) {
    const at = alt.version?.end ?? alt.qualifier?.end ?? alt.name.end;
    return { range: [at, at], text: ` [${words(arches)}]` };
  }
  const inner: [number, number] = [list.start + 1, list.end - 1];
  const listNegated = list.terms.length > 0 && list.terms.every((t) => t.negated);
  if (negated && listNegated) {
    const add = arches.filter((a) => !list.terms.some((t) => t.arch === a));
    const last = list.terms[list.terms.length - 1];
    const at = last ? last.end : inner[1];
    return add.length ? { range: [at, at], text: `${last ? ' ' : ''}${words(add)}` } : undefined;
  }
  if (!negated && !listNegated) {
    // Keep what both allow: the declared arches the existing list already matches.
    const allowed = archesMatching(list.terms);
    const keep = arches.filter((a) => (isArchName(a) ? allowed.includes(a) : list.terms.some((t) => t.arch === a)));
    return keep.length ? { range: inner, text: keep.join(' ') } : undefined;
  }
  if (!negated && listNegated) {
    const excluded = new Set(list.terms.map((t) => t.arch));
    const keep = arches.filter((a) => !excluded.has(a));
    return keep.length ? { range: inner, text: keep.join(' ') } : undefined;
  }
  // A plain list losing an arch: only when the arch is named plainly in it.
  const keep = list.terms.filter((t) => !arches.includes(t.arch));
  if (keep.length === list.terms.length || keep.length === 0) return undefined;
  if (keep.some((t) => !isArchName(t.arch) && arches.some((a) => isArchName(a) && archesMatching([t]).includes(a)))) return undefined;
  return { range: inner, text: keep.map((t) => t.text).join(' ') };
}

/** A control file's model, and its curatedByNames by lookup and arches (it reads no other file). */
interface ParsedControl {
  text: string;
  model: ControlModel;
  byNames: Map<string, SourceDirScope | undefined>;
}
const controlCache = new WeakMap<SourceFile, ParsedControl>();
/**
 * The controls parsed last, by path: a view drops texts beyond its budget and reads them again
 * as new SourceFiles of the same text (every file of a package asks for its control).
 */
const recentControls = new Map<string, ParsedControl>();
const RECENT_CONTROLS = 256;

function parsedControl(file: SourceFile): ParsedControl {
  let c = controlCache.get(file);
  if (c) return c;
  const recent = recentControls.get(file.path);
  c = recent && recent.text === file.text ? recent : { text: file.text, model: controlModel(file.path, file.text), byNames: new Map() };
  recentControls.delete(file.path);
  recentControls.set(file.path, c);
  if (recentControls.size > RECENT_CONTROLS) recentControls.delete(recentControls.keys().next().value as string);
  controlCache.set(file, c);
  return c;
}

const lookupIds = new WeakMap<ArchLookup, number>();
let lookupCount = 0;
/** A number per ArchLookup: two lookups of one suite may curate differently (a config's `curated`). */
function lookupId(lookup: ArchLookup): number {
  let id = lookupIds.get(lookup);
  if (id === undefined) lookupIds.set(lookup, (id = lookupCount++));
  return id;
}

/** The debian/control next to a file (same folder), parsed once, if the tree has it. */
export function siblingControl(ctx: RuleContext): ControlModel | undefined {
  if (ctx.control) return ctx.control;
  const dir = ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/') + 1);
  const file = ctx.project.get(`${dir}control`);
  if (!file) return undefined;
  return parsedControl(file).model;
}

/** The debhelper compat level: `debhelper-compat (= N)` in control, else debian/compat. */
export function debhelperCompat(ctx: RuleContext): number | undefined {
  const c = siblingControl(ctx)?.debhelperCompat;
  if (c !== undefined) return c;
  const dir = ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/') + 1);
  const compat = ctx.project.get(`${dir}compat`);
  const m = compat ? /^\s*(\d+)/.exec(compat.text) : null;
  return m ? Number(m[1]) : undefined;
}

/** The known arches the package a debhelper file belongs to builds on (`foo.install` → Package: foo). */
export function debhelperPackageArches(ctx: RuleContext): ArchName[] {
  const control = siblingControl(ctx);
  if (!control) return sourceDirArches(ctx);
  const base = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const pkg = dot > 0 ? control.binary(base.slice(0, dot)) : control.binaries[0];
  // Nor on arches that never build its source dir (curated x86-only, left out of a twin).
  const dir = sourceDirArches(ctx);
  return (pkg ? pkg.arches : [...ARCH_NAMES]).filter((a) => dir.includes(a));
}

export interface DebhelperLiteral extends ArchLiteral {
  lineStart: number;
  lineEnd: number;
  /** Known arches the line applies on: a dh-exec filter `[amd64]` before or after it narrows it. */
  lineArches: ArchName[];
  /** True on a dh-exec rename line (`src => dest`), which dh-exec's install step performs itself. */
  rename: boolean;
}

/** dh-exec's arch filter at the start or the end of a line: `[amd64] usr/lib/…`, `usr/lib/*\/crypto/* [!arm64]`. */
const DH_EXEC_FILTER_END = /\s\[([^\]]*)\]\s*$/;
const DH_EXEC_FILTER_START = /^(\s*)\[([^\]]*)\]\s/;

/**
 * The steps dh-exec runs on a file it runs (`#!/usr/bin/dh-exec [--with=…] [--without=…]`), in
 * their order; undefined for a file dh-exec does not run. Bare, it runs every step, `subst`
 * before `install`; `--with` runs the named ones in the order given (dh-exec(1)).
 */
export function dhExecSteps(text: string): string[] | undefined {
  const m = /^#!\s*\S*\/dh-exec\b([^\r\n]*)/.exec(text);
  if (!m) return undefined;
  let steps = ['filter', 'subst', 'install'];
  const args = (m[1] as string).trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < args.length; i++) {
    const opt = /^--(with|without)(?:=(.*))?$/.exec(args[i] as string);
    if (!opt) continue;
    const names = (opt[2] ?? args[++i] ?? '').split(',').map((n) => n.trim().replace(/^dh-exec-/, '')).filter(Boolean);
    steps = opt[1] === 'with' ? names : steps.filter((s) => !names.includes(s));
  }
  return steps;
}

/** Arch literals on the entry lines of a debhelper file (comment lines left out unless `checkComments`). */
export function debhelperArchLiterals(ctx: RuleContext): DebhelperLiteral[] {
  if (ctx.kind !== 'debhelper') return [];
  const text = ctx.file.text;
  const out: DebhelperLiteral[] = [];
  for (const l of lexDebhelperLines(text)) {
    if (l.comment && (!ctx.checkComments || l.start === 0)) continue;
    const body = text.slice(l.start, l.end);
    const end = DH_EXEC_FILTER_END.exec(body);
    const start = end ? null : DH_EXEC_FILTER_START.exec(body);
    const list = end ? end[1] : start ? start[2] : undefined;
    const terms = list ? list.trim().split(/\s+/).filter(Boolean).map((t) => ({ arch: t.replace(/^!/, ''), negated: t.startsWith('!') })) : [];
    const lineArches = archesMatching(terms);
    // Never look inside the filter: `[${DEB_HOST_ARCH}]` there would always be true.
    const codeStart = start ? l.start + start[0].length : l.start;
    const codeEnd = end ? l.start + end.index : l.end;
    const rename = /\s=>\s/.test(body);
    for (const lit of scanArchLiterals(text.slice(codeStart, codeEnd), codeStart)) out.push({ ...lit, lineStart: l.start, lineEnd: l.end, lineArches, rename });
  }
  return out;
}

export interface DebhelperReplacement {
  /** What replaces the literal, if anything. */
  text?: string;
  /** Other edits the replacement needs (dh-exec's shebang), or the whole change (a dh-exec filter). */
  edits?: Edit[];
  safe: boolean;
  hint: string;
}

/** What replaces a literal in a debhelper file, and whether that is safe to apply (DESIGN §2 "Debhelper config files"). */
export function debhelperReplacement(ctx: RuleContext, lit: DebhelperLiteral): DebhelperReplacement {
  const variable = lit.meaning === 'arch' ? 'DEB_HOST_ARCH' : lit.meaning === 'triplet' ? 'DEB_HOST_MULTIARCH' : lit.meaning === 'gnuCpu' ? 'DEB_HOST_GNU_CPU' : undefined;
  const compat = debhelperCompat(ctx);
  const steps = dhExecSteps(ctx.file.text);
  const inDebFolder = /(^|\/)deb_folder\//.test(ctx.file.path);
  if (steps && !variable && steps.includes('filter')) {
    // No per-arch spelling: keep the line for the arches it names with dh-exec's own filter.
    const own = ctx.architectures.filter((a) => lit.arches.includes(a));
    if (own.length) {
      return { safe: false, edits: [{ range: [lit.lineEnd, lit.lineEnd], text: ` [${own.join(' ')}]` }], hint: `keep the line for ${own.join(', ')} only with dh-exec's filter: append [${own.join(' ')}]` };
    }
  }
  if (!variable) return { safe: false, hint: lit.meaning === 'lib64' ? 'Debian installs to usr/lib/${DEB_HOST_MULTIARCH}' : 'name it per arch' };
  const subst = `\${${variable}}`;
  if (steps) {
    const s = steps.indexOf('subst');
    const i = steps.indexOf('install');
    // dh-exec's install step performs a rename itself: ${…} must be substituted before it.
    const works = lit.rename ? s >= 0 && (i < 0 || s < i) : s >= 0 || (compat !== undefined && compat >= 13);
    if (works) {
      const by = s >= 0 ? 'dh-exec substitutes it' : `debhelper compat ${compat} substitutes it in dh-exec's output`;
      return { text: subst, safe: true, hint: `use ${subst} (${by})` };
    }
    if (ctx.placeholder && lit.meaning === 'arch' && inDebFolder) {
      return { text: ctx.placeholder, safe: true, hint: `use ${ctx.placeholder} (substituted in deb_folder at build time)` };
    }
    const shebang = /^#![^\r\n]*/.exec(ctx.file.text)?.[0] ?? '';
    const why = lit.rename
      ? `dh-exec's install step performs this rename before anything substitutes ${subst} (${shebang.slice(2).trim()})`
      : `neither dh-exec (${shebang.slice(2).trim()}) nor debhelper compat ${compat ?? '< 13'} substitutes ${subst}`;
    return {
      text: subst,
      edits: [{ range: [0, shebang.length], text: '#!/usr/bin/dh-exec' }],
      safe: false,
      hint: `${why}: use a bare #!/usr/bin/dh-exec (subst, then install) or --with=subst,install, then ${subst}`,
    };
  }
  if (compat !== undefined && compat >= 13) return { text: subst, safe: true, hint: `use ${subst} (debhelper compat ${compat} substitutes it)` };
  if (ctx.placeholder && lit.meaning === 'arch' && inDebFolder) {
    return { text: ctx.placeholder, safe: true, hint: `use ${ctx.placeholder} (substituted in deb_folder at build time)` };
  }
  const glob = lit.meaning === 'triplet' && !/(^|\/)(?:[^/]*\.)?(dirs|links|maintscript)$/.test(ctx.file.path);
  return glob
    ? { text: '*', safe: false, hint: `debhelper compat ${compat ?? '< 13'} does not substitute \${DEB_HOST_MULTIARCH}: use a usr/lib/*/ glob, or compat 13 / dh-exec` }
    : { text: subst, safe: false, hint: `use ${subst} with debhelper compat 13 (it is ${compat ?? 'lower'}) or dh-exec` };
}

/** The fix a debhelper replacement makes, if any. */
export function debhelperFix(lit: DebhelperLiteral, r: DebhelperReplacement): Fix | undefined {
  if (r.text === undefined) return r.edits ? { description: r.hint.replace(/^.*: /, ''), edits: r.edits } : undefined;
  return { description: `replace '${lit.text}' with ${r.text}${r.edits ? ' (and the dh-exec shebang)' : ''}`, edits: [...(r.edits ?? []), { range: [lit.start, lit.end], text: r.text }] };
}

/** Why a source dir is not built on some arches: curated, its packages curated, or left out of a twin list. */
export interface SourceDirScope {
  /** Known arches the dir is built on. */
  arches: ArchName[];
  /** Why the others are left out, for messages: `curated as x86-only (…)`, `left out of debian_pkg_dirs_arm64`. */
  why?: string;
  /** The curated entry, when that is the reason. */
  curated?: CuratedEntry;
  /** Left out because it repackages a prebuilt x86 download: a choice (porting the download is the other way), not a fact. */
  prebuilt?: boolean;
}

interface ProjectIndex {
  /** Lists with an arch twin suffix (`debian_pkg_dirs_arm64`, `debian_pkg_dirs_rt_arm64`), by arch. */
  twins: Map<ArchName, string[]>;
  /** Source dir → the debian/control files of its packaging (`debian/control`, `debian/<codename>/deb_folder/control`). */
  controls: Map<string, string[]>;
}
const PROJECT_INDEX = Symbol('control-kit project index');
const SCOPES = Symbol('control-kit source dir scopes');

function indexOf(project: ProjectView): ProjectIndex {
  return projectMemo(project, PROJECT_INDEX, '', (view) => {
    const twins = new Map<ArchName, string[]>();
    const controls = new Map<string, string[]>();
    for (const p of view.paths()) {
      const c = /^(?:(.*)\/)?debian\/(?:[a-z]+\/)?(?:deb_folder\/)?control$/.exec(p);
      if (c) controls.set(c[1] ?? '', [...(controls.get(c[1] ?? '') ?? []), p]);
      const m = /^debian(?:_[a-z]+)?_pkg_dirs.*_([a-z0-9]+)$/.exec(p.slice(p.lastIndexOf('/') + 1));
      if (m && isArchName(m[1] as string)) twins.set(m[1] as ArchName, [...(twins.get(m[1] as ArchName) ?? []), p]);
    }
    return { twins, controls };
  });
}

const listEntries = (project: ProjectView, path: string): string[] | undefined =>
  project.get(path)?.text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** The twin list (`debian_pkg_dirs_arm64`) that leaves out `dir`, a source dir the generic list it replaces builds. */
function excludingTwin(project: ProjectView, dir: string, arch: ArchName): string | undefined {
  for (const p of indexOf(project).twins.get(arch) ?? []) {
    const root = p.slice(0, p.lastIndexOf('/') + 1);
    if (!dir.startsWith(root)) continue;
    const rel = dir.slice(root.length);
    if (!rel) continue;
    // Left out only if the generic list this twin replaces builds the dir (the rt twin says nothing of std dirs).
    const generic = listEntries(project, p.replace(new RegExp(`_${arch}$`), ''));
    if (generic && !generic.includes(rel)) continue;
    if (!(listEntries(project, p) ?? []).includes(rel)) return p;
  }
  return undefined;
}

/** The debian/control of the packaging a file belongs to (`…/deb_folder/rules` → `…/deb_folder/control`). */
function packagingControl(project: ProjectView, path: string): SourceFile | undefined {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  return project.get(`${folder}control`) ?? project.get(`${folder}deb_folder/control`) ?? project.get(`${folder}debian/control`);
}

const curatedScope = (e: CuratedEntry): SourceDirScope => ({
  arches: ARCH_NAMES.filter((a) => e.arches.includes(a)),
  why: `its source dir is curated as ${e.arches.join('/')}-only (${e.reason})`,
  curated: e,
});

/** A dir whose control's `Source:` or every `Package:` is curated arch-only (a renamed or forked dir of a curated source). */
function curatedByNames(file: SourceFile, lookup: ArchLookup, architectures: readonly ArchName[]): SourceDirScope | undefined {
  // once per control text, lookup and arches: every file of the package asks (it reads no other file)
  const { model: control, byNames: byKey } = parsedControl(file);
  const key = `${lookupId(lookup)}\u0000${architectures.join(' ')}`;
  if (byKey.has(key)) return byKey.get(key);
  const names = control.source?.name ? [control.source.name] : [];
  const binaries = control.binaries.map((b) => b.name).filter((n): n is string => !!n);
  const scope = curatedNamesScope(names, binaries, lookup, architectures);
  byKey.set(key, scope);
  return scope;
}

/**
 * True when the curated list leaves `name` out on `arch`: its curated entry names other arches,
 * whether or not the archive also knows the name (`accel-config`: the hardware is x86's).
 */
function curatedOff(lookup: ArchLookup, name: string, arch: ArchName): boolean {
  if (lookup.missingOn(name, arch) === 'curated') return true;
  const e = lookup.curated(name);
  return !!e && !e.content && !e.arches.some((d) => d === arch || archSpecMatches(d, arch));
}

/** The scope of a dir whose source name, or every binary name, is curated as arch-only. */
function curatedNamesScope(names: readonly string[], binaries: readonly string[], lookup: ArchLookup, architectures: readonly ArchName[]): SourceDirScope | undefined {
  const curatedOn = (n: string, a: ArchName): boolean => curatedOff(lookup, n, a);
  const left = architectures.filter((a) => names.some((n) => curatedOn(n, a)) || (binaries.length > 0 && binaries.every((n) => curatedOn(n, a))));
  const known = [...names, ...binaries].find((n) => left.some((a) => curatedOn(n, a)));
  if (!left.length || !known) return undefined;
  const e = lookup.curated(known);
  const p = lookup.package(known);
  const declared = e?.arches ?? p?.declared ?? [];
  const note = e?.reason ?? p?.note ?? '';
  const arches = ARCH_NAMES.filter((a) => !left.includes(a));
  return {
    arches,
    why: `its packages are curated as ${declared.join('/')}-only ('${known}': ${note})`,
    curated: { dir: known, arches: declared.length ? declared : arches, reason: `builds ${known}: ${note}`, source: e?.source ?? p?.source },
  };
}

/**
 * The source name a dir's `meta_data.yaml` gives (`debname: accel-config`) where the dir has no
 * debian/control of its own: the packaging comes with the download, the name is still the dir's.
 */
function metaDataName(project: ProjectView, dir: string, suite: string): string | undefined {
  for (const sub of [`debian/${suite}/`, 'debian/all/', 'debian/']) {
    const m = project.get(`${dir}/${sub}meta_data.yaml`);
    const name = m && /^debname:[ \t]*["']?([A-Za-z0-9][\w.+-]*)/m.exec(m.text)?.[1];
    if (name) return name;
  }
  return undefined;
}

/**
 * Which arches build a source dir named in a package-dir list (`kernel-modules/qat`, relative to
 * `root`): curated by its path, or by the names its packaging builds for the lookup's suite.
 */
export function listedDirScope(root: string, dir: string, project: ProjectView, lookup: ArchLookup, architectures: readonly ArchName[]): SourceDirScope | undefined {
  const curated = lookup.dir(dir);
  if (curated) return curatedScope(curated);
  // once per project, lookup and dir: the same dir is named by each list of each suite and kernel
  // (`_std`, `_rt`, their twins), by arch-only-list-entry and by every twin each list's fix builds
  const key = `${lookupId(lookup)}\u0000${architectures.join(' ')}\u0000${root}\u0000${dir}`;
  return projectMemo(project, LISTED_SCOPES, key, (view) => listedDirScopeOf(root, dir, view, lookup, architectures));
}

const LISTED_SCOPES = Symbol('control-kit listed dir scopes');

/** A suite's own packaging under a source dir: `debian/<suite>/`, `debian/all/`, `debian/control`, `debian/deb_folder/`. */
const ownPackaging = new Map<string, RegExp>();

function listedDirScopeOf(root: string, dir: string, project: ProjectView, lookup: ArchLookup, architectures: readonly ArchName[]): SourceDirScope | undefined {
  const controls = indexOf(project).controls.get(`${root}${dir}`.replace(/(?<!\/)\/+$/, '')) ?? [];
  let ownRe = ownPackaging.get(lookup.suite);
  if (!ownRe) ownPackaging.set(lookup.suite, (ownRe = new RegExp(`/debian/(?:${lookup.suite}/|all/|control$|deb_folder/)`)));
  const re = ownRe;
  const own = controls.filter((c) => re.test(`/${c}`));
  for (const c of own.length ? own : controls) {
    const file = project.get(c);
    const scope = file && curatedByNames(file, lookup, architectures);
    if (scope) return scope;
  }
  const debname = controls.length ? undefined : metaDataName(project, `${root}${dir}`.replace(/(?<!\/)\/+$/, ''), lookup.suite);
  if (debname) {
    const scope = curatedNamesScope([debname], [], lookup, architectures);
    if (scope) return scope;
  }
  // Its own packaging restricts every package to x86 on purpose: it repackages prebuilt x86 binaries.
  for (const c of own.length ? own : controls) {
    const file = project.get(c);
    const scope = file && prebuiltScope(c, file, project, architectures);
    if (scope) return scope;
  }
  return undefined;
}

/**
 * A dir whose every binary package is limited to other arches than some configured ones, and
 * that repackages prebuilt x86 binaries (prebuiltX86): the restriction is deliberate, so the
 * list entry that builds it on those arches is the finding. A restriction without such a signal
 * is control-architecture's (append the arch), and the list entry stays silent.
 */
function prebuiltScope(path: string, file: SourceFile, project: ProjectView, architectures: readonly ArchName[]): SourceDirScope | undefined {
  const bins = parsedControl(file).model.binaries;
  if (!bins.length || bins.some((b) => !b.architecture || b.architecture.includes('all'))) return undefined;
  const arches = ARCH_NAMES.filter((a) => bins.some((b) => b.arches.includes(a)));
  if (architectures.every((a) => arches.includes(a))) return undefined;
  // the first package's signal: the others' are not asked for (nor their files read)
  let signal: string | undefined;
  for (const b of bins) if ((signal = prebuiltX86(project, path, b))) break;
  if (!signal) return undefined;
  const declared = [...new Set(bins.flatMap((b) => b.architecture ?? []))];
  const reason = `repackages prebuilt x86 binaries (${signal}; every package: Architecture: ${declared.join(' ')})`;
  return { arches, why: `its packages repackage prebuilt x86 binaries (${signal})`, curated: { dir: path, arches: declared, reason, source: path }, prebuilt: true };
}

/**
 * Which arches build the source dir a file is in (DESIGN §5, §6): a dir curated as x86-only
 * (by its path, or because its control's `Source:` or every `Package:` is curated), or left out
 * of an arch's twin list, is not built there, so nothing in it is a finding for that arch —
 * the list entry that still builds it says so once.
 */
export function sourceDirScope(path: string, project: ProjectView, lookup: ArchLookup, architectures: readonly ArchName[]): SourceDirScope {
  // the engine asks once per file, then the file's rules through the same view: the last answer
  // of the view (its reads are in the view's record already)
  const last = lastScopes.get(project);
  if (last && last.path === path && last.lookup === lookup && last.architectures === architectures) return last.scope;
  const scope = sourceDirScopeOf(path, project, lookup, architectures);
  lastScopes.set(project, { path, lookup, architectures, scope });
  return scope;
}

const lastScopes = new WeakMap<ProjectView, { path: string; lookup: ArchLookup; architectures: readonly ArchName[]; scope: SourceDirScope }>();

function sourceDirScopeOf(path: string, project: ProjectView, lookup: ArchLookup, architectures: readonly ArchName[]): SourceDirScope {
  // curated by its path (the file's name counts outside debian/): no read of the project
  const curated = lookup.dir(path);
  if (curated) return curatedScope(curated);
  const cut = path.search(/(^|\/)debian\//);
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const dir = cut < 0 ? folder : path.slice(0, cut);
  // once per folder, not per file: what is read below depends on the folder only
  const key = `${lookupId(lookup)}\u0000${architectures.join(' ')}\u0000${dir}\u0000${folder}`;
  return projectMemo(project, SCOPES, key, (view) => {
    const file = packagingControl(view, path);
    const byNames = file ? curatedByNames(file, lookup, architectures) : undefined;
    if (byNames) return byNames;
    if (cut >= 0) {
      const twins = architectures.map((a) => [a, excludingTwin(view, dir, a)] as const).filter(([, t]) => t);
      if (twins.length) return { arches: ARCH_NAMES.filter((a) => !twins.some(([t]) => t === a)), why: `its source dir is left out of ${twins.map(([, t]) => t).join(', ')}` };
    }
    return { arches: [...ARCH_NAMES] };
  });
}

/** The known arches the file's source dir builds on (sourceDirScope). */
export function sourceDirArches(ctx: RuleContext): ArchName[] {
  return sourceDirScope(ctx.file.path, ctx.project, ctx.archive, ctx.architectures).arches;
}

/** A phrase of a package's Description that states the arch it is built for (`using the amd64 processors`). */
export interface BuildArchPhrase {
  /** The literal (`amd64`). */
  literal: ArchLiteral;
  /** The whole phrase (`using the amd64 processors`), offsets into the file. */
  start: number;
  end: number;
  /** Where a suggestion that drops the phrase starts (the blank before it, when on the same line). */
  dropStart: number;
}

const PHRASE_BEFORE = /\b(?:for|on|using|targeting)\s+(?:the\s+|an?\s+)?$/i;
const PHRASE_AFTER = /^\s+(?:processors?|cpus?|architectures?|platforms?|machines?|systems?|hosts?)\b/i;
const BUILT_FOR = /\b(?:built|compiled)\s+for\s+(?:the\s+)?$/i;

/**
 * Phrases of a binary paragraph's Description that state the package's own build arch: a
 * preposition and an arch name before a machine noun (`using the amd64 processors`, `for x86_64
 * systems`) or `built for amd64`. A sentence that names more than one arch (`amd64 and arm64
 * processors`) lists what it supports, and says nothing of the build.
 */
export function descriptionBuildArch(text: string, p: ControlParagraph): BuildArchPhrase[] {
  const f = p.paragraph.get('Description');
  if (!f) return [];
  const value = text.slice(f.valueStart, f.end);
  const lits = scanArchLiterals(value, f.valueStart).filter((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu');
  const out: BuildArchPhrase[] = [];
  for (const lit of lits) {
    // Its sentence: from the last `. ` (not `5.10`) before it to the next one after it.
    const rel = lit.start - f.valueStart;
    const from = Math.max(0, ...[...value.slice(0, rel).matchAll(/\.\s/g)].map((m) => m.index + 1));
    const next = /\.(?:\s|$)/.exec(value.slice(rel));
    const to = next ? rel + next.index : value.length;
    if (lits.some((o) => o !== lit && o.start - f.valueStart >= from && o.start - f.valueStart < to && o.arches.some((a) => !lit.arches.includes(a)))) continue;
    const before = value.slice(Math.max(0, rel - 40), rel);
    const after = text.slice(lit.end, Math.min(f.end, lit.end + 30));
    const noun = PHRASE_AFTER.exec(after);
    const prep = noun ? PHRASE_BEFORE.exec(before) : BUILT_FOR.exec(before);
    if (!prep || (!noun && /^[-\w]/.test(after))) continue;
    // `built for amd64` keeps `built`: drop from `for`.
    const start = lit.start - prep[0].length + (noun ? 0 : (/^(?:built|compiled)\s+/i.exec(prep[0])?.[0].length ?? 0));
    const end = lit.end + (noun ? noun[0].length : 0);
    const blank = /(?<![ \t])[ \t]+$/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1, start));
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const atLineHead = /^[ \t]*$/.test(text.slice(lineStart, start));
    out.push({ literal: lit, start, end, dropStart: blank && !atLineHead ? start - blank[0].length : start });
  }
  return out;
}

/**
 * The `Architecture: all` package a line of a debhelper file or debian/rules installs into, if
 * any: the package of a `foo.install` (or the only package), or in debian/rules a line that
 * names `debian/<pkg>/` or `-p<pkg>`, or any line when every package of the control is `all`.
 * Its content is built once and reused on every arch, so neither `$(DEB_HOST_ARCH)` nor an
 * `EFI_ARCH` variable can pick a per-arch file there (it would be the build machine's).
 */
export function archAllPackageOf(ctx: RuleContext, offset: number): string | undefined {
  if (ctx.kind !== 'debhelper' && ctx.kind !== 'rules') return undefined;
  const control = siblingControl(ctx);
  if (!control?.binaries.length) return undefined;
  const isAll = (p: ControlParagraph | undefined): boolean => !!p?.architecture?.includes('all');
  if (ctx.kind === 'debhelper') {
    const base = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    const named = dot > 0 ? control.binary(base.slice(0, dot)) : undefined;
    const pkg = named ?? (control.binaries.length === 1 ? control.binaries[0] : undefined);
    return isAll(pkg) ? pkg?.name : undefined;
  }
  if (control.binaries.every(isAll)) return control.binaries.length === 1 ? control.binaries[0]?.name : control.binaries.map((b) => b.name).join(', ');
  const { line } = ctx.file.position(offset);
  const text = ctx.file.text.slice(ctx.file.lineStart(line), ctx.file.lineEnd(line));
  return control.binaries.find((b) => isAll(b) && b.name && (text.includes(`debian/${b.name}/`) || new RegExp(`(?:-p\\s*|--package=)${b.name.replace(/[.+]/g, '\\$&')}(?![\\w.+-])`).test(text)))?.name;
}

/** A download or file name that names an x86 arch only (`kata-static-3.1.3-x86_64.tar.xz`, `helm-linux-amd64`). */
function x86Name(word: string): string | undefined {
  const lits = scanArchLiterals(word).filter((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu' || l.meaning === 'triplet');
  return lits.length && lits.every((l) => l.arches.every((a) => X86_FAMILY.includes(a))) ? word : undefined;
}

/**
 * What shows that a stanza repackages prebuilt x86 binaries (DESIGN §4): an x86 download in
 * the package's meta_data.yaml, a dependency on qemu-system-x86, or a prebuilt `*-amd64`
 * file the rules install, a committed x86 binary (by its header) that its install list or rules install;
 * `path` is the control file's. Read through the project, never the file system.
 */
export function prebuiltX86(project: ProjectView, path: string, p: ControlParagraph): string | undefined {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const up = folder.replace(/deb_folder\/$/, '');
  const cut = path.search(/(^|\/)debian\//);
  const src = cut <= 0 ? '' : path.slice(0, cut + 1);
  for (const meta of [`${up}meta_data.yaml`, `${src}debian/meta_data.yaml`]) {
    const text = project.get(meta)?.text;
    if (!text) continue;
    const names = text.split(/\r?\n/).filter((l) => !/^\s*#/.test(l))
      .flatMap((l) => l.match(/(?<![^\s:'"])[^\s:'"]+\.(?:tar\.\w+|tgz|zip|whl|deb|bin|tar)\b|https?:\/\/\S+/g) ?? [])
      .map((w) => w.replace(/^.*\//, ''));
    // An arm64 download beside it (`dl_path_arm64`): the package is ported; appending is right.
    if (names.some((n) => scanArchLiterals(n).some((l) => l.arches.some((a) => !X86_FAMILY.includes(a))))) continue;
    const hit = names.map(x86Name).find(Boolean);
    if (hit) return `its meta_data.yaml downloads ${hit}`;
  }
  const rules = project.get(`${folder}rules`)?.text ?? '';
  for (const line of rules.split(/\r?\n/)) {
    if (!/\b(install|cp|mv|tar)\b/.test(line) || /^\s*#/.test(line)) continue;
    for (const w of line.split(/[\s"'=]+/)) {
      const base = w.replace(/^.*\//, '');
      if (/[-_](amd64|x86_64|x86-64)(\.[a-z0-9.]+)?$/.test(base) && !/\$[({]/.test(base) && x86Name(base)) return `its rules install the prebuilt ${base}`;
    }
  }
  const committed = packageCommittedBinaries(project, path, p.name).find((b) => b.header.arches.length && b.header.arches.every((a) => X86_FAMILY.includes(a)));
  if (committed) return `it installs the committed ${committed.header.machine} binary ${committed.path.slice(committed.path.lastIndexOf('/') + 1)}`;
  for (const f of ['depends', 'pre-depends']) {
    for (const r of p.relations.get(f)?.relations ?? []) {
      if (r.alternatives.some((a) => a.name.text === 'qemu-system-x86')) return 'it depends on qemu-system-x86';
    }
  }
  return undefined;
}

