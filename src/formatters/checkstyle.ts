import { create } from 'xmlbuilder2';
import type { Formatter } from './types.js';

/**
 * Checkstyle XML (what Jenkins' warnings plugin, reviewdog and most CI dashboards read): a
 * `<file>` per linted file, an `<error>` per finding with `source="debarch-lint.<rule-id>"`.
 * Paths as in gcc and json: relative to the working directory.
 */
export const checkstyle: Formatter = (report) => {
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele('checkstyle', { version: '4.3' });
  for (const r of report.results) {
    const file = root.ele('file', { name: r.path });
    for (const f of r.findings) {
      file.ele('error', {
        line: String(f.line),
        column: String(f.column),
        severity: f.severity,
        message: `${f.message} (${f.ruleId})`,
        source: `debarch-lint.${f.ruleId}`,
      });
    }
  }
  return root.end({ prettyPrint: true }) + '\n';
};
