import { Chalk, type ChalkInstance } from 'chalk';
import type { FileResult } from '../engine/lint.js';
import type { Finding } from '../types.js';
import type { FormatOptions, Formatter, LintReport } from './types.js';
import { summarize } from './types.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const SHOWN_RELATED = 5;

/** The first few related places (`12:5`, or `path:12:5` in another file), then "… and N more". */
function relatedList(f: Finding, path: string): string {
  const related = f.related ?? [];
  const shown = related.slice(0, SHOWN_RELATED).map((l) => `${l.path === path ? '' : `${l.path}:`}${l.line}:${l.column}`);
  const more = related.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` … and ${more} more` : ''}`;
}

/** Grouped by file, with the rule id and a one-line fix hint per finding, then a summary. */
export const stylish: Formatter = (report, options) =>
  report.results.map((r) => stylishFile(r, options)).join('') + stylishSummary(report, options);

const chalkFor = (options: FormatOptions): ChalkInstance => new Chalk({ level: options.color ? 1 : 0 });

/** One file's block (nothing for a file without findings): the format streams file by file. */
export function stylishFile(r: FileResult, options: FormatOptions): string {
  if (r.findings.length === 0) return '';
  const c = chalkFor(options);
  const sev = (f: Finding): string =>
    f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
  let out = `\n${c.underline(r.path)}\n`;
  const pos = r.findings.map((f) => `${f.line}:${f.column}`);
  const width = Math.max(...pos.map((p) => p.length));
  r.findings.forEach((f, i) => {
    out += `  ${c.dim((pos[i] as string).padEnd(width))}  ${sev(f).padEnd(options.color ? 17 : 7)}  ${f.message}  ${c.dim(f.ruleId)}\n`;
    const hint = f.fix ? `fix: ${f.fix.description}` : f.suggestions?.[0] ? `suggestion (--unsafe): ${f.suggestions[0].description}` : '';
    if (hint) out += `  ${' '.repeat(width)}  ${c.dim(`↳ ${hint}`)}\n`;
    if (f.related?.length) out += `  ${' '.repeat(width)}  ${c.dim(`also: ${relatedList(f, r.path)}`)}\n`;
  });
  return out;
}

/** The closing summary of the whole run. */
export function stylishSummary(report: LintReport, options: FormatOptions): string {
  const c = chalkFor(options);
  let out = '';
  const s = summarize(report);
  if (report.projects?.length) {
    out += '\n';
    const width = Math.max(...report.projects.map((p) => p.project.length));
    for (const p of report.projects) {
      const n = p.errors + p.warnings + p.infos;
      out += `  ${p.project.padEnd(width)}  ${plural(p.files, 'file')}, ${n === 0 ? 'no problems' : `${plural(n, 'problem')} (${p.errors} E, ${p.warnings} W, ${p.infos} I)${p.fixable ? `, ${p.fixable} fixable` : ''}`}\n`;
    }
  }
  if (s.findings > 0) {
    const line = `✖ ${plural(s.findings, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')})`;
    out += `\n${s.errors > 0 ? c.red.bold(line) : c.yellow.bold(line)}\n`;
    if (s.fixable > 0 || s.suggestions > 0) {
      const parts = [];
      if (s.fixable > 0) parts.push(`${s.fixable} fixable with --fix`);
      if (s.suggestions > 0) parts.push(`${s.suggestions} more with --fix --unsafe`);
      out += `  ${parts.join('; ')} (preview: --fix-dry-run)\n`;
    }
  }
  return out;
}
