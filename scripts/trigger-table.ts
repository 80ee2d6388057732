/**
 * Prints the trigger table (src/engine/trigger-memo.ts) of the built-in rules: every regex
 * analysis their modules ask for as they load. scripts/bundle.ts bundles this script from the
 * sources it is about to bundle and runs it, so the table comes from the same code as the bundle.
 */
import { recordTriggerTable } from '../src/engine/trigger-memo.js';

const stop = recordTriggerTable();
await import('../rules/index.js');
process.stdout.write(stop());
