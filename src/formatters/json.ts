import type { Fix, Finding } from '../types.js';
import type { Formatter } from './types.js';
import { allFindings, summarize } from './types.js';

const fixJson = (f: Fix, path: string): unknown => ({
  description: f.description,
  edits: f.edits.map((e) => ({ path: e.path ?? path, range: [e.range[0], e.range[1]], text: e.text, ...(e.create ? { create: true } : {}) })),
});

const findingJson = (f: Finding): unknown => ({
  path: f.path,
  line: f.line,
  column: f.column,
  endLine: f.endLine,
  endColumn: f.endColumn,
  ruleId: f.ruleId,
  severity: f.severity,
  message: f.message,
  ...(f.fix ? { fix: fixJson(f.fix, f.path) } : {}),
  ...(f.suggestions?.length ? { suggestions: f.suggestions.map((s) => fixJson(s, f.path)) } : {}),
  ...(f.related?.length
    ? { related: f.related.map((l) => ({ path: l.path, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, ...(l.message !== undefined ? { message: l.message } : {}) })) }
    : {}),
});

/**
 * DESIGN §8: version, findings (1-based lines and columns; UTF-16 offsets in fixes; `related`
 * places with their positions), errors, summary.
 */
export const json: Formatter = (report) =>
  JSON.stringify(
    {
      version: 1,
      findings: allFindings(report).map(findingJson),
      errors: [
        ...report.problems.map((p) => ({ path: p.path, message: p.message, level: p.level, ...(p.line ? { line: p.line } : {}) })),
        ...report.crashes.map((c) => ({ path: c.path, message: `rule '${c.ruleId}' crashed: ${c.message}`, level: 'error', line: c.line, ruleId: c.ruleId })),
      ],
      summary: report.projects ? { ...summarize(report), projects: report.projects } : summarize(report),
    },
    null,
    2,
  ) + '\n';
