import type { Formatter } from './types.js';
import { allFindings } from './types.js';

/**
 * `path:line:col: severity: message [rule-id]`, one finding per line, nothing else: the shape
 * Zuul's tox role (`^(.*):(\d+):(\d+): (.*)$`) turns into inline Gerrit comments.
 */
export const gcc: Formatter = (report) =>
  allFindings(report)
    .map((f) => `${f.path}:${f.line}:${f.column}: ${f.severity}: ${f.message.replace(/(?<!\s)\s*\n\s*/g, ' ')} [${f.ruleId}]\n`)
    .join('');
