/**
 * Meta-tests: the conventions that keep rules, fixtures, docs and the README in step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { resolveConfig } from '../src/config/index.js';
import { ruleMarkdown, updateReadme } from '../src/docs.js';
import { lintProject } from '../src/engine/lint.js';
import { classify } from '../src/kinds/index.js';
import { SourceFile } from '../src/source.js';
import { FIXTURES, ROOT } from './helpers.js';

const ruleFiles = fs
  .readdirSync(path.join(ROOT, 'rules'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));

function lintText(p: string, text: string, context: readonly { path: string; text: string }[] = []) {
  const target = (path: string, t: string) => {
    const kind = classify(path);
    if (!kind) throw new Error(`docs example path ${path} is no file kind`);
    return { file: new SourceFile(path, t), kind: kind.kind, config: resolveConfig(undefined, path, RULES) };
  };
  const [r] = lintProject([target(p, text), ...context.map((c) => target(c.path, c.text))], RULES);
  return r!.findings;
}

const fixtureCases = (id: string): string[] => {
  const dir = path.join(FIXTURES, id);
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((c) => path.join(dir, c)) : [];
};

describe('rules import only the rule kit and the types (DESIGN §7)', () => {
  it.each(RULES.map((r) => r.id))('%s', (id) => {
    const text = fs.readFileSync(path.join(ROOT, 'rules', `${id}.ts`), 'utf8');
    const from = [...text.matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]);
    expect(from.filter((f) => f !== '../src/rule-kit.js' && f !== '../src/types.js')).toEqual([]);
  });
});

describe('registry', () => {
  it('lists every rule file once, and nothing else', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([...ruleFiles].sort());
  });
  it('supersedes only registered rules, and no two rules supersede each other', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const r of RULES) {
      for (const s of r.supersedes ?? []) {
        expect(ids.has(s), `${r.id} supersedes ${s}`).toBe(true);
        expect(RULES.find((x) => x.id === s)?.supersedes ?? [], `${s} supersedes ${r.id} back`).not.toContain(r.id);
      }
    }
  });
  it('is sorted by id', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
  });
  it.each(RULES.map((r) => [r.id, r] as const))('%s: id is kebab-case and equals its file name', (id) => {
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(ruleFiles).toContain(id);
  });
  it('fixture folders belong to rules (besides the example tree)', () => {
    const dirs = fs.readdirSync(FIXTURES).filter((d) => d !== 'example');
    for (const d of dirs) expect(RULES.map((r) => r.id)).toContain(d);
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  it('has a fixture that fires and one that stays silent', () => {
    const cases = fixtureCases(id);
    const expected = cases.map((c) => fs.readFileSync(path.join(c, 'expected.txt'), 'utf8'));
    expect(expected.some((e) => e.includes(`[${id}]`))).toBe(true);
    expect(expected.some((e) => !e.includes(`[${id}]`))).toBe(true);
  });
  it('is fixable exactly when some fixture has an out/ tree', () => {
    const withOut = fixtureCases(id).some((c) => fs.existsSync(path.join(c, 'out')));
    expect(withOut).toBe(rule.fixable === 'fix');
  });
  it("docs: the bad example fires, the good one does not", () => {
    expect(lintText(rule.docs.bad.path, rule.docs.bad.text, rule.docs.context).map((f) => f.ruleId)).toContain(id);
    expect(lintText(rule.docs.good.path, rule.docs.good.text, rule.docs.context).map((f) => f.ruleId)).not.toContain(id);
  });
  it('docs page is generated from the metadata (npm run docs)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8')).toBe(ruleMarkdown(rule));
  });
  it('has options whose defaults double as their schema (plain JSON values)', () => {
    for (const v of Object.values(rule.defaultOptions)) expect(['string', 'number', 'boolean', 'object']).toContain(typeof v);
  });
});

describe('README', () => {
  it('rules table is generated from the metadata (npm run docs)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(updateReadme(readme, RULES)).toBe(readme);
  });
  it('opens with the install-and-run and the test commands', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block).toContain('npm ci');
    expect(block).toContain('npm run example');
    expect(block).toContain('npm test');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.example).toContain('fixtures/example');
  });
  it('no docs page is left for a removed rule', () => {
    for (const f of fs.readdirSync(path.join(ROOT, 'docs/rules'))) expect(RULES.map((r) => `${r.id}.md`)).toContain(f);
  });
});
