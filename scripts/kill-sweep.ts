/**
 * kill -9 during `--fix`, swept (DESIGN §7, issue 11 item 3): `npm run test:kill`, run by CI.
 *
 *   node dist/scripts/kill-sweep.js [--rules N] [--packages N] [--twins N] [--random N]
 *                                   [--seed S] [--parallel P] [--every K] [--bin CLI] [--tmp DIR] [--keep]
 *
 * One generated tree whose `--fix` writes ~200 files (by default): N make files (`debian/rules`,
 * replaced), N packages whose control leaves arm64 out while their `.install` file names the x86
 * multiarch folder (the control fix makes the install file fixable in a later pass of the same
 * run: both replaced), N `debian_pkg_dirs` lists whose x86-only entries make `--fix` create an
 * `_arm64` twin (a cross-file fix: a created file), and files nothing is fixed in. One
 * uninterrupted `--fix` of a copy is the reference; its writer's steps are listed through the
 * test-only seam DEBARCH_LINT_TEST_STEPS. Then, each on a fresh copy, the built CLI (the bundle,
 * `--jobs 1`) is killed by the seam DEBARCH_LINT_TEST_KILL_AT=n:
 *  - before every step n of the run (staging, commit, cleanup);
 *  - during a rollback (DEBARCH_LINT_TEST_FAIL_AT makes a commit rename fail midway): before
 *    every step that puts a file back (a rename of its backup, the removal of a created file)
 *    and every 8th removal of a temp or backup file (two per staged file, all alike);
 *  - before every step of the removal of a killed run's leftovers by the next `--fix` (which
 *    must leave a live process's temp file alone);
 *  - at random times (seeded, replayable; default `--jobs`), counting those inside the writer.
 * After each kill: every file is byte-identical (mode too) to its old or its new version (a
 * created file: absent or new), nothing else is there but temp files named by the pid of the
 * killed process; then a plain `--fix` rerun must give exactly the reference tree (no temp file
 * left), print the reference's findings and exit with its code.
 *
 * It prints one summary line (files written, steps, kills per phase, reruns checked, failures)
 * and exits 1 on any violation (the first few are printed, their trees kept), 2 on a usage error.
 * Size: every kill costs two CLI runs (~1 s of CPU); the defaults (~1,100 kills) take ~8 min on
 * two idle cores. `--every K` kills before every K-th step only (a quick look).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FIX_TEMP_PATTERN } from '../src/cli/fix-temp.js';
import { seededRandom, stepsOf, type Step } from './seams.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(ROOT, 'fixtures');

const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const CONTROL_TEXT = (pkg: string): string =>
  `Source: ${pkg}\nSection: libs\nPriority: optional\nMaintainer: A <a@example.com>\nBuild-Depends: debhelper-compat (= 13)\n\n` +
  `Package: ${pkg}\nArchitecture: amd64\nDescription: a library\n ${pkg} does things.\n`;
const INSTALL_TEXT = (pkg: string): string => `usr/lib/x86_64-linux-gnu/${pkg}.so.*\n`;

interface Entry {
  bytes: Buffer;
  mode: number;
}
type Tree = Map<string, Entry>;

/** Every file under `dir` (relative POSIX paths) with its bytes and permission bits. */
function readTree(dir: string): Tree {
  const out: Tree = new Map();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), { bytes: fs.readFileSync(abs), mode: fs.lstatSync(abs).mode & 0o7777 });
    }
  };
  walk(dir);
  return out;
}

const same = (a: Entry | undefined, b: Entry | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.mode === b.mode && a.bytes.equals(b.bytes);

/** Rewrites `work` to hold exactly `base`; false when it does not after all. */
function restore(work: string, base: Tree): boolean {
  const now = readTree(work);
  for (const p of now.keys()) if (!base.has(p)) fs.unlinkSync(path.join(work, p));
  for (const [p, e] of base) {
    const abs = path.join(work, p);
    const cur = now.get(p);
    if (cur === undefined) fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (cur === undefined || !cur.bytes.equals(e.bytes)) fs.writeFileSync(abs, e.bytes);
    if (cur === undefined || cur.mode !== e.mode) fs.chmodSync(abs, e.mode);
  }
  const again = readTree(work);
  return again.size === base.size && [...base].every(([p, e]) => same(e, again.get(p)));
}

/**
 * Where the work trees go: TMPDIR when set, else /dev/shm when it is a writable folder (a kill
 * costs two CLI runs and their writes: on a disk the file system's own time is a third of it,
 * and what is tested — rename, link and unlink against process death — is the same in memory),
 * else the system's temp folder.
 */
function scratchRoot(): string {
  if (process.env.TMPDIR) return os.tmpdir();
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    if (fs.statSync('/dev/shm').isDirectory()) return '/dev/shm';
  } catch {
    /* not there */
  }
  return os.tmpdir();
}

interface RunResult {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const BASE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };

/** Runs the CLI in `cwd`; `killAfter` ms SIGKILLs it from outside. */
function runCli(bin: string, cwd: string, args: readonly string[], env: Record<string, string>, killAfter?: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...BASE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const timers = [setTimeout(() => child.kill('SIGKILL'), 300_000)];
    if (killAfter !== undefined) timers.push(setTimeout(() => child.kill('SIGKILL'), killAfter));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      resolve({ pid: child.pid, code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

function usage(message: string): never {
  process.stderr.write(`kill-sweep: ${message}\nusage: node dist/scripts/kill-sweep.js [--rules N] [--packages N] [--twins N] [--random N] [--seed S] [--parallel P] [--every K] [--bin CLI] [--tmp DIR] [--keep]\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rules: { type: 'string', default: '150' },
        packages: { type: 'string', default: '25' },
        twins: { type: 'string', default: '3' },
        random: { type: 'string', default: '24' },
        seed: { type: 'string', default: '20261201' },
        parallel: { type: 'string', default: '2' },
        every: { type: 'string', default: '1' },
        bin: { type: 'string', default: path.join(ROOT, 'dist', 'src', 'cli', 'bin.mjs') },
        keep: { type: 'boolean', default: false },
        tmp: { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  const num = (name: keyof typeof values, min: number): number => {
    const v = Number(values[name]);
    if (!Number.isSafeInteger(v) || v < min) usage(`--${name} must be an integer ≥ ${min}`);
    return v;
  };
  const nRules = num('rules', 0);
  const nPackages = num('packages', 0);
  const nTwins = num('twins', 0);
  const nRandom = num('random', 0);
  const seed = num('seed', 0);
  const parallel = num('parallel', 1);
  const every = num('every', 1);
  const bin = path.resolve(values.bin as string);
  if (!fs.existsSync(bin)) usage(`${bin} is missing: npm run build first`);
  const t0 = performance.now();

  const scratch = fs.mkdtempSync(path.join(values.tmp ?? scratchRoot(), 'debarch-lint-kill-sweep-'));
  let works = 0;
  const freshDir = (): string => {
    const d = path.join(scratch, `w${works++}`);
    fs.mkdirSync(d);
    return d;
  };

  // the tree before --fix
  const template = freshDir();
  const files: Record<string, string> = {};
  for (let i = 0; i < nRules; i++) files[`pkg${String(i).padStart(3, '0')}/debian/rules`] = RULES_TEXT;
  for (let i = 0; i < nPackages; i++) {
    const pkg = `lib${String(i).padStart(3, '0')}`;
    files[`${pkg}/debian/control`] = CONTROL_TEXT(pkg);
    files[`${pkg}/debian/${pkg}.install`] = INSTALL_TEXT(pkg);
  }
  const twinList = fs.readFileSync(path.join(FIXTURES, 'arch-only-list-entry/twin-created/in/kernel/debian_pkg_dirs'), 'utf8');
  for (let i = 0; i < nTwins; i++) files[`kernel${i}/debian_pkg_dirs`] = twinList;
  for (let i = 0; i < 20; i++) files[`clean${i}/Makefile`] = 'all:\n\techo hello\n';
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(template, rel)), { recursive: true });
    fs.writeFileSync(path.join(template, rel), text);
  }
  // modes the writer must keep: an executable rules file, a group-writable one
  for (const [rel, mode] of [['pkg000/debian/rules', 0o755], ['pkg001/debian/rules', 0o664]] as const) {
    if (files[rel] !== undefined) fs.chmodSync(path.join(template, rel), mode);
  }
  const before = readTree(template);
  /**
   * A work dir holding the tree of `from`. Most of a kill's file-system time would go to copying
   * and removing trees, so a finished work dir is reused: only the files that differ from
   * `from` are rewritten (or removed), and the result is checked.
   */
  const trees = new Map<string, Tree>([[template, before]]);
  const spare = new Map<string, string[]>();
  const baseOf = new Map<string, string>();
  const fresh = (from = template): string => {
    const base = trees.get(from) ?? readTree(from);
    trees.set(from, base);
    const reuse = spare.get(from)?.pop();
    if (reuse !== undefined && restore(reuse, base)) return reuse;
    if (reuse !== undefined) fs.rmSync(reuse, { recursive: true, force: true });
    const d = freshDir();
    fs.cpSync(from, d, { recursive: true });
    baseOf.set(d, from);
    return d;
  };

  /** Of a rollback's removals of temp and backup files, the sweep kills before every this-many-th. */
  const RUBBISH_EVERY = 8;
  const ARGS = ['--jobs', '1', '--fix', '--format', 'gcc', '.'];
  const failures: string[] = [];
  const kept: string[] = [];
  const fail = (label: string, message: string, work?: string): void => {
    failures.push(`${label}: ${message}`);
    if (failures.length <= 5) process.stderr.write(`kill-sweep: FAIL ${label}: ${message}${work ? ` (tree kept: ${work})` : ''}\n`);
    if (work && kept.length < 5) kept.push(work);
  };

  // the uninterrupted reference run, and its steps
  const refDir = fresh();
  const ref = await runCli(bin, refDir, ARGS, { DEBARCH_LINT_TEST_STEPS: '1' });
  const after = readTree(refDir);
  const steps = stepsOf(ref.stderr);
  const refStderr = ref.stderr.split('\n').filter((l) => l && !l.startsWith('debarch-lint: test step')).join('\n');
  const written = [...after.keys()].filter((p) => !same(before.get(p), after.get(p)));
  const created = written.filter((p) => !before.has(p));
  {
    const problems: string[] = [];
    if (ref.code !== 0 && ref.code !== 1) problems.push(`exit ${ref.code ?? ref.signal}: ${refStderr}`);
    if (refStderr) problems.push(`stderr: ${refStderr}`);
    const expected = nRules + 2 * nPackages + nTwins;
    if (written.length !== expected) problems.push(`${written.length} files written, expected ${expected}`);
    if (created.length !== nTwins || !created.every((p) => p.endsWith('/debian_pkg_dirs_arm64'))) problems.push(`created ${created.join(', ') || 'nothing'}, expected ${nTwins} _arm64 twins`);
    // the control fix makes the install file fixable: both fixed in the one run
    for (let i = 0; i < nPackages; i++) {
      const pkg = `lib${String(i).padStart(3, '0')}`;
      if (after.get(`${pkg}/debian/${pkg}.install`)?.bytes.toString() !== `usr/lib/\${DEB_HOST_MULTIARCH}/${pkg}.so.*\n`) problems.push(`${pkg}.install not fixed in the same run`);
    }
    for (const rel of after.keys()) if (FIX_TEMP_PATTERN.test(path.posix.basename(rel))) problems.push(`temp file left: ${rel}`);
    for (const [rel, mode] of [['pkg000/debian/rules', 0o755], ['pkg001/debian/rules', 0o664]] as const) {
      const e = after.get(rel);
      if (e && e.mode !== mode) problems.push(`${rel}: mode ${e.mode.toString(8)}, was ${mode.toString(8)}`);
    }
    const phases = [...new Set(steps.map((s) => s.phase))].join(',');
    if (phases !== 'staging,commit,cleanup') problems.push(`phases ${phases}`);
    // the reference is a fixed point: a second --fix writes nothing
    const again = await runCli(bin, refDir, ARGS, {});
    const tree2 = readTree(refDir);
    if (again.stdout !== ref.stdout || tree2.size !== after.size || [...after].some(([p, e]) => !same(e, tree2.get(p)))) problems.push('a second --fix changed the tree or its output');
    if (problems.length) {
      for (const p of problems) process.stderr.write(`kill-sweep: the uninterrupted run is not what the sweep needs: ${p}\n`);
      process.stderr.write(`kill-sweep: tree kept: ${refDir}\n`);
      return 1;
    }
  }

  const kills: Record<string, number> = {};
  let reruns = 0;
  let withTemps = 0;

  /**
   * The tree after a kill: each file old or new (a created one absent or new), nothing else but
   * temp files of the killed runs `pids`. Returns the number of temp files, or undefined after a failure.
   */
  const checkKilled = (work: string, label: string, pids: readonly (number | undefined)[]): number | undefined => {
    const now = readTree(work);
    let temps = 0;
    for (const [p, e] of now) {
      const old = before.get(p);
      const fixed = after.get(p);
      if (old === undefined && fixed === undefined) {
        const m = FIX_TEMP_PATTERN.exec(path.posix.basename(p));
        if (!m || !pids.includes(Number(m[1]))) {
          fail(label, `unexpected file ${p}${m ? ` (of pid ${m[1]}, not a killed run)` : ''}`, work);
          return undefined;
        }
        temps++;
      } else if (!same(e, old) && !same(e, fixed)) {
        fail(label, `${p} is neither its old nor its new version (${e.bytes.length} bytes, mode ${e.mode.toString(8)})`, work);
        return undefined;
      }
    }
    const missing = [...before.keys()].find((p) => !now.has(p));
    if (missing !== undefined) {
      fail(label, `${missing} is missing`, work);
      return undefined;
    }
    return temps;
  };

  /** A plain --fix rerun gives exactly the reference: tree, printed findings, exit code. */
  const checkRerun = async (work: string, label: string): Promise<boolean> => {
    reruns++;
    const r = await runCli(bin, work, ARGS, {});
    const now = readTree(work);
    const diff = [...new Set([...now.keys(), ...after.keys()])].filter((p) => !same(now.get(p), after.get(p))).sort();
    if (diff.length) fail(label, `the rerun's tree differs from an uninterrupted run's in ${diff.slice(0, 5).join(', ')}${diff.length > 5 ? ` and ${diff.length - 5} more` : ''}`, work);
    else if (r.code !== ref.code) fail(label, `the rerun exits ${r.code ?? r.signal}, the uninterrupted run ${ref.code}: ${r.stderr.slice(0, 500)}`, work);
    else if (r.stdout !== ref.stdout) fail(label, `the rerun prints other findings than the uninterrupted run`, work);
    else return true;
    return false;
  };

  /** Runs each job on `parallel` workers; a job returns the work dir to remove (kept on failure). */
  const pool = async (count: number, job: (i: number) => Promise<void>): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < count; i = next++) await job(i);
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  };
  /** A work dir that passed: reused by `fresh` (one that failed is kept as it is). */
  const done = (work: string): void => {
    const base = baseOf.get(work);
    if (kept.includes(work) || base === undefined) return;
    spare.set(base, [...(spare.get(base) ?? []), work]);
  };
  let killCount = 0;
  const count = (key: string): void => {
    kills[key] = (kills[key] ?? 0) + 1;
    // a sign of life for CI logs
    if (++killCount % 200 === 0) process.stderr.write(`kill-sweep: ${killCount} kills, ${failures.length} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  };

  /** Kills a run on a fresh copy of `from` before step `n`, checks the tree and a rerun. */
  const killAt = async (from: string, n: number, key: string, label: string, extraEnv: Record<string, string> = {}, deadPids: readonly number[] = []): Promise<void> => {
    const work = fresh(from);
    const r = await runCli(bin, work, ARGS, { ...extraEnv, DEBARCH_LINT_TEST_KILL_AT: String(n) });
    count(key);
    if (r.signal !== 'SIGKILL') {
      fail(label, `the seam did not kill the run (exit ${r.code ?? r.signal}): ${r.stderr.slice(0, 300)}`, work);
      return;
    }
    const temps = checkKilled(work, label, [r.pid, ...deadPids]);
    if (temps === undefined) return;
    if (temps) withTemps++;
    if (await checkRerun(work, label)) done(work);
  };

  // 1. before every step of the run
  const sweep = steps.filter((s) => (s.n - 1) % every === 0);
  await pool(sweep.length, async (i) => {
    const s = sweep[i] as Step;
    await killAt(template, s.n, `${s.phase}:${s.op}`, `kill before step ${s.n} (${s.phase} ${s.op})`);
  });

  // 2. before every step of a rollback: the commit rename of a replaced file midway through the
  //    commits fails, after created files and replaced ones were committed
  const commits = steps.filter((s) => s.phase === 'commit');
  const created1 = commits.findIndex((s) => s.op === 'link');
  const failStep = commits.filter((s, i) => s.op === 'rename' && i > Math.max(created1, 0) + Math.min(20, commits.length >> 2))[0] ?? commits.filter((s) => s.op === 'rename').at(-1);
  let rollbackSteps: Step[] = [];
  if (failStep) {
    const FAIL = { DEBARCH_LINT_TEST_FAIL_AT: `${failStep.n}:EIO` };
    const work = fresh();
    const r = await runCli(bin, work, ARGS, { ...FAIL, DEBARCH_LINT_TEST_STEPS: '1' });
    const now = readTree(work);
    rollbackSteps = stepsOf(r.stderr).filter((s) => s.phase === 'rollback');
    if (r.code !== 2 || !r.stderr.includes('EIO')) fail('rollback', `a failed commit exits ${r.code ?? r.signal}, expected 2 naming EIO`, work);
    else if (now.size !== before.size || [...before].some(([p, e]) => !same(e, now.get(p)))) fail('rollback', 'the rollback did not restore the tree exactly', work);
    else if (!rollbackSteps.some((s) => s.op === 'rename') || (created1 >= 0 && !rollbackSteps.some((s) => s.op === 'unlink'))) fail('rollback', `the rollback has no rename or no unlink: ${rollbackSteps.length} steps`, work);
    else done(work);
    // every step that puts a file back (a rename of its backup, the removal of a created file),
    // then the removal of the temp and backup files, two per staged file and all alike: every
    // RUBBISH_EVERY-th of those, and the last
    const restores = rollbackSteps.filter((s) => s.op === 'rename' || s.path === s.file);
    const rubbish = rollbackSteps.filter((s) => !restores.includes(s));
    const rsweep = [...restores, ...rubbish.filter((s, i) => i % RUBBISH_EVERY === 0 || i === rubbish.length - 1)].filter((s, i) => i % every === 0);
    await pool(rsweep.length, async (i) => {
      const s = rsweep[i] as Step;
      await killAt(template, s.n, `rollback:${s.op}`, `kill in a rollback (fail at step ${failStep.n}) before step ${s.n} (${s.op})`, FAIL);
    });
  }

  // 3. before every step of the next --fix removing a killed run's leftovers: a run killed in
  //    staging after ~30 temp and backup files
  const stagingAt = steps.filter((s) => s.phase === 'staging')[Math.min(75, steps.length >> 2)];
  let leftoverSteps: Step[] = [];
  if (stagingAt) {
    const killed = fresh();
    const k = await runCli(bin, killed, ARGS, { DEBARCH_LINT_TEST_KILL_AT: String(stagingAt.n) });
    if (k.signal !== 'SIGKILL') fail('leftovers', `the seam did not kill the run (exit ${k.code ?? k.signal})`, killed);
    const temps = checkKilled(killed, 'leftovers: the first kill', [k.pid]);
    const probe = fresh(killed);
    // and one of a live process (this one), which may be writing: left alone
    const live = `kernel0/.debian_pkg_dirs.debarch-lint-${process.pid}-0.tmp`;
    if (nTwins > 0) fs.writeFileSync(path.join(probe, live), 'live\n');
    const r = await runCli(bin, probe, ARGS, { DEBARCH_LINT_TEST_STEPS: '1' });
    leftoverSteps = stepsOf(r.stderr).filter((s) => s.phase === 'leftovers');
    const now = readTree(probe);
    const diff = [...new Set([...now.keys(), ...after.keys()])].filter((p) => p !== live && !same(now.get(p), after.get(p)));
    if (temps !== undefined && leftoverSteps.length !== temps) fail('leftovers', `the next --fix removed ${leftoverSteps.length} of ${temps} leftovers`, probe);
    else if (nTwins > 0 && now.get(live)?.bytes.toString() !== 'live\n') fail('leftovers', `the next --fix removed ${live}, a live process's`, probe);
    else if (diff.length) fail('leftovers', `the next --fix left a tree that differs from an uninterrupted run's in ${diff.slice(0, 5).join(', ')}`, probe);
    else done(probe);
    const lsweep = leftoverSteps.filter((s, i) => i % every === 0);
    await pool(lsweep.length, async (i) => {
      const s = lsweep[i] as Step;
      await killAt(killed, s.n, `leftovers:${s.op}`, `kill while removing leftovers before step ${s.n}`, {}, k.pid === undefined ? [] : [k.pid]);
    });
    done(killed);
  }

  // 4. at random times (the default --jobs), timed from the span of an uninterrupted run
  const rnd = seededRandom(seed);
  const RANDOM_ARGS = ['--fix', '--format', 'gcc', '.'];
  const spanDir = fresh();
  const span = (await runCli(bin, spanDir, RANDOM_ARGS, {})).ms;
  done(spanDir);
  const delays = Array.from({ length: nRandom }, () => Math.floor(rnd() * span * 1.1));
  let inWrite = 0;
  await pool(nRandom, async (i) => {
    const label = `random kill ${i} after ${delays[i]} ms (seed ${seed})`;
    const work = fresh();
    const r = await runCli(bin, work, RANDOM_ARGS, { DEBARCH_LINT_TEST_STEPS: '1' }, delays[i]);
    const n = stepsOf(r.stderr).length;
    count(r.signal !== 'SIGKILL' ? 'random:finished' : n === 0 ? 'random:before-writing' : n < steps.length ? 'random:in-writer' : 'random:after-writing');
    if (r.signal === 'SIGKILL' && n > 0 && n < steps.length) inWrite++;
    if (checkKilled(work, `${label} (${n} steps done)`, [r.pid]) === undefined) return;
    if (await checkRerun(work, `${label} (${n} steps done)`)) done(work);
  });

  if (!values.keep && kept.length === 0) fs.rmSync(scratch, { recursive: true, force: true });
  else if (!values.keep) for (const e of fs.readdirSync(scratch)) if (!kept.includes(path.join(scratch, e))) fs.rmSync(path.join(scratch, e), { recursive: true, force: true });

  const total = Object.values(kills).reduce((a, b) => a + b, 0);
  const byPhase = Object.entries(kills)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  process.stdout.write(
    `kill sweep: ${written.length} files written (${created.length} created) of ${after.size}, ${steps.length} steps` +
      `${every > 1 ? ` (every ${every}th killed)` : ''}, ${rollbackSteps.length} rollback steps, ${leftoverSteps.length} leftover removals; ` +
      `${total} kills (${byPhase}); random ${nRandom} (seed ${seed}), ${inWrite} inside the writer; ${withTemps} kills left temp files; ` +
      `${reruns} reruns checked; ${failures.length} failures; ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
  if (failures.length > 5) process.stderr.write(`kill-sweep: … and ${failures.length - 5} more failures\n`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`kill-sweep: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
