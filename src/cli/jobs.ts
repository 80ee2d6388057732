/**
 * How many threads a run uses, and where the worker entry is: kept apart from the pool so that a
 * one-thread run (one file, a pre-commit hook) never loads worker_threads or the pool.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** Each worker costs ~19 MB and ~80 ms to start: more than a few is rarely worth it. */
export const MAX_DEFAULT_JOBS = 4;

/**
 * `--jobs` when not given: one thread on one or two cores, else the cores, at most
 * MAX_DEFAULT_JOBS. A lint thread keeps more than one core busy (V8 collects garbage and compiles
 * on background threads of the same isolate), and every worker warms up its own compiled code
 * and heap: on a 2-core machine two workers took more wall time than one thread for the 15
 * StarlingX repos (README, Performance), so a second thread only pays with a core to spare.
 */
export function defaultJobs(cores = os.availableParallelism()): number {
  return cores <= 2 ? 1 : Math.min(cores, MAX_DEFAULT_JOBS);
}

/**
 * The worker entry beside this module: tsc output's (`worker.js`), or the bundle's (`worker.mjs`)
 * for both bundles of the CLI (`main.mjs` and its chunks, `cli.cjs`).
 */
export function workerEntry(from = import.meta.url): URL {
  return new URL(from.endsWith('.js') ? './worker.js' : './worker.mjs', from);
}

/** False when this module runs from sources (tests in-process): there is no compiled worker to start. */
export function workersAvailable(): boolean {
  try {
    return fs.existsSync(fileURLToPath(workerEntry()));
  } catch {
    return false;
  }
}

/**
 * The threads a run of `files` files uses: one for standard input, for custom rules (a worker
 * loads the registry), without a compiled worker, or with fewer than two files per thread.
 */
export function effectiveJobs(requested: number, files: number, canUseWorkers: boolean): number {
  if (!canUseWorkers || requested <= 1 || files < 2 * requested) return 1;
  return requested;
}

