/**
 * Atomic, all-or-nothing writes for `--fix`: every new content goes to a temp file in the
 * target's folder first (mode kept); only when all are written are they renamed over their
 * targets, and a failed rename rolls the earlier ones back. A read-only file, or one this user
 * may not write, is refused; owner and mode are kept.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PlannedWrite {
  /** The real path written (symlinks already resolved). */
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
}

let counter = 0;

/**
 * Puts a staged temp file in place as a NEW file: a hard link fails if the target appeared
 * meanwhile (a rename would replace it), so a file someone else created is never overwritten.
 * Where hard links are not supported, a rename after a last check.
 */
function createFrom(tmp: string, target: string): void {
  try {
    fs.linkSync(tmp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error('a fix would create this file, but it exists now');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw e;
    if (fs.existsSync(target)) throw new Error('a fix would create this file, but it exists now');
    fs.renameSync(tmp, target);
    return;
  }
  fs.rmSync(tmp, { force: true });
}

/** Writes all or nothing. Returns the failures (empty when everything was written). */
export function writeAll(plan: readonly PlannedWrite[]): WriteFailure[] {
  const failures: WriteFailure[] = [];
  const staged: { w: PlannedWrite; tmp: string; backup?: Uint8Array }[] = [];
  for (const w of plan) {
    let mode = 0o644;
    let owner: { uid: number; gid: number } | undefined;
    let backup: Uint8Array | undefined;
    if (!w.create) {
      try {
        const st = fs.statSync(w.target);
        mode = st.mode & 0o7777;
        owner = { uid: st.uid, gid: st.gid };
        if ((mode & 0o222) === 0) {
          failures.push({ display: w.display, message: 'file is read-only; not fixed (nothing was written)' });
          continue;
        }
        // the rename below needs only the folder to be writable: ask the kernel whether this
        // user may write the file itself, or --fix would replace a file it may not change
        try {
          fs.accessSync(w.target, fs.constants.W_OK);
        } catch {
          failures.push({ display: w.display, message: 'file is not writable by this user; not fixed (nothing was written)' });
          continue;
        }
        backup = fs.readFileSync(w.target);
      } catch (e) {
        failures.push({ display: w.display, message: `cannot read before writing: ${(e as Error).message}` });
        continue;
      }
    } else if (fs.existsSync(w.target)) {
      failures.push({ display: w.display, message: 'a fix would create this file, but it exists; not fixed' });
      continue;
    }
    // the name is cut short so that a long file name still leaves a temp name under NAME_MAX
    // (255 bytes); pid and counter keep it unique
    const tmp = path.join(path.dirname(w.target), `.${path.basename(w.target).slice(0, 64)}.debarch-lint-${process.pid}-${counter++}.tmp`);
    try {
      fs.mkdirSync(path.dirname(w.target), { recursive: true });
      fs.writeFileSync(tmp, w.bytes, { mode, flag: 'wx' });
      fs.chmodSync(tmp, mode);
      // keep the owner when root fixes a user's tree (only root may give a file away)
      if (owner && typeof process.getuid === 'function' && process.getuid() === 0) fs.chownSync(tmp, owner.uid, owner.gid);
      staged.push({ w, tmp, backup });
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* nothing to clean */
      }
      failures.push({ display: w.display, message: `cannot write: ${(e as Error).message}` });
    }
  }
  if (failures.length > 0) {
    for (const s of staged) fs.rmSync(s.tmp, { force: true });
    return failures;
  }
  const done: typeof staged = [];
  for (const s of staged) {
    try {
      if (s.w.create) createFrom(s.tmp, s.w.target);
      else fs.renameSync(s.tmp, s.w.target);
      done.push(s);
    } catch (e) {
      failures.push({ display: s.w.display, message: `cannot replace the file: ${(e as Error).message}; earlier writes rolled back` });
      for (const r of staged) fs.rmSync(r.tmp, { force: true });
      for (const d of done) {
        if (d.backup) fs.writeFileSync(d.w.target, d.backup);
        else fs.rmSync(d.w.target, { force: true });
      }
      break;
    }
  }
  return failures;
}
