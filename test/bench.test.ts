/**
 * The bench's synthetic workspace (bench/workspace.ts), small: every repo is a git work tree
 * with every file committed, the linted files are the kinds the bench says (as the CLI's own
 * classifier reads their paths) in the real trees' mix, and about a tenth name an arch term.
 * Nothing here is timed: the bench itself is `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { KIND_MIX, LINTED_PER_REPO, generateWorkspace } from '../bench/workspace.js';
import { classify } from '../src/kinds/index.js';
import { tempDir } from './helpers.js';

const dir = tempDir('debarch-lint-bench-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('generates N git repos in the kind mix, a tenth of the linted files naming an arch term', () => {
  const ws = generateWorkspace(dir, 2);
  expect(ws.repos).toEqual(['r00', 'r01']);
  const byKind = new Map<string, number>();
  let files = 0;
  let naming = 0;
  for (const repo of ws.repos) {
    const top = path.join(dir, repo);
    const ls = spawnSync('git', ['ls-files', '-z'], { cwd: top, encoding: 'utf8' });
    expect(ls.status).toBe(0);
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: top, encoding: 'utf8' }).stdout).toBe('');
    for (const rel of ls.stdout.split('\0').filter(Boolean)) {
      files++;
      const kind = classify(`${repo}/${rel}`)?.kind;
      if (!kind) continue;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      if (/amd64|x86/i.test(fs.readFileSync(path.join(top, rel), 'utf8'))) naming++;
    }
  }
  expect(files).toBe(ws.files);
  const linted = [...byKind.values()].reduce((a, b) => a + b, 0);
  expect(linted).toBe(ws.linted);
  expect(Math.abs(linted - 2 * LINTED_PER_REPO)).toBeLessThanOrEqual(10);
  // the kinds by name, as the bench reports them
  const bench: Record<string, string> = { python: 'python', yaml: 'yaml', patch: 'patch', shell: 'shell', debhelper: 'debhelper', series: 'series', control: 'control', rules: 'rules', makefile: 'makefile' };
  expect(new Set(byKind.keys())).toEqual(new Set(Object.values(bench)));
  for (const [k, share] of Object.entries(KIND_MIX)) expect([k, Math.abs((byKind.get(bench[k] as string) ?? 0) / linted - share)]).toEqual([k, expect.toSatisfy((d: number) => d < 0.01)]);
  expect(naming).toBe(ws.triggering);
  expect(naming / linted).toBeGreaterThan(0.07);
  expect(naming / linted).toBeLessThan(0.13);
});
