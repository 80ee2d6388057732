/**
 * kill -9 during `--fix` (DESIGN §7, issue 11): the built CLI is killed before each file-system
 * step of its writer in turn (the test-only seam DEBARCH_LINT_TEST_KILL_AT), during staging,
 * commit, cleanup and a rollback, and at random times. After every kill each file is
 * byte-identical to its old or its new version, and a rerun of `--fix` gives exactly the tree an
 * uninterrupted run gives, with the killed run's temp files removed.
 *
 * The sweep spawns one process per step, so its size is a trade: by default the run writes
 * KILL_FILES make files plus a created twin list (every step of it is tried);
 * DEBARCH_LINT_KILL_FILES=200 runs the same sweep on a run of a few hundred files (minutes).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { FIX_TEMP_PATTERN } from '../src/cli/write.js';
import { seededRandom } from '../scripts/seams.js';
import { FIXTURES, ROOT, builtCli, readTree, stepsOf, tempDir, writeTree, type Step } from './helpers.js';

const KILL_FILES = Number(process.env.DEBARCH_LINT_KILL_FILES ?? 12);
const RANDOM_KILLS = 12;
const SEED = Number(process.env.DEBARCH_LINT_KILL_SEED ?? 20261201);

const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const BIN = path.join(ROOT, 'dist', 'src', 'cli', 'bin.js');


const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});


const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
const ARGS = [BIN, '--fix', '--format', 'gcc', '.'];

function cliSync(cwd: string, env: Record<string, string>): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ARGS, { cwd, env: { ...ENV, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('--fix killed with SIGKILL', () => {
  /** The tree before --fix, and after an uninterrupted --fix. */
  let before: Map<string, Buffer>;
  let after: Map<string, Buffer>;
  let template: string;
  let steps: Step[];
  let plainCode: number | null;

  beforeAll(() => {
    builtCli();
    template = tempDir('debarch-lint-kill-');
    dirs.push(template);
    const files: Record<string, string> = {};
    for (let i = 0; i < KILL_FILES; i++) files[`pkg${String(i).padStart(3, '0')}/debian/rules`] = RULES_TEXT;
    // a list whose x86-only entries make --fix create its _arm64 twin (a cross-file fix)
    files['kernel/debian_pkg_dirs'] = fs.readFileSync(path.join(FIXTURES, 'arch-only-list-entry/twin-created/in/kernel/debian_pkg_dirs'), 'utf8');
    // files nothing is fixed in, which must come through untouched
    for (let i = 0; i < 20; i++) files[`clean${i}/Makefile`] = 'all:\n\techo hello\n';
    writeTree(template, files);
    fs.chmodSync(path.join(template, 'pkg000/debian/rules'), 0o755);
    before = readTree(template);

    const once = tempDir('debarch-lint-kill-once-');
    dirs.push(once);
    fs.cpSync(template, once, { recursive: true });
    const r = cliSync(once, { DEBARCH_LINT_TEST_STEPS: '1' });
    plainCode = r.code;
    after = readTree(once);
    steps = stepsOf(r.stderr);
  }, 600_000);

  /** A fresh copy of the tree before --fix. */
  const fresh = (): string => {
    const work = tempDir('debarch-lint-kill-work-');
    fs.cpSync(template, work, { recursive: true });
    return work;
  };

  /** Every file old or new, nothing else but temp files; returns the temp files found. */
  const checkKilled = (work: string, label: string): string[] => {
    const now = readTree(work);
    const temps: string[] = [];
    for (const [p, b] of now) {
      const old = before.get(p);
      const fixed = after.get(p);
      if (old === undefined && fixed === undefined) {
        if (!FIX_TEMP_PATTERN.test(path.posix.basename(p))) throw new Error(`${label}: unexpected file ${p}`);
        temps.push(p);
        continue;
      }
      if (!(old?.equals(b) || fixed?.equals(b))) throw new Error(`${label}: ${p} is neither its old nor its new version`);
    }
    for (const p of before.keys()) if (!now.has(p)) throw new Error(`${label}: ${p} is missing`);
    return temps;
  };

  /** A rerun of --fix (in-process) gives exactly the uninterrupted run's tree, temp files gone. */
  const checkRerun = async (work: string, label: string): Promise<void> => {
    const io = memoryIO(work);
    await run(['--fix', '--format', 'gcc', '.'], io);
    const now = readTree(work);
    const diff = [...new Set([...now.keys(), ...after.keys()])].filter((p) => !now.get(p)?.equals(after.get(p) ?? Buffer.alloc(0)) || !after.has(p));
    if (diff.length) throw new Error(`${label}: the rerun differs from an uninterrupted run in ${diff.slice(0, 5).join(', ')}\n${io.err()}`);
    expect(fs.statSync(path.join(work, 'pkg000/debian/rules')).mode & 0o777).toBe(0o755);
  };

  /**
   * Runs the CLI on a fresh copy for each env, a few at a time (most of a run is Node starting),
   * then checks the killed tree and a rerun, and removes the copy.
   */
  const killAll = async (
    envs: readonly Record<string, string>[],
    check: (i: number, r: { signal: NodeJS.Signals | null; code: number | null; stderr: string }, work: string) => Promise<void>,
    killAfter?: (i: number) => number,
  ): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < envs.length; i = next++) {
        const work = fresh();
        const child = spawn(process.execPath, ARGS, { cwd: work, env: { ...ENV, ...envs[i] } });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
        child.stdout.resume();
        const delay = killAfter?.(i);
        const timer = delay === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), delay);
        const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, sig) => resolve([c, sig])));
        clearTimeout(timer);
        try {
          await check(i, { code, signal, stderr }, work);
        } finally {
          fs.rmSync(work, { recursive: true, force: true });
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  };

  it('an uninterrupted run writes every file once: staging, commit, cleanup', () => {
    // the findings --fix prints are those of the written tree: none left
    expect(plainCode).toBe(0);
    const written = [...after.keys()].filter((p) => !before.get(p)?.equals(after.get(p) as Buffer));
    // every make file, and the twin list created beside the generic one
    expect(written.length).toBe(KILL_FILES + 1);
    expect(written).toContain('kernel/debian_pkg_dirs_arm64');
    expect([...after.keys()].some((p) => FIX_TEMP_PATTERN.test(path.posix.basename(p)))).toBe(false);
    const phases = new Set(steps.map((s) => s.phase));
    expect([...phases]).toEqual(['staging', 'commit', 'cleanup']);
    // five steps per replaced file (open, write, backup link, rename, unlink), four per created
    // one, and a chmod for each temp file a strict umask made narrower than its file
    expect(steps.filter((s) => s.op !== 'chmod').length).toBe(KILL_FILES * 5 + 4);
  });

  it('killed before each step in turn: every file old or new, and a rerun converges', async () => {
    const byPhase: Record<string, number> = {};
    let withTemps = 0;
    await killAll(
      steps.map((s) => ({ DEBARCH_LINT_TEST_KILL_AT: String(s.n) })),
      async (i, r, work) => {
        const s = steps[i] as Step;
        expect(r.signal, `step ${s.n}`).toBe('SIGKILL');
        const temps = checkKilled(work, `kill before step ${s.n} (${s.phase} ${s.op})`);
        if (temps.length) withTemps++;
        if (s.n % 25 === 1 && temps.length) {
          // a plain lint skips them and says what they are
          const io = memoryIO(work);
          await run(['--format', 'gcc', '.'], io);
          expect(io.out()).not.toContain('.debarch-lint-');
          expect(io.err()).toContain('left by an interrupted --fix (its process is gone); the next --fix removes it');
        }
        await checkRerun(work, `kill before step ${s.n}`);
        byPhase[s.phase] = (byPhase[s.phase] ?? 0) + 1;
      },
    );
    process.stdout.write(`kill sweep: ${steps.length} steps, kills by phase ${JSON.stringify(byPhase)}, ${withTemps} left temp files\n`);
    expect(Object.values(byPhase).reduce((a, b) => a + b, 0)).toBe(steps.length);
  }, 3_600_000);

  it('killed before each step of a rollback (a rename that fails at the last commit)', async () => {
    const lastCommit = steps.filter((s) => s.phase === 'commit').at(-1) as Step;
    const work = fresh();
    dirs.push(work);
    const failing = cliSync(work, { DEBARCH_LINT_TEST_FAIL_AT: `${lastCommit.n}:EIO`, DEBARCH_LINT_TEST_STEPS: '1' });
    expect(failing.code).toBe(2);
    expect(failing.stderr).toContain('EIO');
    expect(readTree(work)).toEqual(before);
    const rollback = stepsOf(failing.stderr).filter((s) => s.phase === 'rollback');
    // every committed file put back, every temp and backup removed
    expect(rollback.length).toBeGreaterThan(KILL_FILES);
    await killAll(
      rollback.map((s) => ({ DEBARCH_LINT_TEST_FAIL_AT: `${lastCommit.n}:EIO`, DEBARCH_LINT_TEST_KILL_AT: String(s.n) })),
      async (i, r, w) => {
        const s = rollback[i] as Step;
        expect(r.signal, `step ${s.n}`).toBe('SIGKILL');
        checkKilled(w, `kill in rollback before step ${s.n} (${s.op})`);
        await checkRerun(w, `kill in rollback before step ${s.n}`);
      },
    );
    process.stdout.write(`kill sweep: ${rollback.length} kills during a rollback\n`);
  }, 3_600_000);

  it('killed at random times: every file old or new, and a rerun converges', async () => {
    const rnd = seededRandom(SEED);
    // how long a run takes here and now, so the delays spread over all of it
    const work = fresh();
    dirs.push(work);
    const t0 = performance.now();
    cliSync(work, {});
    const span = performance.now() - t0;
    const delays = Array.from({ length: RANDOM_KILLS }, () => Math.floor(rnd() * span * 1.1));
    let inWrite = 0;
    await killAll(
      delays.map(() => ({ DEBARCH_LINT_TEST_STEPS: '1' })),
      async (i, r, w) => {
        const done = stepsOf(r.stderr).length;
        if (r.signal === 'SIGKILL' && done > 0 && done < steps.length) inWrite++;
        const label = `random kill ${i} after ${delays[i]} ms (seed ${SEED}; ${done} steps done, exit ${r.code ?? r.signal})`;
        checkKilled(w, label);
        await checkRerun(w, label);
      },
      (i) => delays[i] as number,
    );
    process.stdout.write(`random kills: ${RANDOM_KILLS} (seed ${SEED}), ${inWrite} inside the write phase\n`);
  }, 3_600_000);
});
