/**
 * Per-line answers the kits ask for every arch literal of a line, computed once per line.
 * Asked literal by literal, each of them read the whole line again: quadratic on a long line
 * full of literals (a 1 MiB line took minutes; issue 11's hostile input). Each function here
 * gives exactly the answer of the per-literal version it replaces (kept in the tests as the
 * reference); only the work is shared.
 *
 * The memo holds the last few texts asked about (rules ask about one file at a time, and about
 * slices of it now and then): their line starts and what was worked out per line.
 */

interface TextMemo {
  text: string;
  /** Offsets just after each `\n`, and 0. */
  starts: number[];
  forced: Map<number, ForcedLine>;
  /** perText's answers, by table and key. */
  tables: Map<string, Map<string, unknown>>;
}
/** Most recent first: the file being linted stays while slices of it come and go. */
const memos: TextMemo[] = [];
const KEPT = 4;

function memoFor(text: string): TextMemo {
  const i = memos.findIndex((m) => m.text === text);
  if (i >= 0) {
    const m = memos[i] as TextMemo;
    // the same text in another string (a file read again) is compared whole: keep the new one,
    // which the next question compares by identity
    m.text = text;
    if (i > 0) {
      memos.splice(i, 1);
      memos.unshift(m);
    }
    return m;
  }
  const starts = [0];
  for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', j + 1)) starts.push(j + 1);
  const m: TextMemo = { text, starts, forced: new Map(), tables: new Map() };
  memos.unshift(m);
  if (memos.length > KEPT) memos.pop();
  return m;
}

/**
 * `compute()` once per text, table and key: for answers that depend only on a span of the text
 * (a word's), asked once for every literal in it.
 */
export function perText<T>(text: string, table: string, key: string, compute: () => T): T {
  const m = memoFor(text);
  let t = m.tables.get(table);
  if (!t) m.tables.set(table, (t = new Map()));
  if (t.has(key)) return t.get(key) as T;
  const v = compute();
  t.set(key, v);
  return v;
}

/** The last index of a sorted array whose value is <= x (or < x with `strict`), or -1. */
function lastAtMost(a: readonly number[], x: number, strict = false): number {
  let lo = 0;
  let hi = a.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid] as number;
    if (strict ? v < x : v <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** [start, end) of the `\n`-delimited line holding `offset`. */
function lineAround(m: TextMemo, offset: number): [number, number] {
  // the original reads `lastIndexOf('\n', offset - 1)`: a line start equal to offset counts
  const i = lastAtMost(m.starts, Math.max(offset, 0));
  const start = m.starts[i] as number;
  const next = m.starts[i + 1];
  return [start, next === undefined ? m.text.length : next - 1];
}

/**
 * [start, end) of the `\n`-delimited lines from `before` lines above the one holding `offset` to
 * `after` lines below it (as far as there are), found by binary search: a backward scan for each
 * literal of a long line reads the line again each time.
 */
export function linesAround(text: string, offset: number, before = 0, after = 0): [number, number] {
  const m = memoFor(text);
  const i = lastAtMost(m.starts, Math.max(offset, 0));
  const j = i + after + 1;
  return [m.starts[Math.max(0, i - before)] as number, j < m.starts.length ? (m.starts[j] as number) - 1 : text.length];
}

// ---------------------------------------------------------------------------------------------
// forced removals (script-kit's isForcedRemoval)

/** A command start followed by `rm` and its blanks: group-free, for a scan of the whole line. */
const RM_START = /(?:^|[;&|(]|\bthen|\bdo|\belse)\s*(?:sudo\s+)?rm\s+(?!\s)/g;
const FORCE_FLAG = /(?:^|\s)(?:-[a-eg-zA-Z]*f[a-zA-Z]*|--force)(?=\s)/;
const ARCH_TREE = /(?:^|\/)arch\/(?:x86|i386|x86_64|arm64|arm)(?:\/|$)/;

interface ForcedLine {
  /** Where each `rm` command starts and where its arguments start (after `rm` and its blanks). */
  starts: number[];
  args: number[];
  /** Positions of `;`, `&` and `|` (the ends of a command's arguments). */
  seps: number[];
  /** Per argument start: where the blank after its first force flag is (Infinity: none). */
  flagEnd: Map<number, number>;
  /** Blank- and separator-free runs (the word of a literal), and whether each names an arch tree. */
  runStarts?: number[];
  runEnds?: number[];
  archTree: Map<number, boolean>;
}
const NO_RM: ForcedLine = { starts: [], args: [], seps: [], flagEnd: new Map(), archTree: new Map() };

function forcedLine(text: string, start: number, end: number): ForcedLine {
  const line = text.slice(start, end);
  if (!line.includes('rm')) return NO_RM;
  const out: ForcedLine = { starts: [], args: [], seps: [], flagEnd: new Map(), archTree: new Map() };
  RM_START.lastIndex = 0;
  for (const m of line.matchAll(RM_START)) {
    out.starts.push(start + m.index);
    out.args.push(start + m.index + m[0].length);
  }
  if (!out.starts.length) return NO_RM;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 59 || c === 38 || c === 124) out.seps.push(start + i);
  }
  return out;
}

/** The reference (per-literal) reading: the last command before `offset`, its flags, the word at `offset`. */
export function forcedRemovalByScan(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const m = /(?:^|[;&|(]|\bthen|\bdo|\belse)\s*(?:sudo\s+)?rm\s+(?!\s)([^;&|]*)$/.exec(before);
  if (!m || !FORCE_FLAG.test(` ${m[1] as string} `)) return false;
  const rest = /^[^\s;&|]*/.exec(text.slice(offset))?.[0] ?? '';
  const word = (/(?<![^\s;&|])[^\s;&|]*$/.exec(before)?.[0] ?? '') + rest;
  return ARCH_TREE.test(word);
}

/**
 * isForcedRemoval's answer with the line's work done once: the `rm` commands of the line, the
 * separators, the first force flag of each command and each word's answer are kept per line.
 * The command before `offset` is the first `rm` at or after the last separator before it (a
 * command's arguments hold no separator); its flags before `offset` are the ones whose blank
 * comes before it. A flag touching `offset` (`-f` + literal) is read the original way.
 */
export function forcedRemoval(text: string, offset: number): boolean {
  // a flag ends in a letter: only then can one end right at offset (not a literal's case)
  if (offset > 0 && /[A-Za-z]/.test(text[offset - 1] as string)) return forcedRemovalByScan(text, offset);
  const m = memoFor(text);
  const [start, end] = lineAround(m, offset);
  let line = m.forced.get(start);
  if (!line) m.forced.set(start, (line = forcedLine(text, start, end)));
  if (!line.starts.length) return false;
  const s = lastAtMost(line.seps, offset, true);
  const from = s >= 0 ? (line.seps[s] as number) : start;
  const k = lastAtMost(line.starts, from, true) + 1;
  const args = line.args[k];
  if (args === undefined || args > offset) return false;
  let flag = line.flagEnd.get(args);
  if (flag === undefined) {
    const stop = line.seps[lastAtMost(line.seps, args) + 1] ?? end;
    const f = FORCE_FLAG.exec(` ${text.slice(args, stop)}`);
    flag = f ? args - 1 + f.index + f[0].length : Infinity;
    line.flagEnd.set(args, flag);
  }
  if (!(flag < offset)) return false;
  if (!line.runStarts) {
    line.runStarts = [];
    line.runEnds = [];
    for (const r of text.slice(start, end).matchAll(/[^\s;&|]+/g)) {
      line.runStarts.push(start + r.index);
      line.runEnds.push(start + r.index + r[0].length);
    }
  }
  const r = lastAtMost(line.runStarts, offset);
  const rs = line.runStarts[r];
  // a run ending right at offset is the word too (the original joins the run before it and the one at it)
  if (rs === undefined || (line.runEnds?.[r] as number) < offset) return ARCH_TREE.test('');
  let hit = line.archTree.get(rs);
  if (hit === undefined) line.archTree.set(rs, (hit = ARCH_TREE.test(text.slice(rs, line.runEnds?.[r]))));
  return hit;
}
