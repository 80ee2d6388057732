/**
 * `--fix --commit` (DESIGN §8): per project, one commit per rule, in rounds. Each rule that has
 * fixes (registry order) is applied alone — exactly `--fix --rule <id>` — to the tree the
 * previous commit left, and committed; rounds repeat until one commits nothing, since fixes
 * enable each other (control-architecture's makes hardcoded-arch's in `*.install` reachable).
 * Only the fixed paths are committed (`git commit --only`); hooks run as usual (Gerrit's
 * commit-msg adds the Change-Id; `--no-verify` skips them). A project where a file to fix has
 * uncommitted changes is skipped; a failing write or hook stops that project only (its earlier
 * commits stay). `--fix-dry-run --commit` prints each commit's message and `git apply`-able
 * diff and changes nothing. git runs as a child process with explicit arguments, never a shell.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fixProject, type FixOutcome } from '../engine/fix.js';
import type { LintTarget } from '../engine/lint.js';
import { lintProject } from '../engine/lint.js';
import { diff as diffFormatter } from '../formatters/diff.js';
import type { SourceFile } from '../source.js';
import type { AnyRule, FileProblem } from '../types.js';
import type { WriteFailure } from './write.js';

export interface CommitProject {
  /** Absolute path of the repository's top. */
  top: string;
  /** How messages name it (its path from the workspace top, or from the working directory). */
  display: string;
}

export interface CommitSettings {
  unsafe: boolean;
  signoff: boolean;
  noVerify: boolean;
  dryRun: boolean;
  version: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface ProjectFiles {
  /**
   * The project's lint targets as its files stand now — on disk, or for a dry run with the
   * texts of `overlay` in their place (files a fix created included) — configured to run only
   * `ruleId` (as `--rule <id>` does), or every enabled rule when undefined.
   */
  targets(ruleId: string | undefined, overlay: ReadonlyMap<string, SourceFile>): LintTarget[];
  /** Writes a fix outcome's files (atomic, all or nothing). */
  write(outcome: FixOutcome): WriteFailure[];
  /** The absolute path of a display path. */
  abs(display: string): string;
}

export interface MadeCommit {
  project: string;
  ruleId: string;
  subject: string;
  /** The commit id (undefined in a dry run). */
  id?: string;
}

export interface CommitResult {
  commits: MadeCommit[];
  /** Text to print on stdout: the dry run's messages and diffs. */
  output: string;
  /** Skipped projects, failed hooks and writes. */
  problems: FileProblem[];
  /** True when a project stopped on an error (exit 2). */
  failed: boolean;
}

/** At most this many rounds per project: fixes that keep enabling each other are a bug to report. */
const MAX_ROUNDS = 10;

function git(cwd: string, args: readonly string[], env: CommitSettings['env'], input?: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', ['-c', 'core.fsmonitor=false', ...args], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true' },
  });
  if (r.error) return { ok: false, out: '', err: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : r.error.message };
  return { ok: r.status === 0, out: r.stdout, err: `${r.stderr}`.trim() };
}

/** Whether git can name the committer here without guessing: user.email, or the environment. */
export function hasIdentity(top: string, env: CommitSettings['env']): boolean {
  const has = (k: string): boolean => (env[k] ?? process.env[k] ?? '') !== '';
  if (has('EMAIL') || (has('GIT_AUTHOR_EMAIL') && has('GIT_COMMITTER_EMAIL'))) return true;
  return git(top, ['config', 'user.email'], env).out.trim() !== '';
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : /(?:s|x|sh|ch)$/.test(w) ? 'es' : 's'}`;
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The commit message of one rule's fixes: subject, what changed per file, the trailer. */
export function commitMessage(rule: AnyRule, outcome: FixOutcome, perFile: ReadonlyMap<string, number>, descriptions: readonly string[], repoPath: (p: string) => string, version: string): string {
  const files = [...outcome.output.keys()].sort(byCodeUnit);
  const fixes = outcome.applied;
  const distinct = [...new Set(descriptions)];
  let what = distinct.length === 1 && fixes === 1 ? (distinct[0] as string) : `${plural(fixes, 'fix')} in ${plural(files.length, 'file')}`;
  const room = 72 - rule.id.length - 2;
  if (what.length > room) what = `${plural(fixes, 'fix')} in ${plural(files.length, 'file')}`;
  const lines = files.map((p) => {
    const n = perFile.get(p);
    return `- ${repoPath(p)}${outcome.original.get(p) === undefined ? ' (new)' : ''}${n ? `: ${plural(n, 'fix')}` : ''}`;
  });
  const kinds = distinct.slice(0, 8).map((d) => `- ${d}`);
  return [
    `${rule.id}: ${what}`,
    '',
    `${rule.description}`,
    '',
    `Applied by \`debarch-lint --fix${rule.fixable === 'suggest' ? ' --unsafe' : ''} --rule ${rule.id}\` (${plural(fixes, 'fix')}):`,
    ...kinds,
    ...(distinct.length > 8 ? [`- … and ${distinct.length - 8} more`] : []),
    '',
    'Files:',
    ...lines,
    '',
    `Generated-by: debarch-lint ${version}`,
    '',
  ].join('\n');
}

/** Commits (or, in a dry run, describes) every project's fixes, one commit per rule. */
export function commitFixes(
  projects: readonly { project: CommitProject; files: ProjectFiles }[],
  rules: readonly AnyRule[],
  settings: CommitSettings,
): CommitResult {
  const result: CommitResult = { commits: [], output: '', problems: [], failed: false };
  const note = (p: CommitProject, message: string, level: FileProblem['level'] = 'notice'): void => {
    result.problems.push({ path: p.display, level, message });
  };
  if (!settings.dryRun) {
    const anonymous = projects.filter(({ project }) => !hasIdentity(project.top, settings.env));
    if (anonymous.length > 0) {
      for (const { project } of anonymous) {
        note(project, 'git does not know who commits here: set user.email (git config user.email you@example.org) or EMAIL; nothing was written', 'error');
      }
      result.failed = true;
      return result;
    }
  }
  const fixing = rules.filter((r) => r.fixable === 'fix' || (settings.unsafe && r.fixable === 'suggest'));

  for (const { project, files } of projects) {
    const repoPath = (display: string): string => path.relative(project.top, files.abs(display)).split(path.sep).join('/');
    const overlay = new Map<string, SourceFile>();
    // the dry run's diffs apply in the project (`git apply` there): paths from its top
    const byRepoPath = <V>(m: ReadonlyMap<string, V>): Map<string, V> => new Map([...m].map(([k, v]) => [repoPath(k), v]));
    // a file to fix with uncommitted changes: the porter's work in progress is not ours to commit
    if (!settings.dryRun) {
      const all = fixProject(files.targets(undefined, overlay), rules, { unsafe: settings.unsafe });
      const paths = [...all.output.keys()].map(repoPath);
      if (paths.length === 0) continue;
      const status = git(project.top, ['-c', 'core.hooksPath=/dev/null', 'status', '--porcelain', '-z', '--untracked-files=all', '--', ...paths], settings.env);
      if (!status.ok) {
        note(project, `git status failed: ${status.err}; skipped`, 'error');
        result.failed = true;
        continue;
      }
      const dirty = status.out.split('\0').filter(Boolean).map((l) => l.slice(3));
      if (dirty.length > 0) {
        note(project, `skipped: ${dirty.length === 1 ? 'a file to fix has' : 'files to fix have'} uncommitted changes (${dirty.sort(byCodeUnit).join(', ')}); commit or stash them, then run again`);
        continue;
      }
    }
    let stopped = false;
    for (let round = 0; round < MAX_ROUNDS && !stopped; round++) {
      let committed = 0;
      // one lint with every rule says which rules have fixes now: only those are tried alone
      // (a fix that a commit of this round enables is found by the next round)
      const pending = new Set<string>();
      for (const r of lintProject(files.targets(undefined, overlay), rules)) {
        if (!r.fixable) continue;
        for (const f of r.findings) if (f.fix || (settings.unsafe && f.suggestions?.length)) pending.add(f.ruleId);
      }
      for (const rule of fixing) {
        if (!pending.has(rule.id)) continue;
        const targets = files.targets(rule.id, overlay);
        const before = lintProject(targets, rules);
        const perFile = new Map<string, number>();
        const descriptions: string[] = [];
        for (const r of before) {
          for (const f of r.findings) {
            const fix = f.ruleId === rule.id ? (f.fix ?? (settings.unsafe ? f.suggestions?.[0] : undefined)) : undefined;
            if (!fix || !r.fixable) continue;
            perFile.set(f.path, (perFile.get(f.path) ?? 0) + 1);
            descriptions.push(fix.description);
          }
        }
        if (descriptions.length === 0) continue;
        const outcome = fixProject(targets, rules, { unsafe: settings.unsafe });
        if (outcome.output.size === 0) continue;
        const message = commitMessage(rule, outcome, perFile, descriptions, repoPath, settings.version);
        const subject = message.split('\n')[0] as string;
        if (settings.dryRun) {
          result.output += `${project.display}: commit ${result.commits.filter((c) => c.project === project.display).length + 1}\n\n${message.replace(/^/gm, '    ').replace(/^ +$/gm, '')}\n`;
          result.output += diffFormatter({ results: [], problems: [], crashes: [], rules, fixes: { original: byRepoPath(outcome.original), output: byRepoPath(outcome.output) }, sources: new Map() }, { color: false });
          result.output += '\n';
          for (const [p, f] of outcome.output) overlay.set(p, f);
          result.commits.push({ project: project.display, ruleId: rule.id, subject });
          committed++;
          continue;
        }
        const failures = files.write(outcome);
        if (failures.length > 0) {
          for (const f of failures) result.problems.push({ path: f.display, level: 'error', message: f.message });
          note(project, `stopped at ${rule.id}: its fixes could not be written (earlier commits stay)`, 'error');
          result.failed = true;
          stopped = true;
          break;
        }
        const paths = [...outcome.output.keys()].sort(byCodeUnit).map(repoPath);
        const created = [...outcome.output.keys()].filter((p) => outcome.original.get(p) === undefined).map(repoPath);
        if (created.length > 0) {
          const add = git(project.top, ['add', '--', ...created], settings.env);
          if (!add.ok) {
            note(project, `stopped at ${rule.id}: git add failed: ${add.err}`, 'error');
            result.failed = true;
            stopped = true;
            break;
          }
        }
        const args = ['commit', '--only', '--quiet', '--cleanup=strip', '-F', '-'];
        if (settings.signoff) args.push('--signoff');
        if (settings.noVerify) args.push('--no-verify');
        const c = git(project.top, [...args, '--', ...paths], settings.env, message);
        if (!c.ok) {
          const said = `${c.err}\n${c.out}`.trim().split('\n').map((l) => `  > ${l}`).join('\n');
          note(project, `stopped at ${rule.id}: git commit failed (a hook refused it?); its changes stay uncommitted, earlier commits stay:\n${said}`, 'error');
          result.failed = true;
          stopped = true;
          break;
        }
        const id = git(project.top, ['rev-parse', '--short', 'HEAD'], settings.env).out.trim();
        result.commits.push({ project: project.display, ruleId: rule.id, subject, id });
        committed++;
      }
      if (committed === 0) break;
    }
  }
  return result;
}
