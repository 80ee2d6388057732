/**
 * scripts/fixpoint-check on generated trees, through the built CLI: every fixture's `in/` tree
 * side by side in one tree (so cross-file rules see each other's files too), `--fix` and
 * `--fix --unsafe` twice — the second run writes nothing, nothing fixable is left, and what the
 * first run printed is a fresh lint of the written tree. And the check itself fails on a CLI that
 * does not reach its fixed point.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFixpoint, describeResult } from '../scripts/fixpoint-check.js';
import { FIXTURES, builtCli, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});


/** Every fixture case's `in/` tree under `<rule>/<case>/` of one new tree. */
function fixtureWorld(): string {
  const dir = tempDir('debarch-fixpoint-world-');
  dirs.push(dir);
  for (const rule of fs.readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!rule.isDirectory()) continue;
    for (const c of fs.readdirSync(path.join(FIXTURES, rule.name), { withFileTypes: true })) {
      const from = path.join(FIXTURES, rule.name, c.name, 'in');
      if (c.isDirectory() && fs.existsSync(from)) fs.cpSync(from, path.join(dir, rule.name, c.name), { recursive: true, verbatimSymlinks: true });
    }
  }
  return dir;
}

describe('fixpoint-check', () => {
  it.each(['fix', 'fix --unsafe'] as const)('every fixture tree together reaches the fixed point in one --%s', (mode) => {
    const world = fixtureWorld();
    const r = checkFixpoint(world, mode, { bin: builtCli() });
    expect(r.written, describeResult(r)).toBeGreaterThan(0);
    expect(r.ok, describeResult(r)).toBe(true);
  }, 300_000);

  it('fails a CLI whose second --fix still writes', () => {
    const dir = tempDir();
    dirs.push(dir);
    // a stand-in CLI that appends to a file on every --fix and prints no findings
    const fake = path.join(dir, 'fake-cli.mjs');
    fs.writeFileSync(
      fake,
      "import fs from 'node:fs';\nif (process.argv.includes('--fix')) fs.appendFileSync('a.txt', 'x');\n" +
        "process.stdout.write(JSON.stringify({ findings: [], errors: [] }));\n",
    );
    const tree = path.join(dir, 'tree');
    writeTree(tree, { 'a.txt': '' });
    const r = checkFixpoint(tree, 'fix', { bin: fake });
    expect(r.ok).toBe(false);
    expect(r.rewritten).toEqual(['a.txt']);
  });
});
