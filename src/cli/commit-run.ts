/**
 * `--fix --commit` / `--fix-dry-run --commit` (DESIGN §8): the projects of the run (a
 * workspace's, or the git repository the paths are in) handed to commitFixes, its messages and
 * diffs printed. Loaded only by a `--commit` run.
 */
import path from 'node:path';
import type { CliSettings } from '../config/index.js';
import { problemLines } from '../formatters/types.js';
import type { AnyRule, FileProblem } from '../types.js';
import { commitFixes } from './commit.js';
import { byCodeUnit, displayPath, type Candidate } from './discover.js';
import { gitToplevel } from './git.js';
import type { IO } from './io.js';
import type { Project, Workspace } from './workspace.js';
import { loadWriter, projectFiles, type FilesContext } from './workspace-run.js';

export interface CommitInput {
  workspace?: Workspace;
  /** Each project's discovered candidates (project undefined: not a workspace run). */
  projects: { project?: Project; files: Candidate[] }[];
  problems: FileProblem[];
  leftovers: readonly string[];
  configOf: FilesContext['configOf'];
  read: FilesContext['read'];
  version: string;
}

export async function commitCommand(
  io: IO,
  opts: { fixDryRun: boolean; fix: boolean; unsafe: boolean; signoff: boolean; noVerify: boolean; maxFileSize: number },
  rules: readonly AnyRule[],
  cli: CliSettings,
  input: CommitInput,
): Promise<number> {
  await loadWriter();
  const ctx: FilesContext = { cwd: io.cwd, rules, cli, maxFileSize: opts.maxFileSize, configOf: input.configOf, read: input.read, env: io.env, leftovers: input.leftovers };
  const problems = [...input.problems];
  const list: Parameters<typeof commitFixes>[0][number][] = [];
  for (const { project, files } of input.projects) {
    if (project) {
      list.push({ project: { top: project.path, display: project.relpath }, files: projectFiles(project.path, files, ctx) });
      continue;
    }
    // not a workspace: the files grouped by the git repository each is in
    const byTop = new Map<string, Candidate[]>();
    const tops = new Map<string, string | undefined>();
    for (const c of files) {
      const dir = path.dirname(c.abs);
      if (!tops.has(dir)) tops.set(dir, gitToplevel(dir));
      const top = tops.get(dir);
      if (!top) {
        problems.push({ path: c.display, level: 'error', message: '--commit: not in a git repository' });
        continue;
      }
      const l = byTop.get(top);
      if (l) l.push(c);
      else byTop.set(top, [c]);
    }
    for (const top of [...byTop.keys()].sort(byCodeUnit)) {
      list.push({ project: { top, display: displayPath(io.cwd, top) }, files: projectFiles(top, byTop.get(top) as Candidate[], ctx) });
    }
  }
  const result = commitFixes(list, rules, {
    unsafe: opts.unsafe,
    signoff: opts.signoff,
    noVerify: opts.noVerify,
    dryRun: !opts.fix,
    version: input.version,
    env: io.env,
  });
  problems.push(...result.problems);
  io.stdout.write(result.output);
  if (opts.fix) {
    const perProject = new Map<string, string[]>();
    for (const c of result.commits) {
      const l = perProject.get(c.project);
      if (l) l.push(`${c.id ?? ''} ${c.subject}`.trim());
      else perProject.set(c.project, [`${c.id ?? ''} ${c.subject}`.trim()]);
    }
    for (const [p, subjects] of perProject) io.stdout.write(`${p}: ${subjects.length} commit${subjects.length === 1 ? '' : 's'}\n${subjects.map((x) => `  ${x}\n`).join('')}`);
    if (result.commits.length === 0) io.stdout.write('nothing to commit\n');
  }
  for (const l of problemLines({ results: [], problems, crashes: [], rules })) io.stderr.write(`${l}\n`);
  return result.failed || problems.some((p) => p.level === 'error') ? 2 : 0;
}
