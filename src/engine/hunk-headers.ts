/**
 * Hunk headers of a `.patch` under many fixes at once. A fix that adds or removes lines of a
 * hunk carries the header rewrites it needs alone (its hunk's `+c,d`, the `+c` of the later
 * hunks of the same file: the JSON `fix` of one finding applies by itself). Taken together those
 * rewrites overlap, so the fixer drops them and rewrites each header once per pass from all the
 * edits it takes in the patch (DESIGN §7): what a run of those fixes one by one would write.
 */
import { newRangeOf, parsePatch, type HunkImage } from '../models/patch.js';

export interface HeaderEdit {
  start: number;
  end: number;
  text: string;
}

interface Header {
  /** Where the `@@` line starts. */
  lineStart: number;
  /** The hunk it opens, when the patch model reads it (a target path it knows). */
  hunk: HunkImage | undefined;
  /** Its `+c,d` numbers. */
  numbers: ReturnType<typeof newRangeOf>;
}

export interface HunkHeaders {
  /** True when [start, end] lies inside the `+c,d` numbers of a hunk header: a rewrite a fix carries for itself. */
  isHeaderEdit(start: number, end: number): boolean;
  /** The header rewrites after all of `edits` (body edits of this text, not overlapping): one per header that changes. */
  rewrites(edits: readonly HeaderEdit[]): HeaderEdit[];
}

const newlines = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

export function hunkHeaders(text: string): HunkHeaders {
  const model = parsePatch(text);
  const byLine = new Map(model.hunks.map((h) => [h.header, h]));
  const headers: Header[] = model.lines
    .filter((l) => l.type === 'hunk')
    .map((line) => ({ lineStart: line.start, hunk: byLine.get(line), numbers: byLine.has(line) ? newRangeOf(line, text) : undefined }));

  /** Index of the last header starting before `offset` (`strict`) or at it, or -1. */
  const headerBefore = (offset: number, strict: boolean): number => {
    let lo = 0;
    let hi = headers.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = (headers[mid] as Header).lineStart;
      if (s < offset || (!strict && s === offset)) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };

  return {
    isHeaderEdit(start, end) {
      const n = headers[headerBefore(start, false)]?.numbers;
      return !!n && start >= n.start && end <= n.end;
    },
    rewrites(edits) {
      const delta = new Array<number>(headers.length).fill(0);
      const grows = new Array<boolean>(headers.length).fill(false);
      for (const e of edits) {
        // an edit belongs to the hunk whose header is above it (one that ends a hunk's last line ends where the next header starts)
        const i = headerBefore(e.start, true);
        const lines = newlines(e.text) - newlines(text.slice(e.start, e.end));
        if (i < 0 || lines === 0) continue;
        delta[i] = (delta[i] as number) + lines;
        grows[i] = true;
      }
      const out: HeaderEdit[] = [];
      let shift = 0;
      headers.forEach((h, i) => {
        const previous = headers[i - 1]?.hunk;
        // the later hunks of one file section move by what the earlier ones gained
        if (!h.hunk || !previous || previous.later[0] !== h.hunk) shift = 0;
        const n = h.numbers;
        if (n && grows[i]) out.push({ start: n.start, end: n.end, text: `${n.newStart + shift},${n.newCount + (delta[i] as number)}` });
        else if (n && shift !== 0) out.push({ start: n.start, end: n.countStart, text: String(n.newStart + shift) });
        shift += delta[i] as number;
      });
      return out;
    },
  };
}
