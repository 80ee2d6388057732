import { checkstyle } from './checkstyle.js';
import { diff } from './diff.js';
import { gcc, gccFile } from './gcc.js';
import { gerrit } from './gerrit.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import { sarif } from './sarif.js';
import { stylish, stylishFile, stylishSummary } from './stylish.js';
import { zuul } from './zuul.js';
import type { FormatName } from './load.js';
import type { FileResult } from '../engine/lint.js';
import type { FormatOptions, Formatter, LintReport } from './types.js';

export type { FormatOptions, Formatter, LintReport, SourceLookup, Summary } from './types.js';
export { DEFAULT_MAX_COMMENTS, summarize, allFindings, problemLines } from './types.js';

export { FORMAT_NAMES, REPO_RELATIVE, SELF_CONTAINED, loadFormatter, type FormatName } from './load.js';

/**
 * Formatters by `--format` name, all loaded (the CLI loads only the one asked for: ./load.ts).
 * Problems and crashes go to stderr except for the formats that carry them (`json`, `sarif`:
 * SELF_CONTAINED).
 */
export const FORMATTERS: Readonly<Record<FormatName, Formatter>> = { stylish, gcc, json, diff, sarif, checkstyle, junit, zuul, gerrit, markdown };

/**
 * Formats that can print each file's findings as soon as that file is linted (in report
 * order) and the rest at the end: what they print is exactly what the whole-report formatter
 * prints.
 */
export const STREAMED: Readonly<Record<string, { file(r: FileResult, o: FormatOptions): string; end(report: LintReport, o: FormatOptions): string }>> = {
  gcc: { file: gccFile, end: () => '' },
  stylish: { file: stylishFile, end: stylishSummary },
};
