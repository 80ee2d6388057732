/**
 * A lint worker (`--jobs N`): started before the plan exists (it loads the bundle while the main
 * thread walks the tree), gets the plan as its first message, then lints the ranges of files
 * the main thread sends, reading them itself, and posts back their outcomes. Never writes
 * anything.
 */
import { parentPort } from 'node:worker_threads';
import { RULES } from '../../rules/index.js';
import { FileStore, lintRange, type LintPlan } from './lint-files.js';

/** A range of the plan's files to lint. */
export interface LintJob {
  id: number;
  from: number;
  to: number;
}

/** What the main thread sends: the plan once, first, then ranges. */
export type WorkerMessage = { plan: LintPlan } | LintJob;

let plan: LintPlan | undefined;
let store: FileStore | undefined;
const port = parentPort;
if (port) {
  port.on('message', (m: WorkerMessage) => {
    if ('plan' in m) {
      plan = m.plan;
      store = new FileStore(plan);
      return;
    }
    let outcomes;
    try {
      if (!plan || !store) throw new Error('a range came before the plan');
      outcomes = lintRange(plan, store, RULES, m.from, m.to, false);
    } catch (e) {
      port.postMessage({ id: m.id, error: (e as Error)?.stack ?? String(e) });
      return;
    }
    port.postMessage({ id: m.id, outcomes });
  });
}
