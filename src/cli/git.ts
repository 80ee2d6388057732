/**
 * The git the CLI runs: the repository top, and the diff of a change for `--changed-since`.
 * Nothing else in debarch-lint starts a process.
 */
import { spawnSync } from 'node:child_process';

export class GitError extends Error {}

/** Diffs of big trees run to megabytes; the limit only guards against runaway output. */
const MAX_OUTPUT = 1024 * 1024 * 1024;

/**
 * Commands a repository's own config (part of the linted tree) could make git run while it
 * reads: an fsmonitor hook, hooks; nothing from a linted tree is ever run (DESIGN §7).
 */
const INERT = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null'];

function git(cwd: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', [...INERT, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
    // a pager or a prompt would hang a CI job; no index refresh written behind the user's back
    env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
  });
  if (r.error) return { ok: false, out: '', err: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : r.error.message };
  return { ok: r.status === 0, out: r.stdout, err: r.stderr.trim() };
}

/**
 * `-c` options that empty the filter drivers (clean, smudge, process) the repository's own
 * config defines: git would run them on work-tree files while diffing. The user's global and
 * system drivers (git-lfs) are theirs and stay.
 */
function repositoryFiltersOff(top: string): string[] {
  const r = git(top, ['config', '--includes', '--show-scope', '--name-only', '--get-regexp', '^filter\\.']);
  const out: string[] = [];
  for (const line of r.ok ? r.out.split('\n') : []) {
    const [scope, key] = line.split('\t');
    if (scope === 'global' || scope === 'system' || !key) continue;
    const m = /^(filter\..+)\.(clean|smudge|process|required)$/i.exec(key);
    if (m) out.push('-c', `${m[1]}.${(m[2] as string).toLowerCase()}=${m[2]?.toLowerCase() === 'required' ? 'false' : ''}`);
  }
  return out;
}

/** The top of the work tree `cwd` is in, or undefined outside git (or without git). */
export function gitToplevel(cwd: string): string | undefined {
  const r = git(cwd, ['rev-parse', '--show-toplevel']);
  return r.ok ? r.out.replace(/\n$/, '') : undefined;
}

export interface ChangeDiff {
  /** Absolute path of the work tree's top: the diff's paths are relative to it. */
  top: string;
  /** The commit the change is measured from: the merge base of REV and HEAD. */
  base: string;
  /** `git diff` of the work tree (committed, staged and unstaged changes) against `base`. */
  diff: string;
  /** Files git does not track yet and does not ignore: new in the change once added. */
  untracked: string[];
}

/**
 * What a change touched since REV, merge-base semantics (like `git diff REV...`): the work tree,
 * uncommitted edits included, against the merge base of REV and HEAD. The lines debarch-lint
 * reports on are those of the work tree it reads, so the diff must end there too.
 */
export function changedSince(cwd: string, rev: string): ChangeDiff {
  const top = gitToplevel(cwd);
  if (!top) throw new GitError(`--changed-since: ${cwd} is not inside a git work tree`);
  if (rev.startsWith('-')) throw new GitError(`--changed-since: '${rev}' is not a revision`);
  const base = git(top, ['merge-base', rev, 'HEAD']);
  if (!base.ok) {
    throw new GitError(
      `--changed-since ${rev}: no merge base with HEAD (${base.err || 'unknown revision or no common history'}); ` +
        'in a shallow clone, fetch more history (e.g. actions/checkout fetch-depth: 0)',
    );
  }
  const sha = base.out.trim();
  const diff = git(top, [
    ...repositoryFiltersOff(top),
    '-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', '-M', sha, '--',
  ]);
  if (!diff.ok) throw new GitError(`--changed-since ${rev}: git diff failed: ${diff.err}`);
  const others = git(top, ['ls-files', '-z', '--others', '--exclude-standard']);
  if (!others.ok) throw new GitError(`--changed-since ${rev}: git ls-files failed: ${others.err}`);
  return { top, base: sha, diff: diff.out, untracked: others.out.split('\0').filter(Boolean) };
}
