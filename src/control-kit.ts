/**
 * Rule-kit helpers for debian/control and debhelper files: walking relation entries, writing
 * an `[arch …]` restriction into an entry while keeping the line's layout, and the debhelper
 * substitutions (`${DEB_HOST_ARCH}`, compat ≥ 13) or the `placeholder` a fix may use.
 */
import { ARCH_NAMES, archesMatching, isArchName, scanArchLiterals, type ArchLiteral, type ArchName } from './arch.js';
import { lexDebhelperLines } from './lexers/debhelper.js';
import { parseControl, type ControlModel, type ControlParagraph } from './models/control.js';
import type { Alternative, Relation } from './models/relations.js';
import type { SourceFile } from './source.js';
import type { Edit, RuleContext } from './types.js';

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

const controlCache = new WeakMap<SourceFile, ControlModel>();

/** The debian/control next to a file (same folder), parsed once, if the tree has it. */
export function siblingControl(ctx: RuleContext): ControlModel | undefined {
  if (ctx.control) return ctx.control;
  const dir = ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/') + 1);
  const file = ctx.project.get(`${dir}control`);
  if (!file) return undefined;
  let c = controlCache.get(file);
  if (!c) {
    c = parseControl(file.text);
    controlCache.set(file, c);
  }
  return c;
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
  if (!control) return [...ARCH_NAMES];
  const base = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const pkg = dot > 0 ? control.binary(base.slice(0, dot)) : control.binaries[0];
  return pkg ? pkg.arches : [...ARCH_NAMES];
}

export interface DebhelperLiteral extends ArchLiteral {
  lineStart: number;
  lineEnd: number;
  /** Known arches the line applies on: a dh-exec filter `… [amd64]` at its end narrows it. */
  lineArches: ArchName[];
}

/** dh-exec's arch filter at the end of a line: `usr/lib/*\/crypto/* [amd64]`. */
const DH_EXEC_FILTER = /\s\[([^\]]*)\]\s*$/;

/** Arch literals on the entry lines of a debhelper file (comment lines left out unless `checkComments`). */
export function debhelperArchLiterals(ctx: RuleContext): DebhelperLiteral[] {
  if (ctx.kind !== 'debhelper') return [];
  const text = ctx.file.text;
  const out: DebhelperLiteral[] = [];
  for (const l of lexDebhelperLines(text)) {
    if (l.comment && (!ctx.checkComments || l.start === 0)) continue;
    const body = text.slice(l.start, l.end);
    const filter = DH_EXEC_FILTER.exec(body);
    const terms = filter ? (filter[1] as string).trim().split(/\s+/).filter(Boolean).map((t) => ({ arch: t.replace(/^!/, ''), negated: t.startsWith('!') })) : [];
    const lineArches = archesMatching(terms);
    const codeEnd = filter ? l.start + filter.index : l.end;
    for (const lit of scanArchLiterals(text.slice(l.start, codeEnd), l.start)) out.push({ ...lit, lineStart: l.start, lineEnd: l.end, lineArches });
  }
  return out;
}

/** What replaces a literal in a debhelper file, and whether that is safe to apply. */
export function debhelperReplacement(ctx: RuleContext, lit: ArchLiteral): { text?: string; safe: boolean; hint: string } {
  const variable = lit.meaning === 'arch' ? 'DEB_HOST_ARCH' : lit.meaning === 'triplet' ? 'DEB_HOST_MULTIARCH' : lit.meaning === 'gnuCpu' ? 'DEB_HOST_GNU_CPU' : undefined;
  if (!variable) return { safe: false, hint: lit.meaning === 'lib64' ? 'Debian installs to usr/lib/${DEB_HOST_MULTIARCH}' : 'name it per arch' };
  const compat = debhelperCompat(ctx);
  if (compat !== undefined && compat >= 13) return { text: `\${${variable}}`, safe: true, hint: `use \${${variable}} (debhelper compat ${compat} substitutes it)` };
  if (ctx.placeholder && lit.meaning === 'arch' && /(^|\/)deb_folder\//.test(ctx.file.path)) {
    return { text: ctx.placeholder, safe: true, hint: `use ${ctx.placeholder} (substituted in deb_folder at build time)` };
  }
  const glob = lit.meaning === 'triplet' && !/(^|\/)(?:[^/]*\.)?(dirs|links|maintscript)$/.test(ctx.file.path);
  return glob
    ? { text: '*', safe: false, hint: `debhelper compat ${compat ?? '< 13'} does not substitute \${DEB_HOST_MULTIARCH}: use a usr/lib/*/ glob, or compat 13 / dh-exec` }
    : { text: `\${${variable}}`, safe: false, hint: `use \${${variable}} with debhelper compat 13 (it is ${compat ?? 'lower'}) or dh-exec` };
}

/**
 * The known arches the file's source dir builds on: all, unless the dir is curated as
 * arch-only (`kernel-modules/qat`): then what it depends on elsewhere never matters.
 */
export function sourceDirArches(ctx: RuleContext): ArchName[] {
  const dir = ctx.archive.dir(ctx.file.path);
  return dir ? ARCH_NAMES.filter((a) => dir.arches.includes(a)) : [...ARCH_NAMES];
}
