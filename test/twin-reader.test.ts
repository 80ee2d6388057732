import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeTree } from './helpers.js';

const READER = [
  'import os',
  '',
  '',
  'def source_dirs(repo_dir):',
  '    with open(os.path.join(repo_dir, "debian_pkg_dirs")) as f:',
  '        return [line.strip() for line in f if line.strip()]',
  '',
].join('\n');

describe('twin-unaware-reader', () => {
  it('names the readers of a twin that this run\'s --fix creates', async () => {
    const dir = tempDir();
    writeTree(dir, { 'debian_pkg_dirs': 'monitoring/collectd\ntools/pcm\n', 'build/lists.py': READER });
    const before = await cli(dir, ['--format', 'gcc', '.']);
    expect(before.stdout).not.toContain('twin-unaware-reader');
    const fixed = await cli(dir, ['--fix', '--format', 'gcc', '.']);
    expect(fs.existsSync(path.join(dir, 'debian_pkg_dirs_arm64'))).toBe(true);
    expect(fixed.stdout).toMatch(/build\/lists\.py:5:\d+: warning: `source_dirs` builds the path .*debian_pkg_dirs_arm64.*\[twin-unaware-reader\]/);
    const again = await cli(dir, ['--format', 'gcc', '.']);
    expect(again.stdout).toContain('twin-unaware-reader');
  });
});
