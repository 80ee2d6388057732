/**
 * How many times a run opens each file (issue 12: read each file as few times as possible). A
 * file with a kind by name is opened once when it is small (the read phase's size and binary
 * probe reads it whole, and a one-thread lint takes those bytes), twice when it is larger than
 * the probe (the probe, then the lint); a file sniffed for its kind is probed through the
 * sniff's own descriptor, so it is opened twice, not three times; a file of no kind is opened once (the sniff) or never (a
 * name never sniffed, like C sources); a file a neighbour's lint already read is not read again
 * for its own lint. The outcomes stay what they were: a sniffed script with a NUL byte after
 * the sniffed head is still "binary file (NUL byte); skipped".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BINARY_PROBE, OPEN_FOUND_FILE } from '../src/cli/discover.js';
import { FileStore, VIEW_BUDGET_CHARS, lintRange, type LintPlan } from '../src/cli/lint-files.js';
import { resolveConfig } from '../src/config/index.js';
import { mightSniff } from '../src/kinds/index.js';
import { RULES } from '../rules/index.js';
import { cli, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string | Uint8Array>): string {
  const dir = fs.realpathSync(tempDir('debarch-lint-reads-'));
  dirs.push(dir);
  writeTree(dir, files);
  return dir;
}

/** Runs `body` counting every open of a file under `dir` (by path relative to it; readFileSync opens through openSync too). */
async function counting<T>(dir: string, body: () => Promise<T> | T): Promise<{ result: T; opens: Map<string, number>; foundOpens: number }> {
  const open = fs.openSync;
  const opens = new Map<string, number>();
  let foundOpens = 0;
  (fs as { openSync: unknown }).openSync = (p: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
    const s = String(p);
    if (s.startsWith(dir + path.sep)) {
      const rel = path.relative(dir, s).split(path.sep).join('/');
      opens.set(rel, (opens.get(rel) ?? 0) + 1);
      if (flags === OPEN_FOUND_FILE) foundOpens++;
    }
    return open(p, flags, mode);
  };
  try {
    return { result: await body(), opens, foundOpens };
  } finally {
    (fs as { openSync: unknown }).openSync = open;
  }
}

const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const SCRIPT = '#!/bin/sh\ncp build/x86_64/tool /usr/bin/tool\n';

/** Two Makefiles of one finding each in a fresh tree, and the plan that lints them. */
function twoMakefiles(): { dir: string; plan: LintPlan } {
  const dir = tree({ 'a/Makefile': RULES_TEXT, 'b/Makefile': RULES_TEXT });
  const config = resolveConfig(undefined, 'a/Makefile', RULES, {});
  const plan: LintPlan = {
    cwd: dir,
    files: [{ path: 'a/Makefile', kind: 'makefile', config: 0 }, { path: 'b/Makefile', kind: 'makefile', config: 0 }],
    configs: [config],
    unlinted: [],
    ignoreDirectives: false,
    prefilter: true,
  };
  return { dir, plan };
}

describe('each file is opened as few times as the run needs', () => {
  it('small named kinds once, larger ones and sniffed kinds twice, files of no kind once or never, outcomes unchanged', async () => {
    // a shell script whose first 512 bytes (what the sniff decides on) hold no NUL, and the bytes after them do
    const late = Buffer.concat([Buffer.from(`#!/bin/sh\n${'# padding\n'.repeat(60)}`), Buffer.from([0]), Buffer.from('x86_64\n')]);
    // a rules file one byte larger than the probe: probed, then read whole by the lint
    const big = RULES_TEXT + '#'.repeat(BINARY_PROBE - RULES_TEXT.length) + '\n';
    const dir = tree({
      'debian/rules': RULES_TEXT,
      'big/debian/rules': big,
      'scripts/setup': SCRIPT,
      'scripts/late-nul': late,
      'notes/plain': 'hello\n',
      'src/tool.c': '#!/bin/sh\nx86_64\n',
    });
    const { result, opens } = await counting(dir, () => cli(dir, ['--format', 'gcc', '.']));
    expect(result.stderr).toBe('scripts/late-nul: note: binary file (NUL byte); skipped\n');
    expect(result.stdout).toContain('\ndebian/rules:3:');
    expect(result.stdout).toContain('big/debian/rules:3:');
    expect(result.stdout).toContain('scripts/setup:2:');
    expect(result.code).toBe(1);
    expect(Object.fromEntries(opens)).toEqual({ 'debian/rules': 1, 'big/debian/rules': 2, 'scripts/setup': 2, 'scripts/late-nul': 1, 'notes/plain': 1 });
  });

  it('a file the read phase read whole is taken once, by its own lint or a neighbour\'s, and never opened', async () => {
    const { dir, plan } = twoMakefiles();
    const preread = new Map([['a/Makefile', Buffer.from(RULES_TEXT)], ['b/Makefile', Buffer.from(RULES_TEXT)]]);
    const taken = await counting(dir, () => {
      const store = new FileStore(plan, VIEW_BUDGET_CHARS, preread);
      expect(store.get('b/Makefile')?.text).toBe(RULES_TEXT);
      return lintRange(plan, store, RULES, 0, 2, false);
    });
    expect(taken.result.map((o) => o.result?.findings.length)).toEqual([1, 1]);
    expect(Object.fromEntries(taken.opens)).toEqual({});
    expect(preread.size).toBe(0);
  });

  it('never sniffs the sources of other languages nor git files', () => {
    for (const p of ['src/tool.c', 'src/tool.h', 'src/a.cpp', 'cmd/main.go', 'lib/x.rb', 'web/app.js', '.gitignore', 'pkg/.gitreview']) expect(mightSniff(p)).toBe(false);
    for (const p of ['scripts/build-pkgs', 'debian/foo.postinst', 'tool.sh.in']) expect(mightSniff(p)).toBe(true);
  });

  it('a file a neighbour read is not read again for its own lint; one evicted is', async () => {
    const { dir, plan } = twoMakefiles();
    const kept = await counting(dir, () => {
      const store = new FileStore(plan);
      expect(store.get('b/Makefile')?.text).toBe(RULES_TEXT);
      return lintRange(plan, store, RULES, 0, 2, false);
    });
    expect(kept.result.map((o) => o.result?.findings.length)).toEqual([1, 1]);
    expect(Object.fromEntries(kept.opens)).toEqual({ 'a/Makefile': 1, 'b/Makefile': 1 });
    expect(kept.foundOpens).toBe(2);
    // a budget that keeps only the file being linted: b is read for the neighbour, then again
    const evicted = await counting(dir, () => {
      const store = new FileStore(plan, 0);
      store.get('b/Makefile');
      return lintRange(plan, store, RULES, 0, 2, false);
    });
    expect(evicted.result.map((o) => o.result?.findings.length)).toEqual([1, 1]);
    expect(Object.fromEntries(evicted.opens)).toEqual({ 'a/Makefile': 1, 'b/Makefile': 2 });
  });
});
