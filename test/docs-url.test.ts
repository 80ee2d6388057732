/**
 * No dead links (DESIGN §8): the project has no published home, so no output carries a URL
 * unless `--docs-url` (or config `docsUrl`) names where the rule pages are. SARIF carries each
 * rule's documentation inline; zuul and gerrit comments end with `debarch-lint explain <rule>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FORMAT_NAMES } from '../src/formatters/index.js';
import { RULES } from '../rules/index.js';
import { FIXTURES, cli, tempDir, writeTree } from './helpers.js';

const example = path.join(FIXTURES, 'example');

it.each(FORMAT_NAMES)('%s output holds no URL of its own without --docs-url', async (format) => {
  const r = await cli(example, ['--format', format, '.']);
  expect(r.code).toBe(1);
  // the old default pointed at a location that was never published
  expect(r.stdout + r.stderr).not.toContain('opendev.org');
  // any URL left must be one the linted tree itself wrote (a finding quoting its line)
  const links = (r.stdout.match(/https?:\/\/[^"\s\\`)]+/g) ?? []).filter((l) => !l.startsWith('https://json.schemastore.org') && !/oasis-open|sarif/.test(l));
  for (const l of links) expect(l).not.toMatch(/\.md$/);
});

it('sarif carries every rule documentation inline and no helpUri', async () => {
  const r = await cli(example, ['--format', 'sarif', '.']);
  const log = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string; help: { text: string; markdown: string } }[] } } }[] };
  const rules = log.runs[0]?.tool.driver.rules ?? [];
  expect(rules.map((x) => x.id)).toEqual(RULES.map((x) => x.id));
  for (const x of rules) {
    expect(x.helpUri).toBeUndefined();
    expect(x.help.text.length).toBeGreaterThan(40);
    expect(x.help.markdown).toContain(x.id);
  }
});

it.each(['zuul', 'gerrit'])('%s comments end with the explain command', async (format) => {
  const r = await cli(example, ['--format', format, '.']);
  const messages = [...r.stdout.matchAll(/"message":\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  const comments = messages.filter((m) => m.includes(' ['));
  expect(comments.length).toBeGreaterThan(0);
  for (const c of comments) {
    const id = /\[([a-z0-9-]+)\]$/m.exec(c)?.[1];
    expect(RULES.some((x) => x.id === id)).toBe(true);
    expect(c.endsWith(`\`debarch-lint explain ${id}\``)).toBe(true);
  }
});

it.each(['sarif', 'zuul', 'gerrit'])('%s help links use --docs-url', async (format) => {
  const base = 'https://mirror.example.org/debarch-lint/rules';
  const r = await cli(example, ['--format', format, '--docs-url', base, '.']);
  expect(r.code).toBe(1);
  const links = r.stdout.match(/https:\/\/[^"\s\\`]+\.md/g) ?? [];
  expect(links.length).toBeGreaterThan(0);
  for (const l of links) expect(l).toMatch(/^https:\/\/mirror\.example\.org\/debarch-lint\/rules\/[a-z0-9-]+\.md$/);
});

it('config docsUrl sets the links; --docs-url wins; a bad one is a config error', async () => {
  const dir = tempDir();
  try {
    fs.cpSync(example, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.debarch-lint.json'), JSON.stringify({ docsUrl: 'https://docs.example.net/dl/' }));
    const fromConfig = await cli(dir, ['--format', 'zuul', '.']);
    expect(fromConfig.stdout).toMatch(/https:\/\/docs\.example\.net\/dl\/[a-z0-9-]+\.md/);
    const flag = await cli(dir, ['--format', 'zuul', '--docs-url', 'https://other.example.org/r', '.']);
    expect(flag.stdout).not.toContain('docs.example.net');
    expect(flag.stdout).toContain('https://other.example.org/r/');
    writeTree(dir, { '.debarch-lint.json': JSON.stringify({ docsUrl: 'not a url' }) });
    const bad = await cli(dir, ['--format', 'zuul', '.']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('docsUrl: must be an http(s) URL');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
