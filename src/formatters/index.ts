import { checkstyle } from './checkstyle.js';
import { diff } from './diff.js';
import { gcc } from './gcc.js';
import { gerrit } from './gerrit.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';
import { zuul } from './zuul.js';
import type { Formatter } from './types.js';

export type { FormatOptions, Formatter, LintReport, Summary } from './types.js';
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
