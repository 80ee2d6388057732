/**
 * The patch model: which file each hunk targets and each hunk's post-image (its context and
 * `+` lines, markers dropped) with a map back to the patch, so the hunk is linted as the kind
 * of its target and findings land on the `+` lines of the `.patch` (DESIGN §3).
 */
import { lexPatchLines, type PatchLine } from '../lexers/patch.js';

export interface HunkImage {
  /** The target path, `a/`/`b/` prefix dropped (`debian/rules`). */
  target: string;
  /** The hunk's `@@` line. */
  header: PatchLine;
  /** Context and `+` lines without their markers, with their line endings. */
  text: string;
  /** Per post-image line: its offset in `text`, its body offset in the patch, whether it is a `+` line, where its patch line starts. */
  lines: { virtual: number; host: number; length: number; added: boolean; start: number }[];
  /** The hunks after this one in the same file section (their `+c` moves when this one grows). */
  later: HunkImage[];
}

/** The `+c,d` part of a hunk header: offsets of its numbers. */
export function newRangeOf(header: PatchLine, text: string): { start: number; countStart: number; end: number; newStart: number; newCount: number } | undefined {
  const body = text.slice(header.start, header.end);
  const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(body);
  if (!m) return undefined;
  const at = header.start + body.indexOf(' +') + 2;
  const startText = m[1] as string;
  return {
    start: at,
    countStart: at + startText.length,
    end: at + startText.length + (m[2] === undefined ? 0 : (m[2] as string).length + 1),
    newStart: Number(startText),
    newCount: m[2] === undefined ? 1 : Number(m[2]),
  };
}

export interface PatchModel {
  lines: PatchLine[];
  hunks: HunkImage[];
  problems: { offset: number; message: string }[];
}

/** `+++ b/debian/rules\t2024-…` → `debian/rules`; /dev/null → undefined. */
function targetOf(line: string): string | undefined {
  let p = line.slice(4).replace(/(?<!\t)\t.*$/, '').trim();
  if (p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1);
  if (p === '/dev/null') return undefined;
  return p.replace(/^[ab]\//, '').replace(/^[^/]+\.(?:orig|new)\//, '');
}

export function parsePatch(text: string): PatchModel {
  const lines = lexPatchLines(text);
  const hunks: HunkImage[] = [];
  const problems: PatchModel['problems'] = [];
  let target: string | undefined;
  let oldTarget: string | undefined;
  let hunk: HunkImage | undefined;
  let section: HunkImage[] = [];
  let added = 0;
  let context = 0;
  let removed = 0;
  const closeHunk = (): void => {
    if (hunk?.header.header) {
      const h = hunk.header.header;
      if (added + context !== h.newCount || removed + context !== h.oldCount) {
        problems.push({ offset: hunk.header.start, message: 'hunk is shorter than its @@ header says' });
      }
    }
    hunk = undefined;
  };
  for (const line of lines) {
    if (line.type === 'oldFile') {
      closeHunk();
      section = [];
      oldTarget = targetOf(text.slice(line.start, line.end));
    } else if (line.type === 'newFile') {
      closeHunk();
      target = targetOf(text.slice(line.start, line.end)) ?? oldTarget;
    } else if (line.type === 'hunk') {
      closeHunk();
      if (target === undefined) continue;
      hunk = { target, header: line, text: '', lines: [], later: [] };
      for (const h of section) h.later.push(hunk);
      section.push(hunk);
      hunks.push(hunk);
      added = context = removed = 0;
    } else if (hunk && (line.type === 'context' || line.type === 'added')) {
      if (line.type === 'added') added++;
      else context++;
      const bodyStart = line.end > line.start ? line.start + 1 : line.start;
      hunk.lines.push({ virtual: hunk.text.length, host: bodyStart, length: line.next - bodyStart, added: line.type === 'added', start: line.start });
      hunk.text += text.slice(bodyStart, line.next);
    } else if (hunk && line.type === 'removed') removed++;
    else if (hunk && line.type === 'text') closeHunk();
  }
  closeHunk();
  return { lines, hunks, problems };
}

/** The post-image line holding a virtual offset. */
export function imageLineAt(h: HunkImage, offset: number): HunkImage['lines'][number] | undefined {
  let lo = 0;
  let hi = h.lines.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((h.lines[mid] as HunkImage['lines'][number]).virtual <= offset) lo = mid;
    else hi = mid - 1;
  }
  return h.lines[lo];
}
