/**
 * Following make `include` (DESIGN §2 "Make include"): does a make file get a variable from a
 * file it includes? Paths resolve as make resolves them — relative to make's working directory
 * (the package root for debian/rules, the StarlingX source tree for deb_folder/rules, the make
 * file's own folder for a sub-make) — and only variables assigned earlier in the file are
 * expanded. Included files are read through the project view, never from disk.
 */
import path from 'node:path';
import type { ArchName } from './arch.js';
import { parseMake, type MakeModel } from './models/make.js';
import type { FileKind, ProjectView } from './types.js';
import { projectMemo } from './project-view.js';

/** What the includes of a make file say about one variable. */
export type IncludedDefinition =
  | { state: 'defined'; via: string }
  | { state: 'missing' }
  /** An include that cannot be resolved (or lies outside the linted tree) may define it. */
  | { state: 'maybe'; include: string };

/** dpkg's make snippets: which define the arch variables (architecture.mk, and the two that include it). */
const DPKG_MK = /(?:^|\/)dpkg\/(architecture|default|buildtools)\.mk$/;
/** dpkg snippets that define no arch variable. */
const DPKG_OTHER_MK = /^\/usr\/share\/dpkg\/(pkg-info|vendor|buildflags|buildopts|buildapi)\.mk$/;
/** The variables architecture.mk sets (dpkg-architecture(1)). */
const ARCH_MK_VARS = /^DEB_(HOST|BUILD|TARGET)_(ARCH|ARCH_ABI|ARCH_BITS|ARCH_CPU|ARCH_ENDIAN|ARCH_LIBC|ARCH_OS|GNU_CPU|GNU_SYSTEM|GNU_TYPE|MULTIARCH)$/;
/** `$(dir $(lastword $(MAKEFILE_LIST)))`, with or without abspath/realpath: the make file's own folder. */
const OWN_DIR = /^\$\(dir \$\((?:(?:abspath|realpath) \$\()?lastword \$\(MAKEFILE_LIST\)\)\)?\)$/;
const MAX_DEPTH = 8;
/** `foo.d`, `$(SRCS:.c=.d)`, `$(OBJS:%.o=%.d)`: gcc -MD output. */
const DEPENDENCY_FILE = /\.d$|=%?\.d[)}]$/;
/** Marks an expanded path that is already relative to the linted root. */
const TREE = '\u0001';

/** Where make runs for this file, and how `debian/…` paths map back into the tree. */
export interface MakeDirs {
  /** Make's working directory as a tree path ('' = the linted root), or undefined when it is not in the tree. */
  cwd: string | undefined;
  /** For deb_folder/rules: the folder that becomes `debian/` in the source tree. */
  debianDir?: string;
}

/** A path `path.posix.normalize` would change: an empty, `.` or `..` segment inside it. */
const UNNORMAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)/;

/**
 * The parts joined and normalised (`path.posix`), '' for the root, without a trailing `/`. Most
 * paths need no normalising: they are only joined (resolveMakePath asks for every word of every copy line).
 */
export const join = (...parts: string[]): string => {
  const joined = parts.filter((x) => x !== '').join('/');
  if (joined === '') return '';
  const p = UNNORMAL.test(joined) ? path.posix.normalize(joined) : joined;
  return p === '.' ? '' : p.replace(/\/$/, '');
};

/** The `src_path:` of a StarlingX meta_data.yaml, relative to the package dir. */
function srcPath(project: ProjectView, metaPath: string): string | undefined {
  const meta = project.get(metaPath);
  if (!meta) return undefined;
  const m = /^src_path:[ \t]*["']?([^"'\s#]+)/m.exec(meta.text);
  return m?.[1];
}

/**
 * Make's working directory for a make file of the tree: the package root for debian/rules (and
 * for the debhelper files beside it, which dh reads from there), the source tree (`src_path`)
 * for StarlingX deb_folder/rules, the file's own folder for a sub-make.
 */
export function makeDirs(project: ProjectView, filePath: string, kind: FileKind): MakeDirs {
  // once per project and file: every debhelper list of a deb_folder asks for its rules' dirs
  return projectMemo(project, MAKE_DIRS, `${kind}\u0000${filePath}`, (view) => makeDirsOf(view, filePath, kind));
}

const MAKE_DIRS = Symbol('make-include make dirs');

function makeDirsOf(project: ProjectView, filePath: string, kind: FileKind): MakeDirs {
  const dir = path.posix.dirname(filePath);
  if (kind !== 'rules') return { cwd: dir === '.' ? '' : dir };
  // `A/debian/deb_folder/rules` or `A/debian/<codename>/deb_folder/rules`: the build copies the
  // deb_folder to `<source>/debian` and runs make in the source, `src_path` of meta_data.yaml
  // (relative to A) — or a download, which is not in the tree.
  const m = /^(?:(.*)\/)?debian\/(?:([a-z]+)\/)?deb_folder\/rules$/.exec(filePath);
  if (m) {
    const pkg = m[1] ?? '';
    const meta = m[2] ? join(pkg, 'debian', m[2], 'meta_data.yaml') : join(pkg, 'debian', 'meta_data.yaml');
    const src = srcPath(project, meta) ?? srcPath(project, join(pkg, 'debian', 'meta_data.yaml'));
    return { cwd: src && !src.includes('$') && !src.startsWith('/') ? join(pkg, src) : undefined, debianDir: dir };
  }
  const parent = path.posix.dirname(dir);
  return { cwd: parent === '.' ? '' : parent };
}

/** Simple values assigned before `offset` at the top level, for expanding an include path. */
function earlierValues(make: MakeModel, text: string, offset: number): Map<string, string> {
  const values = new Map<string, string>();
  let depth = 0;
  for (const line of make.lines) {
    if (line.start >= offset) break;
    if (line.kind === 'conditional') depth++;
    else if (line.kind === 'endif') depth = Math.max(0, depth - 1);
    const a = line.assignment;
    if (!a || a.targetSpecific || a.op === '!=') continue;
    const value = text.slice(a.valueStart, a.valueEnd).trim();
    // An assignment under a conditional may or may not happen: the name cannot be expanded.
    if (depth > 0) values.set(a.name, '\0');
    else if (a.op === '+=') values.set(a.name, values.has(a.name) ? `${values.get(a.name) as string} ${value}` : value);
    else if (a.op === '?=' && values.has(a.name)) continue;
    else values.set(a.name, value);
  }
  return values;
}

/** Expands `$(VAR)`/`${VAR}` from `values`; undefined when anything else (a function, an unknown name) remains. */
function expand(word: string, values: Map<string, string>, own: { fileDir: string }, depth = 0): string | undefined {
  if (depth > 10) return undefined;
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i] as string;
    if (c !== '$') {
      out += c;
      continue;
    }
    const open = word[i + 1];
    if (open === '$') return undefined;
    if (open !== '(' && open !== '{') return undefined;
    const close = open === '(' ? ')' : '}';
    let d = 0;
    let j = i + 1;
    for (; j < word.length; j++) {
      if (word[j] === open) d++;
      else if (word[j] === close && --d === 0) break;
    }
    if (j >= word.length) return undefined;
    const ref = word.slice(i, j + 1);
    const name = word.slice(i + 2, j);
    let value: string | undefined;
    // The make file's own folder is a tree path, marked so it is not joined to make's directory.
    if (OWN_DIR.test(ref)) value = `${TREE}${own.fileDir}/`;
    // Make's directory: relative paths below resolve against it anyway.
    else if (name === 'CURDIR') value = '.';
    else if (/^[A-Za-z0-9_.-]+$/.test(name) && values.has(name) && values.get(name) !== '\0') {
      value = expand(values.get(name) as string, values, own, depth + 1);
    }
    if (value === undefined) return undefined;
    out += value;
    i = j;
  }
  return out;
}

/** The tree path a path word of a make file names, 'outside' when it is not in the linted tree, undefined when unknown. */
export function resolveMakePath(word: string, dirs: MakeDirs): string | 'outside' | undefined {
  // A path from the make file's own folder is a tree path already; a real absolute path is outside.
  if (word.startsWith(TREE)) return join(word.slice(1));
  if (word.startsWith('/')) return 'outside';
  const rel = join(word);
  if (dirs.debianDir && (rel === 'debian' || rel.startsWith('debian/'))) return join(dirs.debianDir, rel.slice('debian'.length));
  if (dirs.cwd === undefined) return undefined;
  return join(dirs.cwd, rel);
}

const models = new WeakMap<object, MakeModel>();

function modelOf(project: ProjectView, p: string, architectures: readonly ArchName[]): { model: MakeModel; text: string } | undefined {
  const file = project.get(p);
  if (!file) return undefined;
  let model = models.get(file);
  if (!model) {
    model = parseMake(file.text, architectures);
    models.set(file, model);
  }
  return { model, text: file.text };
}

/**
 * Whether a file the make file includes (directly or through its own includes) defines
 * `name`. `make` is the model of the file at `filePath`, of the given kind.
 */
export function includedDefinition(
  project: ProjectView, filePath: string, kind: FileKind, make: MakeModel, text: string,
  name: string, architectures: readonly ArchName[],
): IncludedDefinition {
  const dirs = makeDirs(project, filePath, kind);
  const seen = new Set<string>([filePath]);
  let maybe: string | undefined;

  const visit = (m: MakeModel, t: string, fileDir: string, depth: number): string | undefined => {
    for (const line of m.lines) {
      if (line.kind !== 'include' || !line.include) continue;
      const values = earlierValues(m, t, line.start);
      for (const word of line.include.split(/\s+/).filter(Boolean)) {
        // Dependency files the compiler writes (`-include $(SRCS:.c=.d)`, `deps/foo.d`) hold rules only.
        if (DEPENDENCY_FILE.test(word)) continue;
        const expanded = expand(word, values, { fileDir }, 0);
        if (expanded === undefined) {
          // `include $(DPKG_DIR)/architecture.mk`: dpkg's file, whatever the folder variable says.
          if (DPKG_MK.test(word) && ARCH_MK_VARS.test(name)) return word;
          maybe ??= word;
          continue;
        }
        if (/^\/usr\/share\/dpkg\//.test(expanded)) {
          if (DPKG_MK.test(expanded) && ARCH_MK_VARS.test(name)) return expanded;
          if (DPKG_OTHER_MK.test(expanded)) continue;
        }
        if (/[*?[]/.test(expanded)) {
          maybe ??= word;
          continue;
        }
        const target = resolveMakePath(expanded, dirs);
        const inc = target && target !== 'outside' ? modelOf(project, target, architectures) : undefined;
        if (!target || !inc) {
          maybe ??= word;
          continue;
        }
        if (seen.has(target as string)) continue;
        seen.add(target as string);
        if (inc.model.defines(name)) return target;
        if (depth + 1 >= MAX_DEPTH) {
          maybe ??= word;
          continue;
        }
        const via = visit(inc.model, inc.text, path.posix.dirname(target as string), depth + 1);
        if (via) return via;
      }
    }
    return undefined;
  };

  const fileDir = path.posix.dirname(filePath);
  const via = visit(make, text, fileDir === '.' ? '' : fileDir, 0);
  if (via) return { state: 'defined', via };
  return maybe !== undefined ? { state: 'maybe', include: maybe } : { state: 'missing' };
}
