/**
 * What the kill -9 sweep (scripts/kill-sweep.ts) and the tests share: the writer's test-seam
 * output read back, and a small seeded generator so that a failing random case can be replayed.
 */

/** One file-system step of the --fix writer, as its test seam prints it (DEBARCH_LINT_TEST_STEPS). */
export interface Step {
  n: number;
  phase: string;
  op: string;
  /** The file being fixed. */
  file: string;
  /** The path the step touches. */
  path: string;
}

/** The writer's steps in the text DEBARCH_LINT_TEST_STEPS printed. */
export function stepsOf(text: string): Step[] {
  const out: Step[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f[0] !== 'debarch-lint: test step' || f.length !== 6) continue;
    out.push({ n: Number(f[1]), phase: f[2] as string, op: f[3] as string, file: f[4] as string, path: f[5] as string });
  }
  return out;
}

/** mulberry32: numbers in [0, 1) from a seed, the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
