/**
 * `npm run bench`: debarch-lint over a synthetic corpus, against `grep -rE` for the same arch
 * literals over the same files, in the same command. Figures are ratios to that baseline
 * (machines here are noisy); memory is the peak RSS of each child process.
 * Pass folders to also bench real trees: `npm run bench -- /tmp/stx/integ` (`--trees-only`
 * skips the synthetic corpus). The grep baseline reads every file but .git, a superset of the
 * files debarch-lint picks by kind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './corpus.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'dist/src/cli/bin.js');
const PATTERN = 'amd64|arm64|x86_64|aarch64|i386|lib64|-msse|-mavx|DEB_BUILD_ARCH|uname -m';
const hasTime = fs.existsSync('/usr/bin/time');

interface Sample {
  seconds: number;
  rssKiB: number | undefined;
}

function timed(cmd: string, args: string[], cwd: string): Sample {
  const start = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
  const rss = hasTime ? Number(r.stderr.trim().split('\n').at(-1)) : undefined;
  return { seconds, rssKiB: Number.isFinite(rss) ? rss : undefined };
}

function best(n: number, f: () => Sample): Sample {
  const runs = Array.from({ length: n }, f);
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

function bench(label: string, dir: string): void {
  // every file but .git: a superset of what debarch-lint reads (it picks files by kind)
  const grep = best(3, () => timed('grep', ['-rEnI', '--exclude-dir=.git', PATTERN, '.'], dir));
  const lint = best(3, () => timed(process.execPath, [bin, '--format', 'json', '--max-file-size', String(8 << 20), '.'], dir));
  const fix = best(1, () => timed(process.execPath, [bin, '--fix-dry-run', '--max-file-size', String(8 << 20), '.'], dir));
  const node = best(3, () => timed(process.execPath, ['-e', ''], dir));
  const fmt = (s: Sample): string => `${s.seconds.toFixed(3)} s${s.rssKiB ? `, ${(s.rssKiB / 1024).toFixed(0)} MiB peak` : ''}`;
  console.log(`\n${label}`);
  console.log(`  grep -rE (baseline)       ${fmt(grep)}`);
  console.log(`  node -e '' (startup)      ${fmt(node)}`);
  console.log(`  debarch-lint              ${fmt(lint)}   = ${(lint.seconds / grep.seconds).toFixed(1)}x grep`);
  console.log(`  debarch-lint --fix-dry-run ${fmt(fix)}   = ${(fix.seconds / grep.seconds).toFixed(1)}x grep`);
}

const args = process.argv.slice(2);
const treesOnly = args.includes('--trees-only');
if (!treesOnly) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debarch-bench-'));
  const { files, bytes } = writeCorpus(dir);
  bench(`synthetic corpus: ${files} make files, ${(bytes / 1024 / 1024).toFixed(1)} MiB`, dir);
  fs.rmSync(dir, { recursive: true, force: true });
}
for (const extra of args.filter((a) => a !== '--trees-only')) bench(`tree: ${extra}`, path.resolve(extra));
