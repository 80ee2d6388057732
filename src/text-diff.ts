/**
 * Unified diffs of a fixed file in linear time. The `diff` package's Myers algorithm costs
 * O(lines × changes), which on a 4 MB make file with thousands of fixes takes minutes. Fixes
 * are local, so a greedy walk finds the changed blocks (resyncing within a window), nearby
 * blocks are grouped, and the `diff` package diffs each group's few lines; its hunks are then
 * moved to their place in the file.
 */
import { formatPatch, structuredPatch, type StructuredPatchHunk } from 'diff';

/** Lines with their endings, so joining them gives the text back. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

interface Block {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

const WINDOW = 64;

/** Changed blocks by a greedy walk: equal lines advance both sides; a mismatch resyncs on the nearest two equal lines. */
function changedBlocks(a: string[], b: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  let j = 0;
  const resyncs = (x: number, y: number): boolean =>
    (x === a.length && y === b.length) ||
    (x < a.length && y < b.length && a[x] === b[y] && (x + 1 >= a.length || y + 1 >= b.length || a[x + 1] === b[y + 1]));
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    let found = false;
    for (let k = 1; k <= 2 * WINDOW && !found; k++) {
      for (let d1 = Math.max(0, k - WINDOW); d1 <= Math.min(k, WINDOW); d1++) {
        const d2 = k - d1;
        if (i + d1 > a.length || j + d2 > b.length || !resyncs(i + d1, j + d2)) continue;
        blocks.push({ oldStart: i, oldEnd: i + d1, newStart: j, newEnd: j + d2 });
        i += d1;
        j += d2;
        found = true;
        break;
      }
    }
    if (!found) {
      blocks.push({ oldStart: i, oldEnd: a.length, newStart: j, newEnd: b.length });
      i = a.length;
      j = b.length;
    }
  }
  if (i < a.length || j < b.length) blocks.push({ oldStart: i, oldEnd: a.length, newStart: j, newEnd: b.length });
  return blocks;
}

/** A `git apply`-able unified diff of two versions of a file (`---`/`+++` headers and hunks). */
export function unifiedPatch(oldName: string, newName: string, oldText: string, newText: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const blocks = changedBlocks(a, b);
  const hunks: StructuredPatchHunk[] = [];
  let k = 0;
  while (k < blocks.length) {
    const first = blocks[k] as Block;
    let last = first;
    while (k + 1 < blocks.length && (blocks[k + 1] as Block).oldStart - last.oldEnd <= 2 * context) last = blocks[++k] as Block;
    k++;
    const lead = Math.min(context, first.oldStart, first.newStart);
    const oldFrom = first.oldStart - lead;
    const newFrom = first.newStart - lead;
    const oldTo = Math.min(a.length, last.oldEnd + context);
    const newTo = Math.min(b.length, last.newEnd + (oldTo - last.oldEnd));
    const part = structuredPatch('a', 'b', a.slice(oldFrom, oldTo).join(''), b.slice(newFrom, newTo).join(''), undefined, undefined, { context });
    for (const h of part.hunks) hunks.push({ ...h, oldStart: h.oldStart + oldFrom, newStart: h.newStart + newFrom });
  }
  if (hunks.length === 0) return '';
  return formatPatch(
    { oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks },
    { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  );
}
