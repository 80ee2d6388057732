import { checkstyle } from './checkstyle.js';
import { diff } from './diff.js';
import { gcc } from './gcc.js';
import { gerrit } from './gerrit.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';
import { zuul } from './zuul.js';
import type { FormatName } from './load.js';
import type { Formatter } from './types.js';

export type { FormatOptions, Formatter, LintReport, SourceLookup, Summary } from './types.js';
export { DEFAULT_MAX_COMMENTS, summarize, allFindings, problemLines } from './types.js';

export { FORMAT_NAMES, REPO_RELATIVE, SELF_CONTAINED, loadFormatter, loadStreamed, type FormatName, type StreamedFormat } from './load.js';

/**
 * Formatters by `--format` name, all loaded (the CLI loads only the one asked for: ./load.ts).
 * Problems and crashes go to stderr except for the formats that carry them (`json`, `sarif`:
 * SELF_CONTAINED).
 */
export const FORMATTERS: Readonly<Record<FormatName, Formatter>> = { stylish, gcc, json, diff, sarif, checkstyle, junit, zuul, gerrit, markdown };

