import type { Finding, Severity } from '../types.js';
import type { FormatOptions, Formatter } from './types.js';
import { DEFAULT_MAX_COMMENTS, allFindings, capComments, commentText, nonEmptySpan, repoPath, restSummary } from './types.js';

/** One entry of Zuul's `file_comments` (zuul/driver/util.py FILE_COMMENT). */
export interface ZuulFileComment {
  /** The last line of `range`, as Gerrit wants it. */
  line: number;
  message: string;
  level: Severity;
  /** Lines 1-based; characters 0-based, end exclusive. */
  range: { start_line: number; start_character: number; end_line: number; end_character: number };
}

/** What `zuul_return` takes under `data`. */
export interface ZuulReturn {
  zuul: { file_comments: Record<string, ZuulFileComment[]>; warnings?: string[] };
}

export function zuulComment(f: Finding, docsUrl?: string): ZuulFileComment {
  const s = nonEmptySpan(f);
  return {
    line: s.endLine,
    message: commentText(f, docsUrl),
    level: f.severity,
    range: { start_line: s.line, start_character: s.column - 1, end_line: s.endLine, end_character: s.endColumn - 1 },
  };
}

export function zuulReturn(findings: readonly Finding[], options: FormatOptions): ZuulReturn {
  const { shown, rest } = capComments(findings, options.maxComments ?? DEFAULT_MAX_COMMENTS);
  const fileComments: Record<string, ZuulFileComment[]> = {};
  for (const f of shown) (fileComments[repoPath(options, f.path)] ??= []).push(zuulComment(f, options.docsUrl));
  const out: ZuulReturn = { zuul: { file_comments: fileComments } };
  if (rest.length) out.zuul.warnings = [`debarch-lint: ${restSummary(rest)}.`];
  return out;
}

/**
 * `{"zuul": {"file_comments": {path: [{line, message, level, range}]}}}` for `zuul_return`,
 * paths relative to the repository top; `zuul.warnings` summarises what `--max-comments` cut.
 */
export const zuul: Formatter = (report, options) => JSON.stringify(zuulReturn(allFindings(report), options), null, 2) + '\n';
