/**
 * Changed-lines mode (DESIGN §7): keep only the findings on lines a change added or modified,
 * or anywhere in a file the change created — what a CI vote on a Gerrit change should judge.
 * Pure: the CLI runs git and hands the diff text in.
 */
import type { FileResult } from '../engine/lint.js';
import { byCodeUnit } from '../order.js';
import type { SourceFile } from '../source.js';
import type { Edit, Finding, Fix, Range } from '../types.js';
import { parseUnifiedDiff, type DiffFile, type ParseDiffOptions } from './diff.js';

export { parseUnifiedDiff, unquoteGitPath, type DiffFile, type ParseDiffOptions } from './diff.js';

/** What a change touched, by path relative to the repository top. */
export class ChangeSet {
  private readonly files = new Map<string, { isNew: boolean; lines: ReadonlySet<number> }>();

  constructor(files: readonly DiffFile[], newFiles: readonly string[] = []) {
    for (const f of files) {
      if (f.newPath === null) continue;
      const prev = this.files.get(f.newPath);
      const lines = new Set([...(prev?.lines ?? []), ...f.addedLines]);
      this.files.set(f.newPath, { isNew: (prev?.isNew ?? false) || f.isNew, lines });
    }
    for (const p of newFiles) this.files.set(p, { isNew: true, lines: new Set() });
  }

  static fromDiff(text: string, newFiles: readonly string[] = [], options?: ParseDiffOptions): ChangeSet {
    return new ChangeSet(parseUnifiedDiff(text, options), newFiles);
  }

  /** Paths the change added or modified lines in, or created. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  isNew(path: string): boolean {
    return this.files.get(path)?.isNew ?? false;
  }

  /** True when the change created the file or added a line in `first..last`. */
  touches(path: string, first: number, last = first): boolean {
    const f = this.files.get(path);
    if (!f) return false;
    if (f.isNew) return true;
    for (let l = first; l <= last; l++) if (f.lines.has(l)) return true;
    return false;
  }
}

/** What the filter needs to know about the tree: pure callbacks the CLI provides. */
export interface ChangeContext {
  /** A finding's path (relative to the working directory) as the diff names it (relative to the repository top). */
  repoPath(path: string): string;
  /** The text of a linted file, by working-directory path; for placing a moved finding. */
  source(path: string): SourceFile | undefined;
}

/** The lines a range covers; a range that ends at the start of a line does not cover that line. */
function linesOf(file: SourceFile, range: Range): [number, number] {
  const start = file.position(range[0]);
  const end = file.position(range[1]);
  const last = end.line > start.line && end.column === 1 ? end.line - 1 : end.line;
  return [start.line, last];
}

function findingLines(f: Finding): [number, number] {
  const last = f.endLine > f.line && f.endColumn === 1 ? f.endLine - 1 : f.endLine;
  return [f.line, last];
}

/** Other places a finding depends on: its `related` locations, then the edits of its fixes in other files. */
function elsewhere(f: Finding): { path: string; range: Range }[] {
  const out: { path: string; range: Range }[] = [...(f.related ?? [])];
  for (const fix of [...(f.fix ? [f.fix] : []), ...(f.suggestions ?? [])]) {
    for (const e of fix.edits) if (e.path !== undefined && e.path !== f.path && !e.create) out.push({ path: e.path, range: e.range });
  }
  return out.filter((l) => l.path !== f.path);
}

/** Edits without a path belong to the finding's file; once the finding moves, say so. */
const anchorFix = (fix: Fix, path: string): Fix => ({
  description: fix.description,
  edits: fix.edits.map((e): Edit => ({ ...e, path: e.path ?? path })),
});

/**
 * Moves a finding of a cross-file rule to the place the change touched: Gerrit can only
 * comment on files in the change, and the author changed that file, not the one the rule
 * reports on.
 */
function relocate(f: Finding, to: { path: string; range: Range }, file: SourceFile): Finding {
  const range: Range = to.range[1] > to.range[0] ? to.range : [to.range[0], Math.min(file.text.length, to.range[0] + 1)];
  const start = file.position(range[0]);
  const end = file.position(range[1]);
  const moved: Finding = {
    ...f,
    path: to.path,
    range,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: `${f.message} (reported at ${f.path}:${f.line}:${f.column})`,
    related: [{ path: f.path, range: f.range, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }],
  };
  if (f.fix) moved.fix = anchorFix(f.fix, f.path);
  if (f.suggestions) moved.suggestions = f.suggestions.map((s) => anchorFix(s, f.path));
  return moved;
}

/**
 * The other lines of a file-level fix the engine merged into one finding (related places in
 * the same file that keep their own message), as the findings they were: a change that
 * touches one of them gets its comment on that line.
 */
function members(f: Finding): Finding[] {
  return (f.related ?? []).flatMap((l): Finding[] => {
    if (l.path !== f.path || l.message === undefined) return [];
    const g: Finding = { ...f, range: l.range, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, message: l.message };
    delete g.related;
    return [g];
  });
}

/**
 * Keeps the findings on lines the change added or modified, and all findings in files it
 * created; a merged finding's other lines (one file-level fix) that the change touched each
 * keep their own finding (in a file the change created, the one merged finding stands). A finding elsewhere whose related location (or a fix edit in another file) lies on
 * a touched line is moved there. Results keep their order; a moved finding joins the result of
 * its new file (one is added when that file was not linted).
 */
export function keepChanged(results: readonly FileResult[], changes: ChangeSet, ctx: ChangeContext): FileResult[] {
  const kept = new Map<string, Finding[]>(results.map((r) => [r.path, []]));
  const add = (f: Finding): void => {
    const list = kept.get(f.path);
    if (list) list.push(f);
    else kept.set(f.path, [f]);
  };
  for (const r of results) {
    for (const f of r.findings) {
      const [first, last] = findingLines(f);
      if (changes.isNew(ctx.repoPath(f.path))) {
        add(f);
        continue;
      }
      let reported = false;
      if (changes.touches(ctx.repoPath(f.path), first, last)) {
        add(f);
        reported = true;
      }
      for (const m of members(f)) {
        const [a, b] = findingLines(m);
        if (!changes.touches(ctx.repoPath(m.path), a, b)) continue;
        add(m);
        reported = true;
      }
      if (reported) continue;
      for (const loc of elsewhere(f)) {
        const file = ctx.source(loc.path);
        if (!file) continue;
        const [a, b] = linesOf(file, loc.range);
        if (changes.touches(ctx.repoPath(loc.path), a, b)) {
          add(relocate(f, loc, file));
          break;
        }
      }
    }
  }
  const byPath = new Map(results.map((r) => [r.path, r]));
  const out: FileResult[] = results.map((r) => ({ ...r, findings: sortFindings(kept.get(r.path) ?? []) }));
  for (const [path, findings] of kept) {
    if (byPath.has(path) || findings.length === 0) continue;
    const origin = byPath.get(findings[0]?.related?.[0]?.path ?? '');
    out.push({ path, kind: origin?.kind ?? 'makefile', findings: sortFindings(findings), problems: [], crashes: [], fixable: false, dependsOn: [], readsAll: false });
  }
  return out;
}

const sortFindings = (fs: Finding[]): Finding[] =>
  fs.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || byCodeUnit(a.ruleId, b.ruleId));
