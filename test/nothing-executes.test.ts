/**
 * Nothing from a linted tree is run or loaded (DESIGN §7: config is JSON, no code is ever
 * loaded from a linted tree). The tree holds everything a careless tool might run or require —
 * a `.debarch-lint.js`, package.json scripts, executable shell scripts, a Makefile, an
 * executable debian/rules, setup.py, git hooks and the git config commands git itself would run
 * (fsmonitor, textconv, clean filters, an external diff, a pager) — each creating a marker file
 * when run. The built CLI lints it, `--fix`es it and runs `--changed-since` and the formats that
 * ask git for the repository top: no marker may appear. (`--commit`, which runs hooks, is not
 * here.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, builtCli, tempDir, writeTree } from './helpers.js';

const BIN = path.join(ROOT, 'dist', 'src', 'cli', 'bin.js');


const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const git = (cwd: string, args: string[]): string => {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const hasGit = spawnSync('git', ['--version']).status === 0;

describe('nothing from the linted tree is run or loaded', () => {
  let tree: string;
  let marks: string;
  /** The command each trap runs: creates marks/<name>. */
  const touch = (name: string): string => `touch '${path.join(marks, name)}'`;

  beforeAll(() => {
    builtCli();
    marks = fs.realpathSync(tempDir('debarch-lint-marks-'));
    tree = fs.realpathSync(tempDir('debarch-lint-traps-'));
    dirs.push(marks, tree);
    const js = (name: string): string => `require('fs').writeFileSync(${JSON.stringify(path.join(marks, name))}, '');\n`;
    const esm = (name: string): string => `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(path.join(marks, name))}, '');\nexport default {};\n`;
    const script = (name: string, extra = ''): string => `#!/bin/sh\n${touch(name)}\n${extra}`;
    writeTree(tree, {
      '.debarch-lint.js': js('config-js'),
      '.debarch-lint.cjs': js('config-cjs'),
      '.debarch-lint.mjs': esm('config-mjs'),
      'debarch-lint.config.js': esm('config-js2'),
      // the data config beside them is the one read: it turns x86-compiler-flag off
      '.debarch-lint.json': '{ "rules": { "x86-compiler-flag": "off" } }\n',
      'package.json': JSON.stringify({
        name: 'trap',
        scripts: Object.fromEntries(['preinstall', 'install', 'postinstall', 'prepare', 'test', 'lint', 'build'].map((s) => [s, touch(`npm-${s}`)])),
      }),
      'index.js': js('index-js'),
      'build.sh': script('build-sh', 'LIB=/usr/lib/x86_64-linux-gnu\n'),
      'configure': script('configure'),
      'Makefile': `CFLAGS += -msse4.2\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\nall:\n\t${touch('make')}\n`,
      'pkg/debian/rules': `#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n$(shell ${touch('rules-shell')})\n\n%:\n\t${touch('rules')}\n\tdh $@\n`,
      'pkg/debian/postinst': script('postinst'),
      'setup.py': `open(${JSON.stringify(path.join(marks, 'setup-py'))}, 'w')\n`,
      'conftest.py': `open(${JSON.stringify(path.join(marks, 'conftest-py'))}, 'w')\n`,
      '.gitattributes': '* diff=trap filter=trap\n',
    });
    for (const f of ['build.sh', 'configure', 'pkg/debian/rules', 'pkg/debian/postinst', 'setup.py']) fs.chmodSync(path.join(tree, f), 0o755);
    if (hasGit) {
      git(tree, ['init', '-q']);
      git(tree, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.']);
      git(tree, ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'init', '--no-verify']);
      // the repository's own config: commands git runs on its own when asked for a diff
      const hook = (name: string): string => {
        const p = path.join(tree, '.git', 'hooks', name);
        fs.writeFileSync(p, script(`hook-${name}`), { mode: 0o755 });
        return p;
      };
      for (const h of ['pre-commit', 'post-checkout', 'post-index-change', 'pre-auto-gc', 'reference-transaction']) hook(h);
      const fsmonitor = hook('fsmonitor-watchman');
      for (const [k, v] of [
        ['core.fsmonitor', fsmonitor],
        ['core.pager', touch('pager')],
        ['pager.diff', touch('pager-diff')],
        ['diff.external', touch('diff-external')],
        ['diff.trap.textconv', `sh -c '${touch('textconv')}; cat "$1"' -`],
        ['diff.trap.command', touch('diff-command')],
        ['filter.trap.clean', `sh -c '${touch('filter-clean')}; cat'`],
        ['filter.trap.smudge', `sh -c '${touch('filter-smudge')}; cat'`],
        ['filter.trap.process', touch('filter-process')],
        ['core.sshCommand', touch('ssh')],
        ['core.editor', touch('editor')],
      ] as const) {
        git(tree, ['config', k, v]);
      }
      // the work tree differs from HEAD, so a diff has something to refresh and convert
      fs.appendFileSync(path.join(tree, 'Makefile'), '# changed\n');
    }
  }, 600_000);

  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: tree,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tree, GIT_CONFIG_NOSYSTEM: '1' },
    });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('lint, --fix-dry-run and --fix run nothing and load only the JSON config', () => {
    const lint = cli(['--format', 'gcc', '.']);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('[hardcoded-arch]');
    // the JSON config was read: the rule it turns off reports nothing on `-msse4.2`
    expect(lint.stdout).not.toContain('[x86-compiler-flag]');
    expect(cli(['--fix-dry-run', '.']).code).toBe(1);
    const fix = cli(['--fix', '--format', 'gcc', '.']);
    expect(fix.stderr).toBe('');
    // the fixes were written (renamed into place, never run)
    expect(fs.readFileSync(path.join(tree, 'pkg/debian/rules'), 'utf8')).toContain('$(DEB_HOST_MULTIARCH)');
    expect(fs.statSync(path.join(tree, 'pkg/debian/rules')).mode & 0o111).toBe(0o111);
    expect(fs.readdirSync(marks)).toEqual([]);
  }, 300_000);

  it.skipIf(!hasGit)('--changed-since and the formats that ask git for the repository top run nothing from .git/config', () => {
    for (const format of ['sarif', 'zuul', 'gerrit']) {
      const r = cli(['--format', format, '.']);
      expect(r.stderr, format).toBe('');
      expect(fs.readdirSync(marks), format).toEqual([]);
    }
    const changed = cli(['--changed-since', 'HEAD', '--format', 'gcc', '.']);
    expect(changed.stderr).toBe('');
    expect(fs.readdirSync(marks)).toEqual([]);
  }, 300_000);
});
