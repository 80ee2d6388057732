/**
 * The fixer, after ESLint: fixes are `{range, text}` edits over the original text; each pass
 * applies the fixes that do not overlap one already taken (identical edits, like the same
 * `include` line wanted by two fixes, are shared), defers the rest, and lints again. At most
 * 10 passes; a state seen before (a cycle) stops it. A fix spanning several files is taken
 * whole or not at all. Everything happens in memory: writing is the CLI's job.
 */
import { SourceFile, applyEdits } from '../source.js';
import type { AnyRule, Edit, Finding, Fix } from '../types.js';
import { classify } from '../kinds/index.js';
import { lintFile, projectView, type FileResult, type LintOptions, type LintTarget } from './lint.js';

export const MAX_FIX_PASSES = 10;

export interface FixOptions {
  /** Also apply the first suggestion of findings that have no safe fix. */
  unsafe?: boolean;
  /** Restrict fixing to these rule ids. */
  ruleIds?: readonly string[];
  /** Lint as if no directive comments were there (see `LintOptions`). */
  ignoreDirectives?: boolean;
  /** Header facts of the tree's committed binaries (see `LintOptions`). */
  binaries?: LintOptions['binaries'];
  /**
   * Called once per pass, before its edits are applied, with the edits taken that pass: per
   * file, offsets into that pass's text, sorted by start (a seam for tests; `pass` counts from 1).
   */
  onPass?: (pass: number, taken: ReadonlyMap<string, ReadonlyArray<{ start: number; end: number; text: string }>>) => void;
}

export interface FixOutcome {
  /** Original text of every file that changed (or `undefined` for created files). */
  original: Map<string, string | undefined>;
  /** New text of every file that changed or was created. */
  output: Map<string, SourceFile>;
  passes: number;
  cycle: boolean;
  /** Findings after fixing. */
  results: FileResult[];
  /** Number of fixes applied. */
  applied: number;
}

interface PendingEdit {
  start: number;
  end: number;
  text: string;
  create: boolean;
}

const conflicts = (a: PendingEdit, b: PendingEdit): boolean => !(a.end < b.start || a.start > b.end);

/**
 * The edits taken in one pass for one file, sorted by start. Taken edits never touch each
 * other, so their ends rise with their starts and only the last edit starting at or before a
 * new edit's end can overlap it: a check costs a binary search, not a scan (big files have
 * tens of thousands of fixes).
 */
class TakenEdits {
  readonly list: PendingEdit[] = [];

  /** Index of the last edit whose start is <= offset, or -1. */
  private lastStartingBy(offset: number): number {
    let lo = 0;
    let hi = this.list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.list[mid] as PendingEdit).start <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  has(pe: PendingEdit): boolean {
    for (let i = this.lastStartingBy(pe.start); i >= 0 && (this.list[i] as PendingEdit).start === pe.start; i--) {
      if (same(this.list[i] as PendingEdit, pe)) return true;
    }
    return false;
  }

  fits(pe: PendingEdit): boolean {
    if (this.has(pe)) return true;
    const i = this.lastStartingBy(pe.end);
    return i < 0 || !conflicts(this.list[i] as PendingEdit, pe);
  }

  add(pe: PendingEdit): void {
    if (this.has(pe)) return;
    this.list.splice(this.lastStartingBy(pe.start) + 1, 0, pe);
  }
}
const same = (a: PendingEdit, b: PendingEdit): boolean => a.start === b.start && a.end === b.end && a.text === b.text;

function chosenFix(f: Finding, opts: FixOptions): Fix | undefined {
  if (opts.ruleIds && !opts.ruleIds.includes(f.ruleId)) return undefined;
  return f.fix ?? (opts.unsafe ? f.suggestions?.[0] : undefined);
}

export function fixProject(targets: readonly LintTarget[], rules: readonly AnyRule[], opts: FixOptions = {}): FixOutcome {
  const current = new Map(targets.map((t) => [t.file.path, t]));
  const original = new Map<string, string | undefined>();
  const results = new Map<string, FileResult>();
  const seen = new Set<string>();
  let applied = 0;
  let passes = 0;
  let cycle = false;
  let dirty = new Set(current.keys());

  const files = (): Map<string, SourceFile> => new Map([...current].map(([p, t]) => [p, t.file]));

  for (;;) {
    const view = projectView(files(), opts.binaries);
    for (const p of dirty) results.set(p, lintFile(current.get(p) as LintTarget, rules, view, { ignoreDirectives: opts.ignoreDirectives }));
    if (passes >= MAX_FIX_PASSES) break;
    const state = [...current.values()].map((t) => `${t.file.path}\u0000${t.file.text}`).join('\u0001');
    if (seen.has(state)) {
      cycle = true;
      break;
    }
    seen.add(state);

    const accepted = new Map<string, TakenEdits>();
    /** For files a fix creates: the file whose settings they take. */
    const createdBy = new Map<string, string>();
    let taken = 0;
    const takenFixes = new Set<Fix>();
    /** Files whose fixes edited or created other files: their own findings depend on those. */
    const crossFile = new Set<string>();
    const all = [...results.values()].filter((r) => r.fixable).flatMap((r) => r.findings);
    all.sort((a, b) => a.path.localeCompare(b.path) || a.range[0] - b.range[0] || a.range[1] - b.range[1]);
    for (const f of all) {
      const fix = chosenFix(f, opts);
      if (!fix || fix.edits.length === 0 || takenFixes.has(fix)) continue;
      const edits = fix.edits.map((e: Edit) => ({
        path: e.path ?? f.path,
        pe: { start: e.range[0], end: e.range[1], text: e.text, create: e.create === true },
      }));
      const ok = edits.every(({ path, pe }) => {
        const target = current.get(path);
        if (pe.create ? target !== undefined && target.file.text !== '' : target === undefined || !results.get(path)?.fixable) {
          return false;
        }
        // an edit already taken verbatim is shared; any other must not touch a taken one
        return accepted.get(path)?.fits(pe) ?? true;
      });
      if (!ok) continue;
      for (const { path, pe } of edits) {
        if (pe.create && !createdBy.has(path)) createdBy.set(path, f.path);
        const taken = accepted.get(path) ?? new TakenEdits();
        taken.add(pe);
        accepted.set(path, taken);
      }
      takenFixes.add(fix);
      if (edits.some(({ path }) => path !== f.path)) crossFile.add(f.path);
      taken++;
    }
    if (taken === 0) break;
    applied += taken;
    passes++;
    opts.onPass?.(passes, new Map([...accepted].map(([p, t]) => [p, t.list.map(({ start, end, text }) => ({ start, end, text }))])));
    dirty = new Set(crossFile);
    // A created file (a twin list) changes what other files' cross-file rules see: lint all again.
    if (createdBy.size > 0) dirty = new Set([...current.keys(), ...createdBy.keys()]);
    for (const [path, { list: edits }] of accepted) {
      const before = current.get(path);
      const base = before?.file;
      const text = applyEdits(base?.text ?? '', edits.map((e) => ({ range: [e.start, e.end] as const, text: e.text })));
      if (!original.has(path)) original.set(path, base?.text);
      // a created file is a copy of the file whose fix made it: it keeps that file's BOM
      const bom = base?.bom ?? current.get(createdBy.get(path) ?? '')?.file.bom ?? false;
      const file = new SourceFile(path, text, bom, true);
      const kind = before?.kind ?? classify(path)?.kind;
      const config = before?.config ?? current.get(createdBy.get(path) ?? '')?.config;
      if (!kind || !config) throw new Error(`a fix creates ${path}, which is no file kind debarch-lint reads`);
      current.set(path, { file, kind, config });
      dirty.add(path);
    }
  }

  const output = new Map<string, SourceFile>();
  for (const [path, before] of original) {
    const now = current.get(path)?.file;
    if (now && now.text !== before) output.set(path, now);
  }
  for (const p of [...original.keys()]) if (!output.has(p)) original.delete(p);
  // A created file's findings go where a later run, which discovers it in path order, puts them.
  const ordered = [...results.values()].filter((r) => targets.some((t) => t.file.path === r.path));
  for (const r of results.values()) {
    if (ordered.includes(r)) continue;
    const at = ordered.findIndex((o) => o.path.localeCompare(r.path) > 0);
    ordered.splice(at < 0 ? ordered.length : at, 0, r);
  }
  return { original, output, passes, cycle, results: ordered, applied };
}
