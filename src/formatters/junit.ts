import { create } from 'xmlbuilder2';
import type { Formatter } from './types.js';

/**
 * JUnit XML (for CI test-report views): a `<testsuite>` per linted file, a failing `<testcase>`
 * per finding, and one passing test case for a clean file so every file shows up.
 * Crashed rules are `<error>`s of the file they crashed on.
 */
export const junit: Formatter = (report) => {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const total = { tests: 0, failures: 0, errors: 0 };
  const suites = report.results.map((r) => {
    const crashes = report.crashes.filter((c) => c.path === r.path);
    const tests = Math.max(1, r.findings.length + crashes.length);
    total.tests += tests;
    total.failures += r.findings.length;
    total.errors += crashes.length;
    return { r, crashes, tests };
  });
  const root = doc.ele('testsuites', {
    name: 'debarch-lint',
    tests: String(total.tests),
    failures: String(total.failures),
    errors: String(total.errors),
  });
  for (const { r, crashes, tests } of suites) {
    const suite = root.ele('testsuite', {
      name: r.path,
      tests: String(tests),
      failures: String(r.findings.length),
      errors: String(crashes.length),
    });
    for (const f of r.findings) {
      suite
        .ele('testcase', { classname: r.path, name: `${f.ruleId} at ${f.line}:${f.column}` })
        .ele('failure', { type: f.severity, message: f.message })
        .txt(`${f.path}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}]`);
    }
    for (const c of crashes) {
      suite
        .ele('testcase', { classname: r.path, name: `${c.ruleId} (crashed)` })
        .ele('error', { type: 'crash', message: c.message })
        .txt(`${c.path}:${c.line}: rule '${c.ruleId}' crashed: ${c.message}`);
    }
    if (r.findings.length === 0 && crashes.length === 0) suite.ele('testcase', { classname: r.path, name: 'debarch-lint' });
  }
  return root.end({ prettyPrint: true }) + '\n';
};
