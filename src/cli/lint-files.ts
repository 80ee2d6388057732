/**
 * Linting a tree whose files stay on disk: a plan (every linted path once, with its kind and
 * settings) and a ProjectView that reads files when a rule asks and keeps only a bounded
 * number of them. The main thread (`--jobs 1`) and each worker (src/cli/worker.ts) lint
 * through the same code, so the findings are the same whatever the number of threads.
 */
import path from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { lintFile, type FileResult, type LintTarget } from '../engine/lint.js';
import { SourceFile } from '../source.js';
import type { AnyRule, FileKind, FileProblem, ProjectView } from '../types.js';
import { binaryReader } from './binaries.js';
import { readFound } from './discover.js';

/** One linted file of the plan. */
export interface PlannedFile {
  /** POSIX path relative to the working directory, as findings name it. */
  path: string;
  /** The file read, when it is not `path` resolved against the working directory (a symlink's target). */
  real?: string;
  kind: FileKind;
  /** Index into `LintPlan.configs`. */
  config: number;
}

/**
 * What a lint run needs to know about the tree, as structured-clone data (a worker gets it once).
 * `files` is in the order findings are reported (discovery order), which is also the order of
 * `ProjectView.paths()`.
 */
export interface LintPlan {
  cwd: string;
  files: PlannedFile[];
  /** The distinct resolved settings: files share them by index. */
  configs: ResolvedConfig[];
  /** Files of the tree that are not linted (display path, real path), for ProjectView.binary/unlinted. */
  unlinted: [string, string][];
  ignoreDirectives: boolean;
  /** False: every rule on every file (DEBARCH_LINT_NO_PREFILTER=1). */
  prefilter: boolean;
  /**
   * True for a run that only reports: results keep no `dependsOn` (the fixer's list of the files
   * each lint read; tens of paths per file, which for 60 repos held most of the heap).
   */
  findingsOnly?: boolean;
}

/** The result of linting one planned file: its FileResult, or why it could not be read now. */
export interface LintOutcome {
  index: number;
  result?: FileResult;
  problem?: FileProblem;
}

/** Characters of file text (bytes of a file not decoded) a view keeps at most (besides the file being linted): neighbours read again are cheap. */
export const VIEW_BUDGET_CHARS = 4 * 1024 * 1024;

export function realPathOf(plan: Pick<LintPlan, 'cwd'>, f: PlannedFile): string {
  return f.real ?? path.resolve(plan.cwd, f.path);
}

/**
 * A ProjectView over the plan's files: `paths()` is one array made once, `get` reads a file the
 * first time it is asked for and keeps the most recently used ones up to a character budget
 * (files of one folder are linted together, so their neighbours are usually still there).
 * A file evicted and asked for again is read again: the same text, a new SourceFile.
 */
export class FileStore implements ProjectView {
  private readonly index = new Map<string, number>();
  private readonly list: readonly string[];
  private readonly cache = new Map<string, SourceFile>();
  private chars = 0;
  private readonly binaries: ReturnType<typeof binaryReader>;

  constructor(
    private readonly plan: LintPlan,
    private readonly budget = VIEW_BUDGET_CHARS,
    /**
     * Whole files the read phase read (by path), checked as readFound checks them: each is
     * taken (and dropped from here) the first time the lint or a neighbour's lint wants it,
     * instead of opening the file again.
     */
    private readonly preread: Map<string, Buffer> = new Map(),
  ) {
    plan.files.forEach((f, i) => this.index.set(f.path, i));
    this.list = Object.freeze(plan.files.map((f) => f.path));
    this.binaries = binaryReader(new Map(plan.unlinted));
  }

  paths(): readonly string[] {
    return this.list;
  }

  has(p: string): boolean {
    return this.index.has(p);
  }

  get(p: string): SourceFile | undefined {
    const hit = this.cache.get(p);
    if (hit) {
      // most recently used last
      this.cache.delete(p);
      this.cache.set(p, hit);
      return hit;
    }
    const i = this.index.get(p);
    if (i === undefined) return undefined;
    const taken = this.take(p);
    if (taken) {
      this.keep(taken);
      return taken;
    }
    // read as the lint reads it (one descriptor, never through a link that replaced the file, never
    // waiting on a FIFO): the lint of this file may take the text kept here instead of reading it again
    const r = readFound({ real: realPathOf(this.plan, this.plan.files[i] as PlannedFile), display: p }, Infinity);
    if ('problem' in r) return undefined;
    const file = SourceFile.fromBytes(p, r.bytes);
    this.keep(file);
    return file;
  }

  /**
   * The file as kept, if it is (a neighbour's lint asked for it), or as the read phase read it:
   * no read, no reordering.
   */
  held(p: string): SourceFile | undefined {
    return this.cache.get(p) ?? this.take(p);
  }

  /** The read phase's bytes of `p` as a file, once. */
  private take(p: string): SourceFile | undefined {
    const bytes = this.preread.get(p);
    if (!bytes) return undefined;
    this.preread.delete(p);
    return SourceFile.fromBytes(p, bytes);
  }

  /** Makes `file` what `get(file.path)` returns (the file being linted), within the budget. */
  keep(file: SourceFile): void {
    const old = this.cache.get(file.path);
    if (old) {
      this.chars -= old.size;
      this.cache.delete(file.path);
    }
    this.cache.set(file.path, file);
    this.chars += file.size;
    for (const [k, f] of this.cache) {
      if (this.chars <= this.budget || k === file.path) break;
      this.cache.delete(k);
      this.chars -= f.size;
    }
  }

  binary(p: string): ReturnType<NonNullable<ProjectView['binary']>> {
    return this.binaries.header(p);
  }

  unlinted(): readonly string[] {
    return this.binaries.paths;
  }
}

/**
 * Lints the plan's files `from` to `to` (exclusive) against `store`. The FileResults are
 * copied (structured clone) when they have findings, so that nothing they hold keeps a file's
 * text or model alive: a worker's results are copied the same way when posted.
 */
export function lintRange(plan: LintPlan, store: FileStore, rules: readonly AnyRule[], from: number, to: number, copy: boolean): LintOutcome[] {
  const out: LintOutcome[] = [];
  for (let i = from; i < to; i++) {
    const f = plan.files[i] as PlannedFile;
    // a file a neighbour's lint read is kept by the store, read by the same checks: not read again
    let file = store.held(f.path);
    if (!file) {
      // one descriptor, checked before it is read: a file that changed since discovery is named
      const r = readFound({ real: realPathOf(plan, f), display: f.path }, Infinity);
      if ('problem' in r) {
        out.push({ index: i, problem: r.problem });
        continue;
      }
      file = SourceFile.fromBytes(f.path, r.bytes);
    }
    store.keep(file);
    const target: LintTarget = { file, kind: f.kind, config: plan.configs[f.config] as ResolvedConfig };
    const result = lintFile(target, rules, store, { ignoreDirectives: plan.ignoreDirectives, prefilter: plan.prefilter });
    if (plan.findingsOnly) result.dependsOn = [];
    out.push({ index: i, result: copy && (result.findings.length > 0 || result.crashes.length > 0) ? structuredClone(result) : result });
  }
  return out;
}

/** Builds a plan from the files to lint, in order; files that share settings share one copy. */
export class PlanBuilder {
  private readonly files: PlannedFile[] = [];
  private readonly configs: ResolvedConfig[] = [];
  private readonly index = new Map<ResolvedConfig, number>();

  constructor(
    private readonly cwd: string,
    private readonly ignoreDirectives: boolean,
    private readonly prefilter = true,
    private readonly findingsOnly = false,
  ) {}

  add(c: { real: string; display: string; kind: { kind: FileKind } | FileKind }, config: ResolvedConfig): void {
    let i = this.index.get(config);
    if (i === undefined) this.index.set(config, (i = this.configs.push(config) - 1));
    const f: PlannedFile = { path: c.display, kind: typeof c.kind === 'string' ? c.kind : c.kind.kind, config: i };
    if (c.real !== path.resolve(this.cwd, c.display)) f.real = c.real;
    this.files.push(f);
  }

  build(unlinted: ReadonlyMap<string, string>): LintPlan {
    return { cwd: this.cwd, files: this.files, configs: this.configs, unlinted: [...unlinted], ignoreDirectives: this.ignoreDirectives, prefilter: this.prefilter, findingsOnly: this.findingsOnly };
  }
}

/** Lints every file of the plan here, in plan order (one thread: no pool, no worker loaded). */
export function lintPlanHere(plan: LintPlan, rules: readonly AnyRule[], onOutcome: (o: LintOutcome) => void, preread?: Map<string, Buffer>): void {
  const store = new FileStore(plan, VIEW_BUDGET_CHARS, preread);
  const n = plan.files.length;
  for (let from = 0; from < n; from += 64) for (const o of lintRange(plan, store, rules, from, Math.min(n, from + 64), true)) onOutcome(o);
}
