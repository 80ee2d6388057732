/**
 * A value kits cache across files (projectMemo) counts as read by every file that uses it: the
 * second list naming a source dir is served from the cache and still depends on that dir's
 * control, so that `--fix` lints it again when the control changes (DESIGN §7).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { lintProject, projectView, type LintTarget } from '../src/engine/lint.js';
import { projectMemo, recordingView } from '../src/project-view.js';
import { SourceFile } from '../src/source.js';
import type { FileKind } from '../src/types.js';
import { RULES } from '../rules/index.js';

const target = (path: string, text: string, kind: FileKind): LintTarget => ({
  file: new SourceFile(path, text),
  kind,
  config: resolveConfig(undefined, path, RULES),
});

const CONTROL =
  'Source: foo\nSection: libs\nPriority: optional\nMaintainer: A <a@example.com>\nBuild-Depends: debhelper-compat (= 13)\n\n' +
  'Package: foo\nArchitecture: amd64\nDescription: foo library\n foo\n';

describe('reads recorded through cached values', () => {
  it('every list naming a dir depends on its control, the first one and those served from the cache', () => {
    const targets = [
      target('foo/debian/control', CONTROL, 'control'),
      target('debian_pkg_dirs', 'foo\n', 'pkg-dirs'),
      target('debian_pkg_dirs_rt', 'foo\n', 'pkg-dirs'),
    ];
    const [, std, rt] = lintProject(targets, RULES);
    for (const r of [std, rt]) expect(r?.dependsOn).toContain('foo/debian/control');
  });

  it('every file of a folder depends on the control of its packaging, the scope being cached per folder', () => {
    const script = 'case "$(dpkg --print-architecture)" in amd64) echo x86 ;; esac\n';
    const targets = [
      target('foo/debian/control', CONTROL, 'control'),
      target('foo/a.sh', script, 'shell'),
      target('foo/b.sh', script, 'shell'),
    ];
    const [, a, b] = lintProject(targets, RULES);
    for (const r of [a, b]) expect(r?.dependsOn).toContain('foo/debian/control');
  });
});

describe('a view notes a cached value\'s reads once', () => {
  it('asking again through the same view, or through a view made over it, keeps every read', () => {
    const root = projectView(new Map([['a', new SourceFile('a', 'A')]]));
    const table = Symbol('test');
    const compute = (view: typeof root): string | undefined => view.get('a')?.text;
    const outer = { paths: new Set<string>(), all: false };
    const inner = { paths: new Set<string>(), all: false };
    const outerView = recordingView(root, outer);
    projectMemo(outerView, table, 'k', compute);
    projectMemo(outerView, table, 'k', compute);
    // a view made over one that has the memo's reads already still records them in its own record
    projectMemo(recordingView(outerView, inner), table, 'k', compute);
    expect([...outer.paths]).toEqual(['a']);
    expect([...inner.paths]).toEqual(['a']);
  });

  it('the same question asked again at once, through the same view or another, is the same value with every view\'s reads', () => {
    const root = projectView(new Map([['a', new SourceFile('a', 'A')], ['b', new SourceFile('b', 'B')]]));
    const table = Symbol('test');
    const other = Symbol('other');
    let computed = 0;
    const compute = (key: string) => (view: typeof root): string | undefined => {
      computed++;
      return view.get(key)?.text;
    };
    const records = [0, 1, 2].map(() => ({ paths: new Set<string>(), all: false }));
    const [one, two, three] = records.map((r) => recordingView(root, r)) as [typeof root, typeof root, typeof root];
    expect(projectMemo(one, table, 'a', compute('a'))).toBe('A');
    expect(projectMemo(one, table, 'a', compute('a'))).toBe('A');
    expect(projectMemo(two, table, 'a', compute('a'))).toBe('A');
    // another key and another table right after: their own values and reads
    expect(projectMemo(two, table, 'b', compute('b'))).toBe('B');
    expect(projectMemo(two, other, 'b', compute('a'))).toBe('A');
    expect(projectMemo(three, other, 'b', compute('a'))).toBe('A');
    expect(projectMemo(root, table, 'b', compute('b'))).toBe('B');
    expect(computed).toBe(3);
    expect(records.map((r) => [...r.paths].sort())).toEqual([['a'], ['a', 'b'], ['a']]);
  });
});
