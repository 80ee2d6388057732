/**
 * `npm run bench`: debarch-lint's speed and memory side by side with yardsticks, in one command
 * (issue 12). Not part of `npm test`: figures are printed, never asserted.
 *
 *   npm run bench                         # the synthetic workspace (60 repos) and the one-file run
 *   npm run bench -- /tmp/stx/*           # and real trees (each a git work tree)
 *   npm run bench -- --repos 15 --runs 3  # a smaller workspace, each linter run 3 times (median)
 *   npm run bench -- --hostile            # then the adversarial inputs (bench/adversarial.ts)
 *   npm run bench -- --only one-file      # only the one-file run against node -e 0 (and a real tree's, if given)
 *
 * For each workload: the pinned ripgrep (`rg -l -i --hidden -g '!.git' 'amd64|x86' TREES`), the
 * Node floor (bench/floor.ts: git ls-files, read every file, one regex test each) and the linter
 * at `--jobs 1` and at its default, with wall time, peak RSS of the whole process tree (sampled
 * from /proc) and the phase times the CLI prints with DEBARCH_LINT_TIMING=1. Then one
 * deb_folder/rules file against `node -e 0`: medians of 21 interleaved runs. First, the machine's
 * parallel ceiling: N copies of a CPU-bound loop side by side against one (what `--jobs N` can gain).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KIND_MIX, generateWorkspace, type Workspace } from './workspace.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLE = path.join(root, 'dist/src/cli/bin.mjs');
const TSC_BIN = path.join(root, 'dist/src/cli/bin.js');
/** The ES module bundle bin.mjs falls back to when its code cache is not for this Node (src/cli/code-cache.ts). */
const ESM_BUNDLE = path.join(root, 'dist/src/cli/main.mjs');
const FLOOR = path.join(root, 'dist/bench/floor.js');
/** Another engineer's: `npm run bench:hostile` runs it alone, `npm run bench -- --hostile` after the rest. */
const ADVERSARIAL = path.join(root, 'dist/bench/adversarial.js');
const RG_ARGS = ['-l', '-i', '--hidden', '-g', '!.git', 'amd64|x86'];
const ONE_FILE_RUNS = 21;
const PHASES = ['startup', 'discovery', 'read', 'lint', 'output'] as const;

interface Sample {
  seconds: number;
  /** User + system CPU seconds of the command and the children it waited for (/usr/bin/time). */
  cpu: number | undefined;
  /** Peak of the summed RSS of the process and its descendants, KiB; undefined without /proc. */
  peakKiB: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** VmRSS of `pid` and every process below it, KiB. */
function treeRssKiB(pid: number): number {
  let kib = 0;
  try {
    const m = /^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    kib += m ? Number(m[1]) : 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) kib += treeRssKiB(Number(child));
    }
  } catch {
    /* the process ended between two reads */
  }
  return kib;
}

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a command to its end, sampling its process tree's RSS every 10 ms; its CPU time comes
 * from /usr/bin/time where there is one (a busy machine stretches wall time, not CPU time).
 */
function measure(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env, keepStdout = false): Promise<Sample> {
  const cpuFile = TIME ? path.join(os.tmpdir(), `debarch-bench-cpu-${process.pid}`) : undefined;
  const [c, a] = TIME && cpuFile ? [TIME, ['-o', cpuFile, '-f', '%U %S', cmd, ...args]] : [cmd, [...args]];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(c, a, { cwd, env, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => void (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => void (stderr += d.toString('utf8')));
    const hasProc = fs.existsSync('/proc/self/status');
    let peak = 0;
    const poll = (): void => {
      if (child.pid !== undefined) peak = Math.max(peak, treeRssKiB(child.pid));
    };
    const timer = hasProc ? setInterval(poll, 10) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (timer) clearInterval(timer);
      let cpu: number | undefined;
      if (cpuFile && fs.existsSync(cpuFile)) {
        const [user, sys] = (fs.readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
        cpu = Number.isFinite(user) && Number.isFinite(sys) ? (user as number) + (sys as number) : undefined;
        fs.rmSync(cpuFile, { force: true });
      }
      // /usr/bin/time reports the command's exit status as its own
      resolve({ seconds, cpu, peakKiB: hasProc ? peak : undefined, code, stdout, stderr });
    });
  });
}

/** The median sample by wall time of `n` runs. */
async function median(n: number, run: () => Promise<Sample>): Promise<Sample> {
  const runs: Sample[] = [];
  for (let i = 0; i < n; i++) runs.push(await run());
  runs.sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(runs.length / 2)] as Sample;
}

/** The phase times of the CLI's `debarch-lint: timing {…}` line (DEBARCH_LINT_TIMING=1), if it printed one. */
function timing(stderr: string): Record<string, number> | undefined {
  const m = /^debarch-lint: timing (\{.*\})$/m.exec(stderr);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1] as string) as Record<string, number>;
  } catch {
    return undefined;
  }
}

const secs = (s: number): string => `${s.toFixed(s < 10 ? 3 : 2)} s`;
const mib = (kib: number | undefined): string => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MB`);
const times = (a: number, b: number): string => `${(a / b).toFixed(a / b < 10 ? 2 : 1)}×`;
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

/** `wall× / cpu×` of `s` to `base`. */
function vs(s: Sample, base: Sample | undefined): string {
  if (!base) return '';
  const cpu = s.cpu !== undefined && base.cpu ? times(s.cpu, base.cpu) : 'n/a';
  return `${times(s.seconds, base.seconds)} / ${cpu}`;
}

/** A line of the table; the linter's rows (`linter`) carry its phase times, or n/a. */
function row(label: string, s: Sample, rg?: Sample, floor?: Sample, linter = false): string {
  const t = timing(s.stderr);
  const phases = !linter ? '' : t ? PHASES.map((p) => lpad(t[p] === undefined ? '-' : String(Math.round(t[p] as number)), 10)).join('') : lpad('n/a', 10).repeat(PHASES.length);
  // a row run with an explicit --jobs says so in its label already
  const jobs = t?.jobs !== undefined && !label.includes('--jobs') ? ` (jobs ${t.jobs})` : '';
  return (
    `  ${pad(label + jobs, 34)}${lpad(secs(s.seconds), 10)}${lpad(s.cpu === undefined ? 'n/a' : secs(s.cpu), 10)}${lpad(mib(s.peakKiB), 10)}` +
    `${lpad(vs(s, rg), 15)}${lpad(vs(s, floor), 15)}${phases}`
  );
}

const HEADER = `  ${pad('work', 34)}${lpad('wall', 10)}${lpad('cpu', 10)}${lpad('peak RSS', 10)}${lpad('vs rg', 15)}${lpad('vs floor', 15)}${PHASES.map((p) => lpad(p, 10)).join('')}  (phases: ms, DEBARCH_LINT_TIMING)`;

interface Options {
  runs: number;
  jobsFlag: boolean;
}

/** rg, the floor and the linter over `trees` (paths relative to `cwd`). */
async function workload(title: string, cwd: string, trees: readonly string[], opts: Options, extra?: (lint: Sample) => Promise<string[]>): Promise<void> {
  console.log(`\n${title}`);
  console.log(HEADER);
  console.log(`  ${pad('', 34)}${' '.repeat(30)}${lpad('wall / cpu', 15)}${lpad('wall / cpu', 15)}`);
  const rg = await median(5, () => measure('rg', [...RG_ARGS, ...trees], cwd));
  if (rg.code !== 0 && rg.code !== 1) throw new Error(`rg exited ${rg.code}: ${rg.stderr}`);
  console.log(row('rg -l -i (pinned)', rg));
  const floor = await median(5, () => measure(process.execPath, [FLOOR, ...trees], cwd, process.env, true));
  if (floor.code !== 0) throw new Error(`the floor exited ${floor.code}: ${floor.stderr}`);
  console.log(`${row('node floor', floor, rg)}   ${floor.stdout.trim()}`);
  const lint = (jobs: string[]) =>
    median(opts.runs, async () => {
      const s = await measure(process.execPath, [BUNDLE, '--format', 'gcc', ...jobs, ...trees], cwd, { ...process.env, DEBARCH_LINT_TIMING: '1' });
      if (s.code !== 0 && s.code !== 1) throw new Error(`debarch-lint exited ${s.code}: ${s.stderr.slice(-2000)}`);
      return s;
    });
  let one: Sample | undefined;
  if (opts.jobsFlag) {
    one = await lint(['--jobs', '1']);
    console.log(row('debarch-lint --jobs 1', one, rg, floor, true));
  } else console.log(`  ${pad('debarch-lint --jobs 1', 34)}${lpad('n/a', 10)}   (this build has no --jobs)`);
  const def = await lint([]);
  const defJobs = /"jobs":(\d+)/.exec(def.stderr)?.[1] ?? '?';
  console.log(row('debarch-lint, default', def, rg, floor, true));
  if (one && defJobs !== '1') console.log(`  --jobs 1 / default: ${times(one.seconds, def.seconds)} faster at the default`);
  if (one && defJobs !== '2') {
    // the pool, measured even where it is not the default (on 2 cores one thread is)
    const two = await lint(['--jobs', '2']);
    console.log(row('debarch-lint --jobs 2', two, rg, floor, true));
    console.log(`  --jobs 1 / --jobs 2: ${times(one.seconds, two.seconds)} faster with two threads`);
  }
  if (extra) for (const l of await extra(def)) console.log(l);
}

/** One deb_folder/rules file against `node -e 0`: medians of interleaved runs. */
function oneFile(cwd: string, file: string): void {
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['debarch-lint (bin.mjs, code cache)', [BUNDLE, '--format', 'gcc', file]],
    ['debarch-lint (main.mjs, no cache)', [ESM_BUNDLE, '--format', 'gcc', file]],
    ['debarch-lint (tsc output, bin.js)', [TSC_BIN, '--format', 'gcc', file]],
  ];
  const ms: number[][] = cases.map(() => []);
  const cpu: number[][] = cases.map(() => []);
  const cpuFile = path.join(os.tmpdir(), `debarch-bench-cpu-${process.pid}`);
  for (let i = 0; i < ONE_FILE_RUNS; i++) {
    cases.forEach(([, args], k) => {
      const start = process.hrtime.bigint();
      // /usr/bin/time costs every case the same exec; it gives the CPU time a busy machine does not stretch
      const r = TIME ? spawnSync(TIME, ['-o', cpuFile, '-f', '%U %S', process.execPath, ...args], { cwd, stdio: 'ignore' }) : spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
      (ms[k] as number[]).push(Number(process.hrtime.bigint() - start) / 1e6);
      if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}`);
      if (TIME) {
        const [u, s] = (fs.readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
        (cpu[k] as number[]).push(((u ?? Number.NaN) + (s ?? Number.NaN)) * 1000);
      }
    });
  }
  fs.rmSync(cpuFile, { force: true });
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = med(ms[0] as number[]);
  const baseCpu = TIME ? med(cpu[0] as number[]) : Number.NaN;
  console.log(`\none file (${file}): medians of ${ONE_FILE_RUNS} interleaved runs`);
  console.log(`  ${pad('', 34)}${lpad('wall', 10)}${lpad('ratio', 9)}${TIME ? `${lpad('cpu', 10)}${lpad('ratio', 9)}` : ''}`);
  cases.forEach(([label], k) => {
    const m = med(ms[k] as number[]);
    const c = TIME ? med(cpu[k] as number[]) : Number.NaN;
    const cpuCols = TIME ? `${lpad(`${c.toFixed(0)} ms`, 10)}${lpad(k ? times(c, baseCpu) : '', 9)}` : '';
    console.log(`  ${pad(label, 34)}${lpad(`${m.toFixed(0)} ms`, 10)}${lpad(k ? times(m, base) : '', 9)}${cpuCols}`);
  });
  console.log('  (ratio: to node -e 0; the target is ≤ 2× wall)');
}

function describeMachine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const busy = os.loadavg()[0] as number > cpus.length ? `\nnote: the machine is busy (load ${load} on ${cpus.length} cores): wall times are stretched, CPU times much less` : '';
  return `machine: ${cpus[0]?.model ?? 'unknown cpu'}, ${cpus.length} cores, ${gib} GiB, ${os.type()} ${os.release()}, Node ${process.version}; load average at start ${load}${busy}`;
}

/** A fixed amount of pure CPU work (no allocation, no I/O) in a fresh node process: its wall time in ms. */
const SPIN = 'let x=0;for(let i=0;i<3e8;i++)x=(x*31+i)|0;if(x===1)console.log(x)';
function spin(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(Number(process.hrtime.bigint() - t) / 1e6));
  });
}

/**
 * What `--jobs N` can gain here at most: N copies of the same CPU-bound loop side by side, against
 * one alone (best of 3 each). N free cores give N×; a VM whose vCPUs share a physical core, or a
 * busy machine, gives less, and no thread pool can beat it.
 */
async function parallelCeiling(n: number): Promise<string> {
  if (n < 2) return 'parallel ceiling: one core, no --jobs gain possible';
  let alone = Infinity;
  let together = Infinity;
  for (let i = 0; i < 3; i++) {
    alone = Math.min(alone, await spin());
    const t = process.hrtime.bigint();
    await Promise.all(Array.from({ length: n }, () => spin()));
    together = Math.min(together, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return `parallel ceiling: ${n} CPU-bound node processes side by side do ${times(n * alone, together)} the work of one in the same time (${alone.toFixed(0)} ms alone, ${together.toFixed(0)} ms for ${n}; ${n}.00× is ${n} free cores): what --jobs ${n} can gain at most here`;
}

function describeWorkspace(ws: Workspace): string {
  const mix = Object.keys(KIND_MIX).map((k) => `${k} ${((100 * ws.byKind[k as keyof typeof KIND_MIX]) / ws.linted).toFixed(1)}%`).join(', ');
  return `${ws.files} files, ${ws.linted} linted (${mix}), ${ws.triggering} (${((100 * ws.triggering) / ws.linted).toFixed(1)}%) naming an arch term`;
}

/**
 * `--only one-file`: the one-file section alone, on the rules file of a one-repo synthetic
 * workspace (and on the first deb_folder/rules of the first real tree given), for iterating on startup.
 */
function oneFileOnly(trees: string[]): void {
  console.log(`debarch-lint bench --only one-file, ${new Date().toISOString()}`);
  console.log(describeMachine());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debarch-bench-'));
  try {
    const ws = generateWorkspace(dir, 1);
    oneFile(dir, `${ws.repos[0]}/pkg-0/debian/deb_folder/rules`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const first = trees[0];
  if (first === undefined) return;
  const abs = path.resolve(first);
  const rules = spawnSync('git', ['-C', abs, 'ls-files', '*deb_folder/rules'], { encoding: 'utf8' }).stdout.split('\n')[0];
  if (rules) oneFile(path.dirname(abs), path.join(path.basename(abs), rules));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      repos: { type: 'string', default: '60' },
      runs: { type: 'string', default: '1' },
      keep: { type: 'string' },
      hostile: { type: 'boolean', default: false },
      only: { type: 'string' },
    },
    allowPositionals: true,
  });
  const repos = Number(values.repos);
  const runs = Number(values.runs);
  if (!Number.isSafeInteger(repos) || repos < 1 || !Number.isSafeInteger(runs) || runs < 1) throw new Error('--repos and --runs take whole numbers ≥ 1');
  if (values.only !== undefined && values.only !== 'one-file') throw new Error('--only takes one-file');
  for (const f of [BUNDLE, TSC_BIN, FLOOR]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: run npm run build`);
  if (values.only === 'one-file') return oneFileOnly(positionals);
  if (spawnSync('rg', ['--version']).status !== 0) throw new Error('ripgrep (rg) is not installed: the bench compares with it');
  const help = spawnSync(process.execPath, [BUNDLE, '--help'], { encoding: 'utf8' }).stdout;
  const opts: Options = { runs, jobsFlag: /--jobs\b/.test(help) };

  console.log(`debarch-lint bench, ${new Date().toISOString()}`);
  console.log(describeMachine());
  console.log(await parallelCeiling(Math.min(os.availableParallelism(), 4)));
  console.log(`rg: ${spawnSync('rg', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}; linter: ${path.relative(root, BUNDLE)} --format gcc; linter runs: median of ${runs}; rg and floor: median of 5`);

  // the synthetic workspace
  const dir = values.keep ? path.resolve(values.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'debarch-bench-'));
  const stamp = path.join(dir, `.bench-workspace-${repos}.json`);
  let ws: Workspace;
  if (values.keep && fs.existsSync(stamp)) ws = JSON.parse(fs.readFileSync(stamp, 'utf8')) as Workspace;
  else {
    fs.mkdirSync(dir, { recursive: true });
    const t = process.hrtime.bigint();
    ws = generateWorkspace(dir, repos);
    fs.writeFileSync(stamp, JSON.stringify(ws));
    console.log(`(generated ${repos} repos in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s under ${dir})`);
  }
  try {
    const rulesFile = `${ws.repos[0]}/pkg-0/debian/deb_folder/rules`;
    oneFile(dir, rulesFile);
    const quarter = ws.repos.slice(0, Math.max(1, Math.round(repos / 4)));
    await workload(`synthetic workspace: ${repos} git repos, ${describeWorkspace(ws)}`, dir, ws.repos, opts, async (all) => {
      if (quarter.length === ws.repos.length) return [];
      const part = await median(runs, () => measure(process.execPath, [BUNDLE, '--format', 'gcc', ...quarter], dir, { ...process.env, DEBARCH_LINT_TIMING: '1' }));
      const k = ws.repos.length / quarter.length;
      return [
        row(`debarch-lint, first ${quarter.length} repos`, part, undefined, undefined, true),
        `  scaling: ${repos} repos took ${times(all.seconds, k * part.seconds)} (wall) / ${all.cpu !== undefined && part.cpu ? times(all.cpu, k * part.cpu) : 'n/a'} (cpu) of ${k.toFixed(1)} × ${quarter.length} repos (1.00× is linear)`,
      ];
    });
  } finally {
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }

  // real trees, run from their common parent folder as a user would
  if (positionals.length > 0) {
    const abs = positionals.map((p) => path.resolve(p));
    const parent = abs.map(path.dirname).reduce((a, b) => {
      while (!(b + path.sep).startsWith(a + path.sep) && a !== path.dirname(a)) a = path.dirname(a);
      return a;
    });
    const rels = abs.map((p) => path.relative(parent, p) || '.');
    await workload(`real trees under ${parent}: ${rels.join(' ')}`, parent, rels, opts);
    const rules = spawnSync('git', ['-C', abs[0] as string, 'ls-files', '*deb_folder/rules'], { encoding: 'utf8' }).stdout.split('\n')[0];
    if (rules) oneFile(parent, path.join(rels[0] as string, rules));
  }

  if (values.hostile) {
    if (!fs.existsSync(ADVERSARIAL)) console.log('\n--hostile: bench/adversarial.ts is not in this build');
    else {
      console.log('\nadversarial inputs (bench/adversarial.ts)');
      const r = spawnSync(process.execPath, [ADVERSARIAL], { stdio: 'inherit' });
      if (r.status !== 0) process.exitCode = r.status ?? 1;
    }
  }
}

await main();
