import type { FileResult, RuleCrash } from '../engine/lint.js';
import type { SourceFile } from '../source.js';
import type { AnyRule, FileProblem, Finding } from '../types.js';

/** Everything a formatter may show about one run. */
export interface LintReport {
  results: readonly FileResult[];
  /** Files not linted or linted with a caveat, and other per-path problems. */
  problems: readonly FileProblem[];
  crashes: readonly RuleCrash[];
  rules: readonly AnyRule[];
  /** What `--fix` would change (or changed): original texts and new files. */
  fixes?: { original: ReadonlyMap<string, string | undefined>; output: ReadonlyMap<string, SourceFile> };
}

export interface FormatOptions {
  color: boolean;
}

/** A formatter turns a report into the text written to stdout or `-o FILE`. */
export type Formatter = (report: LintReport, options: FormatOptions) => string;

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
