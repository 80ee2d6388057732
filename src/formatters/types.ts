import path from 'node:path';
import type { FileResult, RuleCrash } from '../engine/lint.js';
import type { Project } from '../cli/workspace.js';
import { byCodeUnit } from '../order.js';
import type { SourceFile } from '../source.js';
import type { ReportFacts } from './report-facts.js';
import type { AnyRule, Edit, FileProblem, Finding, Fix, Severity } from '../types.js';

/** Everything a formatter may show about one run. */
export interface LintReport {
  results: readonly FileResult[];
  /** Files not linted or linted with a caveat, and other per-path problems. */
  problems: readonly FileProblem[];
  crashes: readonly RuleCrash[];
  rules: readonly AnyRule[];
  /** What `--fix` would change (or changed): original texts and new files. */
  fixes?: { original: ReadonlyMap<string, string | undefined>; output: ReadonlyMap<string, SourceFile> };
  /** The linted texts by path, for formats that turn fix offsets into lines and columns. */
  sources?: SourceLookup;
  /**
   * The porting report's summary of each linted file (./report-facts.ts `reportFacts`), when the
   * run kept them; the markdown formatter computes the missing ones from `sources`.
   */
  facts?: ReadonlyMap<string, ReportFacts>;
  /** A workspace run: the findings of each project, in relpath order. */
  projects?: readonly ProjectSummary[];
}

/** One project of a workspace run (json `summary.projects`, a stylish line). */
export interface ProjectSummary {
  project: string;
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  fixable: number;
}

/** The text of a linted file by path (read again from disk when the run did not keep it). */
export interface SourceLookup {
  get(path: string): SourceFile | undefined;
}

export interface FormatOptions {
  color: boolean;
  /**
   * Absolute working directory and repository top (git toplevel, or the working directory
   * outside git): zuul, gerrit and sarif name files relative to the top.
   */
  cwd?: string;
  repoTop?: string;
  /** A workspace run: the top of the repository (project) a path is in; repoTop when undefined. */
  repoTopOf?: (path: string) => string | undefined;
  /** Inline comments at most (zuul, gerrit); the rest are summarised. Default 50. */
  maxComments?: number;
  /** gerrit: the label to vote on and the vote (the CLI decides it from the exit code). */
  vote?: { label: string; value: -1 | 1 };
  /** gerrit: `robot_comments` instead of `comments`, for servers before 3.10. */
  robotComments?: boolean;
  /** debarch-lint's version, for formats that name the tool. */
  version?: string;
  /** Base URL of the rule pages (`--docs-url`); `<base><rule-id>.md` is each rule's help link. */
  docsUrl?: string;
  /** markdown: the projects of the run (workspace projects, else git repositories), to group findings by. */
  projects?: readonly Project[];
}

export const DEFAULT_MAX_COMMENTS = 50;

/**
 * A rule's help link, only when a base URL was given (`--docs-url`, config `docsUrl`): the
 * project has no published home, and a link that does not resolve is worse than none. Without
 * one, help travels inline (SARIF `help`) or as a command (`debarch-lint explain <rule>`).
 */
export const ruleHelpUri = (ruleId: string, base: string | undefined): string | undefined =>
  base ? `${base.endsWith('/') ? base : `${base}/`}${ruleId}.md` : undefined;

/** The command that prints a rule's documentation. */
export const explainCommand = (ruleId: string): string => `debarch-lint explain ${ruleId}`;

/** A path relative to the working directory, made relative to the repository top (POSIX). */
export function repoPath(options: FormatOptions, p: string): string {
  const top = options.repoTopOf?.(p) ?? options.repoTop;
  if (!options.cwd || !top) return p;
  return path.relative(top, path.resolve(options.cwd, p)).split(path.sep).join('/');
}

/** 1-based lines and columns of a finding, never empty: an empty range grows by one character. */
export function nonEmptySpan(f: Finding): { line: number; column: number; endLine: number; endColumn: number } {
  const empty = f.endLine === f.line && f.endColumn <= f.column;
  return { line: f.line, column: f.column, endLine: f.endLine, endColumn: empty ? f.column + 1 : f.endColumn };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Which findings get an inline comment when there are more than `max`: errors first, then
 * warnings, then infos, each in file order. Returns the chosen ones (in file order) and the rest.
 */
export function capComments(findings: readonly Finding[], max: number): { shown: Finding[]; rest: Finding[] } {
  if (findings.length <= max) return { shown: [...findings], rest: [] };
  const order = findings.map((f, i) => ({ f, i }));
  order.sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i);
  const chosen = new Set(order.slice(0, max).map((x) => x.f));
  return { shown: findings.filter((f) => chosen.has(f)), rest: findings.filter((f) => !chosen.has(f)) };
}

/** "23 more not shown inline: 15 hardcoded-arch, 8 x86-compiler-flag" */
export function restSummary(rest: readonly Finding[]): string {
  const byRule = new Map<string, number>();
  for (const f of rest) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const parts = [...byRule].sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0])).map(([id, n]) => `${n} ${id}`);
  return `${rest.length} more not shown inline (${parts.join(', ')}); run debarch-lint locally to see them all`;
}

/** The text of an inline comment: the message, the rule, and what a fix would do. */
export function commentText(f: Finding, docsUrl?: string): string {
  const hint = f.fix
    ? `\n\nFix (debarch-lint --fix): ${f.fix.description}`
    : f.suggestions?.[0]
      ? `\n\nSuggestion (debarch-lint --fix --unsafe): ${f.suggestions[0].description}`
      : '';
  const url = ruleHelpUri(f.ruleId, docsUrl);
  return `${f.message} [${f.ruleId}]${hint}\n\nMore: ${url ? `${url} or ` : ''}\`${explainCommand(f.ruleId)}\``;
}

/** A formatter turns a report into the text written to stdout or `-o FILE`. */
export type Formatter = (report: LintReport, options: FormatOptions) => string;

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function allFindings(report: LintReport): Finding[] {
  return report.results.flatMap((r) => r.findings);
}

export interface Summary {
  files: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  fixable: number;
  suggestions: number;
  problems: number;
  crashes: number;
}

export function summarize(report: LintReport): Summary {
  const f = allFindings(report);
  return {
    files: report.results.length,
    findings: f.length,
    errors: f.filter((x) => x.severity === 'error').length,
    warnings: f.filter((x) => x.severity === 'warning').length,
    infos: f.filter((x) => x.severity === 'info').length,
    fixable: f.filter((x) => x.fix).length,
    suggestions: f.filter((x) => !x.fix && x.suggestions?.length).length,
    problems: report.problems.length,
    crashes: report.crashes.length,
  };
}

/** The one-line messages for problems and crashes (stderr in stylish and gcc). */
export function problemLines(report: LintReport): string[] {
  return [
    ...report.problems.map((p) => `${p.path}${p.line ? `:${p.line}` : ''}: ${p.level === 'error' ? 'error' : 'note'}: ${p.message}`),
    ...report.crashes.map(
      (c) => `${c.path}:${c.line}: internal error: rule '${c.ruleId}' crashed: ${c.message} (other results are shown; please report this)`,
    ),
  ];
}

/** Where a fix edit falls, in lines and columns of its file; undefined when that text is unknown or the file is new. */
export function editSpan(
  report: LintReport,
  edit: Edit,
  findingPath: string,
): { path: string; start: { line: number; column: number }; end: { line: number; column: number } } | undefined {
  const p = edit.path ?? findingPath;
  const file = report.sources?.get(p);
  if (!file || edit.create) return undefined;
  return { path: p, start: file.position(edit.range[0]), end: file.position(edit.range[1]) };
}

/** The fixes of a finding, safe one first; only those whose every edit can be placed. */
export function placeableFixes(report: LintReport, f: Finding): { fix: Fix; safe: boolean; edits: NonNullable<ReturnType<typeof editSpan> & { text: string }>[] }[] {
  const out: { fix: Fix; safe: boolean; edits: NonNullable<ReturnType<typeof editSpan> & { text: string }>[] }[] = [];
  for (const [fix, safe] of [...(f.fix ? [[f.fix, true] as const] : []), ...(f.suggestions ?? []).map((s) => [s, false] as const)]) {
    const edits = fix.edits.map((e) => {
      const span = editSpan(report, e, f.path);
      return span ? { ...span, text: e.text } : undefined;
    });
    if (edits.every((e) => e !== undefined)) out.push({ fix, safe, edits: edits as NonNullable<(typeof edits)[number]>[] });
  }
  return out;
}
