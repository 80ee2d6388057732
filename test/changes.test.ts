/**
 * Unified-diff reading and the changed-lines filter, on diff texts as git and diff(1) print them.
 */
import { describe, expect, it } from 'vitest';
import { ChangeSet, keepChanged, parseUnifiedDiff, unquoteGitPath } from '../src/changes/index.js';
import type { FileResult } from '../src/engine/lint.js';
import { SourceFile } from '../src/source.js';
import type { Finding } from '../src/types.js';

const GIT_DIFF = `diff --git a/pkg/debian/rules b/pkg/debian/rules
index 3b18e51..a9c2f3d 100644
--- a/pkg/debian/rules
+++ b/pkg/debian/rules
@@ -1,4 +1,5 @@
 #!/usr/bin/make -f
-OLD = x86_64
+NEW = amd64
+MORE = i386
 
 %:
@@ -10,3 +11,3 @@ override_dh_auto_build:
 \techo one
--- this removed line looks like a header
+++ this added line too
 \techo three
diff --git a/gone.mk b/gone.mk
deleted file mode 100644
index 1111111..0000000
--- a/gone.mk
+++ /dev/null
@@ -1,2 +0,0 @@
-A = 1
-B = 2
diff --git a/new/Makefile b/new/Makefile
new file mode 100644
index 0000000..2222222
--- /dev/null
+++ b/new/Makefile
@@ -0,0 +1,2 @@
+all:
+\techo amd64
\\ No newline at end of file
diff --git a/empty.mk b/empty.mk
new file mode 100644
index 0000000..e69de29
diff --git a/old name/rules.mk b/new name/rules.mk
similarity index 90%
rename from old name/rules.mk
rename to new name/rules.mk
index 3333333..4444444 100644
--- a/old name/rules.mk\t
+++ b/new name/rules.mk\t
@@ -3 +3 @@
-X = 1
+X = amd64
diff --git a/moved.mk b/elsewhere/moved.mk
similarity index 100%
rename from moved.mk
rename to elsewhere/moved.mk
diff --git "a/caf\\303\\251/debian/rules" "b/caf\\303\\251/debian/rules"
index 5555555..6666666 100644
--- "a/caf\\303\\251/debian/rules"
+++ "b/caf\\303\\251/debian/rules"
@@ -1 +1,2 @@
 A = 1
+B = arm64
diff --git a/logo.png b/logo.png
new file mode 100644
index 0000000..7777777
Binary files /dev/null and b/logo.png differ
`;

describe('parseUnifiedDiff', () => {
  const files = parseUnifiedDiff(GIT_DIFF);
  const byNew = (p: string | null) => files.find((f) => f.newPath === p);

  it('reads every file of a git diff, with the lines each gained', () => {
    expect(files.map((f) => [f.oldPath, f.newPath])).toEqual([
      ['pkg/debian/rules', 'pkg/debian/rules'],
      ['gone.mk', null],
      [null, 'new/Makefile'],
      [null, 'empty.mk'],
      ['old name/rules.mk', 'new name/rules.mk'],
      ['moved.mk', 'elsewhere/moved.mk'],
      ['café/debian/rules', 'café/debian/rules'],
      [null, 'logo.png'],
    ]);
    // modified lines are + lines; hunk bodies are read by count, so "--- …" inside is a removed line
    expect(byNew('pkg/debian/rules')?.addedLines).toEqual([2, 3, 12]);
    expect(files[1]?.addedLines).toEqual([]);
  });

  it('marks new files, renames and binaries', () => {
    expect(byNew('new/Makefile')).toMatchObject({ isNew: true, addedLines: [1, 2] });
    expect(byNew('empty.mk')).toMatchObject({ isNew: true, addedLines: [] });
    expect(byNew('new name/rules.mk')).toMatchObject({ isRename: true, isNew: false, addedLines: [3] });
    expect(byNew('elsewhere/moved.mk')).toMatchObject({ isRename: true, addedLines: [] });
    expect(byNew('logo.png')).toMatchObject({ isNew: true, binary: true });
  });

  it('reads diff -u and diff -N output (timestamps, no git header)', () => {
    const plain = [
      '--- a/debian/rules\t2024-01-01 10:00:00.000000000 +0000',
      '+++ b/debian/rules\t2024-01-02 10:00:00.000000000 +0000',
      '@@ -2,0 +3,2 @@',
      '+X = amd64',
      '+Y = arm64',
      'diff -ruN a/Makefile b/Makefile',
      '--- a/Makefile\t1970-01-01 00:00:00.000000000 +0000',
      '+++ b/Makefile\t2024-01-02 10:00:00.000000000 +0000',
      '@@ -0,0 +1 @@',
      '+all:',
      '',
    ].join('\n');
    const f = parseUnifiedDiff(plain);
    expect(f).toEqual([
      { oldPath: 'debian/rules', newPath: 'debian/rules', addedLines: [3, 4], isNew: false, isRename: false, binary: false },
      { oldPath: null, newPath: 'Makefile', addedLines: [1], isNew: true, isRename: false, binary: false },
    ]);
    expect(parseUnifiedDiff(plain, { strip: 0 })[0]?.newPath).toBe('b/debian/rules');
  });

  it('reads CRLF diffs and empty context lines some tools strip', () => {
    const d = 'diff --git a/x.mk b/x.mk\r\n--- a/x.mk\r\n+++ b/x.mk\r\n@@ -1,3 +1,3 @@\r\n A\r\n\n-B\r\n+C\r\n';
    expect(parseUnifiedDiff(d)).toEqual([{ oldPath: 'x.mk', newPath: 'x.mk', addedLines: [3], isNew: false, isRename: false, binary: false }]);
  });

  it('unquotes git C-style paths', () => {
    expect(unquoteGitPath('"caf\\303\\251 \\"q\\"\\ttab\\\\"')).toBe('café "q"\ttab\\');
    expect(unquoteGitPath('plain name')).toBe('plain name');
  });
});

const finding = (path: string, line: number, extra: Partial<Finding> = {}): Finding => ({
  ruleId: 'hardcoded-arch',
  severity: 'warning',
  path,
  range: [line * 100, line * 100 + 5],
  line,
  column: 1,
  endLine: line,
  endColumn: 6,
  message: 'm',
  ...extra,
});

const result = (path: string, findings: Finding[]): FileResult => ({ path, kind: 'makefile', findings, problems: [], crashes: [], fixable: true, dependsOn: [], readsAll: false });

describe('ChangeSet and keepChanged', () => {
  const changes = new ChangeSet(parseUnifiedDiff(GIT_DIFF), ['untracked/Makefile']);
  const ctx = { repoPath: (p: string) => p, source: () => undefined };

  it('touches added lines, whole new files and untracked files', () => {
    expect(changes.touches('pkg/debian/rules', 2)).toBe(true);
    expect(changes.touches('pkg/debian/rules', 4)).toBe(false);
    expect(changes.touches('pkg/debian/rules', 4, 12)).toBe(true);
    expect(changes.touches('new/Makefile', 99)).toBe(true);
    expect(changes.touches('untracked/Makefile', 1)).toBe(true);
    expect(changes.touches('elsewhere/moved.mk', 1)).toBe(false);
    expect(changes.touches('gone.mk', 1)).toBe(false);
    expect(changes.paths()).toContain('café/debian/rules');
  });

  it('keeps findings on touched lines; a range ending at column 1 does not cover its last line', () => {
    const kept = keepChanged(
      [
        result('pkg/debian/rules', [finding('pkg/debian/rules', 1), finding('pkg/debian/rules', 2), finding('pkg/debian/rules', 4)]),
        result('elsewhere/moved.mk', [finding('elsewhere/moved.mk', 1)]),
        result('new/Makefile', [finding('new/Makefile', 2)]),
        result('x.mk', [finding('x.mk', 11, { endLine: 12, endColumn: 1 })]),
      ],
      changes,
      ctx,
    );
    expect(kept.map((r) => [r.path, r.findings.map((f) => f.line)])).toEqual([
      ['pkg/debian/rules', [2]],
      ['elsewhere/moved.mk', []],
      ['new/Makefile', [2]],
      ['x.mk', []],
    ]);
    const spanning = keepChanged([result('pkg/debian/rules', [finding('pkg/debian/rules', 11, { endLine: 12, endColumn: 3 })])], changes, ctx);
    expect(spanning[0]?.findings).toHaveLength(1);
  });

  it('a cross-file finding lands on the touched file: by its related location or its fix edit there', () => {
    const twin = new SourceFile('lists/pkgs_arm64', 'a\nb\nc\n');
    const generic = new SourceFile('lists/pkgs', 'a\nb\nc\nd\n');
    const cs = ChangeSet.fromDiff('--- a/lists/pkgs\n+++ b/lists/pkgs\n@@ -3,0 +4 @@\n+d\n');
    const sources = new Map([
      [twin.path, twin],
      [generic.path, generic],
    ]);
    const onTwin = finding('lists/pkgs_arm64', 1, { range: [0, 1], related: [{ path: 'lists/pkgs', range: [6, 7], line: 4, column: 1, endLine: 4, endColumn: 2 }] });
    const byFix = finding('lists/pkgs_arm64', 2, {
      range: [2, 3],
      fix: { description: 'f', edits: [{ range: [2, 3], text: 'B' }, { path: 'lists/pkgs', range: [6, 7], text: '#d' }] },
    });
    const unrelated = finding('lists/pkgs_arm64', 3, { range: [4, 5], related: [{ path: 'lists/pkgs', range: [0, 1], line: 1, column: 1, endLine: 1, endColumn: 2 }] });
    const out = keepChanged([result(twin.path, [onTwin, byFix, unrelated])], cs, { repoPath: (p) => p, source: (p) => sources.get(p) });
    expect(out.map((r) => r.path)).toEqual(['lists/pkgs_arm64', 'lists/pkgs']);
    expect(out[0]?.findings).toEqual([]);
    const moved = out[1]?.findings ?? [];
    expect(moved).toHaveLength(2);
    for (const m of moved) {
      expect(m).toMatchObject({ path: 'lists/pkgs', range: [6, 7], line: 4, column: 1, endLine: 4, endColumn: 2 });
      expect(m.message).toMatch(/\(reported at lists\/pkgs_arm64:\d+:1\)$/);
    }
    // the edits that had no path still point at the file they were written for
    expect(moved.find((m) => m.fix)?.fix?.edits.map((e) => e.path)).toEqual(['lists/pkgs_arm64', 'lists/pkgs']);
  });
});
