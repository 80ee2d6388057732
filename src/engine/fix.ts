/**
 * The fixer, after ESLint: fixes are `{range, text}` edits over the original text; each pass
 * applies the fixes that do not overlap one already taken (identical edits, like the same
 * `include` line wanted by two fixes, are shared), defers the rest, and lints again — the files
 * that changed and the files whose lint read one of them (`FileResult.dependsOn`, or every
 * path when a file was created), until nothing fixable is left. At most 10 passes; a state seen
 * before (a cycle) stops it. A fix spanning several files is taken whole or not at all.
 * Everything happens in memory: writing is the CLI's job.
 */
import { createHash } from 'node:crypto';
import { byCodeUnit } from '../order.js';
import { SourceFile, applyEdits } from '../source.js';
import type { AnyRule, Edit, Finding, Fix } from '../types.js';
import { classify } from '../kinds/index.js';
import { lintFile, projectView, type FileResult, type LintOptions, type LintTarget } from './lint.js';
import { hunkHeaders, type HunkHeaders } from './hunk-headers.js';

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
  /** False: no prefilter (see `LintOptions`). */
  prefilter?: boolean;
  /**
   * The targets' results as they are now, linted elsewhere (the CLI's worker threads): the
   * first pass takes them instead of linting those files again.
   */
  firstPass?: ReadonlyMap<string, FileResult>;
  /**
   * Called once per pass (1, 2, …) with the edits taken that pass, by file: offsets into that
   * pass's text of the file, sorted by start, before they are applied (a created file is one
   * edit at 0). A seam for tests: each pass changes these bytes and nothing else.
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

/** Paths and ids in UTF-16 code unit order, whatever LANG says. */

/**
 * A digest of the whole tree's state that costs only the files that change: the XOR of
 * sha1(path, text) over the files that differ from the input. Equal states, equal digests.
 */
class TreeDigest {
  private readonly state = Buffer.alloc(20);
  private static of(path: string, text: string): Buffer {
    return createHash('sha1').update(path).update('\u0000').update(text).digest();
  }
  /** Records that `path` went from `before` (undefined: did not exist) to `after`. */
  change(path: string, before: string | undefined, after: string): void {
    if (before === after) return;
    const parts = [TreeDigest.of(path, after)];
    if (before !== undefined) parts.push(TreeDigest.of(path, before));
    for (const d of parts) for (let i = 0; i < 20; i++) this.state[i] = (this.state[i] as number) ^ (d[i] as number);
  }
  get value(): string {
    return this.state.toString('hex');
  }
}

/**
 * Who read what: for each path, the files whose last lint asked for it; and the files whose
 * last lint listed every path. Kept up to date as files are linted again.
 */
class Dependents {
  private readonly byPath = new Map<string, Set<string>>();
  private readonly readers = new Set<string>();

  update(previous: FileResult | undefined, now: FileResult): void {
    if (previous) {
      for (const p of previous.dependsOn) this.byPath.get(p)?.delete(previous.path);
      this.readers.delete(previous.path);
    }
    for (const p of now.dependsOn) {
      let s = this.byPath.get(p);
      if (!s) this.byPath.set(p, (s = new Set()));
      s.add(now.path);
    }
    if (now.readsAll) this.readers.add(now.path);
  }

  /** The files to lint again after `changed` changed, of which `created` were created. */
  of(changed: Iterable<string>, created: boolean): Set<string> {
    const out = new Set<string>();
    for (const p of changed) {
      out.add(p);
      for (const d of this.byPath.get(p) ?? []) out.add(d);
    }
    if (created) for (const d of this.readers) out.add(d);
    return out;
  }
}

export function fixProject(targets: readonly LintTarget[], rules: readonly AnyRule[], opts: FixOptions = {}): FixOutcome {
  const current = new Map(targets.map((t) => [t.file.path, t]));
  const files = new Map(targets.map((t) => [t.file.path, t.file]));
  const original = new Map<string, string | undefined>();
  const results = new Map<string, FileResult>();
  const dependents = new Dependents();
  /** Files whose findings carry a fix this run would take. */
  const withFixes = new Set<string>();
  const digest = new TreeDigest();
  const seen = new Set<string>();
  let applied = 0;
  let passes = 0;
  let cycle = false;
  let dirty: Iterable<string> = current.keys();

  for (;;) {
    // a new view each pass: what kits cached of the project (projectMemo) is the last pass's
    const view = projectView(files, opts.binaries);
    for (const p of dirty) {
      const done = passes === 0 ? opts.firstPass?.get(p) : undefined;
      const r = done ?? lintFile(current.get(p) as LintTarget, rules, view, { ignoreDirectives: opts.ignoreDirectives, prefilter: opts.prefilter });
      dependents.update(results.get(p), r);
      results.set(p, r);
      if (r.fixable && r.findings.some((f) => chosenFix(f, opts)?.edits.length)) withFixes.add(p);
      else withFixes.delete(p);
    }
    if (passes >= MAX_FIX_PASSES) break;
    if (seen.has(digest.value)) {
      cycle = true;
      break;
    }
    seen.add(digest.value);

    const accepted = new Map<string, TakenEdits>();
    /** For files a fix creates: the file whose settings they take. */
    const createdBy = new Map<string, string>();
    /** Hunk headers of the patches fixes edit this pass: each fix's own header rewrites are dropped, and made once below. */
    const headers = new Map<string, HunkHeaders | undefined>();
    const headersOf = (path: string): HunkHeaders | undefined => {
      if (!headers.has(path)) {
        const t = current.get(path);
        headers.set(path, t?.kind === 'patch' ? hunkHeaders(t.file.text) : undefined);
      }
      return headers.get(path);
    };
    let taken = 0;
    const takenFixes = new Set<Fix>();
    /** Files whose fixes edited or created other files: their own findings depend on those. */
    const crossFile = new Set<string>();
    for (const path of [...withFixes].sort(byCodeUnit)) {
      // a file's findings are sorted by range already
      for (const f of (results.get(path) as FileResult).findings) {
        const fix = chosenFix(f, opts);
        if (!fix || fix.edits.length === 0 || takenFixes.has(fix)) continue;
        const edits = fix.edits
          .map((e: Edit) => ({ path: e.path ?? f.path, pe: { start: e.range[0], end: e.range[1], text: e.text, create: e.create === true } }))
          .filter(({ path, pe }) => pe.create || !headersOf(path)?.isHeaderEdit(pe.start, pe.end));
        if (edits.length === 0) continue;
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
          const list = accepted.get(path) ?? new TakenEdits();
          list.add(pe);
          accepted.set(path, list);
        }
        takenFixes.add(fix);
        if (edits.some(({ path }) => path !== f.path)) crossFile.add(f.path);
        taken++;
      }
    }
    if (taken === 0) break;
    applied += taken;
    passes++;
    for (const [path, list] of accepted) {
      const h = headersOf(path);
      if (!h) continue;
      for (const e of h.rewrites(list.list)) {
        const pe = { ...e, create: false };
        if (!list.fits(pe)) throw new Error(`${path}: a fix edits a hunk header the fixer rewrites (please report this)`);
        list.add(pe);
      }
    }
    const created = [...accepted.keys()].some((p) => !current.has(p));
    opts.onPass?.(passes, new Map([...accepted].map(([path, list]) => [path, list.list.map(({ start, end, text }) => ({ start, end, text }))])));

    for (const [path, { list: edits }] of accepted) {
      const before = current.get(path);
      const base = before?.file;
      const text = applyEdits(base?.text ?? '', edits.map((e) => ({ range: [e.start, e.end] as const, text: e.text })));
      if (!original.has(path)) original.set(path, base?.text);
      digest.change(path, base?.text, text);
      // a created file is a copy of the file whose fix made it: it keeps that file's BOM
      const bom = base?.bom ?? current.get(createdBy.get(path) ?? '')?.file.bom ?? false;
      const file = new SourceFile(path, text, bom, true);
      const kind = before?.kind ?? classify(path)?.kind;
      const config = before?.config ?? current.get(createdBy.get(path) ?? '')?.config;
      if (!kind || !config) throw new Error(`a fix creates ${path}, which is no file kind debarch-lint reads`);
      current.set(path, { file, kind, config });
      files.set(path, file);
    }
    // Lint again what changed, what read it (or listed every path, when a file was created),
    // and the files whose fixes edited others.
    const again = dependents.of(accepted.keys(), created);
    for (const p of crossFile) again.add(p);
    dirty = again;
  }

  const output = new Map<string, SourceFile>();
  for (const [path, before] of original) {
    const now = current.get(path)?.file;
    if (now && now.text !== before) output.set(path, now);
  }
  for (const p of [...original.keys()]) if (!output.has(p)) original.delete(p);
  return { original, output, passes, cycle, results: inRunOrder(targets, results), applied };
}

/**
 * The results in the targets' order, a created file's where a later run, which discovers it in
 * path order, puts it: before the first target whose path sorts after it.
 */
function inRunOrder(targets: readonly LintTarget[], results: ReadonlyMap<string, FileResult>): FileResult[] {
  const known = new Set(targets.map((t) => t.file.path));
  const created = [...results.keys()].filter((p) => !known.has(p)).sort(byCodeUnit);
  const out: FileResult[] = [];
  let next = 0;
  for (const t of targets) {
    while (next < created.length && byCodeUnit(created[next] as string, t.file.path) < 0) out.push(results.get(created[next++] as string) as FileResult);
    out.push(results.get(t.file.path) as FileResult);
  }
  while (next < created.length) out.push(results.get(created[next++] as string) as FileResult);
  return out;
}
