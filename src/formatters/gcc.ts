import type { FileResult } from '../engine/lint.js';
import type { Formatter } from './types.js';

/**
 * `path:line:col: severity: message [rule-id]`, one finding per line, nothing else: the shape
 * Zuul's tox role (`^(.*):(\d+):(\d+): (.*)$`) turns into inline Gerrit comments.
 */
export const gcc: Formatter = (report) => report.results.map(gccFile).join('');

/** The lines of one file's findings: the format streams file by file. */
export const gccFile = (r: FileResult): string =>
  r.findings.map((f) => `${f.path}:${f.line}:${f.column}: ${f.severity}: ${f.message.replace(/(?<!\s)\s*\n\s*/g, ' ')} [${f.ruleId}]\n`).join('');
