/**
 * A workspace run (DESIGN §8): what run.ts needs to lint every project of a workspace as its own
 * repository — discovery per project top without the folders of the projects nested in it,
 * `--changed-since` per project, the repository top of each path (zuul, gerrit, sarif), the
 * per-project summary — and the `ProjectFiles` that `--fix --commit` works on. Loaded only by
 * a workspace run or `--commit`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolveConfig, type CliSettings, type ResolvedConfig } from '../config/index.js';
import type { FixOutcome } from '../engine/fix.js';
import type { FileResult, LintTarget } from '../engine/lint.js';
import type { ProjectSummary } from '../formatters/types.js';
import { classify } from '../kinds/index.js';
import type { SourceFile } from '../source.js';
import type { AnyRule, FileProblem } from '../types.js';
import type { ProjectFiles } from './commit.js';
import { byCodeUnit, discover, displayPath, toPosix, walkTree, type Candidate, type DiscoverResult, type IgnoreTest } from './discover.js';
import { GitError } from './git.js';
import { nestedTops, projectOf, type Project, type Workspace } from './workspace.js';

export { readWorkspace, WorkspaceError, type Workspace, type Project } from './workspace.js';

const under = (abs: string, top: string): boolean => abs === top || abs.startsWith(top + path.sep);

/** Each project's discovery: its top walked, the files of the projects nested in it left to them. */
export async function discoverProjects(
  cwd: string,
  ws: Workspace,
  isIgnored: IgnoreTest,
  maxFileSize: number,
): Promise<{ project: Project; found: DiscoverResult }[]> {
  const out: { project: Project; found: DiscoverResult }[] = [];
  for (const project of ws.projects) {
    const nested = nestedTops(ws.projects, project);
    const lister = (root: string): ReturnType<typeof walkTree> => {
      const r = walkTree(root);
      if (nested.length === 0) return r;
      return {
        ...r,
        entries: r.entries.filter((e) => !nested.some((t) => under(e.abs, t))),
        badNames: r.badNames.filter((b) => !nested.some((t) => under(b.dir, t))),
      };
    };
    const found = await discover(cwd, [project.path], isIgnored, maxFileSize, lister);
    for (const display of [...found.others.keys()]) if (nested.some((t) => under(path.resolve(cwd, display), t))) found.others.delete(display);
    out.push({ project, found });
  }
  return out;
}

/** readWorkspace's notices as file problems (`relpath: what` → path and message). */
export function workspaceNotices(cwd: string, ws: Workspace): FileProblem[] {
  return ws.notices.map((n) => {
    const i = n.indexOf(': ');
    const rel = i > 0 ? n.slice(0, i) : '.';
    return { path: displayPath(cwd, path.join(ws.top, ...rel.split('/'))), level: 'notice', message: i > 0 ? n.slice(i + 2) : n };
  });
}

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** The top of the project a display path is in (realpath), for FormatOptions.repoTopOf. */
export function repoTopResolver(cwd: string, ws: Workspace): (p: string) => string | undefined {
  const tops = new Map(ws.projects.map((p) => [p, real(p.path)]));
  return (p) => {
    const project = projectOf(ws.projects, path.resolve(cwd, p));
    return project ? tops.get(project) : undefined;
  };
}

/** The revision `--changed-since` means in a project: `manifest` is repo's `m/<branch>`. */
export function projectRevision(ws: Workspace, project: Project, rev: string): string {
  if (rev !== 'manifest') return rev;
  const branch = ws.branch ?? project.revision;
  if (!branch) throw new GitError(`--changed-since manifest: ${project.relpath}: no manifest branch (.repo/manifests) and no revision in the manifest`);
  return `m/${branch}`;
}

/**
 * `--changed-since REV` in every project: only what each project's change since REV added. A
 * project where REV does not resolve is an error naming it.
 */
export async function keepChangedPerProject(
  cwd: string,
  ws: Workspace,
  rev: string,
  results: readonly FileResult[],
  source: (p: string) => SourceFile | undefined,
): Promise<FileResult[]> {
  const [{ ChangeSet, keepChanged }, { changedSince }] = await Promise.all([import('../changes/index.js'), import('./git.js')]);
  const byProject = new Map<Project | undefined, FileResult[]>();
  for (const r of results) {
    const p = projectOf(ws.projects, path.resolve(cwd, r.path));
    const list = byProject.get(p);
    if (list) list.push(r);
    else byProject.set(p, [r]);
  }
  const kept = new Map<string, FileResult>();
  for (const project of ws.projects) {
    const own = byProject.get(project);
    if (!own) continue;
    const r = projectRevision(ws, project, rev);
    let c: ReturnType<typeof changedSince>;
    try {
      c = changedSince(project.path, r);
    } catch (e) {
      throw new GitError(`project ${project.relpath}: ${(e as Error).message}`);
    }
    const top = c.top;
    const cs = ChangeSet.fromDiff(c.diff, c.untracked);
    for (const x of keepChanged(own, cs, { repoPath: (p) => toPosix(path.relative(top, real(path.resolve(cwd, p)))), source })) kept.set(x.path, x);
  }
  return results.map((r) => kept.get(r.path) ?? { ...r, findings: [] });
}

/** Findings per project, in relpath order (every selected project, even one with no files). */
export function projectSummaries(cwd: string, ws: Workspace, results: readonly FileResult[]): ProjectSummary[] {
  const rows = new Map(ws.projects.map((p) => [p, { project: p.relpath, files: 0, errors: 0, warnings: 0, infos: 0, fixable: 0 }]));
  for (const r of results) {
    const p = projectOf(ws.projects, path.resolve(cwd, r.path));
    const row = p && rows.get(p);
    if (!row) continue;
    row.files++;
    for (const f of r.findings) {
      if (f.severity === 'error') row.errors++;
      else if (f.severity === 'warning') row.warnings++;
      else row.infos++;
      if (f.fix) row.fixable++;
    }
  }
  return [...rows.values()].sort((a, b) => byCodeUnit(a.project, b.project));
}

/** What run.ts hands over to build a project's files for `--commit`. */
export interface FilesContext {
  cwd: string;
  rules: readonly AnyRule[];
  cli: CliSettings;
  maxFileSize: number;
  /** The config that governs a file, with the folder its globs are relative to. */
  configOf: (abs: string) => { dir: string; config: import('../config/index.js').Config } | null;
  read: (c: Candidate) => SourceFile | undefined;
  env: Readonly<Record<string, string | undefined>>;
  leftovers: readonly string[];
}

/**
 * One project's files for commitFixes: re-read from disk at each call (the previous commit
 * changed them), or taken from the dry run's overlay; files a fix created join the project.
 */
export function projectFiles(top: string, candidates: readonly Candidate[], ctx: FilesContext): ProjectFiles {
  const byDisplay = new Map(candidates.map((c) => [c.display, c]));
  const created = new Set<string>();
  const settings = (abs: string, ruleId: string | undefined): ResolvedConfig => {
    const found = ctx.configOf(abs);
    const rel = found ? toPosix(path.relative(found.dir, abs)) : toPosix(path.relative(top, abs));
    return resolveConfig(found?.config, rel, ctx.rules, ruleId ? { ...ctx.cli, only: [ruleId] } : ctx.cli);
  };
  const abs = (display: string): string => byDisplay.get(display)?.abs ?? path.resolve(ctx.cwd, display);
  return {
    abs,
    targets(ruleId, overlay) {
      const out: LintTarget[] = [];
      const seen = new Set<string>();
      for (const c of candidates) {
        seen.add(c.display);
        const file = overlay.get(c.display) ?? ctx.read(c);
        if (file) out.push({ file, kind: c.kind.kind, config: settings(c.abs, ruleId) });
      }
      const extra = new Set([...created, ...[...overlay.keys()].filter((p) => under(abs(p), top))]);
      for (const display of [...extra].sort(byCodeUnit)) {
        if (seen.has(display)) continue;
        const kind = classify(display);
        if (!kind) continue;
        let file = overlay.get(display);
        if (!file) {
          const c: Candidate = { abs: abs(display), real: abs(display), display, kind, root: top };
          file = ctx.read(c);
        }
        if (file) out.push({ file, kind: kind.kind, config: settings(abs(display), ruleId) });
      }
      return out;
    },
    write(outcome: FixOutcome) {
      // loaded with commit.ts, which only a --commit run loads
      return writeOutcome(top, outcome, (d) => byDisplay.get(d)?.real ?? abs(d), ctx, created);
    },
  };
}

let writeModule: typeof import('./write.js') | undefined;

/** Loads the writer before commitFixes runs (it is synchronous). */
export async function loadWriter(): Promise<void> {
  writeModule ??= await import('./write.js');
}

function writeOutcome(top: string, outcome: FixOutcome, target: (d: string) => string, ctx: FilesContext, created: Set<string>): import('./write.js').WriteFailure[] {
  if (!writeModule) throw new Error('loadWriter() first');
  const plan = [...outcome.output].map(([display, file]) => {
    const create = outcome.original.get(display) === undefined;
    if (create) created.add(display);
    return { target: target(display), bytes: file.encode(file.text), display, create };
  });
  return writeModule.writeAll(plan, { roots: [real(top)], leftovers: [...ctx.leftovers], env: ctx.env }).failures.filter((f) => f.level !== 'notice');
}
