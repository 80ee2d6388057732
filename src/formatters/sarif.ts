/**
 * SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps): every rule with its help
 * link and page, one physical location per result, fixes as replacements. Columns count UTF-16
 * code units, as the engine does.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { ruleMarkdown } from '../docs.js';
import type { Finding, Severity } from '../types.js';
import type { FormatOptions, Formatter, LintReport } from './types.js';
import { allFindings, nonEmptySpan, placeableFixes, repoPath, ruleHelpUri } from './types.js';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };
const SRCROOT = 'SRCROOT';

/** A POSIX relative path as a relative URI reference: each segment percent-encoded. */
export const pathUri = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

const location = (uri: string): Sarif.ArtifactLocation => ({ uri: pathUri(uri), uriBaseId: SRCROOT });

/** A stable fingerprint without line numbers: rule, path and the finding's text, like a baseline key. */
function fingerprint(f: Finding, path: string, report: LintReport): string {
  const file = report.sources?.get(f.path);
  const text = file ? file.text.slice(f.range[0], f.range[1]) : f.message;
  return createHash('sha256').update(`${f.ruleId}\0${path}\0${text}`).digest('hex').slice(0, 32);
}

function fixes(report: LintReport, f: Finding, options: FormatOptions): Sarif.Fix[] {
  return placeableFixes(report, f).map(({ fix, safe, edits }) => {
    const byPath = new Map<string, Sarif.Replacement[]>();
    for (const e of edits) {
      const p = repoPath(options, e.path);
      const list = byPath.get(p) ?? [];
      list.push({
        deletedRegion: { startLine: e.start.line, startColumn: e.start.column, endLine: e.end.line, endColumn: e.end.column },
        insertedContent: { text: e.text },
      });
      byPath.set(p, list);
    }
    return {
      description: { text: `${fix.description}${safe ? '' : ' (a suggestion: applied by --fix --unsafe)'}` },
      artifactChanges: [...byPath].map(([p, replacements]) => ({ artifactLocation: location(p), replacements })),
    };
  });
}

export function sarifLog(report: LintReport, options: FormatOptions): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const rules: Sarif.ReportingDescriptor[] = report.rules.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.description },
    fullDescription: { text: r.docs.rationale },
    ...(options.docsUrl ? { helpUri: ruleHelpUri(r.id, options.docsUrl) } : {}),
    help: { text: `${r.description} ${r.docs.rationale}`, markdown: ruleMarkdown(r) },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { fixable: r.fixable, fileKinds: [...r.appliesTo] },
  }));
  const results: Sarif.Result[] = allFindings(report).map((f) => {
    const p = repoPath(options, f.path);
    const s = nonEmptySpan(f);
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: location(p),
            region: { startLine: s.line, startColumn: s.column, endLine: s.endLine, endColumn: s.endColumn },
          },
        },
      ],
      partialFingerprints: { 'debarchLint/v1': fingerprint(f, p, report) },
    };
    if (f.related?.length) {
      result.relatedLocations = f.related.map((l, id) => {
        const end = l.endLine > l.line || l.endColumn > l.column ? { endLine: l.endLine, endColumn: l.endColumn } : { endLine: l.line, endColumn: l.column + 1 };
        return {
          id,
          physicalLocation: { artifactLocation: location(repoPath(options, l.path)), region: { startLine: l.line, startColumn: l.column, ...end } },
          ...(l.message !== undefined ? { message: { text: l.message } } : {}),
        };
      });
    }
    const index = ruleIndex.get(f.ruleId);
    if (index !== undefined) result.ruleIndex = index;
    const fx = fixes(report, f, options);
    if (fx.length) result.fixes = fx;
    return result;
  });
  const notifications: Sarif.Notification[] = [
    ...report.problems.map((p): Sarif.Notification => ({
      level: p.level === 'error' ? 'error' : 'note',
      message: { text: p.message },
      locations: [{ physicalLocation: { artifactLocation: location(repoPath(options, p.path)), ...(p.line ? { region: { startLine: p.line } } : {}) } }],
    })),
    ...report.crashes.map((c): Sarif.Notification => ({
      level: 'error',
      message: { text: `rule '${c.ruleId}' crashed: ${c.message}` },
      locations: [{ physicalLocation: { artifactLocation: location(repoPath(options, c.path)), region: { startLine: c.line } } }],
      associatedRule: { id: c.ruleId, ...(ruleIndex.has(c.ruleId) ? { index: ruleIndex.get(c.ruleId) } : {}) },
    })),
  ];
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'debarch-lint',
        ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
        rules,
      },
    },
    results,
    columnKind: 'utf16CodeUnits',
    invocations: [
      {
        executionSuccessful: report.crashes.length === 0 && !report.problems.some((p) => p.level === 'error'),
        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
  };
  if (options.repoTop) run.originalUriBaseIds = { [SRCROOT]: { uri: `${pathToFileURL(options.repoTop).href.replace(/\/?$/, '/')}` } };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

/** SARIF 2.1.0 (`--format sarif`), paths relative to the repository top (`%SRCROOT%`). */
export const sarif: Formatter = (report, options) => JSON.stringify(sarifLog(report, options), null, 2) + '\n';
