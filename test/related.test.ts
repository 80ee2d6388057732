/**
 * One file-level fix is one finding (DESIGN §4): the pinned amd64 URLs of one `.lst` are one
 * arch-in-download-url finding at the first, the others its related locations — in json
 * (`related` with positions), SARIF (`relatedLocations`), stylish ("… and N more") — and in
 * changed-lines mode a changed line among them still gets its own finding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const SNAP = 'https://snapshot.debian.org/archive/debian/20230601T000000Z/pool/main';
/** A generic `.lst` pinning `n` amd64 builds (made-up packages `tool0`…). */
const list = (n: number): string =>
  Array.from({ length: n }, (_, i) => `tool${i}  1.${i}-1  ${SNAP}/t/tool${i}/tool${i}_1.${i}-1_amd64.deb\n`).join('');

let work: string | undefined;
afterEach(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  work = undefined;
});

interface JsonFinding {
  path: string;
  line: number;
  ruleId: string;
  message: string;
  related?: { path: string; line: number; column: number; endLine: number; endColumn: number; message?: string }[];
}

it('json: one finding per list and rule, the count in the message, every other line in related', async () => {
  work = tempDir();
  fs.writeFileSync(path.join(work, 'os-std.lst'), list(4));
  const r = await cli(work, ['--format', 'json', '.']);
  const found: JsonFinding[] = JSON.parse(r.stdout).findings;
  expect(found.map((f) => `${f.path}:${f.line} ${f.ruleId}`)).toEqual(['os-std.lst:1 arch-in-download-url']);
  const [f] = found;
  expect(f?.message).toMatch(/^4 pinned amd64 URLs \('tool0_1\.0-1_amd64\.deb' and 3 more\)/);
  expect(f?.related?.map((l) => [l.path, l.line, l.endLine])).toEqual([['os-std.lst', 2, 2], ['os-std.lst', 3, 3], ['os-std.lst', 4, 4]]);
  const col = list(4).split('\n')[1]?.indexOf('_amd64') ?? -1;
  expect(f?.related?.[0]).toMatchObject({ column: col + 2, endColumn: col + 2 + 'amd64'.length });
  expect(f?.related?.[0]?.message).toMatch(/^'tool1_1\.1-1_amd64\.deb' pins the amd64 build on arm64/);
});

it('sarif: the other lines are relatedLocations', async () => {
  work = tempDir();
  fs.writeFileSync(path.join(work, 'os-std.lst'), list(3));
  const r = await cli(work, ['--format', 'sarif', '.']);
  const [result, ...rest] = JSON.parse(r.stdout).runs[0].results;
  expect(rest).toEqual([]);
  expect(result.relatedLocations.map((l: { physicalLocation: { region: { startLine: number } } }) => l.physicalLocation.region.startLine)).toEqual([2, 3]);
  expect(result.relatedLocations[0].message.text).toMatch(/tool1/);
});

it('stylish lists the first few related places, then "… and N more"; gcc prints one line', async () => {
  work = tempDir();
  fs.writeFileSync(path.join(work, 'os-std.lst'), list(9));
  const stylish = (await cli(work, ['--format', 'stylish', '.'])).stdout;
  expect(stylish).toMatch(/also: 2:\d+, 3:\d+, 4:\d+, 5:\d+, 6:\d+ … and 3 more/);
  const gcc = (await cli(work, ['--format', 'gcc', '.'])).stdout;
  expect(gcc.trim().split('\n')).toHaveLength(1);
  expect(gcc).toMatch(/^os-std\.lst:1:\d+: warning: 9 pinned amd64 URLs/);
});

it('changed-lines mode: a changed line that is a related location gets its own finding, with its own message', async () => {
  work = tempDir();
  fs.writeFileSync(path.join(work, 'os-std.lst'), list(4));
  const line3 = list(4).split('\n')[2];
  fs.writeFileSync(path.join(work, 'change.diff'), `--- a/os-std.lst\n+++ b/os-std.lst\n@@ -3,1 +3,1 @@\n-tool2  1.1-1\n+${line3}\n`);
  const r = await cli(work, ['--format', 'json', '--diff', 'change.diff', '.']);
  const found: JsonFinding[] = JSON.parse(r.stdout).findings;
  expect(found.map((f) => `${f.path}:${f.line} ${f.ruleId}`)).toEqual(['os-std.lst:3 arch-in-download-url']);
  expect(found[0]?.message).toMatch(/^'tool2_1\.2-1_amd64\.deb' pins the amd64 build on arm64/);
});
