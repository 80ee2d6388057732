/**
 * The command line end to end, in-process: output formats (gcc, json, diff), exit codes,
 * rule and architecture selection, configuration files, output file, colour, the `rules` and
 * `explain` commands and standard input. Every case asserts the real bytes and exit code.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { FIXTURES, ROOT, cli, copyTree, readTree, tempDir, writeTree } from './helpers.js';

/** A debian/rules with one fixable hardcoded-arch warning on line 3. */
const RULES_TEXT = '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n';
const RULES_FIXED =
  '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\nLIBDIR = /usr/lib/$(DEB_HOST_MULTIARCH)\n\n%:\n\tdh $@\n';
const CLEAN_MAKEFILE = 'all:\n\techo hello\n';
const FLAG_MAKEFILE = 'CFLAGS += -O2 -msse4.2\n';
const MSG = "hardcoded architecture 'x86_64-linux-gnu' is wrong on arm64: use $(DEB_HOST_MULTIARCH)";
const FINDING_LINE = (p: string, sev = 'warning'): string => `${p}:3:19: ${sev}: ${MSG} [hardcoded-arch]\n`;
const GCC_LINE = /^(.*):(\d+):(\d+): (.*)$/;
const ANSI = /\u001b\[/;
const RULE_IDS = RULES.map((r) => r.id);
/** A rule's default as --print-config writes it: the severity, with its options when it has any. */
const printedSetting = (r: (typeof RULES)[number]): unknown => (Object.keys(r.defaultOptions).length ? [r.severity, r.defaultOptions] : r.severity);

const dirs: string[] = [];
function tree(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('debarch-lint-cli-');
  dirs.push(dir);
  writeTree(dir, files);
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Files of a tree, as text, without git's own. */
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries([...readTree(dir)].filter(([k]) => !k.startsWith('.git/')).map(([k, v]) => [k, v.toString('latin1')]));

/** A tree with findings of several rules, several files, multibyte text and a suggestion. */
const VARIED: Record<string, string | Uint8Array> = {
  'pkg/debian/rules':
    '#!/usr/bin/make -f\n# été 😀\n\nLIBDIR = /opt/😀/x86_64-linux-gnu\nURL = https://x/helm-v1-linux-amd64.tar.gz\n' +
    'CFLAGS += -msse4.2 -O2\n\n%:\n\tdh $@\n\noverride_dh_auto_build:\n\ttar xzf tool-linux-x86_64.tar.gz\n',
  'pkg/deb_folder/rules': RULES_TEXT,
  'tools/Makefile': FLAG_MAKEFILE,
  'tools/clean.mk': CLEAN_MAKEFILE,
  'README.txt': 'amd64 is not read here\n',
};

/** Checks the gcc lines of a run whose cwd is `cwd`; returns the parsed lines. */
function checkGcc(cwd: string, stdout: string): { path: string; line: number; column: number; rest: string }[] {
  expect(stdout === '' || stdout.endsWith('\n')).toBe(true);
  const lines = stdout === '' ? [] : stdout.slice(0, -1).split('\n');
  return lines.map((l) => {
    const m = GCC_LINE.exec(l);
    expect(m, `not a gcc line: ${JSON.stringify(l)}`).not.toBeNull();
    const [, p, line, col, rest] = m as unknown as [string, string, string, string, string];
    expect(path.isAbsolute(p)).toBe(false);
    expect(p).not.toContain('\\');
    const abs = path.join(cwd, p);
    expect(fs.statSync(abs).isFile()).toBe(true);
    const fileLines = fs.readFileSync(abs, 'utf8').split('\n');
    expect(Number(line)).toBeGreaterThanOrEqual(1);
    expect(Number(line)).toBeLessThanOrEqual(fileLines.length);
    expect(Number(col)).toBeGreaterThanOrEqual(1);
    expect(Number(col)).toBeLessThanOrEqual((fileLines[Number(line) - 1] as string).length + 1);
    expect(rest).toMatch(/^(error|warning|info): .+ \[[a-z0-9-]+\]$/);
    return { path: p, line: Number(line), column: Number(col), rest };
  });
}

describe('--format gcc', () => {
  it('every line is path:line:col: message with a relative path to an existing file; nothing else on stdout', async () => {
    const dir = tree(VARIED);
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const parsed = checkGcc(dir, r.stdout);
    expect(new Set(parsed.map((p) => p.path))).toEqual(new Set(['pkg/debian/rules', 'pkg/deb_folder/rules', 'tools/Makefile']));
    expect(parsed.length).toBeGreaterThanOrEqual(5);
    // the column is counted in UTF-16 units after the emoji: "LIBDIR = /opt/😀/" is 17 units
    expect(parsed).toContainEqual(expect.objectContaining({ path: 'pkg/debian/rules', line: 4, column: 18 }));

    // from a sub folder, paths stay relative to the cwd
    const sub = await cli(path.join(dir, 'pkg'), ['--format', 'gcc', '.']);
    const subParsed = checkGcc(path.join(dir, 'pkg'), sub.stdout);
    expect(new Set(subParsed.map((p) => p.path))).toEqual(new Set(['debian/rules', 'deb_folder/rules']));
    const named = await cli(dir, ['--format', 'gcc', 'tools']);
    expect(named.stdout).toMatch(/^tools\/Makefile:1:\d+: warning: .*-msse4\.2.* \[x86-compiler-flag\]\n$/);
  });

  it('the default format off a TTY is gcc; on a TTY it is stylish', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    expect((await cli(dir, ['.'])).stdout).toBe(FINDING_LINE('debian/rules'));
    const tty = await cli(dir, ['.'], { tty: true, env: { NO_COLOR: '1' } });
    expect(tty.stdout).toContain('\ndebian/rules\n  3:19  warning  ');
  });

  const example = path.join(FIXTURES, 'example');
  it.skipIf(!fs.existsSync(example))('over fixtures/example too', async () => {
    const r = await cli(ROOT, ['--format', 'gcc', 'fixtures/example']);
    expect([0, 1]).toContain(r.code);
    const parsed = checkGcc(ROOT, r.stdout);
    for (const p of parsed) expect(p.path.startsWith('fixtures/example/')).toBe(true);
    expect(r.code).toBe(parsed.some((p) => /^(error|warning)/.test(p.rest)) ? 1 : 0);
  });
});

interface JsonEdit {
  path: string;
  range: [number, number];
  text: string;
}
interface JsonFix {
  description: string;
  edits: JsonEdit[];
}

/** Applies non-overlapping edits; identical edits (one `include` wanted by two fixes) count once. */
function applyJsonEdits(text: string, edits: JsonEdit[]): string {
  const unique = edits.filter((e, i) => edits.findIndex((o) => o.range[0] === e.range[0] && o.range[1] === e.range[1] && o.text === e.text) === i);
  unique.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let pos = 0;
  for (const e of unique) {
    expect(e.range[0]).toBeGreaterThanOrEqual(pos);
    out += text.slice(pos, e.range[0]) + e.text;
    pos = e.range[1];
  }
  return out + text.slice(pos);
}

describe('--format json', () => {
  it('has the documented shape, relative paths, 1-based positions and UTF-16 fix offsets', async () => {
    const dir = tree({ ...VARIED, 'blob/Makefile': Buffer.from([0x61, 0, 0x62]) });
    const r = await cli(dir, ['--format', 'json', '.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(''); // json carries the problems itself
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['version', 'findings', 'errors', 'summary']);
    expect(j.version).toBe(1);
    expect(j.errors).toEqual([{ path: 'blob/Makefile', message: 'binary file (NUL byte); skipped', level: 'notice' }]);

    const required = ['path', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'severity', 'message'];
    let fixes = 0;
    let suggestions = 0;
    for (const f of j.findings) {
      const keys = Object.keys(f);
      expect(keys.slice(0, required.length)).toEqual(required);
      expect(keys.slice(required.length).every((k) => k === 'fix' || k === 'suggestions')).toBe(true);
      expect(fs.existsSync(path.join(dir, f.path))).toBe(true);
      expect(path.isAbsolute(f.path)).toBe(false);
      for (const k of ['line', 'column', 'endLine', 'endColumn']) expect(Number.isInteger(f[k]) && f[k] >= 1).toBe(true);
      expect(f.endLine * 10_000 + f.endColumn).toBeGreaterThan(f.line * 10_000 + f.column);
      expect(RULE_IDS).toContain(f.ruleId);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(typeof f.message).toBe('string');
      for (const fix of [...(f.fix ? [f.fix] : []), ...(f.suggestions ?? [])] as JsonFix[]) {
        expect(Object.keys(fix)).toEqual(['description', 'edits']);
        for (const e of fix.edits) {
          expect(Object.keys(e)).toEqual(['path', 'range', 'text']);
          expect(e.range).toHaveLength(2);
          expect(e.range[0]).toBeLessThanOrEqual(e.range[1]);
        }
      }
      if (f.fix) fixes++;
      if (!f.fix && f.suggestions) suggestions++;
    }
    expect(fixes).toBeGreaterThan(0);
    expect(suggestions).toBeGreaterThan(0);

    // the range of a finding is where its line/column say; offsets are UTF-16 code units
    const rulesText = fs.readFileSync(path.join(dir, 'pkg/debian/rules'), 'utf8');
    const triplet = j.findings.find((f: { ruleId: string; path: string }) => f.ruleId === 'hardcoded-arch' && f.path === 'pkg/debian/rules');
    expect(triplet).toMatchObject({ line: 4, column: 18, endLine: 4, endColumn: 34 });
    const replace = (triplet.fix as JsonFix).edits.find((e) => e.text === '$(DEB_HOST_MULTIARCH)') as JsonEdit;
    expect(rulesText.slice(replace.range[0], replace.range[1])).toBe('x86_64-linux-gnu');
    expect(Buffer.byteLength(rulesText.slice(0, replace.range[0]))).not.toBe(replace.range[0]); // not bytes

    expect(j.summary).toEqual({
      files: 4,
      findings: j.findings.length,
      errors: 0,
      warnings: j.findings.length,
      infos: 0,
      fixable: fixes,
      suggestions,
      problems: 1,
      crashes: 0,
    });

    // the fix edits, applied to each file's text, give exactly what --fix writes
    const before = snapshot(dir);
    const want = new Map<string, string>();
    for (const f of j.findings) {
      if (!f.fix) continue;
      for (const e of (f.fix as JsonFix).edits) want.set(e.path, '');
    }
    for (const p of want.keys()) {
      const edits = j.findings.flatMap((f: { fix?: JsonFix }) => (f.fix ? f.fix.edits : [])).filter((e: JsonEdit) => e.path === p);
      want.set(p, applyJsonEdits(fs.readFileSync(path.join(dir, p), 'utf8'), edits));
    }
    const fixed = await cli(dir, ['--fix', '--format', 'json', '.']);
    expect(fixed.code).toBe(1); // the suggestion-only finding remains
    for (const [p, text] of want) expect(fs.readFileSync(path.join(dir, p), 'utf8'), p).toBe(text);
    const after = snapshot(dir);
    for (const p of Object.keys(before)) if (!want.has(p)) expect(after[p], p).toBe(before[p]);
    expect(JSON.parse(fixed.stdout).findings.every((f: { fix?: unknown }) => !f.fix)).toBe(true);
  });

  it('paths (and fix edit paths) are relative to the working directory', async () => {
    const dir = tree({ 'pkg/debian/rules': RULES_TEXT });
    const top = JSON.parse((await cli(dir, ['--format', 'json', 'pkg'])).stdout);
    expect(top.findings.map((f: { path: string }) => f.path)).toEqual(['pkg/debian/rules']);
    expect(top.findings[0].fix.edits.map((e: JsonEdit) => e.path)).toEqual(['pkg/debian/rules', 'pkg/debian/rules']);
    const inside = JSON.parse((await cli(path.join(dir, 'pkg'), ['--format', 'json', '.'])).stdout);
    expect(inside.findings.map((f: { path: string }) => f.path)).toEqual(['debian/rules']);
    expect(inside.findings[0]).toMatchObject({ line: 3, column: 19, endLine: 3, endColumn: 35 });
  });
});

describe('--fix-dry-run', () => {
  const git = (cwd: string, args: string[], input?: string) => {
    const r = spawnSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', '-c', 'core.autocrlf=false', ...args], {
      cwd,
      input,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('prints a diff git apply accepts, changes nothing, and applying it gives what --fix writes', async () => {
    const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
    const files = {
      ...VARIED,
      'bom/debian/rules': Buffer.concat([BOM, Buffer.from(RULES_TEXT)]),
      'crlf/debian/rules': RULES_TEXT.replace(/\n/g, '\r\n'),
      'bomcrlf/debian/rules': Buffer.concat([BOM, Buffer.from(RULES_TEXT.replace(/\n/g, '\r\n'))]),
      'nonl/Makefile': FLAG_MAKEFILE.slice(0, -1),
      'nonl2/Makefile': `${FLAG_MAKEFILE}\nall:\n\techo hi`,
    };
    const repo = tree(files);
    expect(git(repo, ['init', '-q']).code).toBe(0);
    expect(git(repo, ['add', '-A']).code).toBe(0);
    expect(git(repo, ['commit', '-qm', 'initial']).code).toBe(0);
    const before = snapshot(repo);

    const r = await cli(repo, ['--fix-dry-run', '.']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the suggestion-only finding stays after the fixes
    expect(r.stdout).toMatch(/^diff --git a\//);
    for (const p of ['bom/debian/rules', 'bomcrlf/debian/rules', 'crlf/debian/rules', 'nonl/Makefile', 'nonl2/Makefile', 'pkg/debian/rules', 'pkg/deb_folder/rules', 'tools/Makefile']) {
      expect(r.stdout).toContain(`diff --git a/${p} b/${p}\n--- a/${p}\n+++ b/${p}\n`);
    }
    expect(snapshot(repo)).toEqual(before);

    const check = git(repo, ['apply', '--check', '-'], r.stdout);
    expect(check.err).toBe('');
    expect(check.code).toBe(0);

    const fixedDir = tree({});
    copyTree(repo, fixedDir);
    fs.rmSync(path.join(fixedDir, '.git'), { recursive: true });
    await cli(fixedDir, ['--fix', '--format', 'gcc', '.']);
    const fixed = snapshot(fixedDir);
    expect(fixed).not.toEqual(before);

    const apply = git(repo, ['apply', '-'], r.stdout);
    expect(apply.code).toBe(0);
    expect(snapshot(repo)).toEqual(fixed);
    // the fixed tree has nothing left to fix: the diff is empty
    expect((await cli(repo, ['--fix-dry-run', '.'])).stdout).toBe('');
  });

  it('--fix and --fix-dry-run together are a usage error', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const r = await cli(dir, ['--fix', '--fix-dry-run', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('debarch-lint: use either --fix or --fix-dry-run\n');
    expect(fs.readFileSync(path.join(dir, 'debian/rules'), 'utf8')).toBe(RULES_TEXT);
  });
});

describe('exit codes', () => {
  const warnTree = tree({ 'debian/rules': RULES_TEXT });
  const cleanTree = tree({ 'debian/rules': CLEAN_MAKEFILE, Makefile: CLEAN_MAKEFILE });
  const infoTree = tree({ 'debian/rules': RULES_TEXT, '.debarch-lint.json': '{"rules": {"hardcoded-arch": "info"}}' });
  const errorTree = tree({ 'debian/rules': RULES_TEXT, '.debarch-lint.json': '{"rules": {"hardcoded-arch": "error"}}' });
  const trees = { warning: warnTree, clean: cleanTree, info: infoTree, error: errorTree };

  it.each([
    // one warning
    ['warning', 'error', '-1', 0],
    ['warning', 'error', '0', 1],
    ['warning', 'error', '1', 0],
    ['warning', 'warning', '-1', 1],
    ['warning', 'warning', '0', 1],
    ['warning', 'warning', '1', 1],
    ['warning', 'info', '-1', 1],
    ['warning', 'info', '0', 1],
    ['warning', 'info', '1', 1],
    // no finding
    ['clean', 'error', '-1', 0],
    ['clean', 'error', '0', 0],
    ['clean', 'error', '1', 0],
    ['clean', 'warning', '-1', 0],
    ['clean', 'warning', '0', 0],
    ['clean', 'warning', '1', 0],
    ['clean', 'info', '-1', 0],
    ['clean', 'info', '0', 0],
    ['clean', 'info', '1', 0],
    // one info: only --fail-level info fails, and infos are no warnings
    ['info', 'error', '-1', 0],
    ['info', 'error', '0', 0],
    ['info', 'error', '1', 0],
    ['info', 'warning', '-1', 0],
    ['info', 'warning', '0', 0],
    ['info', 'warning', '1', 0],
    ['info', 'info', '-1', 1],
    ['info', 'info', '0', 1],
    ['info', 'info', '1', 1],
    // one error fails whatever the level and the warning limit
    ['error', 'error', '-1', 1],
    ['error', 'error', '0', 1],
    ['error', 'error', '1', 1],
    ['error', 'warning', '-1', 1],
    ['error', 'warning', '0', 1],
    ['error', 'warning', '1', 1],
    ['error', 'info', '-1', 1],
    ['error', 'info', '0', 1],
    ['error', 'info', '1', 1],
  ] as const)('%s tree, --fail-level %s --max-warnings %s → %i', async (kind, level, max, code) => {
    const r = await cli(trees[kind], ['--format', 'gcc', '--fail-level', level, '--max-warnings', max, '.']);
    expect(r.code).toBe(code);
    expect(r.stderr).toBe('');
    // the findings are printed whatever the exit code
    expect(r.stdout).toBe(kind === 'clean' ? '' : FINDING_LINE('debian/rules', kind));
  });

  it('bad option values are usage errors', async () => {
    for (const args of [['--fail-level', 'fatal'], ['--format', 'xml'], ['--no-such-flag'], ['--suite', 'woody']]) {
      const r = await cli(warnTree, [...args, '.']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^debarch-lint: [\s\S]+\nRun 'debarch-lint --help' for usage\.\n$/);
    }
    // a number that is no number would switch the limit off
    for (const [flag, value, msg] of [
      ['--max-warnings', 'abc', '--max-warnings: expected a whole number of warnings (-1: no limit)'],
      ['--max-warnings', '-2', '--max-warnings: expected a whole number of warnings (-1: no limit)'],
      ['--max-warnings', '0.5', '--max-warnings: expected a whole number of warnings (-1: no limit)'],
      ['--max-file-size', 'abc', '--max-file-size: expected a whole number of bytes'],
      ['--max-file-size', '-5', '--max-file-size: expected a whole number of bytes'],
    ]) {
      const r = await cli(warnTree, ['--format', 'gcc', flag as string, value as string, '.']);
      expect(r.code, `${flag} ${value}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`debarch-lint: ${msg}\n`);
    }
    const missing = await cli(warnTree, ['--format', 'gcc', 'no/such/dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('no/such/dir: error: no such file or directory\n');
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await cli(warnTree, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--fail-level');
    expect(r.stdout).toContain('--max-file-size');
  });
});

describe('selecting rules and architectures', () => {
  const dir = tree({ 'debian/rules': RULES_TEXT, 'tools/Makefile': FLAG_MAKEFILE });
  const FLAG = /^tools\/Makefile:1:\d+: warning: .*-msse4\.2.* \[x86-compiler-flag\]\n$/;

  it('--quiet hides warnings and shows errors', async () => {
    const q = await cli(dir, ['--format', 'gcc', '--quiet', '.']);
    expect(q.stdout).toBe('');
    expect(q.stderr).toBe('');
    const qs = await cli(dir, ['--format', 'stylish', '--quiet', '.']);
    expect(qs.stdout).toBe('');
    const qj = JSON.parse((await cli(dir, ['--format', 'json', '--quiet', '.'])).stdout);
    expect(qj.findings).toEqual([]);
    const withError = tree({ 'debian/rules': RULES_TEXT, 'tools/Makefile': FLAG_MAKEFILE, '.debarch-lint.json': '{"rules":{"hardcoded-arch":"error"}}' });
    const e = await cli(withError, ['--format', 'gcc', '-q', '.']);
    expect(e.stdout).toBe(FINDING_LINE('debian/rules', 'error'));
    expect(e.code).toBe(1);
  });

  it('--rule X runs only X; --disable X runs all but X; both take lists and are followed by paths', async () => {
    const all = await cli(dir, ['--format', 'gcc', '.']);
    expect(all.stdout.split('\n').filter(Boolean)).toHaveLength(2);

    const only = await cli(dir, ['--format', 'gcc', '--rule', 'x86-compiler-flag', '.']);
    expect(only.stderr).toBe('');
    expect(only.stdout).toMatch(FLAG);
    expect(only.code).toBe(1);

    const disabled = await cli(dir, ['--format', 'gcc', '--disable', 'x86-compiler-flag', '.']);
    expect(disabled.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(disabled.code).toBe(1);

    const both = await cli(dir, ['--format', 'gcc', '--rule', 'hardcoded-arch,x86-compiler-flag', '--disable', 'hardcoded-arch', 'debian', 'tools']);
    expect(both.stdout).toMatch(FLAG);

    const repeated = await cli(dir, ['--format', 'gcc', '--rule', 'hardcoded-arch', '--rule', 'x86-compiler-flag', '.']);
    expect(repeated.stdout).toBe(all.stdout);

    const none = await cli(dir, ['--format', 'gcc', '--rule', 'arch-in-download-url', '.']);
    expect(none.stdout).toBe('');
    expect(none.code).toBe(0);
  });

  it('an unknown rule id is exit 2 with the valid names listed', async () => {
    for (const flag of ['--rule', '--disable']) {
      const r = await cli(dir, ['--format', 'gcc', flag, 'hardcoded-archs', '.']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`debarch-lint: unknown rule 'hardcoded-archs'; valid rules: ${RULE_IDS.join(', ')}\n`);
    }
  });

  it('--architectures decides which arches a literal is wrong on', async () => {
    const three = await cli(dir, ['--format', 'gcc', '--rule', 'hardcoded-arch', '--architectures', 'amd64,arm64,riscv64', '.']);
    expect(three.stdout).toBe(
      "debian/rules:3:19: warning: hardcoded architecture 'x86_64-linux-gnu' is wrong on arm64, riscv64: use $(DEB_HOST_MULTIARCH) [hardcoded-arch]\n",
    );
    expect(three.code).toBe(1);
    // a tree that only builds on amd64 may say x86_64
    const amd64 = await cli(dir, ['--format', 'gcc', '--architectures', 'amd64', '.']);
    expect(amd64.stdout).toBe('');
    expect(amd64.code).toBe(0);
  });

  it('an unknown architecture is exit 2 with the known ones listed', async () => {
    for (const [arg, bad] of [['amd64,vax', 'vax'], ['x86_64', 'x86_64'], ['', '(empty)']] as const) {
      const r = await cli(dir, ['--format', 'gcc', '--architectures', arg, '.']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^debarch-lint: --architectures: unknown ${bad.replace(/[()]/g, '\\$&')}; known: amd64, arm64, .*riscv64`));
    }
  });
});

describe('configuration', () => {
  it('the nearest .debarch-lint.json wins, without cascading', async () => {
    const dir = tree({
      '.debarch-lint.json': '{"rules": {"hardcoded-arch": "error"}}',
      'debian/rules': RULES_TEXT,
      'sub/.debarch-lint.json': '{"rules": {"hardcoded-arch": "info"}}',
      'sub/debian/rules': RULES_TEXT,
      'plain/.debarch-lint.json': '{}',
      'plain/debian/rules': RULES_TEXT,
      'off/.debarch-lint.json': '{"rules": {"hardcoded-arch": "off"}}',
      'off/debian/rules': RULES_TEXT,
    });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(FINDING_LINE('debian/rules', 'error') + FINDING_LINE('plain/debian/rules') + FINDING_LINE('sub/debian/rules', 'info'));
    expect(r.code).toBe(1);

    const pc = JSON.parse((await cli(dir, ['--print-config', 'sub'])).stdout);
    expect(pc.configFile).toBe('sub/.debarch-lint.json');
    expect(pc.rules['hardcoded-arch']).toBe('info');

    // --no-config: defaults everywhere
    const none = await cli(dir, ['--format', 'gcc', '--no-config', '.']);
    expect(none.stdout).toBe(['debian/rules', 'off/debian/rules', 'plain/debian/rules', 'sub/debian/rules'].map((p) => FINDING_LINE(p)).join(''));
    // --config FILE: that one for every file
    const explicit = await cli(dir, ['--format', 'gcc', '--config', 'off/.debarch-lint.json', '.']);
    expect(explicit.stdout).toBe('');
    expect(explicit.code).toBe(0);
    const missing = await cli(dir, ['--format', 'gcc', '--config', 'nope.json', '.']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^debarch-lint: nope\.json: invalid configuration:\n {2}- cannot read: ENOENT/);
  });

  it('a config with several problems reports all of them at once and exits 2', async () => {
    const dir = tree({
      'debian/rules': RULES_TEXT,
      '.debarch-lint.json': JSON.stringify({
        bogus: true,
        architectures: ['amd64', 'vax'],
        rules: { 'no-such-rule': 'error', 'hardcoded-arch': 'loud' },
        overrides: { '*.mk': { rules: { 'x86-compiler-flag': 'fatal' }, suite: 'trixie' } },
      }),
    });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('debarch-lint: .debarch-lint.json: invalid configuration:');
    const problems = lines.slice(1);
    expect(problems).toHaveLength(6);
    for (const p of problems) expect(p).toMatch(/^ {2}- /);
    const all = problems.join('\n');
    expect(all).toContain('unknown key "bogus"');
    expect(all).toContain('unknown architecture "vax"');
    expect(all).toContain(`rules.no-such-rule: unknown rule; valid rules: ${RULE_IDS.join(', ')}`);
    expect(all).toContain('rules.hardcoded-arch: severity must be one of error, warning, info, off, not "loud"');
    expect(all).toContain('overrides["*.mk"].rules.x86-compiler-flag: severity must be one of');
    expect(all).toContain('overrides["*.mk"]: unknown key "suite"');
  });

  it('problems in two config files are all reported', async () => {
    const dir = tree({
      'a/.debarch-lint.json': '{"rules": {"nope": "error"}}',
      'a/debian/rules': RULES_TEXT,
      'b/.debarch-lint.json': '{"architectures": []}',
      'b/debian/rules': RULES_TEXT,
    });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('a/.debarch-lint.json: (top).rules.nope: unknown rule');
    expect(r.stderr).toContain('b/.debarch-lint.json: (top).architectures: must be a non-empty array');
  });

  it('invalid JSON is exit 2 with a clear message', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT, '.debarch-lint.json': '{"rules": {"hardcoded-arch": "off",}}' });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^debarch-lint: \.debarch-lint\.json: invalid configuration:\n {2}- not valid JSON: .+\n$/);
    // --no-config gets past it
    expect((await cli(dir, ['--format', 'gcc', '--no-config', '.'])).code).toBe(1);
  });

  it('--print-config prints the effective settings as JSON', async () => {
    const dir = tree({
      'debian/rules': RULES_TEXT,
      '.debarch-lint.json': JSON.stringify({
        architectures: ['amd64', 'arm64', 'riscv64'],
        suite: 'bookworm',
        placeholder: '@ARCH@',
        rules: { 'x86-compiler-flag': 'off' },
        ignore: ['vendor/**'],
      }),
    });
    const r = await cli(dir, ['--print-config', '.']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const pc = JSON.parse(r.stdout);
    expect(pc).toEqual({
      configFile: '.debarch-lint.json',
      architectures: ['amd64', 'arm64', 'riscv64'],
      suite: 'bookworm',
      placeholder: '@ARCH@',
      placeholderFrom: '.debarch-lint.json: placeholder',
      checkComments: false,
      ignore: expect.arrayContaining(['vendor/**']),
      rules: Object.fromEntries(RULES.map((rule) => [rule.id, rule.id === 'x86-compiler-flag' ? 'off' : printedSetting(rule)])),
    });
    // the command line wins over the file
    const cliWins = JSON.parse((await cli(dir, ['--print-config', '--architectures', 'arm64', '--disable', 'hardcoded-arch', '.'])).stdout);
    expect(cliWins.architectures).toEqual(['arm64']);
    expect(cliWins.rules['hardcoded-arch']).toBe('off');
    // --no-config: the defaults
    const defaults = JSON.parse((await cli(dir, ['--print-config', '--no-config', '.'])).stdout);
    expect(defaults.configFile).toBeNull();
    expect([defaults.placeholder, defaults.placeholderFrom]).toEqual([null, null]);
    expect(defaults.architectures).toEqual(['amd64', 'arm64']);
    expect(defaults.rules).toEqual(Object.fromEntries(RULES.map((rule) => [rule.id, printedSetting(rule)])));
  });

  it('--print-config says where the placeholder comes from; @…@ tokens in the tree never set one', async () => {
    const control = 'Source: drv\nBuild-Depends: debhelper-compat (= 13), linux@KERNEL_TYPE@-headers-stx-amd64\n\nPackage: drv\nArchitecture: any\nDescription: d\n d\n';
    const rules = '#!/usr/bin/make -f\n%:\n\tdh $@\noverride_dh_auto_configure:\n\tsed -i "s/@ARCH@/$(DEB_HOST_ARCH)/" drv.conf\n';
    const bare = tree({ 'drv/debian/deb_folder/control': control, 'drv/debian/deb_folder/rules': rules });
    const none = JSON.parse((await cli(bare, ['--print-config', 'drv/debian/deb_folder/control'])).stdout);
    expect([none.placeholder, none.placeholderFrom]).toEqual([null, null]);
    const out = await cli(bare, ['--format', 'gcc', '.']);
    expect(out.stdout).toMatch(/'linux@KERNEL_TYPE@-headers-stx-amd64 \[amd64\], linux@KERNEL_TYPE@-headers-stx-arm64 \[arm64\]'/);
    const dir = tree({
      'drv/debian/deb_folder/control': control,
      '.debarch-lint.json': JSON.stringify({ overrides: { '**/deb_folder/**': { placeholder: '@BUILD_ARCH@' } } }),
    });
    const pc = JSON.parse((await cli(dir, ['--print-config', 'drv/debian/deb_folder/control'])).stdout);
    expect([pc.placeholder, pc.placeholderFrom]).toEqual(['@BUILD_ARCH@', '.debarch-lint.json: overrides["**/deb_folder/**"].placeholder']);
    expect(JSON.parse((await cli(dir, ['--print-config', '.'])).stdout).placeholderFrom).toBeNull();
  });

  it('overrides keyed by glob change the severity for matching files only', async () => {
    const dir = tree({
      '.debarch-lint.json': JSON.stringify({
        overrides: {
          '**/debian/rules': { rules: { 'hardcoded-arch': 'error' } },
          '*.mk': { rules: { 'hardcoded-arch': 'info' } },
          'legacy/**': { rules: { 'hardcoded-arch': 'off' } },
        },
      }),
      'a/debian/rules': RULES_TEXT,
      'b/Makefile': RULES_TEXT,
      'c/extra.mk': RULES_TEXT,
      'legacy/Makefile': RULES_TEXT,
    });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(FINDING_LINE('a/debian/rules', 'error') + FINDING_LINE('b/Makefile') + FINDING_LINE('c/extra.mk', 'info'));
    expect(r.code).toBe(1);
  });

  it('ignore globs skip files; a named ignored file gets a notice', async () => {
    const dir = tree({
      '.debarch-lint.json': '{"ignore": ["vendor/**", "*.generated.mk"]}',
      'debian/rules': RULES_TEXT,
      'vendor/lib/Makefile': RULES_TEXT,
      'x.generated.mk': RULES_TEXT,
      'centos/Makefile': RULES_TEXT, // ignored by default
    });
    const r = await cli(dir, ['--format', 'gcc', '.']);
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toBe('');
    const named = await cli(dir, ['--format', 'gcc', 'vendor/lib/Makefile']);
    expect(named.stdout).toBe('');
    expect(named.code).toBe(0);
    expect(named.stderr).toBe('vendor/lib/Makefile: note: ignored by the configuration; skipped\n');
  });

  it('.gitignore files are honoured as git reads them, up to the top of the work tree', async () => {
    const dir = tree({
      '.gitignore': 'build/\n*.gen.mk\n',
      'pkg/.gitignore': 'generated/\n!keep.gen.mk\n',
      'pkg/debian/rules': RULES_TEXT,
      'pkg/build/Makefile': RULES_TEXT,
      'pkg/build/.gitignore': '!Makefile\n', // cannot re-include: its folder is ignored
      'pkg/generated/Makefile': RULES_TEXT,
      'pkg/x.gen.mk': RULES_TEXT,
      'pkg/keep.gen.mk': RULES_TEXT, // re-included by the deeper .gitignore
    });
    const init = spawnSync('git', ['init', '-q'], { cwd: dir, encoding: 'utf8' });
    expect(init.status).toBe(0);
    // what git itself considers not ignored
    const gitSees = spawnSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: dir, encoding: 'utf8' })
      .stdout.split('\n')
      .filter((p) => /(^|\/)(debian\/rules|Makefile|[^/]*\.mk)$/.test(p))
      .sort();
    expect(gitSees).toEqual(['pkg/debian/rules', 'pkg/keep.gen.mk']);

    const all = await cli(dir, ['--format', 'gcc', '.']);
    expect(all.stdout).toBe(FINDING_LINE('pkg/debian/rules') + FINDING_LINE('pkg/keep.gen.mk'));
    // linting a sub folder still sees the .gitignore above it (same work tree)
    const sub = await cli(dir, ['--format', 'gcc', 'pkg']);
    expect(sub.stdout).toBe(all.stdout);
    expect(sub.code).toBe(1);
    // without .git, the linted folder is the top: the outer .gitignore is not consulted
    fs.rmSync(path.join(dir, '.git'), { recursive: true });
    const noGit = await cli(path.join(dir, 'pkg'), ['--format', 'gcc', '.']);
    expect(noGit.stdout).toBe(['build/Makefile', 'debian/rules', 'keep.gen.mk', 'x.gen.mk'].map((p) => FINDING_LINE(p)).join(''));
  });
});

describe('-o FILE', () => {
  it('writes the report to the file and nothing to stdout', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT, 'blob/Makefile': Buffer.from([0]) });
    const r = await cli(dir, ['--format', 'gcc', '-o', 'report.txt', '.']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(path.join(dir, 'report.txt'), 'utf8')).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toBe('blob/Makefile: note: binary file (NUL byte); skipped\n');

    const j = await cli(dir, ['--format', 'json', '--output-file', 'out/../report.json', '.']);
    expect(j.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).findings).toHaveLength(1);

    // stylish to a file has no colour even when stdout is a TTY
    const s = await cli(dir, ['--format', 'stylish', '-o', 'report.log', '.'], { tty: true });
    expect(s.stdout).toBe('');
    const log = fs.readFileSync(path.join(dir, 'report.log'), 'utf8');
    expect(log).toContain('debian/rules');
    expect(log).not.toMatch(ANSI);
  });

  it('a report file that cannot be written is exit 2', async () => {
    const dir = tree({ 'debian/rules': RULES_TEXT });
    const r = await cli(dir, ['--format', 'gcc', '-o', 'no/such/dir/report.txt', '.']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^debarch-lint: cannot write no\/such\/dir\/report\.txt: ENOENT/);
  });
});

describe('colour', () => {
  const dir = tree({ 'debian/rules': RULES_TEXT });
  const args = ['--format', 'stylish', '.'];

  it('stylish has no ANSI escapes off a TTY or with NO_COLOR', async () => {
    const plain = await cli(dir, args);
    expect(plain.code).toBe(1);
    expect(plain.stdout).not.toMatch(ANSI);
    expect(plain.stdout).toContain('3:19  warning  ');
    expect(plain.stdout).toContain('✖ 1 problem (0 errors, 1 warning, 0 infos)');
    const noColor = await cli(dir, args, { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(ANSI);
    expect(noColor.stdout).toBe(plain.stdout);
    expect((await cli(dir, args, { env: { NO_COLOR: '' } })).stdout).not.toMatch(ANSI);
  });

  it('a TTY gets colour; --color forces it; --no-color turns it off', async () => {
    expect((await cli(dir, args, { tty: true })).stdout).toMatch(ANSI);
    // no-color.org: an empty NO_COLOR does not count
    expect((await cli(dir, args, { tty: true, env: { NO_COLOR: '' } })).stdout).toMatch(ANSI);
    const forced = await cli(dir, ['--color', ...args]);
    expect(forced.stdout).toMatch(ANSI);
    expect(forced.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe((await cli(dir, args)).stdout);
    expect((await cli(dir, ['--color', ...args], { env: { NO_COLOR: '1' } })).stdout).toMatch(ANSI);
    expect((await cli(dir, ['--no-color', ...args], { tty: true })).stdout).not.toMatch(ANSI);
  });

  it('gcc and json never carry colour', async () => {
    for (const f of ['gcc', 'json']) expect((await cli(dir, ['--color', '--format', f, '.'], { tty: true })).stdout).not.toMatch(ANSI);
  });
});

describe('rules and explain', () => {
  it('`rules` lists every rule id', async () => {
    const r = await cli(tree({}), ['rules']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const firstColumn = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
    expect(firstColumn).toEqual(RULE_IDS);
  });

  it('`explain hardcoded-arch` prints its documentation', async () => {
    const r = await cli(tree({}), ['explain', 'hardcoded-arch']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rule = RULES.find((x) => x.id === 'hardcoded-arch');
    expect(r.stdout.startsWith('# hardcoded-arch\n')).toBe(true);
    expect(r.stdout).toContain(rule?.description);
    expect(r.stdout).toContain(rule?.docs.bad.text.trimEnd());
    expect(r.stdout).toContain(rule?.docs.good.text.trimEnd());
  });

  it('`explain nope` exits 2 and lists the rules', async () => {
    const r = await cli(tree({}), ['explain', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`debarch-lint: unknown rule 'nope'; valid rules: ${RULE_IDS.join(', ')}\n`);
  });
});

describe('--stdin', () => {
  it('lints text from standard input as the named file', async () => {
    const dir = tree({});
    const r = await cli(dir, ['--stdin', '--stdin-filename', 'debian/rules', '--format', 'gcc'], { stdin: RULES_TEXT });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(FINDING_LINE('debian/rules'));
    expect(r.stderr).toBe('');
    const clean = await cli(dir, ['--stdin', '--stdin-filename', 'debian/rules', '--format', 'gcc'], { stdin: CLEAN_MAKEFILE });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe('');
  });

  it('--fix prints the fixed text and writes no file', async () => {
    const dir = tree({});
    const r = await cli(dir, ['--stdin', '--stdin-filename', 'debian/rules', '--fix'], { stdin: RULES_TEXT });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(RULES_FIXED);
    expect(readTree(dir).size).toBe(0);
  });

  it('--fix keeps a BOM and CRLF of the input, fixed or not', async () => {
    const dir = tree({});
    const crlf = (t: string): string => t.replace(/\n/g, '\r\n');
    const fixed = await cli(dir, ['--stdin', '--stdin-filename', 'debian/rules', '--fix'], { stdin: `\uFEFF${crlf(RULES_TEXT)}` });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toBe(`\uFEFF${crlf(RULES_FIXED)}`);
    const clean = await cli(dir, ['--stdin', '--stdin-filename', 'Makefile', '--fix'], { stdin: `\uFEFF${crlf(CLEAN_MAKEFILE)}` });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe(`\uFEFF${crlf(CLEAN_MAKEFILE)}`);
  });

  it('the nearest config of the named path applies', async () => {
    const dir = tree({ 'pkg/.debarch-lint.json': '{"rules": {"hardcoded-arch": "error"}}' });
    const r = await cli(dir, ['--stdin', '--stdin-filename', 'pkg/debian/rules', '--format', 'gcc'], { stdin: RULES_TEXT });
    expect(r.stdout).toBe(FINDING_LINE('pkg/debian/rules', 'error'));
  });

  it('needs a --stdin-filename of a kind it reads', async () => {
    const dir = tree({});
    const missing = await cli(dir, ['--stdin'], { stdin: RULES_TEXT });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--stdin needs --stdin-filename');
    const other = await cli(dir, ['--stdin', '--stdin-filename', 'notes.txt'], { stdin: RULES_TEXT });
    expect(other.code).toBe(2);
    expect(other.stderr).toBe('debarch-lint: --stdin-filename notes.txt: not a file kind debarch-lint reads\n');
  });
});
