/**
 * Fixture runner: fixtures/<rule-id>/<case>/in/ is a small tree; expected.txt is what
 * `debarch-lint --format gcc .` prints there (every rule runs); out/ is the tree after `--fix`
 * (absent: --fix changes nothing). A second --fix must change nothing, and nothing fixable
 * may remain. unsafe/, where a case has one, is the tree after `--fix --unsafe` (suggestions
 * applied too).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, cli, copyTree, readTree, tempDir } from './helpers.js';

const cases: { rule: string; name: string; dir: string }[] = [];
for (const rule of fs.readdirSync(FIXTURES).sort()) {
  if (rule === 'example') continue;
  const ruleDir = path.join(FIXTURES, rule);
  if (!fs.statSync(ruleDir).isDirectory()) continue;
  for (const name of fs.readdirSync(ruleDir).sort()) cases.push({ rule, name, dir: path.join(ruleDir, name) });
}

const asText = (m: Map<string, Buffer>): Record<string, string> =>
  Object.fromEntries([...m].map(([k, v]) => [k, v.toString('latin1')]));

describe.each(cases)('$rule/$name', ({ dir }) => {
  const inDir = path.join(dir, 'in');
  const outDir = path.join(dir, 'out');
  const unsafeDir = path.join(dir, 'unsafe');

  it('reports what expected.txt lists', async () => {
    const expected = fs.readFileSync(path.join(dir, 'expected.txt'), 'utf8');
    const r = await cli(inDir, ['--format', 'gcc', '.']);
    expect(r.stdout).toBe(expected);
    // info findings alone do not fail a run
    expect(r.code).toBe(/: (?:warning|error): /.test(expected) ? 1 : 0);
  });

  it('--fix gives out/ byte for byte, and a second --fix changes nothing', async () => {
    const work = tempDir();
    copyTree(inDir, work);
    await cli(work, ['--fix', '--format', 'json', '.']);
    const want = fs.existsSync(outDir) ? readTree(outDir) : readTree(inDir);
    const got = readTree(work);
    expect(asText(got)).toEqual(asText(want));
    await cli(work, ['--fix', '--format', 'json', '.']);
    expect(asText(readTree(work))).toEqual(asText(want));
    const after = JSON.parse((await cli(work, ['--format', 'json', '.'])).stdout);
    expect(after.findings.filter((f: { fix?: unknown }) => f.fix)).toEqual([]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  // Only cases with an unsafe/ tree get this test (no skipped placeholder for the others).
  if (fs.existsSync(unsafeDir)) {
    it('--fix --unsafe gives unsafe/ byte for byte, and a second one changes nothing', async () => {
      const work = tempDir();
      copyTree(inDir, work);
      await cli(work, ['--fix', '--unsafe', '--format', 'json', '.']);
      const want = asText(readTree(unsafeDir));
      expect(asText(readTree(work))).toEqual(want);
      await cli(work, ['--fix', '--unsafe', '--format', 'json', '.']);
      expect(asText(readTree(work))).toEqual(want);
      fs.rmSync(work, { recursive: true, force: true });
    });
  }
});
