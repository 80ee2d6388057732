import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');

/** Runs the CLI in-process with `cwd`; returns exit code and output. */
export async function cli(cwd: string, args: string[], opts: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {}) {
  const io = memoryIO(cwd, opts);
  const code = await run(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** A fresh temp folder, removed by the caller's afterEach/finally if it wishes. */
export function tempDir(prefix = 'debarch-lint-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a tree of files ({relative path: content}) under `dir`. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** Every file under `dir` (relative POSIX paths) with its bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), fs.readFileSync(abs));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

export function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

export { stepsOf, type Step } from '../scripts/seams.js';

/** True when some source under src/ or rules/ has no up-to-date counterpart in dist/. */
function distIsStale(): boolean {
  const stale = (dir: string): boolean =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).some((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return stale(rel);
      if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) return false;
      const js = path.join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'));
      return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(ROOT, rel)).mtimeMs;
    });
  return stale('src') || stale('rules');
}

/**
 * The built CLI (dist/src/cli/bin.js), for what only runs compiled (worker threads): rebuilt
 * first when a source is newer than its output. tsc emits even when work in progress has a
 * type error; only a missing bin is fatal.
 */
export function builtCli(): string {
  const bin = path.join(ROOT, 'dist', 'src', 'cli', 'bin.js');
  if (distIsStale()) {
    const r = spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    if (!fs.existsSync(bin)) throw new Error(`could not build ${bin}:\n${r.stdout}${r.stderr}`);
  }
  return bin;
}
