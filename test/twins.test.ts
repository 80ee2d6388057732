/**
 * The twin fix on the bundled example tree (DESIGN §6): `--fix` creates the arm64 twins of the
 * generic lists beside them, byte for byte what fixtures/arch-only-list-entry/twin-created/out/
 * holds, and a second `--fix` changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FIXTURES, cli, copyTree, readTree, tempDir } from './helpers.js';

const CASE_OUT = path.join(FIXTURES, 'arch-only-list-entry', 'twin-created', 'out');
const TWINS = [
  'kernel/debian_pkg_dirs_arm64',
  'kernel/debian_iso_image_arm64.inc',
  'tools/debian-mirror-tools/config/debian/bullseye/common/base-bullseye_arm64.lst',
];

let work: string | undefined;
afterEach(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  work = undefined;
});

it('--fix on fixtures/example creates the twin lists beside the generic ones, byte-exact, once', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'example'), work);
  for (const t of TWINS) expect(fs.existsSync(path.join(work, t)), t).toBe(false);
  await cli(work, ['--fix', '--format', 'json', '.']);
  for (const t of TWINS) {
    expect(fs.readFileSync(path.join(work, t)).equals(fs.readFileSync(path.join(CASE_OUT, t))), t).toBe(true);
  }
  const once = readTree(work);
  const again = await cli(work, ['--fix', '--format', 'json', '.']);
  expect(readTree(work)).toEqual(once);
  // the generic lists are now what amd64 uses: nothing there is arch-only-list-entry's any more
  const report = JSON.parse(again.stdout);
  expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'arch-only-list-entry')).toEqual([]);
  // no stray temp files of the atomic writes
  expect([...once.keys()].filter((p) => p.includes('.debarch-lint-'))).toEqual([]);
});

it('a twin that appears after the run started is never overwritten; nothing is written then', async () => {
  work = tempDir();
  copyTree(path.join(FIXTURES, 'arch-only-list-entry', 'twin-created', 'in'), work);
  // lint only the generic list: the project does not see the twin the user made meanwhile
  fs.writeFileSync(path.join(work, 'kernel/debian_pkg_dirs_arm64'), 'mine\n');
  const r = await cli(work, ['--fix', '--format', 'json', 'kernel/debian_pkg_dirs']);
  expect(fs.readFileSync(path.join(work, 'kernel/debian_pkg_dirs_arm64'), 'utf8')).toBe('mine\n');
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stdout).errors.map((e: { message: string }) => e.message).join('\n')).toMatch(/exists/);
});
