import { checkstyle } from './checkstyle.js';
import { diff } from './diff.js';
import { gcc, gccFile } from './gcc.js';
import { gerrit } from './gerrit.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { sarif } from './sarif.js';
import { stylish, stylishFile, stylishSummary } from './stylish.js';
import { zuul } from './zuul.js';
import type { FileResult } from '../engine/lint.js';
import type { FormatOptions, Formatter, LintReport } from './types.js';

export type { FormatOptions, Formatter, LintReport, SourceLookup, Summary } from './types.js';
export { DEFAULT_MAX_COMMENTS, summarize, allFindings, problemLines } from './types.js';

/**
 * Formatters by `--format` name. Problems and crashes go to stderr except for the formats that
 * carry them (`json`, `sarif`: SELF_CONTAINED).
 */
export const FORMATTERS: Readonly<Record<string, Formatter>> = { stylish, gcc, json, diff, sarif, checkstyle, junit, zuul, gerrit };
export const FORMAT_NAMES = Object.keys(FORMATTERS);
/** Formats whose output carries file problems and crashes themselves. */
export const SELF_CONTAINED = new Set(['json', 'sarif']);
/** Formats whose paths are relative to the repository top (the CLI finds it with git). */
export const REPO_RELATIVE = new Set(['sarif', 'zuul', 'gerrit']);

/**
 * Formats that can print each file's findings as soon as that file is linted (in report
 * order) and the rest at the end: what they print is exactly what the whole-report formatter
 * prints.
 */
export const STREAMED: Readonly<Record<string, { file(r: FileResult, o: FormatOptions): string; end(report: LintReport, o: FormatOptions): string }>> = {
  gcc: { file: gccFile, end: () => '' },
  stylish: { file: stylishFile, end: stylishSummary },
};
