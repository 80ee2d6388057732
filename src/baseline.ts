/**
 * Baselines (DESIGN §7): a file of the findings a tree already had, so a linter adopted on a
 * repository full of them judges only what is new. A key is rule + path + the normalised text
 * of the finding's line + which occurrence of that text it is — never a line number, so
 * inserting or moving code does not bring old findings back. Pure: the CLI reads and writes.
 */
import type { Finding } from './types.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  /** POSIX path relative to the baseline file's folder. */
  path: string;
  ruleId: string;
  /** The finding's (first) line, trimmed, runs of blanks made one space. */
  text: string;
  /** 0 for the first finding of this rule on a line with this text in this file, 1 for the next … */
  occurrence: number;
}

export class BaselineError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid baseline:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Line text as the key sees it: blanks at either end and the width of indentation do not matter. */
export const normalizeLineText = (line: string): string => line.replace(/\s+/g, ' ').trim();

export const entryKey = (e: BaselineEntry): string => `${e.path}\u0000${e.ruleId}\u0000${e.text}\u0000${e.occurrence}`;

const compare = (a: BaselineEntry, b: BaselineEntry): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : a.occurrence - b.occurrence;

/** Sorted by path, rule, text, occurrence: the order the file is written in. */
export const sortEntries = (entries: readonly BaselineEntry[]): BaselineEntry[] => [...entries].sort(compare);

/**
 * The entry of each finding. `keyPath` turns a finding's path into the baseline's; `lineText`
 * gives the text of a finding's first line. Findings are counted in file order.
 */
export function entriesFor(
  findings: readonly Finding[],
  keyPath: (path: string) => string,
  lineText: (f: Finding) => string,
): Map<Finding, BaselineEntry> {
  const ordered = [...findings].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.range[0] - b.range[0] || a.range[1] - b.range[1]));
  const seen = new Map<string, number>();
  const out = new Map<Finding, BaselineEntry>();
  for (const f of ordered) {
    const base = { path: keyPath(f.path), ruleId: f.ruleId, text: normalizeLineText(lineText(f)) };
    const k = `${base.path}\u0000${base.ruleId}\u0000${base.text}`;
    const occurrence = seen.get(k) ?? 0;
    seen.set(k, occurrence + 1);
    out.set(f, { ...base, occurrence });
  }
  return out;
}

/** Reads a baseline file; every problem is reported at once. */
export function parseBaseline(text: string, source: string): BaselineEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(source, [`not valid JSON: ${(e as Error).message}`]);
  }
  const problems: string[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new BaselineError(source, ['expected an object with "version" and "findings"']);
  const o = data as Record<string, unknown>;
  if (o.version !== BASELINE_VERSION) problems.push(`"version" must be ${BASELINE_VERSION}, not ${JSON.stringify(o.version)}`);
  if (!Array.isArray(o.findings)) {
    problems.push('"findings" must be an array');
    throw new BaselineError(source, problems);
  }
  const entries: BaselineEntry[] = [];
  o.findings.forEach((e: unknown, i: number) => {
    const x = e as Record<string, unknown>;
    const bad: string[] = [];
    if (typeof x !== 'object' || x === null) {
      problems.push(`findings[${i}]: expected an object`);
      return;
    }
    for (const k of ['path', 'ruleId', 'text'] as const) if (typeof x[k] !== 'string') bad.push(`"${k}" must be a string`);
    if (!Number.isSafeInteger(x.occurrence) || (x.occurrence as number) < 0) bad.push('"occurrence" must be a whole number ≥ 0');
    for (const k of Object.keys(x)) if (!['path', 'ruleId', 'text', 'occurrence'].includes(k)) bad.push(`unknown key "${k}"`);
    if (bad.length) problems.push(...bad.map((b) => `findings[${i}]: ${b}`));
    else entries.push({ path: x.path as string, ruleId: x.ruleId as string, text: x.text as string, occurrence: x.occurrence as number });
  });
  if (problems.length) throw new BaselineError(source, problems);
  return entries;
}

/**
 * The file's text: sorted, one entry a line, fixed key order — stable under re-runs and
 * friendly to `git diff` when entries come and go.
 */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const unique = new Map(entries.map((e) => [entryKey(e), e]));
  const lines = sortEntries([...unique.values()]).map((e) =>
    JSON.stringify({ path: e.path, ruleId: e.ruleId, text: e.text, occurrence: e.occurrence }),
  );
  return `{\n  "version": ${BASELINE_VERSION},\n  "findings": [${lines.length ? `\n    ${lines.join(',\n    ')}\n  ` : ''}]\n}\n`;
}

export interface BaselineMatch {
  /** Findings the baseline does not hide. */
  kept: Set<Finding>;
  /** Entries no finding matched, among those `judged` says this run could have matched. */
  stale: BaselineEntry[];
}

/**
 * Hides the findings whose entry is in the baseline. An entry nothing matched is stale only
 * when this run could have matched it (`judged`: its file was linted with its rule on, or its
 * file is gone); the rest of the baseline is left alone.
 */
export function matchBaseline(
  entries: ReadonlyMap<Finding, BaselineEntry>,
  baseline: readonly BaselineEntry[],
  judged: (e: BaselineEntry) => boolean,
): BaselineMatch {
  const known = new Set(baseline.map(entryKey));
  const matched = new Set<string>();
  const kept = new Set<Finding>();
  for (const [f, e] of entries) {
    const k = entryKey(e);
    if (known.has(k)) matched.add(k);
    else kept.add(f);
  }
  const stale = sortEntries(baseline.filter((e) => !matched.has(entryKey(e)) && judged(e)));
  return { kept, stale };
}
