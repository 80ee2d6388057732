/**
 * The CLI's run of this process's arguments. Imported by src/cli/bin.ts (tsc output and the ES
 * module bundle `main.mjs`), and the entry of the CommonJS bundle `cli.cjs` that `bin.mjs` runs
 * with its code cache (src/cli/code-cache.ts). V8's flags are set before this runs, by whichever
 * imported it (src/cli/v8-flags.ts).
 */
import { processIO } from './io.js';
import { run } from './run.js';

run(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`debarch-lint: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
