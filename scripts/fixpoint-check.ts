/**
 * Checks the promise of DESIGN §7 on real trees: one `--fix` reaches the fixed point.
 *
 *   node dist/scripts/fixpoint-check.js [--safe-only | --unsafe-only] [--bin CLI.js] [--keep] TREE...
 *
 * Each tree is copied to a temp folder (`git clone -q` when it is the top of a git work tree,
 * else a plain copy), then for `--fix` and, on a fresh copy, `--fix --unsafe`, the built CLI runs
 * twice (`--format json`) and the check asks:
 *  - the second run writes nothing (every byte compared; `git status --porcelain` too in a clone);
 *  - a plain lint of the written tree offers nothing the mode would apply (no `fix`, and with
 *    `--unsafe` no suggestion, outside files noted "not fixed");
 *  - the findings the first run printed equal those of that plain lint.
 * It prints one line per tree and mode (files written, fix passes, fixes applied) and exits 1
 * when a check fails, 2 on a usage error.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type FixMode = 'fix' | 'fix --unsafe';

export interface FixpointResult {
  tree: string;
  mode: FixMode;
  /** Files the first run changed or created. */
  written: number;
  /** What the first run's fixer reported: passes that applied fixes, fixes applied, whether it stopped on a cycle. */
  stats: { passes: number; applied: number; files: number; cycle: boolean } | undefined;
  /** Files the second run changed or created (the fixed point: none). */
  rewritten: string[];
  /** `git status --porcelain` after the first and after the second run were equal (undefined: not a clone). */
  porcelainSame: boolean | undefined;
  /** Findings a plain lint of the written tree still offers to the mode. */
  fixableAfter: { path: string; line: number; ruleId: string }[];
  /** The first run printed the findings a plain lint of the written tree gives. */
  printedEqualsFresh: boolean;
  /** Where they first differ, when they do. */
  difference?: string;
  /** Exit codes: first run, plain lint, second run (2 is a failure). */
  exits: [number, number, number];
  ok: boolean;
}

interface JsonReport {
  findings: { path: string; line: number; ruleId: string; fix?: unknown; suggestions?: unknown[] }[];
  errors: { path: string; message: string }[];
}

/** sha1 of every file under `dir` (`.git` left out; a symlink by its target). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.git' && !rel) continue;
      const abs = path.join(dir, r);
      if (e.isDirectory()) walk(r);
      else if (e.isSymbolicLink()) out.set(r, `link:${fs.readlinkSync(abs)}`);
      else if (e.isFile()) out.set(r, createHash('sha1').update(fs.readFileSync(abs)).digest('hex'));
    }
  };
  walk('');
  return out;
}

const changedBetween = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] =>
  [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();

const isWorkTreeTop = (dir: string): boolean => {
  const r = spawnSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  return r.status === 0 && fs.realpathSync(r.stdout.trim()) === fs.realpathSync(dir);
};

function porcelain(dir: string): string | undefined {
  const r = spawnSync('git', ['-C', dir, 'status', '--porcelain'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.status === 0 ? r.stdout : undefined;
}

/**
 * A copy of `tree` in a new temp folder: a clone of its commit when it is a git work tree's top
 * (a copy with its .git when a clone cannot check out), else its files.
 */
export function copyTree(tree: string): { dir: string; git: boolean } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'debarch-fixpoint-'));
  const dir = path.join(parent, path.basename(path.resolve(tree)));
  const git = isWorkTreeTop(tree);
  if (git) {
    const r = spawnSync('git', ['clone', '-q', path.resolve(tree), dir], { encoding: 'utf8' });
    if (r.status === 0) return { dir, git };
    // a partial clone misses blobs a clone would check out: copy it, .git and all, instead
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.cpSync(tree, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, git };
}

function runCli(bin: string, cwd: string, args: string[]): { code: number; json: JsonReport; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, DEBARCH_LINT_FIX_STATS: '1', NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  let json: JsonReport;
  try {
    json = JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`debarch-lint ${args.join(' ')} in ${cwd} printed no JSON (exit ${r.status}):\n${r.stderr.slice(0, 2000)}`);
  }
  return { code: r.status ?? 2, json, stdout: r.stdout, stderr: r.stderr };
}

const STATS = /^debarch-lint: fix (\{.*\})$/m;

/** The first finding (as JSON text) where two printed lists differ. */
function firstDifference(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) return `finding ${i + 1}: printed by --fix ${x ?? '(none)'}; fresh lint ${y ?? '(none)'}`;
  }
  return undefined;
}

/** Runs the check for one tree and mode on a fresh copy (removed unless `keep`). */
export function checkFixpoint(tree: string, mode: FixMode, opts: { bin: string; keep?: boolean }): FixpointResult & { copy: string } {
  const { dir, git } = copyTree(tree);
  try {
    const fixArgs = mode === 'fix' ? ['--fix'] : ['--fix', '--unsafe'];
    const before = snapshot(dir);
    const first = runCli(opts.bin, dir, [...fixArgs, '--format', 'json']);
    const afterFirst = snapshot(dir);
    const porcelainFirst = git ? porcelain(dir) : undefined;
    const fresh = runCli(opts.bin, dir, ['--format', 'json']);
    const second = runCli(opts.bin, dir, [...fixArgs, '--format', 'json']);
    const afterSecond = snapshot(dir);
    const porcelainSecond = git ? porcelain(dir) : undefined;
    const porcelainSame = porcelainFirst === undefined || porcelainSecond === undefined ? undefined : porcelainFirst === porcelainSecond;
    const notFixed = new Set(fresh.json.errors.filter((e) => /not fixed/.test(e.message)).map((e) => e.path));
    const fixableAfter = fresh.json.findings
      .filter((f) => !notFixed.has(f.path) && (f.fix !== undefined || (mode === 'fix --unsafe' && (f.suggestions?.length ?? 0) > 0)))
      .map((f) => ({ path: f.path, line: f.line, ruleId: f.ruleId }));
    const difference = firstDifference(first.json.findings, fresh.json.findings);
    const m = STATS.exec(first.stderr);
    const rewritten = changedBetween(afterFirst, afterSecond);
    const exits: [number, number, number] = [first.code, fresh.code, second.code];
    const ok = rewritten.length === 0 && porcelainSame !== false && fixableAfter.length === 0 && difference === undefined && !exits.includes(2) && !(m && (JSON.parse(m[1] as string) as { cycle: boolean }).cycle);
    return {
      tree,
      mode,
      written: changedBetween(before, afterFirst).length,
      stats: m ? (JSON.parse(m[1] as string) as FixpointResult['stats']) : undefined,
      rewritten,
      porcelainSame,
      fixableAfter,
      printedEqualsFresh: difference === undefined,
      ...(difference !== undefined ? { difference } : {}),
      exits,
      ok,
      copy: dir,
    };
  } finally {
    if (!opts.keep) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

export function describeResult(r: FixpointResult): string {
  const s = r.stats;
  const parts = [
    `${r.tree} --${r.mode}:`,
    `${r.written} file${r.written === 1 ? '' : 's'} written`,
    s ? `${s.passes} pass${s.passes === 1 ? '' : 'es'}, ${s.applied} fix${s.applied === 1 ? '' : 'es'}${s.cycle ? ', CYCLE' : ''}` : 'no fix stats',
    `second run wrote ${r.rewritten.length}${r.porcelainSame === undefined ? '' : r.porcelainSame ? ' (git status unchanged)' : ' (git status CHANGED)'}`,
    `fixable after: ${r.fixableAfter.length}`,
    `printed = fresh lint: ${r.printedEqualsFresh ? 'yes' : 'NO'}`,
    `exits ${r.exits.join('/')}`,
    r.ok ? 'ok' : 'FAILED',
  ];
  const details = [
    ...r.rewritten.slice(0, 10).map((p) => `  rewritten by the second run: ${p}`),
    ...r.fixableAfter.slice(0, 10).map((f) => `  still fixable: ${f.path}:${f.line} [${f.ruleId}]`),
    ...(r.difference ? [`  ${r.difference.slice(0, 1000)}`] : []),
  ];
  return [parts.join(' '), ...details].join('\n');
}

function main(argv: string[]): number {
  const trees: string[] = [];
  const modes: FixMode[] = ['fix', 'fix --unsafe'];
  let bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'bin.js');
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--safe-only') modes.splice(1, 1);
    else if (a === '--unsafe-only') modes.splice(0, 1);
    else if (a === '--keep') keep = true;
    else if (a === '--bin' && i + 1 < argv.length) bin = path.resolve(argv[++i] as string);
    else if (a.startsWith('-')) {
      process.stderr.write(`fixpoint-check: unknown option ${a}\n`);
      return 2;
    } else trees.push(a);
  }
  if (trees.length === 0 || modes.length === 0) {
    process.stderr.write('usage: node dist/scripts/fixpoint-check.js [--safe-only | --unsafe-only] [--bin CLI.js] [--keep] TREE...\n');
    return 2;
  }
  let failed = 0;
  for (const tree of trees) {
    for (const mode of modes) {
      const r = checkFixpoint(tree, mode, { bin, keep });
      process.stdout.write(`${describeResult(r)}${keep ? `\n  copy kept: ${r.copy}` : ''}\n`);
      if (!r.ok) failed++;
    }
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
