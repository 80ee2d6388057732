/**
 * REFERENCE ONLY (test/lazy-lexers.test.ts): the patch lexer before its lines made their tokens
 * when first read and its hunk headers were read without moo (main 7a0fa58).
 */
import moo from 'moo';
import { lazy } from '../../src/lexers/lazy.js';
import type { Token } from '../../src/lexers/token.js';
import { physicalLines } from './physical-lines.js';

const hunkHeaderLexer = lazy(() => moo.compile({
  at: /@@+/,
  range: /[-+]\d+(?:,\d+)?/,
  ws: /[ \t]+/,
  rest: /[^\r\n]+/,
  error: moo.error,
}));

export type PatchLineType = 'text' | 'oldFile' | 'newFile' | 'hunk' | 'context' | 'added' | 'removed' | 'noNewline';

export interface PatchLine {
  type: PatchLineType;
  start: number;
  /** Before the line ending. */
  end: number;
  next: number;
  tokens: Token[];
  /** For a `hunk` line: the numbers of its header. */
  header?: { oldStart: number; oldCount: number; newStart: number; newCount: number };
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Lines of a unified diff, classified; their tokens cover the text exactly. */
export function lexPatchLines(text: string): PatchLine[] {
  const out: PatchLine[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  let last: PatchLineType = 'text';
  for (const { start, end, next } of physicalLines(text)) {
    const body = text.slice(start, end);
    const c = body[0];
    let type: PatchLineType = 'text';
    let header: PatchLine['header'];
    const tokens: Token[] = [];
    if (oldLeft > 0 || newLeft > 0) {
      if (c === '+' && newLeft > 0) {
        type = 'added';
        newLeft--;
      } else if (c === '-' && oldLeft > 0) {
        type = 'removed';
        oldLeft--;
      } else if ((c === ' ' || body === '') && oldLeft > 0 && newLeft > 0) {
        type = 'context';
        oldLeft--;
        newLeft--;
      } else if (c === '\\') type = 'noNewline';
      else {
        oldLeft = 0;
        newLeft = 0;
      }
    } else if (c === '\\' && last !== 'text') type = 'noNewline';
    if (type === 'text') {
      const m = HUNK.exec(body);
      if (m) {
        type = 'hunk';
        header = {
          oldStart: Number(m[1]), oldCount: m[2] === undefined ? 1 : Number(m[2]),
          newStart: Number(m[3]), newCount: m[4] === undefined ? 1 : Number(m[4]),
        };
        oldLeft = header.oldCount;
        newLeft = header.newCount;
        hunkHeaderLexer().reset(body);
        for (const t of hunkHeaderLexer()) tokens.push({ type: t.type ?? 'rest', text: t.text, offset: start + t.offset });
      } else if (body.startsWith('--- ')) type = 'oldFile';
      else if (body.startsWith('+++ ')) type = 'newFile';
    }
    if (tokens.length === 0 && body.length > 0) {
      if (type === 'added' || type === 'removed' || type === 'context') {
        if (body.length > 0) tokens.push({ type: 'marker', text: body.slice(0, 1), offset: start });
        if (body.length > 1) tokens.push({ type, text: body.slice(1), offset: start + 1 });
      } else tokens.push({ type, text: body, offset: start });
    }
    if (next > end) tokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    out.push({ type, start, end, next, tokens, ...(header ? { header } : {}) });
    last = type;
  }
  return out;
}
