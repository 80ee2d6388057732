/** debarch-lint as a library: the pure engine, the rules, the formatters. */
export { SourceFile } from './source.js';
export { lintFile, lintProject, type FileResult, type LintTarget, type RuleCrash } from './engine/lint.js';
export { fixProject, type FixOutcome, type FixOptions } from './engine/fix.js';
export { resolveConfig, parseConfig, validateConfig, ConfigError, type Config, type ResolvedConfig } from './config/index.js';
export { classify, KINDS } from './kinds/index.js';
export { FORMATTERS } from './formatters/index.js';
export { RULES } from '../rules/index.js';
export { run } from './cli/run.js';
export { memoryIO, type IO } from './cli/io.js';
export type * from './types.js';
