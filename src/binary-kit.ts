/**
 * Committed prebuilt binaries the packaging installs: the words of `install`/`cp` lines in
 * debian/rules (and deb_folder/rules) and of debhelper install lists that name a PE/ELF file of
 * the tree, with the header facts the CLI read (ProjectView.binary) and the arches that install it.
 */
import path from 'node:path';
import type { ArchName } from './arch.js';
import { ARCH_NAMES } from './arch.js';
import type { BinaryHeader } from './binary-header.js';
import { debhelperPackageArches, siblingControl, sourceDirArches } from './control-kit.js';
import { makeDirs, resolveMakePath } from './make-include.js';
import { projectMemo } from './project-view.js';
import type { ProjectView, RuleContext } from './types.js';

/**
 * `[…]` groups blanked (`line.replace(/\[[^\]]*\]/g, …)` without reading a run of `[` with no `]`
 * after it once per `[`).
 */
function blankBrackets(line: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = line.indexOf('[', from);
    const close = open < 0 ? -1 : line.indexOf(']', open + 1);
    if (close < 0) return out + line.slice(from);
    out += line.slice(from, open) + ' '.repeat(close + 1 - open);
    from = close + 1;
  }
}

export { headerField, type BinaryHeader } from './binary-header.js';

export interface InstalledBinary {
  /** The word naming the file, as written. */
  start: number;
  end: number;
  word: string;
  /** The file's tree path. */
  path: string;
  /** The word names the file itself (not a folder or a glob holding it). */
  exact: boolean;
  header: BinaryHeader;
  /** Configured arches whose build installs it (the line's reaching set ∩ the package's arches). */
  reach: ArchName[];
  /** The installing package is `Architecture: all`. */
  archAll: boolean;
}

/** The command of a recipe that copies files into the package. */
const COPY_COMMAND = /^(?:\S*\/)?(?:install|cp)$|^\$[({]INSTALL(?:_\w+)?[)}]$/;
/** A debian/rules recipe line that may install a committed binary (installedBinaries reads no other). */
export const COPY_LINE = /\b(?:install|cp|INSTALL)\b/;
const CURDIR = /^\$[({]CURDIR[)}]\//;

const unquote = (w: string): string => w.replace(/^["']|["']$/g, '');

/** The code units `\s` matches (ECMAScript WhiteSpace and LineTerminator). */
const isBlank = (c: number): boolean =>
  (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** Every blank-separated word of `text` with its offset: `/\S+/g`'s matches, without a match object each (every word of every copy line). */
export function words(text: string, base: number): { word: string; start: number }[] {
  const out: { word: string; start: number }[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (i >= n) return out;
    const start = i;
    while (i < n && !isBlank(text.charCodeAt(i))) i++;
    out.push({ word: text.slice(start, i), start: base + start });
  }
}

/** How many files one folder or glob word may name before we stop reading headers for it. */
const MAX_PER_WORD = 64;

/** A shell glob of a path as a regex: `*` and `?` stay within one folder. A glob that is no regex (`x.efi[`) names no file. */
const globRegex = (glob: string): RegExp => {
  try {
    return new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  } catch {
    return /(?!)/;
  }
};

const UNLINTED_GLOBBED = Symbol('unlinted files a glob matches');

const UNLINTED_SORTED = Symbol('unlinted files in code-unit order');

/** The files that are not linted, sorted by UTF-16 code unit, each with its place in the view's order. */
function unlintedSorted(project: ProjectView): readonly { path: string; place: number }[] {
  return projectMemo(project, UNLINTED_SORTED, '', (view) =>
    (view.unlinted?.() ?? []).map((path, place) => ({ path, place })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  );
}

/** The first MAX_PER_WORD of `sorted[from…]` that start with `prefix` (a sorted run), in the view's order. */
function firstWithPrefix(sorted: readonly { path: string; place: number }[], prefix: string, accept: (path: string) => boolean = () => true): string[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as { path: string }).path < prefix) lo = mid + 1;
    else hi = mid;
  }
  const hits: { path: string; place: number }[] = [];
  for (let i = lo; i < sorted.length; i++) {
    const f = sorted[i] as { path: string; place: number };
    if (!f.path.startsWith(prefix)) break;
    if (accept(f.path)) hits.push(f);
  }
  return hits
    .sort((a, b) => a.place - b.place)
    .slice(0, MAX_PER_WORD)
    .map((f) => f.path);
}

/**
 * The first MAX_PER_WORD files that are not linted under a folder, in the view's order: the
 * sorted run of paths that start with `folder/`, found by a binary search when a word asks, not an
 * index of every folder of the tree built up front (most runs ask for a few folders, or none). It reads no
 * linted file (`unlinted` is no dependency), so it records none.
 */
export function unlintedUnder(project: ProjectView, folder: string): readonly string[] {
  return projectMemo(project, UNLINTED_UNDER, folder, (view) => firstWithPrefix(unlintedSorted(view), `${folder}/`));
}

const UNLINTED_UNDER = Symbol('unlinted files under a folder');

/**
 * The first MAX_PER_WORD files that are not linted a glob path matches, in the view's order,
 * once per project and glob. A match starts with the glob's text before its first `*?[` (those
 * characters are literal in its regex): only the sorted run of files with that prefix is tested.
 */
export function unlintedGlobbed(project: ProjectView, glob: string): readonly string[] {
  return projectMemo(project, UNLINTED_GLOBBED, glob, (view) => {
    const re = globRegex(glob);
    return firstWithPrefix(unlintedSorted(view), glob.slice(0, glob.search(/[*?[]/)), (path) => re.test(path));
  });
}

/**
 * The committed PE/ELF files a path word names: the file itself, every file under a folder it
 * names (`cp -r`, dh_install of a folder), or the files a glob (`pxeboot/*.efi`) matches.
 */
function lookup(
  project: ProjectView,
  word: string,
  dirs: ReturnType<typeof makeDirs>,
): { path: string; header: BinaryHeader; exact: boolean }[] {
  const w = unquote(word).replace(CURDIR, '').replace(/(?<!\/)\/+$/, '');
  if (!w || w.startsWith('-') || /[$`{}]/.test(w)) return [];
  const p = resolveMakePath(w, dirs);
  if (!p || p === 'outside') return [];
  const glob = /[*?[]/.test(p);
  if (!glob) {
    const header = project.binary?.(p);
    if (header) return [{ path: p, header, exact: true }];
  }
  const named = glob ? unlintedGlobbed(project, p) : unlintedUnder(project, p);
  return named.flatMap((f) => {
    const header = project.binary?.(f);
    return header ? [{ path: f, header, exact: false }] : [];
  });
}

/** The arches of the package a rules copy line installs into: `debian/<pkg>/…` names it; else every package must get it. */
function rulesPackage(ctx: RuleContext, dest: string[]): { arches: ArchName[]; archAll: boolean } {
  const control = siblingControl(ctx);
  const dir = sourceDirArches(ctx);
  if (!control || control.binaries.length === 0) return { arches: dir, archAll: false };
  for (const d of dest) {
    const m = /(?:^|\/)debian\/([a-z0-9][a-z0-9+.-]+)\//.exec(unquote(d).replace(CURDIR, ''));
    const pkg = m && m[1] !== 'tmp' ? control.binary(m[1] as string) : undefined;
    if (pkg) return { arches: pkg.arches.filter((a) => dir.includes(a)), archAll: pkg.architecture?.includes('all') ?? false };
  }
  // debian/tmp or a variable: whichever package takes it, only arches every package builds on are sure.
  const arches = ARCH_NAMES.filter((a) => dir.includes(a) && control.binaries.every((b) => b.arches.includes(a)));
  return { arches, archAll: control.binaries.every((b) => b.architecture?.includes('all') ?? false) };
}

/** Committed PE (EFI) and ELF binaries named by the copy lines of a rules file or a debhelper install list. */
export function installedBinaries(ctx: RuleContext): InstalledBinary[] {
  if (!ctx.project.binary) return [];
  // only debian/rules and debhelper install lists name what is installed: no other file reads its package's paths
  const installList = ctx.kind === 'debhelper' && /(?:^|\/)(?:[^/]+\.)?install$/.test(ctx.file.path);
  if (!(ctx.kind === 'rules' && ctx.make) && !installList) return [];
  const out: InstalledBinary[] = [];
  const text = ctx.file.text;
  const folder = path.posix.dirname(ctx.file.path);
  const dirs = makeDirs(ctx.project, folder === '.' ? 'rules' : `${folder}/rules`, 'rules');
  const add = (w: { word: string; start: number }, pkg: { arches: ArchName[]; archAll: boolean }): void => {
    for (const hit of lookup(ctx.project, w.word, dirs)) {
      if (hit.header.format === 'pe' && !hit.header.efi) continue;
      const reach = ctx.guards.reachAt(w.start).configured.filter((a) => pkg.arches.includes(a));
      out.push({ start: w.start, end: w.start + w.word.length, word: w.word, path: hit.path, exact: hit.exact, header: hit.header, reach, archAll: pkg.archAll });
    }
  };

  if (ctx.kind === 'rules' && ctx.make) {
    for (const line of ctx.make.lines) {
      if (line.kind !== 'recipe') continue;
      const end = line.comments[0]?.offset ?? line.end;
      const body = text.slice(line.start, end);
      if (!COPY_LINE.test(body)) continue;
      let offset = line.start;
      for (const command of body.split(/(;|&&|\|\||\|)/)) {
        const ws = words(command.replace(/\\\r?\n/g, (s) => ' '.repeat(s.length)), offset);
        offset += command.length;
        const first = ws[0];
        if (!first || !COPY_COMMAND.test(first.word.replace(/^[@+-]+/, ''))) continue;
        const args = ws.slice(1);
        const pkg = rulesPackage(ctx, args.map((a) => a.word));
        for (const w of args) add(w, pkg);
      }
    }
  } else if (installList) {
    const pkgArches = debhelperPackageArches(ctx);
    const control = siblingControl(ctx);
    const base = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    const paragraph = control ? (dot > 0 ? control.binary(base.slice(0, dot)) : control.binaries[0]) : undefined;
    const pkg = { arches: pkgArches, archAll: paragraph?.architecture?.includes('all') ?? false };
    for (let n = 1; n <= ctx.file.lineCount; n++) {
      const start = ctx.file.lineStart(n);
      const line = text.slice(start, ctx.file.lineEnd(n));
      if (/^\s*#/.test(line)) continue;
      for (const w of words(blankBrackets(line), start)) if (w.word !== '=>') add(w, pkg);
    }
  }
  return out;
}

/**
 * The committed PE (EFI) and ELF binaries a package of a control file installs, by its install
 * list (`<pkg>.install`, `install`) or any copy line of the rules beside it, guards left aside:
 * what shows that a package repackages prebuilt binaries of one arch.
 */
export function packageCommittedBinaries(project: ProjectView, controlPath: string, pkg: string | undefined): { path: string; header: BinaryHeader }[] {
  if (!project.binary) return [];
  const folder = path.posix.dirname(controlPath);
  const prefix = folder === '.' ? '' : `${folder}/`;
  const dirs = makeDirs(project, `${prefix}rules`, 'rules');
  const out: { path: string; header: BinaryHeader }[] = [];
  const scan = (text: string, copyLinesOnly: boolean): void => {
    for (const line of text.split(/\r?\n/)) {
      if (/^\s*#/.test(line) || (copyLinesOnly && !/^\t.*\b(?:install|cp|INSTALL)\b/.test(line))) continue;
      for (const w of line.split(/[\s;|&]+/)) {
        for (const hit of lookup(project, w, dirs)) if (hit.header.format === 'elf' || hit.header.efi) out.push(hit);
      }
    }
  };
  for (const list of [pkg ? `${prefix}${pkg}.install` : undefined, `${prefix}install`]) {
    const text = list ? project.get(list)?.text : undefined;
    if (text) scan(text, false);
  }
  const rules = project.get(`${prefix}rules`)?.text;
  if (rules) scan(rules, true);
  return out;
}
