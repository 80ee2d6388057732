/**
 * The regex analysis of the prefilter (`requiredLiterals`, `requiredWordGroups` in triggers.ts)
 * computed once, when the bundle is built (issue 12: a one-file run spent a fifth of its CPU
 * deriving the built-in rules' triggers as their modules loaded). Each result is stored under
 * its whole input (the analysis, the regex source, its flags, the context), so a table can only
 * miss, never answer for another input: a regex the table lacks (a custom rule, a changed
 * table) is analysed as before. The table is generated from the very sources the bundle is
 * built from (scripts/bundle.ts), so it cannot be older than the analysis that would replace it.
 */
import { PREBUILT_TRIGGER_TABLE } from './trigger-table.js';

/** A result as stored: `null` for `undefined` (none can be told). */
type Stored = readonly unknown[] | null;

let table: Map<string, Stored> | undefined;
let loaded = false;
let recording: Map<string, Stored> | undefined;

/** A fresh copy of a stored result (callers own what they get, as when it is computed). */
const copy = (v: unknown): unknown => (Array.isArray(v) ? v.map(copy) : v);

/**
 * The result of `compute` for `key`: from the table when it has `key`, else computed (and noted
 * when recording).
 */
export function memoized<T extends readonly unknown[] | undefined>(key: string, compute: () => T): T {
  if (!loaded) {
    loaded = true;
    if (PREBUILT_TRIGGER_TABLE !== undefined) useTriggerTable(PREBUILT_TRIGGER_TABLE);
  }
  const hit = table?.get(key);
  if (hit !== undefined) return (hit === null ? undefined : copy(hit)) as T;
  const out = compute();
  recording?.set(key, out === undefined ? null : (copy(out) as Stored));
  return out;
}

/** Answers from `json` (a table from `recordTriggerTable`) from now on; `undefined`: from none. */
export function useTriggerTable(json: string | undefined): void {
  loaded = true;
  table = json === undefined ? undefined : new Map(JSON.parse(json) as [string, Stored][]);
}

/** Notes every result computed from now on; the returned function stops and gives the table (JSON, keys sorted). */
export function recordTriggerTable(): () => string {
  const notes = new Map<string, Stored>();
  recording = notes;
  return () => {
    recording = undefined;
    return JSON.stringify([...notes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
}
