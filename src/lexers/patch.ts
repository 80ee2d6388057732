/**
 * A lossless lexer for unified diffs (`*.patch`, `*.diff`, quilt and git format-patch output).
 * The file is read line by line, counting each hunk's lines from its `@@ -a,b +c,d @@` header,
 * so a line is a hunk line only inside a hunk; everything else (the mail header, the commit
 * message, `diff --git`, `index`, `---`/`+++` lines) is kept as text. Within a hunk line the
 * marker (`+`, `-`, ` `) is its own token and the body another.
 *
 * A line makes its tokens when they are first read: the patch model reads the lines' types and
 * offsets only (a patch is mostly hunk lines, and a token object per line was most of the parse).
 */
import type { Token } from './token.js';

export type PatchLineType = 'text' | 'oldFile' | 'newFile' | 'hunk' | 'context' | 'added' | 'removed' | 'noNewline';

export interface PatchLine {
  readonly type: PatchLineType;
  readonly start: number;
  /** Before the line ending. */
  readonly end: number;
  readonly next: number;
  readonly tokens: Token[];
  /** For a `hunk` line: the numbers of its header. */
  readonly header?: { oldStart: number; oldCount: number; newStart: number; newCount: number };
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * A hunk header's tokens, appended to `out`: `@@` runs (`at`), `-a,b`/`+c,d` (`range`), blanks
 * (`ws`), and from anything else the rest of the line (`rest`), as moo read them with those rules
 * in that order; a `\r` where no rule matches starts an `error` token of the rest.
 */
function headerTokens(text: string, start: number, end: number, out: Token[]): void {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    let type: string;
    if (c === 64 && j < end && text.charCodeAt(j) === 64) {
      while (j < end && text.charCodeAt(j) === 64) j++;
      type = 'at';
    } else if ((c === 45 || c === 43) && j < end && isDigit(text.charCodeAt(j))) {
      while (j < end && isDigit(text.charCodeAt(j))) j++;
      if (j + 1 < end && text.charCodeAt(j) === 44 && isDigit(text.charCodeAt(j + 1))) {
        j += 2;
        while (j < end && isDigit(text.charCodeAt(j))) j++;
      }
      type = 'range';
    } else if (c === 32 || c === 9) {
      while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      type = 'ws';
    } else if (c === 13) {
      j = end;
      type = 'error';
    } else {
      while (j < end && text.charCodeAt(j) !== 13) j++;
      type = 'rest';
    }
    out.push({ type, text: text.slice(i, j), offset: i });
    i = j;
  }
}

/** A line of a patch; its tokens are made when first read. */
class Line implements PatchLine {
  readonly #text: string;
  #tokens: Token[] | undefined;

  constructor(
    readonly type: PatchLineType,
    readonly start: number,
    readonly end: number,
    readonly next: number,
    text: string,
    readonly header: PatchLine['header'],
  ) {
    this.#text = text;
  }

  get tokens(): Token[] {
    if (this.#tokens) return this.#tokens;
    const { type, start, end, next } = this;
    const text = this.#text;
    const tokens: Token[] = [];
    if (type === 'hunk') headerTokens(text, start, end, tokens);
    else if (end > start) {
      if (type === 'added' || type === 'removed' || type === 'context') {
        tokens.push({ type: 'marker', text: text.slice(start, start + 1), offset: start });
        if (end > start + 1) tokens.push({ type, text: text.slice(start + 1, end), offset: start + 1 });
      } else tokens.push({ type, text: text.slice(start, end), offset: start });
    }
    if (next > end) tokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    return (this.#tokens = tokens);
  }
}

/** Lines of a unified diff, classified; their tokens cover the text exactly. */
export function lexPatchLines(text: string): PatchLine[] {
  const out: PatchLine[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  let last: PatchLineType = 'text';
  const length = text.length;
  let start = 0;
  while (start < length) {
    const nl = text.indexOf('\n', start);
    const next = nl < 0 ? length : nl + 1;
    let end = nl < 0 ? length : nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    // the first code unit of the line's body, or NaN for an empty one
    const c = end > start ? text.charCodeAt(start) : NaN;
    let type: PatchLineType = 'text';
    let header: PatchLine['header'];
    if (oldLeft > 0 || newLeft > 0) {
      if (c === 43 && newLeft > 0) {
        type = 'added';
        newLeft--;
      } else if (c === 45 && oldLeft > 0) {
        type = 'removed';
        oldLeft--;
      } else if ((c === 32 || end === start) && oldLeft > 0 && newLeft > 0) {
        type = 'context';
        oldLeft--;
        newLeft--;
      } else if (c === 92) type = 'noNewline';
      else {
        oldLeft = 0;
        newLeft = 0;
      }
    } else if (c === 92 && last !== 'text') type = 'noNewline';
    if (type === 'text') {
      // none of these prefixes holds a line ending, so one found at `start` lies inside the body
      const m = c === 64 && text.startsWith('@@ -', start) ? HUNK.exec(text.slice(start, end)) : null;
      if (m) {
        type = 'hunk';
        header = {
          oldStart: Number(m[1]), oldCount: m[2] === undefined ? 1 : Number(m[2]),
          newStart: Number(m[3]), newCount: m[4] === undefined ? 1 : Number(m[4]),
        };
        oldLeft = header.oldCount;
        newLeft = header.newCount;
      } else if (c === 45 && text.startsWith('--- ', start)) type = 'oldFile';
      else if (c === 43 && text.startsWith('+++ ', start)) type = 'newFile';
    }
    out.push(new Line(type, start, end, next, text, header));
    last = type;
    start = next;
  }
  return out;
}

export function tokenizePatch(text: string): Token[] {
  return lexPatchLines(text).flatMap((l) => l.tokens);
}
