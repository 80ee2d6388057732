/**
 * Failing writes during `--fix` (DESIGN §7, issue 11): ENOSPC, EROFS, EACCES, EXDEV and a file
 * replaced by a folder, injected by the writer's test-only seam (DEBARCH_LINT_TEST_FAIL_AT) at
 * every step of a run, and at every step of the rollback a failed commit starts. No root, no
 * mounts: the seam throws the error the kernel would (or puts the folder there) before the step.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import type { AnyRule } from '../src/types.js';
import { FIX_TEMP_PATTERN } from '../src/cli/write.js';
import { RULES } from '../rules/index.js';
import { FIXTURES, readTree, stepsOf, tempDir, writeTree, type Step } from './helpers.js';

const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const CODES = ['ENOSPC', 'EROFS', 'EACCES', 'EXDEV', 'DIR'] as const;

/** A rule whose fix of a/debian/rules also creates a make file in folders that do not exist yet. */
const maker: AnyRule = {
  id: 'maker',
  description: 'Test only: creates a/made/deep/extra.mk.',
  appliesTo: ['rules'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: {},
  docs: { rationale: 'test only', bad: { path: 'debian/rules', text: '' }, good: { path: 'debian/rules', text: '' } },
  check(ctx) {
    if (ctx.file.path !== 'a/debian/rules' || ctx.project.get('a/made/deep/extra.mk') !== undefined) return;
    ctx.report({
      at: [0, 1],
      message: 'wants a make file beside it',
      fix: { description: 'create it', edits: [{ path: 'a/made/deep/extra.mk', range: [0, 0], text: 'all:\n\techo hi\n', create: true }] },
    });
  },
};
const rules = [...RULES, maker];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('--fix when a write fails', () => {
  let template: string;
  let before: Map<string, Buffer>;
  let after: Map<string, Buffer>;
  let steps: Step[];
  let traceDir: string;

  const fresh = (): string => {
    const d = tempDir('debarch-lint-fail-');
    dirs.push(d);
    fs.cpSync(template, d, { recursive: true });
    return d;
  };
  let traces = 0;
  /** --fix in-process with the seam's env; returns the exit code, stderr and the steps it took. */
  const fix = async (dir: string, env: Record<string, string>): Promise<{ code: number; err: string; steps: Step[] }> => {
    const trace = path.join(traceDir, `steps-${traces++}`);
    const io = memoryIO(dir, { env: { ...env, DEBARCH_LINT_TEST_STEPS: trace } });
    const code = await run(['--fix', '--format', 'gcc', '.'], io, rules);
    const text = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8') : '';
    fs.rmSync(trace, { force: true });
    return { code, err: io.err(), steps: stepsOf(text).map((s) => ({ ...s, file: rel(dir, s.file), path: rel(dir, s.path) })) };
  };
  const rel = (dir: string, p: string): string => path.relative(fs.realpathSync(dir), p).split(path.sep).join('/');
  const temps = (tree: Map<string, Buffer>): string[] => [...tree.keys()].filter((p) => FIX_TEMP_PATTERN.test(path.posix.basename(p)));

  beforeAll(async () => {
    traceDir = tempDir('debarch-lint-trace-');
    dirs.push(traceDir);
    template = tempDir('debarch-lint-fail-tpl-');
    dirs.push(template);
    writeTree(template, {
      'a/debian/rules': RULES_TEXT,
      'b/debian/rules': RULES_TEXT,
      'kernel/debian_pkg_dirs': fs.readFileSync(path.join(FIXTURES, 'arch-only-list-entry/twin-created/in/kernel/debian_pkg_dirs'), 'utf8'),
      'clean/Makefile': 'all:\n\techo hello\n',
    });
    fs.chmodSync(path.join(template, 'b/debian/rules'), 0o755);
    before = readTree(template);
    const once = fresh();
    const r = await fix(once, {});
    expect(r.err).toBe('');
    after = readTree(once);
    steps = r.steps;
  }, 120_000);

  it('the run under test writes four files: two replaced, a twin and a file in new folders', () => {
    const changed = [...after.keys()].filter((p) => !before.get(p)?.equals(after.get(p) as Buffer));
    expect(changed.sort()).toEqual(['a/debian/rules', 'a/made/deep/extra.mk', 'b/debian/rules', 'kernel/debian_pkg_dirs_arm64']);
    expect(steps.map((s) => `${s.phase} ${s.op}`)).toContain('staging mkdir');
  });

  /**
   * After a failure: exit 2; the file named with the cause; every file as it was (a folder put in
   * place of one stays a folder); no temp file, except a backup the error names as the original.
   */
  const checkFailed = (dir: string, r: { code: number; err: string }, label: string, fault: { code: string; file: string }, dirAt?: string): void => {
    expect(r.code, label).toBe(2);
    const now = readTree(dir);
    const cause = fault.code === 'DIR' ? /E[A-Z]+|not a regular file|exists now/ : new RegExp(fault.code);
    const lines = r.err.split('\n').filter((l) => l.includes(': error: '));
    expect(lines.some((l) => l.startsWith(`${fault.file}: error: `) && cause.test(l)), `${label}:\n${r.err}`).toBe(true);
    for (const [p, b] of before) {
      if (p === dirAt) {
        expect(fs.statSync(path.join(dir, p)).isDirectory(), label).toBe(true);
        continue;
      }
      expect(now.get(p)?.equals(b), `${label}: ${p}`).toBe(true);
    }
    for (const p of now.keys()) {
      if (before.has(p) || (dirAt !== undefined && p.startsWith(`${dirAt}/`))) continue;
      expect(FIX_TEMP_PATTERN.test(path.posix.basename(p)) && r.err.includes(path.posix.basename(p)), `${label}: left ${p}\n${r.err}`).toBe(true);
    }
    expect(fs.existsSync(path.join(dir, 'a/made')), `${label}: a folder made for a created file`).toBe(dirAt?.startsWith('a/made/') === true);
  };

  it('a failure at any step of staging or commit leaves every file as it was; one in cleanup is retried', async () => {
    let tried = 0;
    for (const s of steps) {
      for (const code of CODES) {
        const dir = fresh();
        const label = `${code} at step ${s.n} (${s.phase} ${s.op} ${s.path})`;
        const r = await fix(dir, { DEBARCH_LINT_TEST_FAIL_AT: `${s.n}:${code}` });
        if (s.phase === 'cleanup') {
          // the fixes are in place: a temp file that would not go is removed on the second try
          expect(r.code, `${label}\n${r.err}`).toBe(0);
          const now = readTree(dir);
          for (const [p, b] of after) if (!(code === 'DIR' && p === s.file)) expect(now.get(p)?.equals(b), `${label}: ${p}`).toBe(true);
          expect(temps(now), label).toEqual([]);
        } else {
          checkFailed(dir, r, label, { code, file: s.file }, code === 'DIR' ? s.file : undefined);
        }
        fs.rmSync(dir, { recursive: true, force: true });
        tried++;
      }
    }
    process.stdout.write(`failing writes: ${CODES.length} causes × ${steps.length} steps = ${tried} runs\n`);
  }, 600_000);

  it('a failure at any step of a rollback: retried, the originals put back', async () => {
    let tried = 0;
    for (const c of steps.filter((s) => s.phase === 'commit')) {
      const probe = await fix(fresh(), { DEBARCH_LINT_TEST_FAIL_AT: `${c.n}:EIO` });
      const rollback = probe.steps.filter((s) => s.phase === 'rollback');
      for (const s of rollback) {
        for (const code of CODES) {
          const dir = fresh();
          const label = `EIO at commit step ${c.n} (${c.path}), then ${code} at rollback step ${s.n} (${s.op} ${s.path})`;
          const r = await fix(dir, { DEBARCH_LINT_TEST_FAIL_AT: `${c.n}:EIO,${s.n}:${code}` });
          checkFailed(dir, r, label, { code: 'EIO', file: c.file }, code === 'DIR' ? s.file : undefined);
          fs.rmSync(dir, { recursive: true, force: true });
          tried++;
        }
      }
    }
    process.stdout.write(`failing rollbacks: ${tried} runs (commit step × rollback step × cause)\n`);
    expect(tried).toBeGreaterThan(0);
  }, 600_000);

  it('a file system gone read-only for good mid-commit: each file old or new, the kept original named', async () => {
    const commits = steps.filter((s) => s.phase === 'commit');
    // a replaced file committed, then the file system turns read-only for good
    const i = commits.findIndex((s) => s.op === 'rename');
    const first = commits[i] as Step;
    const dir = fresh();
    const r = await fix(dir, { DEBARCH_LINT_TEST_FAIL_AT: `${(commits[i + 1] as Step).n}+:EROFS` });
    expect(r.code).toBe(2);
    // the first file was committed and cannot be put back: it keeps its fixed version, whole
    expect(readTree(dir).get(first.file)?.equals(after.get(first.file) as Buffer)).toBe(true);
    expect(r.err).toContain(`${first.file}: error: rollback: could not put the original back: EROFS`);
    // nothing can be removed any more either: every temp file left is named, the original among them
    const kept = temps(readTree(dir));
    for (const k of kept) expect(r.err).toContain(path.posix.basename(k));
    const original = r.err.match(/its original is kept as (\S+) beside it/)?.[1] as string;
    expect(readTree(dir).get(path.posix.join(path.posix.dirname(first.file), original))?.equals(before.get(first.file) as Buffer)).toBe(true);
    for (const [p, b] of before) if (p !== first.file) expect(readTree(dir).get(p)?.equals(b), p).toBe(true);
  });
});

describe('leftovers of an interrupted --fix', () => {
  it('a plain lint notes those of dead processes; --fix removes them and leaves a live process\'s alone', async () => {
    const dir = fs.realpathSync(tempDir('debarch-lint-left-'));
    dirs.push(dir);
    // a process that has exited (and been reaped), and one that is running
    const gone = spawnSync(process.execPath, ['-e', '']).pid as number;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const dead = `pkg/debian/.rules.debarch-lint-${gone}-3.tmp`;
      const running = `pkg/debian/.rules.debarch-lint-${live.pid}-0.tmp`;
      writeTree(dir, { 'pkg/debian/rules': RULES_TEXT, [dead]: RULES_TEXT.slice(0, 20), [running]: 'x' });
      const lint = memoryIO(dir);
      expect(await run(['--format', 'gcc', '.'], lint)).toBe(1);
      expect(lint.err()).toBe(`${dead}: note: left by an interrupted --fix (its process is gone); the next --fix removes it\n`);
      expect(lint.out()).not.toContain('.debarch-lint-');
      expect(fs.existsSync(path.join(dir, dead))).toBe(true);
      const fixed = memoryIO(dir);
      expect(await run(['--fix', '--format', 'gcc', '.'], fixed)).toBe(0);
      expect(fixed.err()).toBe('');
      expect(fs.existsSync(path.join(dir, dead))).toBe(false);
      expect(fs.readFileSync(path.join(dir, running), 'utf8')).toBe('x');
    } finally {
      live.kill('SIGKILL');
    }
  });
});
