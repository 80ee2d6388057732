/**
 * `DEBARCH_LINT_TIMING=1`: one line on stderr at the end of a run with the time each phase
 * took, for `npm run bench` (milliseconds, rounded):
 * `debarch-lint: timing {"startup":…,"discovery":…,"read":…,"lint":…,"output":…,"total":…,"jobs":N,"files":N,"early":N}`
 * (`early`: the workers started before discovery that linted).
 * `startup` runs from the process start (`performance.timeOrigin`) to the start of discovery;
 * `read` is reading (and sorting out) the files to lint; `lint` includes the fix passes and
 * writes; `output` is everything after (baseline, changed lines, formatting, printing), less
 * what a streamed format printed while linting.
 */
export const PHASES = ['startup', 'discovery', 'read', 'lint', 'output'] as const;
export type Phase = (typeof PHASES)[number];

export class PhaseTimer {
  private readonly spent = new Map<Phase, number>();
  private current: Phase = 'startup';
  private since = 0;
  jobs = 1;
  files = 0;
  early = 0;

  /** Ends the current phase now and starts `phase`. */
  enter(phase: Phase): void {
    const now = performance.now();
    this.spent.set(this.current, (this.spent.get(this.current) ?? 0) + now - this.since);
    this.current = phase;
    this.since = now;
  }

  line(): string {
    this.enter(this.current);
    const ms = (x: number): number => Math.round(x);
    const out: Record<string, number> = {};
    for (const p of PHASES) out[p] = ms(this.spent.get(p) ?? 0);
    out.total = ms(performance.now());
    out.jobs = this.jobs;
    out.files = this.files;
    out.early = this.early;
    return `debarch-lint: timing ${JSON.stringify(out)}`;
  }
}
