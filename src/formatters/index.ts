import { diff } from './diff.js';
import { gcc } from './gcc.js';
import { json } from './json.js';
import { stylish } from './stylish.js';
import type { Formatter } from './types.js';

export type { FormatOptions, Formatter, LintReport, Summary } from './types.js';
export { summarize, allFindings, problemLines } from './types.js';

/** Formatters by `--format` name. `stylish` and `gcc` send problems to stderr; `json` carries them. */
export const FORMATTERS: Readonly<Record<string, Formatter>> = { stylish, gcc, json, diff };
export const FORMAT_NAMES = Object.keys(FORMATTERS);
/** Formats whose output carries file problems and crashes themselves. */
export const SELF_CONTAINED = new Set(['json']);
