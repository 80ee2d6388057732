/** The bundled example tree shows every rule firing and a guarded package staying silent. */
import path from 'node:path';
import { expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { FIXTURES, cli } from './helpers.js';

it('every rule fires on fixtures/example; the guarded package is silent', async () => {
  const r = await cli(path.join(FIXTURES, 'example'), ['--format', 'json', '.']);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout);
  const ids = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
  for (const rule of RULES) expect(ids, rule.id).toContain(rule.id);
  expect(report.findings.filter((f: { path: string }) => f.path.startsWith('virt/qemu-guest-tools/'))).toEqual([]);
  expect(report.errors).toEqual([]);
});
