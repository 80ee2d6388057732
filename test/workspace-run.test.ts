/**
 * Workspace runs and `--fix --commit` on a generated repo-tool workspace (DESIGN §8): a manifest
 * with an include, nested projects, a dirty project, hooks. git is isolated: HOME and
 * XDG_CONFIG_HOME in a temp folder, no system config, identity from the environment only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, readTree, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const home = (): string => {
  const h = tempDir('dl-home-');
  dirs.push(h);
  return h;
};

function gitEnv(h: string, identity = true): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: h,
    XDG_CONFIG_HOME: path.join(h, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: identity ? 'Porter' : '',
    GIT_AUTHOR_EMAIL: identity ? 'porter@example.org' : '',
    GIT_COMMITTER_NAME: identity ? 'Porter' : '',
    GIT_COMMITTER_EMAIL: identity ? 'porter@example.org' : '',
    EMAIL: '',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  };
}

const git = (cwd: string, env: Record<string, string>, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: { ...env, GIT_AUTHOR_NAME: 'Porter', GIT_AUTHOR_EMAIL: 'porter@example.org', GIT_COMMITTER_NAME: 'Porter', GIT_COMMITTER_EMAIL: 'porter@example.org' }, encoding: 'utf8' });

const CONTROL = 'Source: foo\nBuild-Depends: debhelper-compat (= 13)\nStandards-Version: 4.5.1\n\nPackage: foo-agent\nArchitecture: amd64\nDescription: agent\n the agent.\n';
const INSTALL = 'usr/lib/x86_64-linux-gnu/libfoo.so.*\nusr/bin/foo\n';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest>
  <remote name="starlingx" fetch="https://example.invalid/starlingx"/>
  <default remote="starlingx" revision="master"/>
  <project name="starlingx/root" path="cgcs-root"/>
  <include name="stx.xml"/>
  <project name="starlingx/tools" path="stx-tools"/>
</manifest>
`;
const STX = `<manifest>
  <project name="starlingx/integ" path="cgcs-root/stx/integ"/>
  <project name="starlingx/utilities" path="cgcs-root/stx/utilities"/>
  <project name="starlingx/gone" path="cgcs-root/stx/gone"/>
</manifest>
`;

/** Files of each project (relpath → files). */
const PROJECTS: Record<string, Record<string, string>> = {
  'cgcs-root': { 'build-tools/debian-image.inc': 'foo-agent\nbash\n', 'README': 'root\n' },
  'cgcs-root/stx/integ': { 'foo/debian/control': CONTROL, 'foo/debian/foo-agent.install': INSTALL, 'debian_pkg_dirs': 'foo\n' },
  'cgcs-root/stx/utilities': { 'bar/debian/control': CONTROL.replace(/foo/g, 'bar'), 'debian_pkg_dirs': 'bar\n' },
  'stx-tools': { 'README': 'tools\n' },
};

/** A workspace: `.repo/manifest.xml` includes default.xml, which includes stx.xml; each project a git repository with one commit. */
function workspace(env: Record<string, string>, projects = PROJECTS): string {
  const top = tempDir('dl-wsrun-');
  dirs.push(top);
  writeTree(top, {
    '.repo/manifest.xml': '<manifest>\n  <include name="default.xml"/>\n</manifest>\n',
    '.repo/manifests/default.xml': MANIFEST,
    '.repo/manifests/stx.xml': STX,
    '.repo/manifests/.git/HEAD': 'ref: refs/heads/master\n',
  });
  // outer projects first: a nested one is created inside its parent's folder, ignored there
  for (const [rel, files] of Object.entries(projects)) {
    const dir = path.join(top, rel);
    fs.mkdirSync(dir, { recursive: true });
    git(dir, env, 'init', '-q', '-b', 'master');
    writeTree(dir, files);
  }
  for (const [rel, files] of Object.entries(projects)) {
    const dir = path.join(top, rel);
    // only its own files: the nested projects' folders are theirs (untracked here, as repo leaves them)
    git(dir, env, 'add', '--', ...Object.keys(files));
    git(dir, env, 'commit', '-q', '-m', 'initial');
    git(dir, env, 'update-ref', 'refs/remotes/m/master', 'HEAD');
  }
  return top;
}

const subjects = (dir: string, env: Record<string, string>): string[] => git(dir, env, 'log', '--format=%s').trim().split('\n');

describe('a workspace run', () => {
  it('lints every project as its own repository, with a summary per project, and sees across projects', async () => {
    const env = gitEnv(home());
    const top = workspace(env);
    const r = await cli(top, ['--format', 'json'], { env });
    const out = JSON.parse(r.stdout);
    expect(out.summary.projects.map((p: { project: string }) => p.project)).toEqual(['cgcs-root', 'cgcs-root/stx/integ', 'cgcs-root/stx/utilities', 'stx-tools']);
    // nested projects' files are theirs only
    expect(out.summary.projects[0]).toEqual({ project: 'cgcs-root', files: 1, errors: 1, warnings: 0, infos: 0, fixable: 0 });
    expect(r.stderr).toBe('');
    expect(out.errors).toEqual([{ path: 'cgcs-root/stx/gone', level: 'notice', message: 'in the manifest but not checked out; skipped' }]);
    const integ = out.summary.projects.find((p: { project: string }) => p.project === 'cgcs-root/stx/integ');
    expect(integ).toMatchObject({ files: 3, warnings: 1, fixable: 1 });
    // the image list of cgcs-root names a package only stx/integ builds, for amd64 only
    const cross = out.findings.filter((f: { ruleId: string }) => f.ruleId === 'arch-only-list-entry');
    expect(cross.map((f: { path: string; message: string }) => [f.path, /built in this tree by cgcs-root\/stx\/integ\/foo\/debian\/control/.test(f.message)])).toEqual([
      ['cgcs-root/build-tools/debian-image.inc', true],
    ]);
    // linted alone, cgcs-root's project does not know it
    const alone = await cli(path.join(top, 'cgcs-root'), ['--format', 'json', 'build-tools'], { env });
    expect(JSON.parse(alone.stdout).findings).toEqual([]);
    // repository-relative paths per project (zuul)
    const z = JSON.parse((await cli(top, ['--format', 'zuul'], { env })).stdout);
    expect(Object.keys(z.zuul.file_comments).sort()).toEqual(['build-tools/debian-image.inc', 'bar/debian/control', 'foo/debian/control'].sort());
    // stylish: a line per project
    const s = await cli(top, ['--format', 'stylish'], { env });
    expect(s.stdout).toMatch(/^ {2}stx-tools +0 files, no problems$/m);
    expect(s.stdout).toMatch(/^ {2}cgcs-root\/stx\/integ +3 files, 1 problem \(0 E, 1 W, 0 I\), 1 fixable$/m);
  });

  it('stops config lookup at each project top, and selects projects with --projects', async () => {
    const env = gitEnv(home());
    const top = workspace(env);
    // a workspace-level config would turn the rule off; each project is its own repository
    fs.writeFileSync(path.join(top, '.debarch-lint.json'), JSON.stringify({ rules: { 'control-architecture': 'off' } }));
    const r = await cli(top, ['--format', 'gcc', '--projects', 'cgcs-root/stx/*'], { env });
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.replace(/:.*\[/, ' ['))).toEqual([
      'cgcs-root/stx/integ/foo/debian/control [control-architecture]',
      'cgcs-root/stx/utilities/bar/debian/control [control-architecture]',
    ]);
    const none = await cli(top, ['--projects', 'nothing*'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no project matches --projects nothing\*/);
  });

  it('--changed-since per project; a project where REV does not resolve is an error naming it', async () => {
    const env = gitEnv(home());
    const top = workspace(env);
    const integ = path.join(top, 'cgcs-root/stx/integ');
    fs.writeFileSync(path.join(integ, 'foo/debian/control'), CONTROL.replace('Architecture: amd64', 'Architecture: amd64 i386'));
    const r = await cli(top, ['--format', 'gcc', '--changed-since', 'manifest'], { env });
    // utilities' finding is old; integ's control changed (the stanza holding the finding)
    expect(r.stdout).toMatch(/^cgcs-root\/stx\/integ\/foo\/debian\/control:/m);
    expect(r.stdout).not.toMatch(/utilities/);
    const bad = await cli(top, ['--changed-since', 'no-such-rev'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/project cgcs-root: --changed-since no-such-rev/);
  });
});

describe('--fix --commit', () => {
  it('usage: needs --fix, not with --stdin/--changed-since/--diff/--baseline', async () => {
    const d = tempDir();
    dirs.push(d);
    for (const args of [['--commit'], ['--fix', '--commit', '--changed-since', 'HEAD'], ['--fix', '--commit', '--baseline', 'b.json'], ['--signoff']]) {
      const r = await cli(d, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--commit|--signoff/);
    }
  });

  it('one commit per rule per project in rounds; each commit is --fix --rule <id> on its parent; hooks run; a second run commits nothing', async () => {
    const env = gitEnv(home());
    const top = workspace(env);
    const integ = path.join(top, 'cgcs-root/stx/integ');
    // Gerrit's commit-msg hook: adds a Change-Id
    fs.writeFileSync(path.join(integ, '.git/hooks/commit-msg'), '#!/bin/sh\nprintf "\\nChange-Id: I0123456789abcdef0123456789abcdef01234567\\n" >> "$1"\n', { mode: 0o755 });
    // a dirty project: the file to fix has uncommitted changes
    const util = path.join(top, 'cgcs-root/stx/utilities');
    fs.appendFileSync(path.join(util, 'bar/debian/control'), '# work in progress\n');
    const r = await cli(top, ['--fix', '--commit', '--signoff'], { env });
    expect(r.stderr).toMatch(/cgcs-root\/stx\/utilities: note: skipped: a file to fix has uncommitted changes \(bar\/debian\/control\)/);
    expect(r.code).toBe(0);
    expect(subjects(integ, env)).toEqual([expect.stringMatching(/^hardcoded-arch: /), expect.stringMatching(/^control-architecture: /), 'initial']);
    expect(subjects(util, env)).toEqual(['initial']);
    const body = git(integ, env, 'log', '-1', '--format=%B', 'HEAD~1');
    expect(body).toMatch(/^Generated-by: debarch-lint \S+$/m);
    expect(body).toMatch(/^Change-Id: I0123456789abcdef/m);
    expect(body).toMatch(/^Signed-off-by: Porter <porter@example\.org>$/m);
    expect(body).toMatch(/^- foo\/debian\/control: 1 fix$/m);
    // each commit's tree = --fix --rule <id> on its parent
    for (const [rev, rule] of [['HEAD~1', 'control-architecture'], ['HEAD', 'hardcoded-arch']] as const) {
      const work = tempDir('dl-check-');
      dirs.push(work);
      git(integ, env, 'archive', '-o', path.join(work, 'p.tar'), `${rev}~1`);
      execFileSync('tar', ['-xf', 'p.tar'], { cwd: work });
      fs.rmSync(path.join(work, 'p.tar'));
      await cli(work, ['--fix', '--rule', rule, '--format', 'json'], { env });
      const want = git(integ, env, 'ls-tree', '-r', rev).trim().split('\n').map((l) => l.split('\t')[1] as string);
      const got = readTree(work);
      expect([...got.keys()].sort()).toEqual([...want].sort());
      for (const p of want) expect(got.get(p)?.toString('utf8'), `${rev} ${p}`).toBe(git(integ, env, 'show', `${rev}:${p}`));
    }
    expect(git(integ, env, 'status', '--porcelain')).toBe('');
    // a second run commits nothing
    const again = await cli(top, ['--fix', '--commit'], { env });
    expect(again.stdout).toMatch(/nothing to commit/);
    expect(subjects(integ, env)).toHaveLength(3);
  });

  it('a failing hook stops that project (exit 2, its output quoted, earlier commits stay); --no-verify passes it by', async () => {
    const env = gitEnv(home());
    const top = workspace(env);
    const integ = path.join(top, 'cgcs-root/stx/integ');
    // refuses the second commit only
    fs.writeFileSync(path.join(integ, '.git/hooks/commit-msg'), '#!/bin/sh\nif grep -q "^hardcoded-arch" "$1"; then echo "hook says no to hardcoded-arch" >&2; exit 1; fi\n', { mode: 0o755 });
    const r = await cli(top, ['--fix', '--commit'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cgcs-root\/stx\/integ: error: stopped at hardcoded-arch: git commit failed[^]*> hook says no to hardcoded-arch/);
    expect(subjects(integ, env)).toEqual([expect.stringMatching(/^control-architecture: /), 'initial']);
    expect(git(integ, env, 'status', '--porcelain')).toMatch(/foo-agent\.install/);
    git(integ, env, 'checkout', '--', '.');
    const nv = await cli(top, ['--fix', '--commit', '--no-verify'], { env });
    expect(nv.code).toBe(0);
    expect(subjects(integ, env)[0]).toMatch(/^hardcoded-arch: /);
  });

  it('a missing user.email is reported before anything is written', async () => {
    const env = gitEnv(home());
    const top = workspace(env);
    const before = readTree(top);
    const r = await cli(top, ['--fix', '--commit'], { env: gitEnv(home(), false) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set user\.email/);
    const after = readTree(top);
    expect([...after.keys()].filter((k) => !k.includes('/.git/'))).toEqual([...before.keys()].filter((k) => !k.includes('/.git/')));
    for (const [k, v] of before) if (!k.includes('/.git/')) expect(after.get(k)?.equals(v), k).toBe(true);
  });

  it('--fix-dry-run --commit prints each message and a diff git apply accepts, and changes nothing', async () => {
    const env = gitEnv(home());
    const top = workspace(env);
    const integ = path.join(top, 'cgcs-root/stx/integ');
    const r = await cli(top, ['--fix-dry-run', '--commit'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cgcs-root\/stx\/integ: commit 1\n\n {4}control-architecture: /m);
    expect(r.stdout).toMatch(/^cgcs-root\/stx\/integ: commit 2\n\n {4}hardcoded-arch: /m);
    expect(git(integ, env, 'status', '--porcelain')).toBe('');
    // the diffs, one after the other, apply to the project in order
    const diffs = r.stdout.split(/^cgcs-root\/stx\/\S+: commit \d+\n/m).slice(1).map((chunk) => chunk.slice(chunk.indexOf('diff --git')));
    expect(diffs).toHaveLength(3);
    for (const d of diffs.slice(0, 2)) {
      const check = spawnSync('git', ['apply', '--check', '-'], { cwd: integ, input: d, env: { ...process.env, ...env } });
      expect(check.status, check.stderr?.toString()).toBe(0);
      spawnSync('git', ['apply', '-'], { cwd: integ, input: d, env: { ...process.env, ...env } });
    }
  });
});
