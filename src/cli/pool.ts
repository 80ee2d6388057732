/**
 * `--jobs N`: lints a plan in N worker threads (src/cli/worker.ts), or in this thread for one.
 * Each worker gets the plan once and lints contiguous ranges of it (files of one folder
 * together: their cross-file reads hit the worker's cache), asking for the next range as it
 * finishes one. Outcomes are handed on in plan order whatever thread finished first, so every
 * format prints the same bytes for every `--jobs`.
 */
import { Worker } from 'node:worker_threads';
import type { AnyRule } from '../types.js';
import { FileStore, lintRange, type LintOutcome, type LintPlan } from './lint-files.js';
import type { LintJob, WorkerMessage } from './worker.js';

/**
 * A worker's old-generation heap to start with: V8 grows a heap well past what it holds
 * (several times over while a run allocates freely), and three isolates doing so would hold
 * hundreds of MB. A worker needs a few tens of MB; one that runs out (a file of a few hundred
 * KB of yaml) is replaced by one with twice the heap, which lints its ranges again, up to
 * MAX_WORKER_HEAP_MB; past that the main thread, which has no such limit, lints them.
 *
 * 64 MB: with 48 a worker spent most of its time collecting near the limit once the lint got
 * cheaper (`--jobs 2`, 60 synthetic repos: 6.5 s and 10.6 s CPU at 48 MB, 4.4 s and 7.0 s at 64 MB,
 * for 233 → 261 MB peak; the 15 repos 3.3 → 2.6 s). One thread, the default on two cores, peaks
 * at 222 MB there.
 */
export const WORKER_HEAP_MB = 64;
export const MAX_WORKER_HEAP_MB = 1024;
/**
 * A worker's young generation at most (V8's default lets it take 48 MB of RSS per thread): 16 MB
 * bought no time over 8 (60 synthetic repos, 64 MB old: 4.1-4.2 s either way) for ~20 MB more peak.
 */
export const WORKER_YOUNG_MB = 8;

export { MAX_DEFAULT_JOBS, defaultJobs, effectiveJobs, workerEntry, workersAvailable } from './jobs.js';
import { workerEntry } from './jobs.js';

/**
 * Workers started before the plan is ready (`startWorkers`): they load the bundle while the main
 * thread discovers and probes the files. Unreferenced until `lintPlan` takes them, so that a run
 * that ends early (a config error) or lints on one thread after all does not wait for them;
 * `stop` ends those never taken.
 */
export class EarlyWorkers {
  private readonly idle: Worker[];
  /** Workers that stopped (or failed to load) before they were taken: never handed out. */
  private readonly gone = new Set<Worker>();
  /** How many were handed out. */
  taken = 0;

  constructor(
    count: number,
    readonly heapMb: number,
  ) {
    this.idle = Array.from({ length: count }, () => newWorker(heapMb));
    for (const w of this.idle) {
      w.unref();
      // an error nobody listens to would end this process: here it only retires the worker
      // (lintPlan starts another in its place, which meets the same error with its listeners)
      w.on('error', () => this.gone.add(w));
      w.once('exit', () => this.gone.add(w));
    }
  }

  /** One started worker that is still alive, referenced again, if one is left. */
  take(): Worker | undefined {
    for (let w = this.idle.shift(); w; w = this.idle.shift()) {
      if (this.gone.has(w)) continue;
      w.ref();
      this.taken++;
      return w;
    }
    return undefined;
  }

  async stop(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }
}

function newWorker(heapMb: number): Worker {
  return new Worker(workerEntry(), { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
}

/** Files per range sent to a worker: small enough to balance the tail, big enough to keep folders together. */
function rangeSize(files: number, jobs: number): number {
  return Math.max(4, Math.min(64, Math.ceil(files / (jobs * 16))));
}

/**
 * Lints every file of the plan with `jobs` threads and calls `onOutcome` for each, in plan
 * order. With one job it lints here with `rules`; workers always use the registry.
 */
export async function lintPlan(
  plan: LintPlan,
  rules: readonly AnyRule[],
  jobs: number,
  onOutcome: (o: LintOutcome) => void,
  /** The first workers' heap (tests start them tiny, so that every worker runs out and is replaced). */
  heapMb = WORKER_HEAP_MB,
  /** Workers started before the plan (with `heapMb`): used first, the rest started here. */
  early?: EarlyWorkers,
): Promise<void> {
  const n = plan.files.length;
  const size = rangeSize(n, jobs);
  if (jobs <= 1) {
    const store = new FileStore(plan);
    for (let from = 0; from < n; from += size) for (const o of lintRange(plan, store, rules, from, Math.min(n, from + size), true)) onOutcome(o);
    return;
  }
  const jobsList: LintJob[] = [];
  for (let from = 0, id = 0; from < n; from += size, id++) jobsList.push({ id, from, to: Math.min(n, from + size) });
  const done = new Map<number, LintOutcome[]>();
  let nextToSend = 0;
  let nextToEmit = 0;
  const workers: Worker[] = [];
  /** The ranges each live worker has been sent and not yet returned. */
  const inFlight = new Map<Worker, Set<number>>();
  let here: FileStore | undefined;
  /** A range a worker could not finish (it ran out of its heap): linted here, without a limit. */
  const lintHere = (job: LintJob): void => {
    here ??= new FileStore(plan);
    done.set(job.id, lintRange(plan, here, rules, job.from, job.to, true));
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error): void => {
        if (!failed) reject(e);
        failed = true;
      };
      /** Ranges a worker lost when it ran out of heap: sent again first, to a worker with more. */
      const retry: LintJob[] = [];
      const send = (w: Worker): void => {
        const job = retry.shift() ?? jobsList[nextToSend];
        if (!job) return;
        if (job.id === nextToSend) nextToSend++;
        inFlight.get(w)?.add(job.id);
        w.postMessage(job satisfies WorkerMessage);
      };
      const emit = (): void => {
        for (let chunk = done.get(nextToEmit); chunk; chunk = done.get(nextToEmit)) {
          done.delete(nextToEmit);
          nextToEmit++;
          for (const o of chunk) onOutcome(o);
        }
        if (nextToEmit === jobsList.length) resolve();
      };
      const step = (f: () => void): void => {
        if (failed) return;
        try {
          f();
          emit();
        } catch (e) {
          fail(e as Error);
        }
      };
      const start = (heapMb: number): void => {
        const w = (early?.heapMb === heapMb ? early.take() : undefined) ?? newWorker(heapMb);
        workers.push(w);
        // the plan first: messages arrive in the order they were posted
        w.postMessage({ plan } satisfies WorkerMessage);
        inFlight.set(w, new Set());
        w.on('message', (m: { id: number; outcomes?: LintOutcome[]; error?: string }) =>
          step(() => {
            if (m.error !== undefined) throw new Error(`in a lint worker: ${m.error}`);
            // a worker that ran out of heap: what it still posts is linted again elsewhere
            if (!inFlight.has(w)) return;
            inFlight.get(w)?.delete(m.id);
            done.set(m.id, m.outcomes ?? []);
            send(w);
          }),
        );
        w.on('error', (e: NodeJS.ErrnoException) =>
          step(() => {
            if (e.code !== 'ERR_WORKER_OUT_OF_MEMORY') throw e;
            // a file too big for this heap: its ranges go to a new worker with twice the heap,
            // or past the largest, are linted here (the main thread has no such limit)
            const lost = [...(inFlight.get(w) ?? [])].sort((a, b) => a - b).map((id) => jobsList[id] as LintJob);
            inFlight.delete(w);
            if (heapMb * 2 <= MAX_WORKER_HEAP_MB) {
              retry.push(...lost);
              start(heapMb * 2);
              return;
            }
            for (const job of lost) lintHere(job);
            if (inFlight.size === 0) while (nextToSend < jobsList.length) lintHere(jobsList[nextToSend++] as LintJob);
          }),
        );
        w.on('exit', (code) => {
          if (inFlight.has(w) && nextToEmit < jobsList.length) fail(new Error(`a lint worker stopped (exit code ${code}) before the run was done`));
        });
        // two ranges in flight per worker: the next one waits while the first is linted
        send(w);
        send(w);
      };
      if (jobsList.length === 0) return resolve();
      for (let i = 0; i < jobs; i++) start(heapMb);
    });
  } finally {
    await Promise.all([...workers.map((w) => w.terminate()), early?.stop()]);
  }
}
