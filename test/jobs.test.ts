/**
 * `--jobs N`: the same bytes on stdout and stderr, and the same exit code, for every number of
 * threads and every format. Workers are compiled JS, so these runs use the built CLI
 * (dist/src/cli/bin.js), rebuilt first when a source is newer than its output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore, lintRange, type LintPlan } from '../src/cli/lint-files.js';
import { defaultJobs, effectiveJobs, workerEntry } from '../src/cli/pool.js';
import { FORMAT_NAMES } from '../src/formatters/index.js';
import { resolveConfig } from '../src/config/index.js';
import { RULES } from '../rules/index.js';
import type { AnyRule } from '../src/types.js';
import { FIXTURES, builtCli, readTree, tempDir, writeTree } from './helpers.js';

const TIMING = /^debarch-lint: timing (\{.*\})\n/m;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  jobs: number;
  /** Workers started before discovery that linted. */
  early: number;
}

function runBuilt(bin: string, cwd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DEBARCH_LINT_TIMING: '1', NO_COLOR: '', ...env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 240_000,
  });
  if (r.error) throw r.error;
  const m = TIMING.exec(r.stderr);
  if (!m) throw new Error(`no timing line on stderr:\n${r.stderr}`);
  const timing = JSON.parse(m[1] as string) as { jobs: number; early: number };
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(TIMING, ''), jobs: timing.jobs, early: timing.early };
}

/**
 * A tree where cross-file rules have work in every folder: every fixture's `in/` tree (their
 * configs included), twice over, so that files of one package land in different workers'
 * ranges and caches.
 */
function generatedTree(): string {
  const dir = tempDir('debarch-lint-jobs-');
  const cases: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const abs = path.join(d, e.name);
      if (e.name === 'in') cases.push(abs);
      else walk(abs);
    }
  };
  walk(FIXTURES);
  for (const copy of ['a', 'b']) {
    for (const c of cases) fs.cpSync(c, path.join(dir, copy, path.relative(FIXTURES, path.dirname(c))), { recursive: true });
  }
  // a folder of many small files each with a finding, and their twins' generic lists
  const many: Record<string, string> = {};
  for (let i = 0; i < 60; i++) {
    many[`many/pkg${i}/debian/rules`] = `#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu/p${i}\n\n%:\n\tdh $@\n`;
    many[`many/pkg${i}/debian/control`] = `Source: p${i}\n\nPackage: p${i}\nArchitecture: amd64\nDescription: p\n p\n`;
  }
  writeTree(dir, many);
  return dir;
}

describe('--jobs', () => {
  let bin: string;
  let tree: string;
  beforeAll(() => {
    bin = builtCli();
    tree = generatedTree();
  }, 240_000);
  afterAll(() => {
    if (tree) fs.rmSync(tree, { recursive: true, force: true });
  }, 120_000);

  it('prints the same bytes and exits the same for 1, 2 and 4 threads, in every format', () => {
    const files = [...readTree(tree).keys()].length;
    expect(files).toBeGreaterThan(400);
    for (const format of FORMAT_NAMES) {
      const one = runBuilt(bin, tree, ['--format', format, '--jobs', '1', '.']);
      expect(one.jobs).toBe(1);
      for (const jobs of ['json', 'gcc', 'stylish'].includes(format) ? [2, 4] : [2]) {
        const many = runBuilt(bin, tree, ['--format', format, '--jobs', String(jobs), '.']);
        expect(many.jobs, format).toBe(jobs);
        // a folder to lint: the workers started before discovery and got the plan when it was ready
        expect(many.early, format).toBe(jobs);
        expect(many.code, format).toBe(one.code);
        expect(many.stdout, format).toBe(one.stdout);
        expect(many.stderr, format).toBe(one.stderr);
      }
      expect(one.stdout.length, format).toBeGreaterThan(0);
    }
  }, 900_000);

  it('gives the same output when every worker runs out of heap and is replaced by a bigger one', () => {
    const one = runBuilt(bin, tree, ['--format', 'json', '--jobs', '1', '.']);
    const small = runBuilt(bin, tree, ['--format', 'json', '--jobs', '2', '.'], { DEBARCH_LINT_TEST_WORKER_HEAP_MB: '2' });
    expect(small.jobs).toBe(2);
    expect(small.code).toBe(one.code);
    expect(small.stdout).toBe(one.stdout);
    expect(small.stderr).toBe(one.stderr);
  }, 300_000);

  it('--fix and --fix --unsafe write the same trees for 1 and 2 threads', () => {
    for (const unsafe of [[], ['--unsafe']]) {
      const trees = [1, 2].map((jobs) => {
        const copy = tempDir('debarch-lint-jobs-fix-');
        fs.cpSync(tree, copy, { recursive: true });
        const r = runBuilt(bin, copy, ['--fix', ...unsafe, '--jobs', String(jobs), '.']);
        const files = readTree(copy);
        fs.rmSync(copy, { recursive: true, force: true });
        return { r, files };
      });
      const [a, b] = trees as [(typeof trees)[number], (typeof trees)[number]];
      expect(b.r.stdout).toBe(a.r.stdout);
      expect(b.r.code).toBe(a.r.code);
      expect([...b.files.keys()]).toEqual([...a.files.keys()]);
      for (const [p, bytes] of a.files) expect(b.files.get(p)?.equals(bytes), p).toBe(true);
    }
  }, 600_000);

  it('uses one thread for standard input and for small trees', () => {
    const small = tempDir('debarch-lint-jobs-small-');
    try {
      writeTree(small, { 'debian/rules': '#!/usr/bin/make -f\nX = x86_64-linux-gnu\n', 'debian/control': 'Source: x\n' });
      // the workers started before discovery (a folder) are stopped unused
      const folder = runBuilt(bin, small, ['--jobs', '4', '.']);
      expect([folder.jobs, folder.early]).toEqual([1, 0]);
      expect(folder.stdout).toMatch(/hardcoded-arch/);
      // two named files for four threads: none started
      expect(runBuilt(bin, small, ['--jobs', '4', 'debian/rules', 'debian/control'])).toMatchObject({ jobs: 1, early: 0 });
      const r = spawnSync(process.execPath, [bin, '--jobs', '4', '--stdin', '--stdin-filename', 'debian/rules'], {
        cwd: small,
        input: 'X = x86_64-linux-gnu\n',
        encoding: 'utf8',
        env: { ...process.env, DEBARCH_LINT_TIMING: '1' },
      });
      expect(r.stderr).toMatch(/"jobs":1,/);
      expect(r.stdout).toMatch(/hardcoded-arch/);
      // a run that fails before linting (a broken config) does not wait for them
      fs.writeFileSync(path.join(small, '.debarch-lint.json'), '{"rules": {"no-such-rule": "error"}}');
      const broken = runBuilt(bin, small, ['--jobs', '4', '.']);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/no-such-rule/);
    } finally {
      fs.rmSync(small, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('effectiveJobs', () => {
  it('is one without workers, for one job, or with fewer than two files per thread', () => {
    expect(effectiveJobs(4, 1000, false)).toBe(1);
    expect(effectiveJobs(1, 1000, true)).toBe(1);
    expect(effectiveJobs(4, 7, true)).toBe(1);
    expect(effectiveJobs(4, 8, true)).toBe(4);
    expect(effectiveJobs(2, 4, true)).toBe(2);
  });
});

describe('defaultJobs', () => {
  it('is one thread on one or two cores, else the cores up to four', () => {
    expect([1, 2, 3, 4, 8, 64].map((c) => defaultJobs(c))).toEqual([1, 1, 3, 4, 4, 4]);
  });
});

describe('workerEntry', () => {
  it("is tsc output's worker.js beside tsc output, and the bundle's worker.mjs beside either bundle of the CLI", () => {
    const at = (from: string): string => workerEntry(from).href;
    expect(at('file:///p/dist/src/cli/jobs.js')).toBe('file:///p/dist/src/cli/worker.js');
    expect(at('file:///p/dist/src/cli/chunk-ABCD1234.mjs')).toBe('file:///p/dist/src/cli/worker.mjs');
    // the CommonJS bundle that bin.mjs runs with its code cache (src/cli/code-cache.ts)
    expect(at('file:///p/dist/src/cli/cli.cjs')).toBe('file:///p/dist/src/cli/worker.mjs');
  });
});

describe('FileStore', () => {
  it('reads on demand, keeps a bounded number of texts, and gives the same text again after evicting it', () => {
    const dir = tempDir('debarch-lint-store-');
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 10; i++) files[`d/f${i}.sh`] = `echo ${i}\n`.repeat(50);
      writeTree(dir, files);
      const config = resolveConfig(undefined, 'x', RULES);
      const plan: LintPlan = {
        cwd: dir,
        files: Object.keys(files).map((p) => ({ path: p, kind: 'shell', config: 0 })),
        configs: [config],
        unlinted: [['d/blob.bin', path.join(dir, 'd/blob.bin')]],
        ignoreDirectives: false,
        prefilter: true,
      };
      // room for about two files
      const store = new FileStore(plan, 1000);
      expect(store.paths()).toBe(store.paths());
      expect(store.paths()).toEqual(Object.keys(files));
      expect(store.get('d/none.sh')).toBeUndefined();
      expect(store.get('d/blob.bin')).toBeUndefined();
      expect(store.unlinted()).toEqual(['d/blob.bin']);
      const first = store.get('d/f0.sh');
      expect(store.get('d/f0.sh')).toBe(first);
      for (let i = 1; i < 10; i++) store.get(`d/f${i}.sh`);
      const again = store.get('d/f0.sh');
      expect(again).not.toBe(first);
      expect(again?.text).toBe(first?.text);
      // a file that disappears is no longer there to read
      fs.rmSync(path.join(dir, 'd/f5.sh'));
      for (let i = 0; i < 10; i++) store.get(`d/f${i === 5 ? 4 : i}.sh`);
      expect(store.get('d/f5.sh')).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a report-only plan keeps no dependsOn in its results; a fix plan keeps them', () => {
    const dir = tempDir('debarch-lint-depends-');
    try {
      writeTree(dir, { 'd/a.sh': 'echo a\n', 'd/b.sh': 'echo b\n' });
      // a rule that reads the other file of the folder: the fixer would relint a.sh when b.sh changes
      const reader: AnyRule = {
        ...(RULES.find((r) => r.id === 'hardcoded-arch') as AnyRule),
        id: 'reads-neighbour',
        supersedes: undefined,
        phase: 'normal',
        trigger: 'always',
        check(ctx) {
          ctx.project.get(ctx.file.path === 'd/a.sh' ? 'd/b.sh' : 'd/a.sh');
        },
      };
      const plan = (findingsOnly: boolean): LintPlan => ({
        cwd: dir,
        files: [{ path: 'd/a.sh', kind: 'shell', config: 0 }, { path: 'd/b.sh', kind: 'shell', config: 0 }],
        configs: [resolveConfig(undefined, 'x', [reader])],
        unlinted: [],
        ignoreDirectives: false,
        prefilter: true,
        findingsOnly,
      });
      const depends = (p: LintPlan): string[][] => lintRange(p, new FileStore(p), [reader], 0, 2, true).map((o) => o.result?.dependsOn ?? ['(no result)']);
      const kept = depends(plan(false));
      expect(kept[0]).toContain('d/b.sh');
      expect(kept[1]).toContain('d/a.sh');
      expect(depends(plan(true))).toEqual([[], []]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
