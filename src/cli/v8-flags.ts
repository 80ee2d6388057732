/**
 * V8's settings for a short run, set before any of the CLI's code runs (imported first by the
 * bin).
 *
 * Tiering. V8 tunes its optimizing compiler (TurboFan) for long-lived programs: it optimizes a
 * function after a few thousand calls or loop iterations, and re-optimizes the big ones (the
 * parsers) several times as their type feedback grows. A lint of a whole tree lasts seconds, and
 * on the 15 StarlingX repos that compiling cost ~2 s of CPU on a background thread, paid again by
 * every `--jobs` worker. Waiting ~4× longer before optimizing, and inlining about half as much,
 * took a third off the CPU time (`--jobs 1`: 8.0-8.6 s → 5.9-6.0 s; `--jobs 2`: 12.9-13.1 s →
 * 8.2-10.7 s) with the same output: hot code is still optimized, only later and smaller.
 *
 * Heap growth. After each full collection V8 lets the heap grow to several times what survived
 * before it collects again: on the 15 repos, 35-60 MB live grew to 160 MB before each full
 * collection, and `--jobs 1` peaked at 270 MB RSS (60 synthetic repos: 262-270 MB). Growing by
 * 75% at most collects a little more often at the same CPU time (7.85 s either way on the 60
 * repos) and peaks at 187-191 MB.
 *
 * Only on the V8 majors these flags are known on (Node 20 and 22), and never over a value the
 * user set with `node --…` or NODE_OPTIONS. The flags are process-wide: workers share them.
 */
import v8 from 'node:v8';

const FLAGS: readonly [name: string, value: number][] = [
  ['interrupt-budget', 300_000],
  ['max-inlined-bytecode-size-cumulative', 460],
  ['heap-growing-percent', 75],
];

/** The flags to set for this process: none on an unknown V8, none the user set already. */
export function v8Flags(v8Version: string, userArgs: readonly string[]): string[] {
  const major = Number(v8Version.split('.')[0]);
  if (major !== 11 && major !== 12) return [];
  const given = (name: string): boolean => userArgs.some((a) => a.replace(/_/g, '-').startsWith(`--${name}`));
  return FLAGS.filter(([name]) => !given(name)).map(([name, value]) => `--${name}=${value}`);
}

for (const flag of v8Flags(process.versions.v8, [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)])) v8.setFlagsFromString(flag);
