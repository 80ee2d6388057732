/**
 * What Gerrit CI votes on, end to end on real temporary git repositories: --changed-since and
 * --diff, baselines, --ignore-directives, and the CI formats (sarif, zuul, gerrit, checkstyle,
 * junit) with the shapes their consumers check.
 */
import type { CommentRange, FixReplacementInfo, FixSuggestionInfoInput } from '@gerritcodereview/typescript-api/rest-api.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { convert } from 'xmlbuilder2';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import type { GerritReviewInput } from '../src/formatters/gerrit.js';
import type { AnyRule } from '../src/types.js';
import { RULES } from '../rules/index.js';
import { FIXTURES, ROOT, cli, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.org', '-c', 'user.name=ci', '-c', 'core.autocrlf=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A git repository with `files` committed as its first commit. */
function repo(files: Record<string, string>): string {
  const dir = fs.realpathSync(tempDir('debarch-lint-ci-'));
  dirs.push(dir);
  writeTree(dir, files);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'initial');
  return dir;
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
}

/** A rules file full of old findings (five hardcoded-arch), as an adopting repo has. */
const OLD_RULES = [
  '#!/usr/bin/make -f',
  'include /usr/share/dpkg/architecture.mk',
  'LIBDIR = /usr/lib/x86_64-linux-gnu',
  'TARBALL = tool-amd64.bin',
  'OTHER = i386',
  '',
  '%:',
  '\tdh $@',
  '',
  'override_dh_auto_install:',
  '\tinstall -d debian/tmp/usr/lib/x86_64-linux-gnu',
  '\tcp build/amd64/tool debian/tmp/',
  '',
].join('\n');
const RULES_PATH = 'pkg/debian/deb_folder/rules';
const ADDED = 'NEWDIR = /opt/amd64';
const ADDED_LINE = `${RULES_PATH}:6:15: warning: hardcoded architecture 'amd64' is wrong on arm64: use $(DEB_HOST_ARCH) [hardcoded-arch]\n`;
const withAdded = (text: string): string => text.replace('OTHER = i386\n', `OTHER = i386\n${ADDED}\n`);

/** A repo whose last commit adds one hardcoded amd64 to a rules file full of old findings. */
function changedRepo(): string {
  const dir = repo({ [RULES_PATH]: OLD_RULES, 'pkg/Makefile': 'CFLAGS += -msse4.2\n' });
  fs.writeFileSync(path.join(dir, RULES_PATH), withAdded(OLD_RULES));
  commitAll(dir, 'add one amd64');
  return dir;
}

describe('--changed-since and --diff', () => {
  const dir = changedRepo();

  it('the whole tree has many findings; --changed-since HEAD~1 reports exactly the one the change adds', async () => {
    const all = await cli(dir, ['--format', 'gcc', '.']);
    expect(all.stdout.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(6);
    const r = await cli(dir, ['--format', 'gcc', '--changed-since', 'HEAD~1', '.']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(ADDED_LINE);
    expect(r.code).toBe(1);
  });

  it('the same through `git diff HEAD~1 | debarch-lint --diff -` and --diff FILE', async () => {
    const diff = git(dir, 'diff', 'HEAD~1');
    const piped = await cli(dir, ['--format', 'gcc', '--diff', '-', '.'], { stdin: diff });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe(ADDED_LINE);
    expect(piped.code).toBe(1);
    const out = tempDir('debarch-lint-diff-');
    dirs.push(out);
    fs.writeFileSync(path.join(out, 'change.diff'), diff);
    const fromFile = await cli(dir, ['--format', 'gcc', '--diff', path.join(out, 'change.diff'), '.']);
    expect(fromFile.stdout).toBe(ADDED_LINE);
    // a diff that adds nothing with a finding: nothing reported, exit 0
    const clean = await cli(dir, ['--format', 'gcc', '--diff', '-', '.'], { stdin: '' });
    expect(clean.stdout).toBe('');
    expect(clean.code).toBe(0);
  });

  it('from a sub folder, paths stay relative to the working directory and still match the diff', async () => {
    const sub = path.join(dir, 'pkg');
    const r = await cli(sub, ['--format', 'gcc', '--changed-since', 'HEAD~1', '.']);
    expect(r.stdout).toBe(ADDED_LINE.replace('pkg/', ''));
    const piped = await cli(sub, ['--format', 'gcc', '--diff', '-', '.'], { stdin: git(dir, 'diff', 'HEAD~1') });
    expect(piped.stdout).toBe(r.stdout);
  });

  it('uncommitted edits and untracked new files count; renames are followed; non-ASCII paths are read', async () => {
    const body = Array.from({ length: 8 }, (_, i) => `L${i} = ${i}`).join('\n');
    const d = repo({ [RULES_PATH]: OLD_RULES, 'old/Makefile': `A = amd64\nB = 1\n${body}\n` });
    // an uncommitted edit, a staged new file, an untracked new file, and a rename with one edit
    fs.appendFileSync(path.join(d, RULES_PATH), 'LATE = arm64\n');
    writeTree(d, { 'café/debian/rules': 'X = x86_64-linux-gnu\n', 'untracked/Makefile': 'Y = i386\n' });
    git(d, 'add', 'café');
    fs.mkdirSync(path.join(d, 'renamed'));
    git(d, 'mv', 'old/Makefile', 'renamed/Makefile');
    fs.writeFileSync(path.join(d, 'renamed/Makefile'), `A = amd64\nB = aarch64\n${body}\n`);
    const r = await cli(d, ['--format', 'gcc', '--changed-since', 'HEAD', '.']);
    expect(r.stderr).toBe('');
    const got = r.stdout.split('\n').filter(Boolean).map((l) => l.replace(/: warning: .*\[/, ' ['));
    expect(got).toEqual([
      'café/debian/rules:1:5 [hardcoded-arch]',
      `${RULES_PATH}:13:8 [hardcoded-arch]`,
      'renamed/Makefile:2:5 [hardcoded-arch]',
      'untracked/Makefile:1:5 [hardcoded-arch]',
    ]);
  });

  it('merge-base semantics: what the target branch gained since is not the change’s', async () => {
    const d = repo({ [RULES_PATH]: OLD_RULES });
    git(d, 'checkout', '-qb', 'feature');
    fs.writeFileSync(path.join(d, RULES_PATH), withAdded(OLD_RULES));
    commitAll(d, 'feature: one amd64');
    git(d, 'checkout', '-q', 'main');
    writeTree(d, { 'main-only/Makefile': 'M = amd64\n' });
    commitAll(d, 'main moves on');
    git(d, 'checkout', '-q', 'feature');
    const r = await cli(d, ['--format', 'gcc', '--changed-since', 'main', '.']);
    expect(r.stdout).toBe(ADDED_LINE);
  });

  it('a bad revision, a folder outside git, or a combination with --fix is exit 2', async () => {
    const bad = await cli(dir, ['--format', 'gcc', '--changed-since', 'no-such-rev', '.']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^debarch-lint: --changed-since no-such-rev: no merge base with HEAD \(.+\); in a shallow clone/);
    const outside = tempDir('debarch-lint-nogit-');
    dirs.push(outside);
    const nogit = await cli(outside, ['--changed-since', 'HEAD', '.']);
    expect(nogit.code).toBe(2);
    expect(nogit.stderr).toMatch(/is not inside a git work tree/);
    for (const args of [
      ['--fix', '--changed-since', 'HEAD~1'],
      ['--fix-dry-run', '--diff', '-'],
      ['--changed-since', 'HEAD~1', '--diff', '-'],
      ['--update-baseline'],
    ]) {
      const r = await cli(dir, [...args, '.']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a missing --diff file is exit 2', async () => {
    const r = await cli(dir, ['--diff', 'nope.diff', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^debarch-lint: --diff nope\.diff: cannot read: ENOENT/);
  });

  it('a cross-file finding lands on the file the change touched', async () => {
    // a stand-in for a twin-list rule: the finding is on a.mk, about a line of b.mk
    const crossFile: AnyRule = {
      ...(RULES.find((r) => r.id === 'hardcoded-arch') as AnyRule),
      id: 'twin-check',
      supersedes: undefined,
      phase: 'normal',
      // its finding depends on another file: not on a term of a.mk
      trigger: 'always',
      check(ctx) {
        const other = ctx.project.get('lists/b.mk');
        if (ctx.file.path !== 'lists/a.mk' || !other) return;
        const at = other.text.indexOf('amd64');
        if (at >= 0) ctx.report({ at: [0, 1], message: 'b.mk names amd64 that a.mk lacks', related: [{ path: 'lists/b.mk', range: [at, at + 5] }] });
      },
    };
    const d = repo({ 'lists/a.mk': 'A = 1\n', 'lists/b.mk': 'B = 1\n' });
    fs.writeFileSync(path.join(d, 'lists/b.mk'), 'B = 1\nC = amd64\n');
    commitAll(d, 'b gains amd64');
    const io = memoryIO(d);
    const code = await run(['--format', 'gcc', '--changed-since', 'HEAD~1', '.'], io, [crossFile]);
    expect(io.err()).toBe('');
    expect(io.out()).toBe('lists/b.mk:2:5: warning: b.mk names amd64 that a.mk lacks (reported at lists/a.mk:1:1) [twin-check]\n');
    expect(code).toBe(1);
  });
});

describe('--baseline', () => {
  it('a baseline written before the change hides every old finding, also after unrelated lines are inserted above', async () => {
    const dir = repo({ [RULES_PATH]: OLD_RULES, 'pkg/Makefile': 'CFLAGS += -msse4.2\n' });
    const old = (await cli(dir, ['--format', 'gcc', '.'])).stdout.split('\n').filter(Boolean).length;
    expect(old).toBeGreaterThanOrEqual(6);
    const write = await cli(dir, ['--format', 'gcc', '--baseline', '.debarch-lint-baseline.json', '--update-baseline', '.']);
    expect(write.code).toBe(0);
    expect(write.stdout).toBe('');
    expect(write.stderr).toBe(`debarch-lint: wrote ${old} findings to .debarch-lint-baseline.json\n`);
    const text = fs.readFileSync(path.join(dir, '.debarch-lint-baseline.json'), 'utf8');
    const entries = JSON.parse(text).findings as { path: string; ruleId: string; text: string; occurrence: number }[];
    expect(entries).toHaveLength(old);
    expect(entries.every((e) => !('line' in e))).toBe(true);
    expect(entries.map((e) => `${e.path} ${e.ruleId} ${e.text}`)).toEqual([...entries.map((e) => `${e.path} ${e.ruleId} ${e.text}`)].sort());
    // writing again changes nothing: stable
    await cli(dir, ['--baseline', '.debarch-lint-baseline.json', '--update-baseline', '.']);
    expect(fs.readFileSync(path.join(dir, '.debarch-lint-baseline.json'), 'utf8')).toBe(text);
    commitAll(dir, 'baseline');

    const quiet = await cli(dir, ['--format', 'gcc', '--baseline', '.debarch-lint-baseline.json', '.']);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });

    fs.writeFileSync(path.join(dir, RULES_PATH), withAdded(OLD_RULES));
    const one = await cli(dir, ['--format', 'gcc', '--baseline', '.debarch-lint-baseline.json', '.']);
    expect(one.stdout).toBe(ADDED_LINE);
    expect(one.code).toBe(1);

    // unrelated lines inserted above every old finding, and indentation changed: still hidden
    const moved = `#!/usr/bin/make -f\n# a comment\n# and another\n\nexport V = 1\n${withAdded(OLD_RULES).split('\n').slice(1).join('\n').replace('\tcp build', '\t  cp build')}`;
    fs.writeFileSync(path.join(dir, RULES_PATH), moved);
    const still = await cli(dir, ['--format', 'gcc', '--baseline', '.debarch-lint-baseline.json', '.']);
    expect(still.stderr).toBe('');
    expect(still.stdout).toBe(ADDED_LINE.replace(':6:15:', ':10:15:'));

    // from a sub folder, the baseline's paths are still relative to the baseline file
    const sub = await cli(path.join(dir, 'pkg'), ['--format', 'gcc', '--baseline', '../.debarch-lint-baseline.json', '.']);
    expect(sub.stdout).toBe(ADDED_LINE.replace(':6:15:', ':10:15:').replace('pkg/', ''));
  });

  it('entries that match nothing any more are reported as notes; exit stays 0', async () => {
    const dir = repo({ 'debian/rules': 'A = amd64\nB = i386\n', 'other/Makefile': 'C = amd64\n' });
    await cli(dir, ['--baseline', 'b.json', '--update-baseline', '.']);
    fs.writeFileSync(path.join(dir, 'debian/rules'), 'A = amd64\nB = $(DEB_HOST_ARCH)\n');
    const r = await cli(dir, ['--format', 'gcc', '--baseline', 'b.json', '.']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'debian/rules: note: b.json: baseline entry matches nothing now (hardcoded-arch on `B = i386`); remove it, or rewrite the baseline with --update-baseline\n',
    );
    // linting only part of the tree, or with the rule off, does not call the rest stale
    expect((await cli(dir, ['--format', 'gcc', '--baseline', 'b.json', 'other'])).stderr).toBe('');
    expect((await cli(dir, ['--format', 'gcc', '--baseline', 'b.json', '--disable', 'hardcoded-arch', '.'])).stderr).toBe('');
    // json carries the note in its errors
    const j = JSON.parse((await cli(dir, ['--format', 'json', '--baseline', 'b.json', '.'])).stdout);
    expect(j.errors).toEqual([expect.objectContaining({ path: 'debian/rules', level: 'notice' })]);
    // --update-baseline on part of the tree keeps the other entries, and prunes the stale one
    await cli(dir, ['--baseline', 'b.json', '--update-baseline', 'debian']);
    const after = JSON.parse(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).findings.map((e: { path: string; text: string }) => `${e.path}: ${e.text}`);
    expect(after).toEqual(['debian/rules: A = amd64', 'other/Makefile: C = amd64']);
  });

  it('a missing or broken baseline is exit 2 with what to do', async () => {
    const dir = repo({ 'debian/rules': 'A = amd64\n', 'bad.json': '{"version": 1, "findings": [{"path": 3}]}' });
    const missing = await cli(dir, ['--baseline', 'none.json', '.']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^debarch-lint: --baseline none\.json: cannot read: .*\(create it with --update-baseline\)\n$/);
    const bad = await cli(dir, ['--baseline', 'bad.json', '.']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json: invalid baseline:\n  - findings[0]: "path" must be a string\n');
  });

  it('with --changed-since, the baseline first hides the old findings, then only the change is judged', async () => {
    const dir = repo({ [RULES_PATH]: OLD_RULES });
    await cli(dir, ['--baseline', 'b.json', '--update-baseline', '.']);
    fs.writeFileSync(path.join(dir, RULES_PATH), withAdded(OLD_RULES));
    const r = await cli(dir, ['--format', 'gcc', '--baseline', 'b.json', '--changed-since', 'HEAD', '.']);
    expect(r.stdout).toBe(ADDED_LINE);
  });
});

describe('--ignore-directives', () => {
  it('reports what directives suppress, and no directive findings', async () => {
    const dir = repo({
      'debian/rules': '# debarch-lint disable-next-line hardcoded-arch -- ok\nA = amd64\n# debarch-lint disable-next-line x86-compiler-flag\nB = 1\n',
    });
    const normal = await cli(dir, ['--format', 'gcc', '.']);
    expect(normal.stdout).toMatch(/^debian\/rules:3:1: warning: .*\[unused-directive\]\n$/);
    const ignoring = await cli(dir, ['--format', 'gcc', '--ignore-directives', '.']);
    expect(ignoring.stdout).toMatch(/^debian\/rules:2:5: warning: .*'amd64'.* \[hardcoded-arch\]\n$/);
    expect(ignoring.code).toBe(1);
  });
});

/** A tree with findings of several rules, an error, a fix that adds a line, and a multibyte line. */
const VARIED: Record<string, string> = {
  'pkg/debian/rules': '#!/usr/bin/make -f\n# été\nLIBDIR = /opt/😀/x86_64-linux-gnu\nURL = https://x/helm-v1-linux-amd64.tar.gz\n\n%:\n\tdh $@\n',
  'tools/Makefile': 'CFLAGS += -O2 -msse4.2\n',
  'tools/clean.mk': 'all:\n\techo hi\n',
  '.debarch-lint.json': '{"overrides": {"tools/**": {"rules": {"x86-compiler-flag": "error"}}}}',
};

describe('--format sarif', () => {
  it('is SARIF 2.1.0 with the required fields, help links, one location per result and fixes as replacements', async () => {
    const dir = repo(VARIED);
    const sub = path.join(dir, 'pkg');
    const r = await cli(sub, ['--format', 'sarif', '.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const log = JSON.parse(r.stdout) as Sarif.Log;
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run0 = log.runs[0] as Sarif.Run;
    expect(run0.columnKind).toBe('utf16CodeUnits');
    expect(run0.tool.driver.name).toBe('debarch-lint');
    const rules = run0.tool.driver.rules ?? [];
    expect(rules.map((x) => x.id)).toEqual(RULES.map((x) => x.id));
    for (const rule of rules) {
      // no published home: help travels inline, never as a link that does not resolve
      expect(rule.helpUri).toBeUndefined();
      expect(rule.help?.text).toBeTruthy();
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(rule.help?.markdown).toContain(`# ${rule.id}`);
    }
    expect(run0.originalUriBaseIds?.SRCROOT?.uri).toBe(`file://${dir}/`);
    const results = run0.results ?? [];
    expect(results.length).toBeGreaterThanOrEqual(2);
    for (const res of results) {
      expect(res.message.text).toBeTruthy();
      expect(rules[res.ruleIndex as number]?.id).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.locations).toHaveLength(1);
      const loc = res.locations?.[0]?.physicalLocation as Sarif.PhysicalLocation;
      // relative to the repository top even when run from a sub folder
      expect(loc.artifactLocation?.uri).toBe('pkg/debian/rules');
      expect(loc.artifactLocation?.uriBaseId).toBe('SRCROOT');
      const reg = loc.region as Sarif.Region;
      expect(reg.startLine).toBeGreaterThanOrEqual(1);
      expect(reg.startColumn).toBeGreaterThanOrEqual(1);
      expect((reg.endLine as number) * 1e4 + (reg.endColumn as number)).toBeGreaterThan((reg.startLine as number) * 1e4 + (reg.startColumn as number));
      expect(Object.keys(res.partialFingerprints ?? {})).toEqual(['debarchLint/v1']);
      for (const fix of res.fixes ?? []) {
        expect(fix.artifactChanges.length).toBeGreaterThanOrEqual(1);
        for (const ch of fix.artifactChanges) {
          expect(ch.artifactLocation.uri).toBe('pkg/debian/rules');
          expect(ch.replacements.length).toBeGreaterThanOrEqual(1);
          for (const rep of ch.replacements) expect(rep.deletedRegion.startLine).toBeGreaterThanOrEqual(1);
        }
      }
    }
    // the triplet after the emoji: columns count UTF-16 code units ("LIBDIR = /opt/😀/" is 17)
    const triplet = results.find((x) => x.ruleId === 'hardcoded-arch');
    expect(triplet?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 3, startColumn: 18, endLine: 3, endColumn: 34 });
    const replacements = triplet?.fixes?.[0]?.artifactChanges[0]?.replacements ?? [];
    expect(replacements).toContainEqual({ deletedRegion: { startLine: 3, startColumn: 18, endLine: 3, endColumn: 34 }, insertedContent: { text: '$(DEB_HOST_MULTIARCH)' } });
    expect(run0.invocations?.[0]?.executionSuccessful).toBe(true);
  });

  it('over the example tree: every result has a location, a known rule and valid regions; problems are notifications', async () => {
    const r = await cli(ROOT, ['--format', 'sarif', path.join('fixtures', 'example'), 'no/such/file']);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout) as Sarif.Log;
    const run0 = log.runs[0] as Sarif.Run;
    const ids = new Set(run0.tool.driver.rules?.map((x) => x.id));
    expect((run0.results ?? []).length).toBeGreaterThan(0);
    for (const res of run0.results ?? []) {
      expect(ids.has(res.ruleId as string)).toBe(true);
      const uri = res.locations?.[0]?.physicalLocation?.artifactLocation?.uri as string;
      expect(fs.existsSync(path.join(ROOT, decodeURIComponent(uri)))).toBe(true);
    }
    expect(run0.invocations?.[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', message: { text: 'no such file or directory' } }],
    });
    expect(fs.existsSync(path.join(FIXTURES, 'example'))).toBe(true);
  });
});

/**
 * Zuul's own check of `zuul.file_comments` (zuul/driver/util.py), ported: voluptuous
 * `{str: [{'line': int, 'message': str, 'range': {'start_line', 'start_character',
 * 'end_line', 'end_character': int}, 'level': str}]}` — every key optional, no other keys;
 * and the documented levels.
 */
function zuulSchemaErrors(fileComments: unknown): string[] {
  const errors: string[] = [];
  const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
  if (typeof fileComments !== 'object' || fileComments === null || Array.isArray(fileComments)) return ['expected a dict'];
  for (const [p, comments] of Object.entries(fileComments)) {
    if (!Array.isArray(comments)) {
      errors.push(`${p}: expected a list`);
      continue;
    }
    comments.forEach((c: Record<string, unknown>, i) => {
      const where = `${p}[${i}]`;
      if (typeof c !== 'object' || c === null) return errors.push(`${where}: expected a dict`);
      for (const [k, v] of Object.entries(c)) {
        if (k === 'line' && !isInt(v)) errors.push(`${where}.line: expected int`);
        else if ((k === 'message' || k === 'level') && typeof v !== 'string') errors.push(`${where}.${k}: expected str`);
        else if (k === 'range') {
          if (typeof v !== 'object' || v === null) errors.push(`${where}.range: expected a dict`);
          else
            for (const [rk, rv] of Object.entries(v)) {
              if (!['start_line', 'start_character', 'end_line', 'end_character'].includes(rk)) errors.push(`${where}.range: extra key ${rk}`);
              else if (!isInt(rv)) errors.push(`${where}.range.${rk}: expected int`);
            }
        } else if (!['line', 'message', 'range', 'level'].includes(k)) errors.push(`${where}: extra key ${k}`);
      }
      if (c.level !== undefined && !['info', 'warning', 'error'].includes(c.level as string)) errors.push(`${where}.level: not info/warning/error`);
      return undefined;
    });
  }
  return errors;
}

describe('--format zuul', () => {
  it('passes the ported Zuul schema: repo-relative paths, line = end line, 0-based end-exclusive characters, no empty ranges', async () => {
    const dir = repo(VARIED);
    const r = await cli(path.join(dir, 'tools'), ['--format', 'zuul', '-o', 'file_comments.json', '.']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const data = JSON.parse(fs.readFileSync(path.join(dir, 'tools', 'file_comments.json'), 'utf8'));
    expect(Object.keys(data)).toEqual(['zuul']);
    expect(Object.keys(data.zuul)).toEqual(['file_comments']);
    expect(zuulSchemaErrors(data.zuul.file_comments)).toEqual([]);
    expect(Object.keys(data.zuul.file_comments)).toEqual(['tools/Makefile']);
    const [c] = data.zuul.file_comments['tools/Makefile'];
    const text = 'CFLAGS += -O2 -msse4.2';
    expect(text.slice(c.range.start_character, c.range.end_character)).toBe('-msse4.2');
    expect(c).toMatchObject({ line: 1, level: 'error', range: { start_line: 1, end_line: 1 } });
    expect(c.message).toMatch(/-msse4\.2.*\[x86-compiler-flag\]\n\nFix \(debarch-lint --fix\): .+\n\nMore: `debarch-lint explain x86-compiler-flag`$/);

    const all = JSON.parse((await cli(dir, ['--format', 'zuul', '.'])).stdout);
    expect(zuulSchemaErrors(all.zuul.file_comments)).toEqual([]);
    for (const list of Object.values(all.zuul.file_comments) as { line: number; range: { start_line: number; start_character: number; end_line: number; end_character: number } }[][]) {
      for (const x of list) {
        expect(x.line).toBe(x.range.end_line);
        expect(x.range.end_line * 1e4 + x.range.end_character).toBeGreaterThan(x.range.start_line * 1e4 + x.range.start_character);
      }
    }
    // the validator does catch what Zuul would reject
    expect(zuulSchemaErrors({ p: [{ line: '1', extra: 1, level: 'fatal', range: { start_line: 1.5 } }] })).toHaveLength(4);
  });

  it('--max-comments caps the inline comments (errors first) and summarises the rest in zuul.warnings', async () => {
    const lines = Array.from({ length: 7 }, (_, i) => `V${i} = amd64`).join('\n');
    const dir = repo({ 'debian/rules': `${lines}\n`, 'Makefile': 'CFLAGS += -mavx2\n', '.debarch-lint.json': '{"rules": {"x86-compiler-flag": "error"}}' });
    const data = JSON.parse((await cli(dir, ['--format', 'zuul', '--max-comments', '3', '.'])).stdout);
    const shown = Object.entries(data.zuul.file_comments).flatMap(([p, l]) => (l as { line: number; level: string }[]).map((x) => `${p}:${x.line}:${x.level}`));
    expect(shown.sort()).toEqual(['Makefile:1:error', 'debian/rules:1:warning', 'debian/rules:2:warning']);
    expect(data.zuul.warnings).toEqual(['debarch-lint: 5 more not shown inline (5 hardcoded-arch); run debarch-lint locally to see them all.']);
    const none = JSON.parse((await cli(dir, ['--format', 'zuul', '--max-comments', '0', '.'])).stdout);
    expect(none.zuul.file_comments).toEqual({});
    expect((await cli(dir, ['--format', 'zuul', '--max-comments', '-1', '.'])).code).toBe(2);
  });
});

describe('--format gerrit', () => {
  it('round-trips through a typed ReviewInput: message, tag, comments with ranges and fix suggestions', async () => {
    const dir = repo(VARIED);
    const r = await cli(path.join(dir, 'pkg'), ['--format', 'gerrit', '.']);
    expect(r.code).toBe(1);
    const review: GerritReviewInput = JSON.parse(r.stdout);
    expect(JSON.parse(JSON.stringify(review))).toEqual(review);
    expect(review.tag).toBe('autogenerated:debarch-lint');
    expect(review.message).toBe('debarch-lint: 2 findings (0 errors, 2 warnings, 0 infos).');
    expect(review.labels).toBeUndefined();
    expect(review.robot_comments).toBeUndefined();
    expect(Object.keys(review.comments ?? {})).toEqual(['pkg/debian/rules']);
    const text = fs.readFileSync(path.join(dir, 'pkg/debian/rules'), 'utf8').split('\n');
    for (const c of review.comments?.['pkg/debian/rules'] ?? []) {
      // the shapes Gerrit's own TypeScript API declares
      const range: CommentRange = c.range;
      expect(c.line).toBe(range.end_line);
      expect(c.unresolved).toBe(true);
      expect(range.start_line).toBe(range.end_line);
      expect(range.end_character).toBeGreaterThan(range.start_character);
      const quoted = /'([^']+)'/.exec(c.message)?.[1] ?? '';
      expect(quoted).toContain((text[range.start_line - 1] as string).slice(range.start_character, range.end_character));
      expect(c.fix_suggestions?.length).toBeGreaterThan(0);
      for (const s of c.fix_suggestions ?? []) {
        const typed: FixSuggestionInfoInput = s;
        for (const rep of typed.replacements) {
          const info: FixReplacementInfo = rep;
          expect(info.path).toBe('pkg/debian/rules');
        }
      }
    }
    const multiarch = review.comments?.['pkg/debian/rules']?.find((c) => c.message.includes('x86_64-linux-gnu'));
    expect(multiarch?.range).toEqual({ start_line: 3, start_character: 17, end_line: 3, end_character: 33 });
    expect(multiarch?.fix_suggestions?.[0]?.replacements).toContainEqual({
      path: 'pkg/debian/rules',
      range: { start_line: 3, start_character: 17, end_line: 3, end_character: 33 },
      replacement: '$(DEB_HOST_MULTIARCH)',
    });
  });

  it('--vote LABEL votes -1 on findings and +1 without; --robot-comments; --max-comments summarises', async () => {
    const dir = changedRepo();
    const minus = JSON.parse((await cli(dir, ['--format', 'gerrit', '--vote', 'Verified', '--changed-since', 'HEAD~1', '.'])).stdout) as GerritReviewInput;
    expect(minus.labels).toEqual({ Verified: -1 });
    expect(minus.message).toBe('debarch-lint: 1 finding (0 errors, 1 warning, 0 infos).');
    const plus = JSON.parse((await cli(dir, ['--format', 'gerrit', '--vote', 'Verified', '--diff', '-', '.'], { stdin: '' })).stdout) as GerritReviewInput;
    expect(plus.labels).toEqual({ Verified: 1 });
    expect(plus.comments).toEqual({});
    expect(plus.message).toBe('debarch-lint: no findings.');
    const warnOk = JSON.parse((await cli(dir, ['--format', 'gerrit', '--vote', 'Verified', '--fail-level', 'error', '--changed-since', 'HEAD~1', '.'])).stdout);
    expect(warnOk.labels).toEqual({ Verified: 1 });

    const robot = JSON.parse((await cli(dir, ['--format', 'gerrit', '--robot-comments', '--changed-since', 'HEAD~1', '.'])).stdout) as GerritReviewInput;
    expect(robot.comments).toBeUndefined();
    const rc = robot.robot_comments?.[RULES_PATH]?.[0];
    expect(rc).toMatchObject({ robot_id: 'debarch-lint', line: 6, unresolved: true, properties: { rule: 'hardcoded-arch', severity: 'warning' } });
    expect(rc?.robot_run_id).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{16}$/);
    expect(rc?.url).toBeUndefined();

    const total = (await cli(dir, ['--format', 'gcc', '.'])).stdout.split('\n').filter(Boolean).length;
    const capped = JSON.parse((await cli(dir, ['--format', 'gerrit', '--max-comments', '2', '.'])).stdout) as GerritReviewInput;
    expect(Object.values(capped.comments ?? {}).flat()).toHaveLength(2);
    expect(capped.message).toBe(
      `debarch-lint: ${total} findings (0 errors, ${total} warnings, 0 infos). ${total - 2} more not shown inline (${total - 3} hardcoded-arch, 1 arch-in-download-url); run debarch-lint locally to see them all.`,
    );

    for (const args of [['--vote', 'Verified'], ['--robot-comments'], ['--format', 'gerrit', '--vote', 'Code Review']]) {
      const bad = await cli(dir, [...args, '.']);
      expect(bad.code, args.join(' ')).toBe(2);
    }
  });
});

describe('--format checkstyle and junit', () => {
  it('are well-formed XML with one entry per finding and escaped text', async () => {
    const dir = repo({ ...VARIED, 'q&<x>/debian/rules': 'A = "<amd64>" & x86_64\n' });
    const cs = await cli(dir, ['--format', 'checkstyle', '.']);
    expect(cs.code).toBe(1);
    const gcc = (await cli(dir, ['--format', 'gcc', '.'])).stdout.split('\n').filter(Boolean);
    const doc = convert(cs.stdout, { format: 'object' }) as { checkstyle: { '@version': string; file: unknown } };
    expect(doc.checkstyle['@version']).toBe('4.3');
    const files = ([] as { '@name': string; error?: unknown }[]).concat(doc.checkstyle.file as never);
    // the parser leaves entities in attribute values as they are
    const unescape = (x: string): string => x.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(files.map((f) => unescape(f['@name'])).sort()).toEqual(['pkg/debian/rules', 'q&<x>/debian/rules', 'tools/Makefile', 'tools/clean.mk']);
    const errors = files.flatMap((f) => ([] as { '@line': string; '@source': string; '@message': string; '@severity': string }[]).concat((f.error ?? []) as never).map((e) => ({ ...e, file: unescape(f['@name']) })));
    expect(errors).toHaveLength(gcc.length);
    for (const e of errors) {
      expect(e['@source']).toMatch(/^debarch-lint\.[a-z0-9-]+$/);
      expect(gcc).toContainEqual(expect.stringContaining(`${e.file}:${e['@line']}:`));
    }
    expect(cs.stdout).toContain('<file name="q&amp;&lt;x&gt;/debian/rules">');

    const ju = await cli(dir, ['--format', 'junit', '.']);
    const jdoc = convert(ju.stdout, { format: 'object' }) as { testsuites: Record<string, unknown> & { testsuite: unknown } };
    expect(jdoc.testsuites['@failures']).toBe(String(gcc.length));
    const suites = ([] as { '@name': string; '@failures': string; testcase: unknown }[]).concat(jdoc.testsuites.testsuite as never);
    expect(suites).toHaveLength(4);
    const clean = suites.find((s) => s['@name'] === 'tools/clean.mk');
    expect(clean?.['@failures']).toBe('0');
    expect(clean?.testcase).toEqual({ '@classname': 'tools/clean.mk', '@name': 'debarch-lint' });
  });
});
