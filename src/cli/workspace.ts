/**
 * Workspaces (DESIGN §8): a repo-tool checkout, whose top holds `.repo/` and a manifest naming
 * the git projects (nested ones included: `cgcs-root` and `cgcs-root/stx/integ`), or simply the
 * git repositories under the given folders. Each project is linted as its own repository.
 *
 * The manifest is read as `repo` reads it: `.repo/manifest.xml` (a symlink into
 * `.repo/manifests/`, or a file that includes one), its `<include name>`s resolved in
 * `.repo/manifests/`, then `.repo/local_manifests/*.xml` in name order; `<default>`,
 * `<project>`, `<remove-project>` and `<extend-project>` apply in document order. xmlbuilder2
 * (a real XML parser) is loaded only here, and only when there is a manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { toPosix } from './discover.js';

export interface Project {
  /** The project's name in the manifest (its relpath when there is none). */
  name: string;
  /** Absolute path of the project's top. */
  path: string;
  /** POSIX path from the workspace top (`cgcs-root/stx/integ`). */
  relpath: string;
  /** The manifest's groups, plus repo's implicit `all`, `name:<name>`, `path:<path>` and `default`. */
  groups: string[];
  revision?: string;
  upstream?: string;
}

export interface Workspace {
  /** The workspace top (the folder holding `.repo/`, or the given folder). */
  top: string;
  /** The manifest read (`.repo/manifest.xml`), or undefined when the projects are the git repositories found. */
  manifest?: string;
  /** The manifest branch (`.repo/manifests` HEAD), for `--changed-since manifest` (`m/<branch>`). */
  branch?: string;
  /** Selected projects, sorted by relpath (UTF-16 code units). */
  projects: Project[];
  /** Things a porter should know: projects of the manifest that are not checked out. */
  notices: string[];
}

export class WorkspaceError extends Error {}

export interface WorkspaceOptions {
  /** `--workspace DIR`. */
  workspace?: string;
  /** `--projects GLOB` (matched against name and relpath). */
  projects?: readonly string[];
  /** `--groups G` (repo semantics: `-G` excludes; default: the `default` group). */
  groups?: readonly string[];
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The folder among the given paths (or `--workspace`) that is a workspace top, if any. */
export function workspaceTop(cwd: string, paths: readonly string[], opts: WorkspaceOptions): string | undefined {
  if (opts.workspace !== undefined) {
    const top = path.resolve(cwd, opts.workspace);
    if (!isDir(top)) throw new WorkspaceError(`--workspace ${opts.workspace}: not a folder`);
    return top;
  }
  const given = paths.length ? paths : ['.'];
  for (const p of given) {
    const abs = path.resolve(cwd, p);
    if (isDir(path.join(abs, '.repo'))) return abs;
  }
  if (opts.projects?.length || opts.groups?.length) return given.length === 1 ? path.resolve(cwd, given[0] as string) : undefined;
  return undefined;
}

/**
 * The projects to lint, or undefined when this is not a workspace run (no `.repo/` among the
 * given folders, no `--workspace`, `--projects` or `--groups`): then the paths are linted as today.
 */
export async function readWorkspace(cwd: string, paths: readonly string[], opts: WorkspaceOptions = {}): Promise<Workspace | undefined> {
  const top = workspaceTop(cwd, paths, opts);
  const roots = top ? [top] : (paths.length ? paths : ['.']).map((p) => path.resolve(cwd, p));
  if (!top && !opts.projects?.length && !opts.groups?.length) return undefined;
  const notices: string[] = [];
  let all: Project[];
  let manifest: string | undefined;
  let branch: string | undefined;
  if (top && isFile(path.join(top, '.repo', 'manifest.xml'))) {
    manifest = path.join(top, '.repo', 'manifest.xml');
    all = await readManifest(top);
    branch = manifestBranch(top);
    for (const p of all) {
      if (!isDir(p.path)) notices.push(`${p.relpath}: in the manifest but not checked out; skipped`);
    }
    all = all.filter((p) => isDir(p.path));
  } else {
    const base = top ?? cwd;
    all = roots.flatMap((r) => gitRepositories(r)).map((abs) => {
      const relpath = toPosix(path.relative(base, abs)) || '.';
      return { name: relpath, path: abs, relpath, groups: implicitGroups(relpath, relpath, []) };
    });
  }
  const projects = select(all, opts);
  if ((opts.projects?.length || opts.groups?.length) && projects.length === 0) {
    throw new WorkspaceError(`no project matches${opts.projects?.length ? ` --projects ${opts.projects.join(',')}` : ''}${opts.groups?.length ? ` --groups ${opts.groups.join(',')}` : ''}`);
  }
  const seen = new Set<string>();
  const unique = projects.filter((p) => !seen.has(p.path) && seen.add(p.path));
  unique.sort((a, b) => byCodeUnit(a.relpath, b.relpath));
  return { top: top ?? cwd, manifest, branch, projects: unique, notices };
}

/** The projects, as `findProjects` of the shared contract. */
export async function findProjects(cwd: string, paths: readonly string[], opts: WorkspaceOptions = {}): Promise<Project[] | undefined> {
  return (await readWorkspace(cwd, paths, opts))?.projects;
}

/** The deepest project holding `abs`, if any (projects nest: a file belongs to the innermost). */
export function projectOf(projects: readonly Project[], abs: string): Project | undefined {
  let best: Project | undefined;
  for (const p of projects) {
    if ((abs === p.path || abs.startsWith(p.path + path.sep)) && (!best || p.path.length > best.path.length)) best = p;
  }
  return best;
}

/** The tops of the projects nested inside `p` (their files are theirs, not p's). */
export function nestedTops(projects: readonly Project[], p: Project): string[] {
  return projects.filter((q) => q !== p && q.path.startsWith(p.path + path.sep)).map((q) => q.path);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** repo's implicit groups: `all`, `name:<name>`, `path:<path>`, and `default` unless `notdefault`. */
function implicitGroups(name: string, relpath: string, own: readonly string[]): string[] {
  const g = new Set(own);
  g.add('all');
  g.add(`name:${name}`);
  g.add(`path:${relpath}`);
  if (!g.has('notdefault')) g.add('default');
  return [...g].sort(byCodeUnit);
}

const splitGroups = (v: string | null | undefined): string[] => (v ?? '').split(/[\s,]+/).filter(Boolean);

function select(all: readonly Project[], opts: WorkspaceOptions): Project[] {
  let out = [...all];
  const groups = (opts.groups ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
  // repo sync's default: the `default` group (projects not marked notdefault)
  const want = groups.filter((g) => !g.startsWith('-'));
  const drop = groups.filter((g) => g.startsWith('-')).map((g) => g.slice(1));
  const wanted = want.length ? want : ['default'];
  out = out.filter((p) => wanted.some((g) => p.groups.includes(g)) && !drop.some((g) => p.groups.includes(g)));
  const globs = (opts.projects ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
  if (globs.length) {
    const match = picomatch(globs, { dot: true });
    out = out.filter((p) => match(p.name) || match(p.relpath));
  }
  return out;
}

/** The git repositories at or under `root` (a `.git` folder or file), nested ones included. */
function gitRepositories(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.name === '.git')) found.push(dir);
    if (depth > 12) return;
    for (const e of entries) {
      if (!e.isDirectory() || e.name === '.git' || e.name === '.repo' || e.name === 'node_modules') continue;
      walk(path.join(dir, e.name), depth + 1);
    }
  };
  walk(root, 0);
  return found;
}

/** `.repo/manifests`' checked-out branch (`default`, `r/stx.10.0`), for `m/<branch>`. */
function manifestBranch(top: string): string | undefined {
  try {
    const head = fs.readFileSync(path.join(top, '.repo', 'manifests', '.git', 'HEAD'), 'utf8').trim();
    const m = /^ref: refs\/heads\/(.+)$/.exec(head);
    if (m) return m[1];
  } catch {
    /* no manifests checkout: fall back on the default revision */
  }
  return undefined;
}

interface XmlElement {
  nodeType: number;
  nodeName: string;
  childNodes: Iterable<XmlElement>;
  getAttribute(name: string): string | null;
}

interface ManifestState {
  defaultRevision?: string;
  projects: Project[];
  /** Files being read, for include cycles. */
  reading: string[];
}

async function readManifest(top: string): Promise<Project[]> {
  const { create } = await import('xmlbuilder2');
  const state: ManifestState = { projects: [], reading: [] };
  const manifests = path.join(top, '.repo', 'manifests');
  const display = (f: string): string => toPosix(path.relative(top, f));
  const readFile = (file: string, via?: string): void => {
    if (state.reading.includes(file)) throw new WorkspaceError(`${display(file)}: includes itself (${[...state.reading, file].map(display).join(' → ')})`);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new WorkspaceError(`${display(file)}: cannot read${via ? ` (included by ${display(via)})` : ''}: ${(e as Error).message}`);
    }
    let root: XmlElement;
    try {
      root = (create(text).root() as unknown as { node: XmlElement }).node;
    } catch (e) {
      throw new WorkspaceError(`${display(file)}: not a well-formed manifest: ${(e as Error).message.split('\n')[0]}`);
    }
    if (root.nodeName !== 'manifest') throw new WorkspaceError(`${display(file)}: the root element is <${root.nodeName}>, not <manifest>`);
    state.reading.push(file);
    for (const el of root.childNodes) {
      if (el.nodeType !== 1) continue;
      apply(el, file);
    }
    state.reading.pop();
  };
  const attr = (el: XmlElement, name: string): string | undefined => el.getAttribute(name) ?? undefined;
  const apply = (el: XmlElement, file: string): void => {
    switch (el.nodeName) {
      case 'include': {
        const name = attr(el, 'name');
        if (!name) throw new WorkspaceError(`${display(file)}: <include> without a name`);
        const target = path.resolve(manifests, name);
        if (!target.startsWith(manifests + path.sep)) throw new WorkspaceError(`${display(file)}: <include name="${name}"> leaves .repo/manifests`);
        readFile(target, file);
        return;
      }
      case 'default':
        state.defaultRevision = attr(el, 'revision') ?? state.defaultRevision;
        return;
      case 'project': {
        const name = attr(el, 'name');
        if (!name) throw new WorkspaceError(`${display(file)}: <project> without a name`);
        let relpath = toPosix(path.posix.normalize(attr(el, 'path') ?? name));
        while (relpath.endsWith('/')) relpath = relpath.slice(0, -1);
        if (relpath.startsWith('..') || path.posix.isAbsolute(relpath)) throw new WorkspaceError(`${display(file)}: project ${name}: path ${relpath} leaves the workspace`);
        if (state.projects.some((p) => p.relpath === relpath)) throw new WorkspaceError(`${display(file)}: two projects at ${relpath}`);
        state.projects.push({
          name,
          path: path.join(top, ...relpath.split('/')),
          relpath,
          groups: implicitGroups(name, relpath, splitGroups(el.getAttribute('groups'))),
          revision: attr(el, 'revision') ?? state.defaultRevision,
          upstream: attr(el, 'upstream'),
        });
        return;
      }
      case 'remove-project': {
        const name = attr(el, 'name');
        const p = attr(el, 'path');
        if (!name && !p) throw new WorkspaceError(`${display(file)}: <remove-project> needs a name or a path`);
        const before = state.projects.length;
        state.projects = state.projects.filter((x) => !((name === undefined || x.name === name) && (p === undefined || x.relpath === p)));
        if (state.projects.length === before && el.getAttribute('optional') !== 'true') {
          throw new WorkspaceError(`${display(file)}: <remove-project ${name ? `name="${name}"` : `path="${p}"`}> matches no project`);
        }
        return;
      }
      case 'extend-project': {
        const name = attr(el, 'name');
        const p = attr(el, 'path');
        const targets = state.projects.filter((x) => x.name === name && (p === undefined || x.relpath === p));
        if (targets.length === 0) throw new WorkspaceError(`${display(file)}: <extend-project name="${name ?? ''}"> matches no project`);
        for (const t of targets) {
          const extra = splitGroups(el.getAttribute('groups'));
          if (extra.length) t.groups = implicitGroups(t.name, t.relpath, [...t.groups.filter((g) => g !== 'default'), ...extra]);
          t.revision = attr(el, 'revision') ?? t.revision;
          t.upstream = attr(el, 'upstream') ?? t.upstream;
        }
        return;
      }
      default:
        // remote, notice, repo-hooks, superproject, contactinfo, manifest-server, annotation…: not ours
        return;
    }
  };
  readFile(path.join(top, '.repo', 'manifest.xml'));
  const local = path.join(top, '.repo', 'local_manifests');
  if (isDir(local)) {
    for (const name of fs.readdirSync(local).filter((n) => n.endsWith('.xml')).sort(byCodeUnit)) readFile(path.join(local, name));
  }
  return state.projects;
}
