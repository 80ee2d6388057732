/**
 * One `--fix` reaches the fixed point across files (DESIGN §7): lint records what each file
 * read of the project, and after a pass the fixer lints again exactly the files that changed
 * and those that read them; a patch gets all its line-adding fixes of a pass with one rewrite
 * of each hunk header.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { fixProject } from '../src/engine/fix.js';
import { lintProject, projectView, type LintTarget } from '../src/engine/lint.js';
import { parsePatch } from '../src/models/patch.js';
import { projectMemo, recordingView } from '../src/project-view.js';
import { SourceFile, applyEdits } from '../src/source.js';
import type { AnyRule, FileKind, Rule } from '../src/types.js';
import { RULES } from '../rules/index.js';
import { cli, readTree, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const docs = { rationale: '', bad: { path: 'Makefile', text: '' }, good: { path: 'Makefile', text: '' } };
const mk = (id: string, appliesTo: FileKind[], check: Rule['check']): AnyRule => ({
  id, description: id, appliesTo, severity: 'warning', fixable: 'fix', defaultOptions: {}, docs, check,
});
const target = (path: string, text: string, kind: FileKind, rules: readonly AnyRule[]): LintTarget => ({
  file: new SourceFile(path, text),
  kind,
  config: resolveConfig(undefined, path, rules),
});

/** The package of issue 11: its control leaves arm64 out, its install file names the x86 multiarch dir. */
const PACKAGE = {
  'foo/debian/control':
    'Source: foo\nSection: libs\nPriority: optional\nMaintainer: A <a@example.com>\nBuild-Depends: debhelper-compat (= 13)\n\n' +
    'Package: foo\nArchitecture: amd64\nDescription: foo library\n foo\n',
  'foo/debian/foo.install': 'usr/lib/x86_64-linux-gnu/libfoo.so.*\n',
};

const findingsOf = (json: string): unknown => (JSON.parse(json) as { findings: unknown }).findings;

describe('one --fix reaches the fixed point across files', () => {
  it('fixes the install file the control fix makes reachable on arm64, in the same run', async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeTree(dir, PACKAGE);
    const first = await cli(dir, ['--fix', '--format', 'json']);
    expect(first.stderr).toBe('');
    const tree = readTree(dir);
    expect(tree.get('foo/debian/control')?.toString()).toContain('Architecture: amd64 arm64\n');
    expect(tree.get('foo/debian/foo.install')?.toString()).toBe('usr/lib/${DEB_HOST_MULTIARCH}/libfoo.so.*\n');
    // what --fix printed is what a fresh lint of the written tree says
    const fresh = await cli(dir, ['--format', 'json']);
    expect(findingsOf(first.stdout)).toEqual(findingsOf(fresh.stdout));
    // and a second --fix writes nothing
    await cli(dir, ['--fix']);
    expect(readTree(dir)).toEqual(tree);
  });

  it('records what each file read: the engine\'s reads, rules\' reads, paths that do not exist', () => {
    const targets = Object.entries(PACKAGE).map(([p, t]) => target(p, t, p.endsWith('control') ? 'control' : 'debhelper', RULES));
    // an arch term, so that the prefilter lets the file be linted (a file that triggers nothing reads nothing)
    targets.push(target('img/tool.Dockerfile', 'FROM debian:bookworm\nRUN apt-get install -y libc6:amd64\n', 'dockerfile', RULES));
    const [control, install, docker] = lintProject(targets, RULES);
    // the install file's package arches come from the control
    expect(install?.dependsOn).toContain('foo/debian/control');
    // the engine asks for a Dockerfile's arch twin, which does not exist: creating it would change the findings
    expect(docker?.dependsOn).toContain('img/tool_arm64.Dockerfile');
    for (const r of [control, install, docker]) {
      expect(r?.dependsOn).toEqual([...(r?.dependsOn ?? [])].sort());
      expect(typeof r?.readsAll).toBe('boolean');
    }
  });

  it('a cached value counts as read by every file that uses it (projectMemo)', () => {
    const files = new Map([['a', new SourceFile('a', 'A')], ['b', new SourceFile('b', 'B')]]);
    const root = projectView(files);
    const table = Symbol('test');
    let computed = 0;
    const compute = (view: typeof root): string => {
      computed++;
      return `${view.get('a')?.text}${view.paths().length}${view.get('missing') ? '' : '-'}`;
    };
    const first = { paths: new Set<string>(), all: false };
    const second = { paths: new Set<string>(), all: false };
    expect(projectMemo(recordingView(root, first), table, 'k', compute)).toBe('A2-');
    expect(projectMemo(recordingView(root, second), table, 'k', compute)).toBe('A2-');
    expect(computed).toBe(1);
    for (const reads of [first, second]) expect(reads).toEqual({ paths: new Set(['a', 'missing']), all: true });
    // a view made over another records into both (a patch's hunk linted inside the patch's lint)
    const inner = { paths: new Set<string>(), all: false };
    const outer = { paths: new Set<string>(), all: false };
    recordingView(recordingView(root, outer), inner).get('b');
    expect([...inner.paths, ...outer.paths]).toEqual(['b', 'b']);
    // a new view of the tree (the next pass) computes again
    projectMemo(projectView(files), table, 'k', compute);
    expect(computed).toBe(2);
  });

  it('lints again only the files that changed and the files that read them, not the whole tree', () => {
    const linted = new Map<string, number>();
    const count = mk('count', ['makefile'], (ctx) => {
      linted.set(ctx.file.path, (linted.get(ctx.file.path) ?? 0) + 1);
    });
    // a/Makefile's `x` becomes `y`; b/Makefile reports while a/Makefile still has an `x`; c/Makefile reads nothing
    const fixA = mk('fix-a', ['makefile'], (ctx) => {
      if (ctx.file.path !== 'a/Makefile') return;
      const i = ctx.file.text.indexOf('x');
      if (i >= 0) ctx.report({ at: [i, i + 1], message: 'x', fix: { description: 'y', edits: [{ range: [i, i + 1], text: 'y' }] } });
    });
    const readsA = mk('reads-a', ['makefile'], (ctx) => {
      if (ctx.file.path === 'b/Makefile' && ctx.project.get('a/Makefile')?.text.includes('x')) ctx.report({ at: [0, 1], message: 'a has x' });
    });
    const rules = [count, fixA, readsA];
    const out = fixProject(
      ['a', 'b', 'c'].map((d) => target(`${d}/Makefile`, 'x\n', 'makefile', rules)),
      rules,
    );
    expect(out.output.get('a/Makefile')?.text).toBe('y\n');
    expect(linted.get('a/Makefile')).toBe(2);
    expect(linted.get('b/Makefile')).toBe(2);
    expect(linted.get('c/Makefile')).toBe(1);
    // b's finding went away with a's x: the results are those of the fixed tree
    expect(out.results.find((r) => r.path === 'b/Makefile')?.findings).toEqual([]);
  });

  it('lints again the files that list every path when a fix creates a file', () => {
    const linted = new Map<string, number>();
    const create = mk('create', ['makefile'], (ctx) => {
      linted.set(ctx.file.path, (linted.get(ctx.file.path) ?? 0) + 1);
      if (ctx.file.path === 'a/Makefile' && !ctx.project.get('a/new.mk')) {
        ctx.report({ at: [0, 1], message: 'c', fix: { description: 'c', edits: [{ path: 'a/new.mk', range: [0, 0], text: 'n\n', create: true }] } });
      }
      if (ctx.file.path === 'b/Makefile' && !ctx.project.paths().includes('a/new.mk')) ctx.report({ at: [0, 1], message: 'no new.mk yet' });
    });
    const out = fixProject(['a', 'b', 'c'].map((d) => target(`${d}/Makefile`, 'x\n', 'makefile', [create])), [create]);
    expect(out.output.get('a/new.mk')?.text).toBe('n\n');
    expect(linted.get('b/Makefile')).toBe(2);
    expect(linted.get('c/Makefile')).toBe(1);
    expect(out.results.map((r) => r.path)).toEqual(['a/Makefile', 'a/new.mk', 'b/Makefile', 'c/Makefile']);
    expect(out.results.find((r) => r.path === 'b/Makefile')?.findings).toEqual([]);
  });
});

describe('hunk headers are rewritten once per pass', () => {
  /** Adds `# checked` after every `+` line of debian/rules that says `x86` (in a patch: a `+` line after it). */
  const addLine = mk('add-line', ['rules'], (ctx) => {
    const t = ctx.file.text;
    for (const m of t.matchAll(/^[^\n]*x86[^\n]*\n/gm)) {
      const end = m.index + m[0].length;
      if (t.startsWith('# checked\n', end)) continue;
      ctx.report({ at: [m.index, m.index + 1], message: 'unchecked', fix: { description: 'check', edits: [{ range: [end, end], text: '# checked\n' }] } });
    }
  });

  /** A patch of debian/rules with three hunks and `n` x86 lines in the first two, and a second file section. */
  function patch(n: number, checked: boolean): string {
    const added = (i: number): string => `+\tcp x86-${i} out\n${checked ? '+# checked\n' : ''}`;
    const first = Array.from({ length: n }, (_, i) => added(i)).join('');
    const second = added(n);
    const per = checked ? 2 : 1;
    return [
      'Subject: port\n', '---\n',
      '--- a/debian/rules\n', '+++ b/debian/rules\n',
      `@@ -1,2 +1,${2 + n * per} @@\n`, ' #!/usr/bin/make -f\n', first, ' %:\n',
      `@@ -10,2 +${10 + n * per},${2 + per} @@\n`, ' a\n', second, ' b\n',
      // no count: one line; a header that only moves keeps its form
      `@@ -20 +${20 + (n + 1) * per} @@\n`, ' c\n',
      '--- a/debian/control\n', '+++ b/debian/control\n',
      '@@ -1,1 +1,2 @@\n', ' Source: foo\n', '+Section: libs\n',
    ].join('');
  }

  it('takes 50 line-adding fixes of one patch in one pass, headers right', () => {
    const before = patch(50, false);
    expect(parsePatch(before).problems).toEqual([]);
    const out = fixProject([target('p/fix.patch', before, 'patch', [addLine])], [addLine]);
    const after = out.output.get('p/fix.patch')?.text;
    expect(after).toBe(patch(50, true));
    expect(parsePatch(after as string).problems).toEqual([]);
    expect(out.passes).toBeLessThanOrEqual(2);
    expect(out.applied).toBe(51);
  });

  it('keeps each finding\'s own fix whole: applied alone, the patch is right', () => {
    const before = patch(3, false);
    const [r] = lintProject([target('p/fix.patch', before, 'patch', [addLine])], [addLine]);
    expect(r?.findings).toHaveLength(4);
    for (const f of r?.findings ?? []) {
      const alone = applyEdits(before, (f.fix?.edits ?? []).map((e) => ({ range: e.range, text: e.text })));
      expect(parsePatch(alone).problems).toEqual([]);
      expect(alone.split('\n').length).toBe(before.split('\n').length + 1);
    }
  });

  it('reports the edits of each pass to onPass, the header rewrites among them', () => {
    const before = patch(2, false);
    const seen: { pass: number; edits: { start: number; end: number; text: string }[] }[] = [];
    const out = fixProject([target('p/fix.patch', before, 'patch', [addLine])], [addLine], {
      onPass: (pass, taken) => seen.push({ pass, edits: [...(taken.get('p/fix.patch') ?? [])] }),
    });
    expect(seen.map((s) => s.pass)).toEqual([1]);
    const edits = seen[0]?.edits ?? [];
    expect(edits.map((e) => e.start)).toEqual([...edits.map((e) => e.start)].sort((a, b) => a - b));
    expect(applyEdits(before, edits.map((e) => ({ range: [e.start, e.end] as const, text: e.text })))).toBe(out.output.get('p/fix.patch')?.text);
    // three added lines, three header rewrites (the first hunk's count, the second's start and count, the third's start)
    expect(edits.filter((e) => e.text === '+# checked\n')).toHaveLength(3);
    expect(edits).toHaveLength(6);
  });
});
