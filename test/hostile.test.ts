/**
 * Hostile input (issue 11): inputs nested or repeated far past what a person writes. Each must
 * end in its stated outcome — findings, a notice, an exit code — never a stack overflow or an
 * internal error. No times are asserted here (`npm run bench:hostile` measures them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, tempDir, writeTree } from './helpers.js';

const N = 10_000;
let dir: string;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
/** Lints `files` in a fresh folder (gcc format). */
async function lint(files: Record<string, string>, args: string[] = []) {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = tempDir('debarch-hostile-');
  writeTree(dir, files);
  const r = await cli(dir, ['--format', 'gcc', ...args, '.']);
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
  return { ...r, lines: r.stdout.split('\n').filter(Boolean) };
}

describe('hostile input', () => {
  it('a directive before a continued CRLF line at the end of a script: it ends (it looped forever; found by the fixer properties)', async () => {
    const dir = tempDir();
    try {
      writeTree(dir, { 'scripts/build.sh': '# debarch-lint disable-next-line legacy-bios-boot\nexit 1 \\\r\n' });
      const r = await cli(dir, ['--format', 'gcc', '.']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^scripts\/build\.sh:1:1: warning: .*\[unused-directive\]\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('10,000 nested make conditionals: the flag inside them is guarded, the one after them is found', async () => {
    const rules = `#!/usr/bin/make -f\n${'ifeq ($(DEB_HOST_ARCH),amd64)\n'.repeat(N)}CFLAGS += -msse4.2\n${'endif\n'.repeat(N)}CFLAGS += -mavx2\n%:\n\tdh $@\n`;
    const r = await lint({ 'debian/rules': rules });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^debian/rules:${2 * N + 3}:11: warning: x86-only compiler flag '-mavx2' .*\\[x86-compiler-flag\\]$`))]);
  });

  it('a make expression nested 10,000 deep: read as text past depth 100, with a notice; what is in it and after it is found', async () => {
    const rules = `X := ${'$(if $(DEB_HOST_ARCH),'.repeat(N)}amd64${')'.repeat(N)}\nCFLAGS += -mavx2\n%:\n\tdh $@\n`;
    const r = await lint({ 'debian/rules': rules });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('debian/rules:1: note: a make expression nests deeper than 100 levels; read as text from there; linted, but not fixed');
    expect(r.lines).toEqual([
      expect.stringMatching(new RegExp(`^debian/rules:1:${5 + 22 * N + 1}: warning: hardcoded architecture 'amd64' .*\\[hardcoded-arch\\]$`)),
      expect.stringMatching(/^debian\/rules:2:11: warning: x86-only compiler flag '-mavx2' .*\[x86-compiler-flag\]$/),
    ]);
  });

  it('10,000 nested shell ifs and 10,000 nested cases: what they guard is silent, the literal after them is found', async () => {
    const sh =
      `#!/bin/sh\n${'if [ "$(uname -m)" = "x86_64" ]; then\n'.repeat(N)}cp a /usr/lib/x86_64-linux-gnu/\n${'fi\n'.repeat(N)}` +
      `${'case "$(uname -m)" in\nx86_64)\n'.repeat(N)}cp b /usr/lib/x86_64-linux-gnu/\n${';;\nesac\n'.repeat(N)}cp c /usr/lib/x86_64-linux-gnu/\n`;
    const r = await lint({ 'build.sh': sh });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^build\\.sh:${6 * N + 4}:15: warning: hardcoded architecture 'x86_64-linux-gnu' .*\\[hardcoded-arch\\]$`))]);
  });

  it('"$( nested 10,000 deep in one shell word: read without overflow', async () => {
    const r = await lint({ 'x.sh': `A=${'"$('.repeat(N)}uname -m${')"'.repeat(N)}\n` });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([]);
  });

  it('a Dockerfile instruction of 400,000 tokens: lexed without overflow', async () => {
    const r = await lint({ Dockerfile: `FROM debian\nRUN echo ${'a '.repeat(200_000)}\n` });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([]);
  });

  it('a 200,000-line debian_pkg_dirs: one finding that counts its 20 x86-only dirs', async () => {
    const list = Array.from({ length: 200_000 }, (_, i) => (i % 10_000 === 0 ? `x${i}/kernel-modules/qat` : `pkg/dir${i}`)).join('\n');
    const r = await lint({ debian_pkg_dirs: `${list}\n` });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^debian_pkg_dirs:1:1: error: 20 source dirs of this list cannot build on arm64 — 'x0\/kernel-modules\/qat' .* and 19 more: .*\[arch-only-list-entry\]$/)]);
  });

  it('a 200,000-line series: one finding that counts its 20 x86 patches', async () => {
    const series = Array.from({ length: 200_000 }, (_, i) => (i % 10_000 === 0 ? `x86/${i}-msr.patch` : `${i}-fix.patch`)).join('\n');
    const r = await lint({ 'hw/debian/source/format': '3.0 (quilt)\n', 'hw/debian/patches/series': `${series}\n` });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^hw\/debian\/patches\/series:1:1: warning: 20 patches of this series .*'x86\/0-msr\.patch' .* and 19 more.*\[arch-only-list-entry\]$/)]);
  });

  it('a path word that is no valid glob (`grubx64.efi[`): read as naming no file, not a rule crash', async () => {
    const r = await lint({ 'debian/control': 'Source: x\n\nPackage: x\nArchitecture: any\n', 'debian/x.install': 'usr/lib/grub/grubx64.efi[ /boot\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.lines).toEqual([expect.stringMatching(/^debian\/x\.install:1:14: warning: 'grubx64\.efi' is the x86-64 EFI binary.*\[x86-efi-binary\]$/)]);
  });

  it('a one-line yaml of exactly 5 MiB is linted; one byte more is skipped with the documented notice', async () => {
    const size = 5 * 1024 * 1024;
    const line = (n: number): string => `key: ${'a'.repeat(n - 6)}\n`;
    const at = await lint({ 'at.yaml': line(size) });
    expect(fs.statSync(path.join(dir, 'at.yaml')).size).toBe(size);
    expect(at.code).toBe(0);
    expect(at.stderr).toBe('');
    const over = await lint({ 'over.yaml': line(size + 1) });
    expect(over.code).toBe(0);
    expect(over.stderr).toBe(`over.yaml: note: larger than ${size} bytes (${size + 1}); skipped (see --max-file-size)\n`);
  });
});
