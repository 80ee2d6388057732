/**
 * A lint worker (`--jobs N`): gets the plan once, then lints the ranges of files the main
 * thread sends, reading them itself, and posts back their outcomes. Never writes anything.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RULES } from '../../rules/index.js';
import { FileStore, lintRange, type LintPlan } from './lint-files.js';

/** A range of the plan's files to lint. */
export interface LintJob {
  id: number;
  from: number;
  to: number;
}

const plan = workerData as LintPlan;
const store = new FileStore(plan);
const port = parentPort;
if (port) {
  port.on('message', (job: LintJob) => {
    let outcomes;
    try {
      outcomes = lintRange(plan, store, RULES, job.from, job.to, false);
    } catch (e) {
      port.postMessage({ id: job.id, error: (e as Error)?.stack ?? String(e) });
      return;
    }
    port.postMessage({ id: job.id, outcomes });
  });
}
