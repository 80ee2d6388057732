/**
 * Atomic, all-or-nothing writes for `--fix` (DESIGN §7).
 *
 * Staging: every new content goes to a temp file in its target's folder (mode and owner kept),
 * and every file that is replaced gets a backup: a hard link to its current inode, so the old
 * bytes stay reachable by name at no cost. Commit: each temp file is renamed over its target
 * (a created file is hard-linked into place, so a file someone else created meanwhile is never
 * overwritten). Rollback, after a failure: each committed target gets its backup renamed back
 * over it (a created one is unlinked). Cleanup: backups and temp files are unlinked.
 *
 * Every step that changes the file system is a single rename, link or unlink of a whole file,
 * so a process killed at any point leaves each file byte-identical to its old or its new
 * version — never half-written, never missing. That promise is about process death (nothing is
 * fsync'd: a power cut is the file system's business) and holds per file; across files a kill
 * may leave some fixed and some not, and a rerun of `--fix` converges. What a killed run leaves
 * behind is named `.<name>.debarch-lint-<pid>-<n>.tmp`: discovery skips such names and the
 * next `--fix` removes those whose process is gone.
 *
 * Every path written must resolve (symlinks included) inside one of the linted roots; a symlink
 * is written through to its target there, and anything else is refused before anything is
 * written. A read-only file, or one this user may not write, is refused.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PlannedWrite {
  /** The path written: absolute; symlinks in it are resolved (and checked) here. */
  target: string;
  bytes: Uint8Array;
  /** Display path for messages. */
  display: string;
  /** True when the file is created by the fix. */
  create: boolean;
}

export interface WriteFailure {
  display: string;
  message: string;
  /** 'notice' for what does not stop the fixes (a leftover that would not go); else an error. */
  level?: 'notice';
}

export interface WriteOutcome {
  failures: WriteFailure[];
  /**
   * True when every planned file holds its new content (the plan was committed), even if a
   * backup or temp file could not be removed afterwards (a failure then says which).
   */
  committed: boolean;
}

export interface WriteOptions {
  /**
   * The linted roots (real paths): every target must resolve inside one of them. Undefined
   * skips the check (callers that built the plan from paths they chose themselves).
   */
  roots?: readonly string[];
  /** Temp files of earlier runs found by discovery: those of dead processes are removed first. */
  leftovers?: readonly string[];
  /** The environment, read only for the test-only seams (`DEBARCH_LINT_TEST_*`). */
  env?: Readonly<Record<string, string | undefined>>;
}

export { FIX_TEMP_PATTERN, isFixTemp } from './fix-temp.js';
import { FIX_TEMP_PATTERN } from './fix-temp.js';

let counter = 0;

/**
 * A temp name beside `target`. The name is cut short so that a long file name still leaves a
 * temp name under NAME_MAX (255 bytes); pid and counter keep it unique.
 */
function tempBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target).slice(0, 64)}.debarch-lint-${process.pid}-${counter++}.tmp`);
}

/**
 * The real roots `debarch-lint PATHS` lints, as discovery finds them: a folder itself, a file's
 * folder (symlinks resolved). Paths that do not exist are left out.
 */
export function lintedRoots(cwd: string, paths: readonly string[]): string[] {
  const roots: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    try {
      const dir = fs.lstatSync(abs).isDirectory() ? abs : path.dirname(abs);
      roots.push(fs.realpathSync(dir));
    } catch {
      /* discovery reports it */
    }
  }
  return roots;
}

/** True when the process that owns a leftover is gone (ESRCH); a live one, or one of another user (EPERM), is not. */
function processGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The leftovers (paths) whose process has exited: what the next `--fix` removes. */
export function deadLeftovers(leftovers: readonly string[]): string[] {
  return leftovers.filter((p) => {
    const m = FIX_TEMP_PATTERN.exec(path.basename(p));
    return m !== null && m[1] !== String(process.pid) && processGone(Number(m[1]));
  });
}

// ---------------------------------------------------------------------------------------------
// Steps and the test-only seams

type Phase = 'leftovers' | 'staging' | 'commit' | 'rollback' | 'cleanup';
type Op = 'mkdir' | 'open' | 'write' | 'chmod' | 'chown' | 'link' | 'copy' | 'rename' | 'unlink' | 'rmdir';

/** The codes `DEBARCH_LINT_TEST_FAIL_AT` can inject; `DIR` replaces the file with a folder first. */
const INJECTABLE = ['ENOSPC', 'EROFS', 'EACCES', 'EXDEV', 'EIO', 'DIR'] as const;
type Injectable = (typeof INJECTABLE)[number];

const ERRNO_TEXT: Record<Exclude<Injectable, 'DIR'>, string> = {
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EXDEV: 'cross-device link not permitted',
  EIO: 'i/o error',
};

/**
 * TEST ONLY. Hooks run before each file-system step of the writer, set from the environment:
 *   DEBARCH_LINT_TEST_KILL_AT=n        SIGKILL this process before its n-th step (1-based)
 *   DEBARCH_LINT_TEST_FAIL_AT=n:CODE,… make the n-th step fail with CODE (one of INJECTABLE);
 *                                      `n+:CODE` makes every step from the n-th on fail
 *   DEBARCH_LINT_TEST_STEPS=1|FILE     print each step to stderr (or append it to FILE), tab-separated:
 *                                      `debarch-lint: test step, n, phase, op, file fixed, path touched`
 * With none of them set there is no seam at all: each step is one null check.
 */
interface Seam {
  before(phase: Phase, op: Op, p: string, file: string): { half: boolean } | undefined;
}

function seamFromEnv(env: Readonly<Record<string, string | undefined>> | undefined): Seam | undefined {
  const killAt = env?.DEBARCH_LINT_TEST_KILL_AT;
  const failAt = env?.DEBARCH_LINT_TEST_FAIL_AT;
  const trace = env?.DEBARCH_LINT_TEST_STEPS;
  if (!killAt && !failAt && !trace) return undefined;
  const kill = killAt ? Number(killAt) : undefined;
  const faults: { at: number; onward: boolean; code: Injectable }[] = [];
  for (const spec of (failAt ?? '').split(',').filter(Boolean)) {
    const m = /^(\d+)(\+?):([A-Z]+)$/.exec(spec);
    if (!m || !(INJECTABLE as readonly string[]).includes(m[3] as string)) {
      throw new Error(`DEBARCH_LINT_TEST_FAIL_AT: '${spec}' is not n:CODE or n+:CODE (CODE: ${INJECTABLE.join(', ')})`);
    }
    faults.push({ at: Number(m[1]), onward: m[2] === '+', code: m[3] as Injectable });
  }
  let n = 0;
  return {
    before(phase, op, p, file) {
      n++;
      if (trace) {
        const line = `debarch-lint: test step\t${n}\t${phase}\t${op}\t${file}\t${p}\n`;
        // synchronous either way: a SIGKILL right after must not lose the line
        if (trace === '1') process.stderr.write(line);
        else fs.appendFileSync(trace, line);
      }
      if (kill === n) process.kill(process.pid, 'SIGKILL');
      const fault = faults.find((f) => f.at === n || (f.onward && n >= f.at));
      if (!fault) return undefined;
      if (fault.code === 'DIR') {
        // someone replaced the file with a folder: the real step then meets it
        try {
          if (!fs.lstatSync(file).isDirectory()) fs.unlinkSync(file);
        } catch {
          /* it was not there */
        }
        fs.mkdirSync(file, { recursive: true });
        return undefined;
      }
      // a full disk takes part of a write before it refuses the rest
      if (op === 'write' && fault.code === 'ENOSPC') return { half: true };
      const err = new Error(`${fault.code}: ${ERRNO_TEXT[fault.code]}, ${op} '${p}'`) as NodeJS.ErrnoException;
      err.code = fault.code;
      err.syscall = op;
      err.path = p;
      throw err;
    },
  };
}

/** Runs file-system steps through the seam, when there is one. */
class Steps {
  constructor(private readonly seam: Seam | undefined) {}

  do<T>(phase: Phase, op: Op, p: string, file: string, fn: () => T): T {
    if (this.seam) this.seam.before(phase, op, p, file);
    return fn();
  }

  /** The write step: all of `bytes` to `fd`; the seam may let half through before failing. */
  write(phase: Phase, fd: number, p: string, file: string, bytes: Uint8Array): void {
    if (this.seam && this.seam.before(phase, 'write', p, file)?.half) {
      fs.writeSync(fd, bytes, 0, bytes.length >> 1);
      const err = new Error(`ENOSPC: ${ERRNO_TEXT.ENOSPC}, write '${p}'`) as NodeJS.ErrnoException;
      err.code = 'ENOSPC';
      throw err;
    }
    for (let off = 0; off < bytes.length; ) off += fs.writeSync(fd, bytes, off, bytes.length - off);
  }
}

// ---------------------------------------------------------------------------------------------

/** Node's message already starts with the code ("EACCES: permission denied, open …"). */
function cause(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code && !err.message.startsWith(err.code) ? `${err.code}: ${err.message}` : err.message;
}

/** A path fit for a one-line message (a NUL byte would cut it short in a terminal). */
const printable = (s: string): string => s.replace(/\0/g, '\\0');

const exists = (p: string): boolean => {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where a planned target really is (its symlinks resolved: the file itself when it is one, or
 * its nearest existing folder), or why it may not be written: a NUL byte, a relative path, or a
 * place outside every linted root.
 */
function resolveTarget(target: string, roots: readonly string[] | undefined): { real: string } | { refused: string } {
  if (target.includes('\0')) return { refused: 'the path holds a NUL byte' };
  if (!path.isAbsolute(target)) return { refused: 'not an absolute path' };
  let existing = path.normalize(target);
  const rest: string[] = [];
  while (!exists(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  let real: string;
  try {
    real = path.join(fs.realpathSync(existing), ...rest);
  } catch (e) {
    return { refused: `cannot resolve the path: ${cause(e)}` };
  }
  if (roots === undefined) return { real };
  const inside = roots.some((r) => {
    const rel = path.relative(r, real);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  });
  if (!inside) {
    const where = real === path.normalize(target) ? 'it is' : `it resolves to ${real},`;
    return { refused: `a fix names this path, but ${where} outside the linted tree (${roots.join(', ') || 'no root'}); refused, nothing was written` };
  }
  return { real };
}

interface Staged {
  w: PlannedWrite;
  target: string;
  tmp?: string;
  /** The hard link (or copy) to the old content of a replaced file. */
  backup?: string;
  /** Folders created for this file, deepest last. */
  madeDirs: string[];
  committed: boolean;
}

/** Writes all or nothing (see the header). */
export function writeAll(plan: readonly PlannedWrite[], opts: WriteOptions = {}): WriteOutcome {
  const steps = new Steps(seamFromEnv(opts.env));
  const failures: WriteFailure[] = [];
  const notes: WriteFailure[] = [];

  // leftovers of killed runs: only those of processes that are gone (a live one may be writing)
  for (const p of deadLeftovers(opts.leftovers ?? [])) {
    try {
      steps.do('leftovers', 'unlink', p, p, () => unlinkIfThere(p));
    } catch (e) {
      notes.push({ display: printable(p), level: 'notice', message: `left by an interrupted --fix, and cannot be removed: ${cause(e)}` });
    }
  }

  // checks that change nothing: where each file is, and whether it may be written
  const staged: Staged[] = [];
  for (const w of plan) {
    const r = resolveTarget(w.target, opts.roots);
    if ('refused' in r) {
      failures.push({ display: printable(w.display), message: r.refused });
      continue;
    }
    const target = r.real;
    if (!w.create) {
      try {
        const st = fs.statSync(target);
        if (!st.isFile()) {
          failures.push({ display: w.display, message: 'not a regular file now; not fixed (nothing was written)' });
          continue;
        }
        if ((st.mode & 0o222) === 0) {
          failures.push({ display: w.display, message: 'file is read-only; not fixed (nothing was written)' });
          continue;
        }
        // the rename below needs only the folder to be writable: ask the kernel whether this
        // user may write the file itself, or --fix would replace a file it may not change
        try {
          fs.accessSync(target, fs.constants.W_OK);
        } catch {
          failures.push({ display: w.display, message: 'file is not writable by this user; not fixed (nothing was written)' });
          continue;
        }
      } catch (e) {
        failures.push({ display: w.display, message: `cannot read before writing: ${cause(e)}` });
        continue;
      }
    } else if (exists(target)) {
      failures.push({ display: w.display, message: 'a fix would create this file, but it exists; not fixed' });
      continue;
    }
    staged.push({ w, target, madeDirs: [], committed: false });
  }
  if (failures.length > 0) return { failures: [...notes, ...failures], committed: false };

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let failed: { s: Staged; what: string; e: unknown } | undefined;

  // staging: temp files with the new content, backups of the old
  for (const s of staged) {
    const { w, target } = s;
    try {
      const dir = path.dirname(target);
      if (!exists(dir)) {
        const first = steps.do('staging', 'mkdir', dir, target, () => fs.mkdirSync(dir, { recursive: true }));
        for (let d = dir; first !== undefined; d = path.dirname(d)) {
          s.madeDirs.unshift(d);
          if (d === first || path.dirname(d) === d) break;
        }
      }
      let mode = 0o644;
      let owner: { uid: number; gid: number } | undefined;
      if (!w.create) {
        const st = fs.statSync(target);
        mode = st.mode & 0o7777;
        owner = { uid: st.uid, gid: st.gid };
      }
      const tmp = tempBeside(target);
      const fd = steps.do('staging', 'open', tmp, target, () => fs.openSync(tmp, 'wx', mode));
      s.tmp = tmp;
      try {
        const st = fs.fstatSync(fd);
        // the umask may have taken bits the file had
        if ((st.mode & 0o7777) !== mode) steps.do('staging', 'chmod', tmp, target, () => fs.fchmodSync(fd, mode));
        // keep the owner when root fixes a user's tree (only root may give a file away)
        if (owner && isRoot && (st.uid !== owner.uid || st.gid !== owner.gid)) {
          const o = owner;
          steps.do('staging', 'chown', tmp, target, () => fs.fchownSync(fd, o.uid, o.gid));
        }
        steps.write('staging', fd, tmp, target, w.bytes);
      } finally {
        fs.closeSync(fd);
      }
      if (!w.create) {
        const backup = tempBeside(target);
        try {
          steps.do('staging', 'link', backup, target, () => fs.linkSync(target, backup));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // a file system without hard links: a copy, mode kept, renames back just as well
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
          steps.do('staging', 'copy', backup, target, () => fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL));
          s.backup = backup;
          steps.do('staging', 'chmod', backup, target, () => fs.chmodSync(backup, mode));
        }
        s.backup = backup;
      }
    } catch (e) {
      failed = { s, what: 'cannot write', e };
      break;
    }
  }

  // commit: every temp file over its target
  if (!failed) {
    for (const s of staged) {
      const tmp = s.tmp as string;
      try {
        if (s.w.create) {
          // a hard link fails if the target appeared meanwhile (a rename would replace it)
          try {
            steps.do('commit', 'link', s.target, s.target, () => fs.linkSync(tmp, s.target));
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'EEXIST') throw new Error('a fix would create this file, but it exists now');
            if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
            if (exists(s.target)) throw new Error('a fix would create this file, but it exists now');
            steps.do('commit', 'rename', tmp, s.target, () => fs.renameSync(tmp, s.target));
            s.tmp = undefined;
          }
        } else {
          steps.do('commit', 'rename', tmp, s.target, () => fs.renameSync(tmp, s.target));
          s.tmp = undefined;
        }
        s.committed = true;
      } catch (e) {
        failed = { s, what: 'cannot replace the file', e };
        break;
      }
    }
  }

  if (failed) {
    const rollback = rollBack(staged, steps);
    const others = rollback.length === 0 ? 'no other file was changed' : 'the rollback did not finish, see below';
    failures.push({ display: failed.s.w.display, message: `${failed.what}: ${cause(failed.e)}; not fixed, and ${others}` });
    failures.push(...rollback);
    return { failures: [...notes, ...failures], committed: false };
  }

  // cleanup: backups and the temp names of created files
  const undo: Undo[] = [];
  for (const s of staged) {
    for (const p of [s.backup, s.tmp]) {
      if (p === undefined) continue;
      undo.push({ display: s.w.display, run: () => steps.do('cleanup', 'unlink', p, s.target, () => unlinkIfThere(p)) });
    }
  }
  for (const f of retryOnce(undo)) {
    failures.push({ display: f.display, message: `fixed, but a temp file could not be removed: ${f.message}; the next --fix removes it` });
  }
  return { failures: [...notes, ...failures], committed: true };
}

function unlinkIfThere(p: string): void {
  try {
    fs.unlinkSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

interface Undo {
  display: string;
  run(): void;
}

/**
 * Runs every action in order, each tried a second time when it throws (a step undoing a write is
 * the last chance to keep a user's file, and folders go deepest first: worth a second try
 * before moving on). Returns the causes of those that failed twice.
 */
function retryOnce(actions: readonly Undo[]): WriteFailure[] {
  const lost: WriteFailure[] = [];
  for (const a of actions) {
    try {
      a.run();
    } catch {
      try {
        a.run();
      } catch (e) {
        lost.push({ display: a.display, message: cause(e) });
      }
    }
  }
  return lost;
}

/**
 * Puts every committed file back by renaming its backup over it (a created one is unlinked),
 * then removes the temp files, the unused backups and the folders made for created files.
 */
function rollBack(staged: readonly Staged[], steps: Steps): WriteFailure[] {
  const failures: WriteFailure[] = [];
  const restore: Undo[] = [];
  for (const s of [...staged].reverse()) {
    if (!s.committed) continue;
    const backup = s.backup;
    restore.push({
      display: s.w.display,
      run: () => {
        if (backup !== undefined) steps.do('rollback', 'rename', backup, s.target, () => fs.renameSync(backup, s.target));
        else steps.do('rollback', 'unlink', s.target, s.target, () => unlinkIfThere(s.target));
        s.committed = false;
        s.backup = undefined;
      },
    });
  }
  for (const f of retryOnce(restore)) {
    const s = staged.find((x) => x.w.display === f.display && x.committed);
    const what = s?.backup !== undefined
      ? `could not put the original back: ${f.message}; the file holds its fixed version, its original is kept as ${path.basename(s.backup)} beside it: rename it back`
      : `could not remove this created file again: ${f.message}; it holds its fixed version`;
    failures.push({ display: f.display, message: `rollback: ${what}` });
  }
  const remove: Undo[] = [];
  for (const s of staged) {
    // a backup whose file could not be put back is the only copy of the original: kept
    const paths = s.committed ? [s.tmp] : [s.tmp, s.backup];
    for (const p of paths) {
      if (p !== undefined) remove.push({ display: s.w.display, run: () => steps.do('rollback', 'unlink', p, s.target, () => unlinkIfThere(p)) });
    }
  }
  for (const f of retryOnce(remove)) {
    failures.push({ display: f.display, message: `rollback: a temp file could not be removed: ${f.message}; the next --fix removes it` });
  }
  // then the folders made for created files, once their temp files are gone
  const rmdirs: Undo[] = [];
  for (const s of staged) {
    if (s.committed) continue;
    for (const d of [...s.madeDirs].reverse()) {
      rmdirs.push({
        display: s.w.display,
        run: () => {
          try {
            steps.do('rollback', 'rmdir', d, s.target, () => fs.rmdirSync(d));
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            // another file of the plan made it too, or someone put a file in it: not ours alone
            if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
          }
        },
      });
    }
  }
  for (const f of retryOnce(rmdirs)) {
    failures.push({ display: f.display, message: `rollback: a folder made for this file could not be removed: ${f.message}` });
  }
  return failures;
}
