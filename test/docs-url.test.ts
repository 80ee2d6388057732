/** Help links in sarif, zuul and gerrit follow --docs-url. */
import path from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES, cli } from './helpers.js';

it.each(['sarif', 'zuul', 'gerrit'])('%s help links use --docs-url', async (format) => {
  const cwd = path.join(FIXTURES, 'example');
  const base = 'https://mirror.example.org/debarch-lint/rules';
  const r = await cli(cwd, ['--format', format, '--docs-url', base, '.']);
  expect(r.code).toBe(1);
  const links = r.stdout.match(/https:\/\/[^"\s\\]+\.md/g) ?? [];
  expect(links.length).toBeGreaterThan(0);
  for (const l of links) expect(l).toMatch(/^https:\/\/mirror\.example\.org\/debarch-lint\/rules\/[a-z0-9-]+\.md$/);
});
