/**
 * How many threads a run uses, and where the worker entry is: kept apart from the pool so that a
 * one-thread run (one file, a pre-commit hook) never loads worker_threads or the pool.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** Each worker costs ~19 MB and ~80 ms to start: more than a few is rarely worth it. */
export const MAX_DEFAULT_JOBS = 4;

/** `--jobs` when not given: the cores Node may use, at most MAX_DEFAULT_JOBS. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(os.availableParallelism(), MAX_DEFAULT_JOBS));
}

/** The worker entry beside this module: tsc output (`worker.js`) or a bundle's (`worker.mjs`). */
export function workerEntry(): URL {
  return new URL(import.meta.url.endsWith('.mjs') ? './worker.mjs' : './worker.js', import.meta.url);
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

