/**
 * Property tests of the fixer (DESIGN §7, issue 11): on trees generated from fragments of every
 * file kind, `--fix` (safe, or with --unsafe) converges, is idempotent, leaves nothing fixable,
 * keeps every file lexing, changes only bytes inside each pass's taken edits, and for a tree fixed
 * in one pass writes exactly the first lint's JSON edits. Fixed seed; on failure the seed and the
 * path are printed: rerun with DEBARCH_LINT_PROP_SEED (and DEBARCH_LINT_PROP_PATH to go straight to
 * the shrunk case).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS } from '../src/types.js';
import { checkFixer, exercised, tolerated } from './gen/check-fixer.js';
import { TREES } from './gen/trees.js';

const SEED = Number(process.env.DEBARCH_LINT_PROP_SEED ?? 1101);
const PATH = process.env.DEBARCH_LINT_PROP_PATH;
/** 1,000 trees per kind (about 25 s for all 16 kinds on 2 cores); DEBARCH_LINT_PROP_RUNS sets another count. */
const RUNS = Number(process.env.DEBARCH_LINT_PROP_RUNS ?? 1000);
const runsFor = (_kind: string): number => RUNS;

describe('fixer properties', () => {
  it('has a generator for every file kind', () => {
    expect(Object.keys(TREES).sort()).toEqual([...ALL_KINDS].sort());
  });

  for (const kind of ALL_KINDS) {
    it(`${kind}: ${runsFor(kind)} generated trees`, () => {
      const details = fc.check(fc.property(TREES[kind], (tree) => checkFixer(tree)), {
        seed: SEED,
        numRuns: runsFor(kind),
        ...(PATH ? { path: PATH } : {}),
        verbose: fc.VerbosityLevel.Verbose,
      });
      const seen = { ...exercised, rules: [...exercised.rules].sort() };
      console.log(`fix properties ${kind}: ${JSON.stringify(seen)}; known fixer limits tolerated so far: ${JSON.stringify(tolerated)}`);
      Object.assign(exercised, { trees: 0, fixed: 0, multiPass: 0, created: 0, unfixable: 0 });
      exercised.rules.clear();
      if (details.failed) {
        const how = `DEBARCH_LINT_PROP_SEED=${details.seed} DEBARCH_LINT_PROP_PATH=${details.counterexamplePath ?? ''} npx vitest run test/fix-properties.test.ts -t '${kind}:'`;
        throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n\nreproduce: ${how}`);
      }
    }, 600_000);
  }
});
