/**
 * REFERENCE ONLY (test/lazy-lexers.test.ts): the list model before it cut its lines in a scan of
 * its own with their tokens made when first read (main 7a0fa58): every line's tokens from moo.
 */
import { tokenizeList, type ListFlavour } from '../../src/lexers/list.js';
import type { Token } from '../../src/lexers/token.js';
import { commentedWords, type ListLine, type ListModel } from '../../src/models/list.js';

export function parseListBefore(text: string, flavour: ListFlavour): ListModel {
  const tokens = tokenizeList(text, flavour);
  const lines: ListLine[] = [];
  const comments: Token[] = [];
  let current: Token[] = [];
  const flush = (next: number): void => {
    const first = current[0];
    const start = first ? first.offset : next;
    const nl = current.find((t) => t.type === 'newline');
    // the ws token before a CRLF's `\n` may hold its `\r`: the line ends before it
    let end = nl ? nl.offset : next;
    if (nl && end > start && text.charCodeAt(end - 1) === 13) end--;
    const body = current.filter((t) => t.type !== 'newline' && t.type !== 'ws');
    const words = body.filter((t) => t.type === 'word').map((t) => ({ text: t.text, start: t.offset, end: t.offset + t.text.length }));
    const comment = body.find((t) => t.type === 'comment');
    if (comment) comments.push(comment);
    const line: ListLine = {
      line: lines.length + 1,
      start,
      end,
      next,
      kind: words.length ? 'entry' : comment ? 'comment' : 'blank',
      words,
      comment,
      tokens: current,
    };
    if (line.kind === 'comment' && comment) {
      const c = commentedWords(comment);
      if (c && c.words.length) {
        line.commented = c.words;
        line.reason = c.reason;
      }
    }
    lines.push(line);
    current = [];
  };
  for (const t of tokens) {
    current.push(t);
    if (t.type === 'newline') flush(t.offset + t.text.length);
  }
  if (current.length) flush(text.length);
  const entries = lines.filter((l) => l.kind === 'entry');
  return {
    lines,
    comments,
    entries,
    lineAt(offset) {
      let lo = 0;
      let hi = lines.length - 1;
      let found: ListLine | undefined;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const l = lines[mid] as ListLine;
        if (l.start <= offset) {
          found = l;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found;
    },
  };
}
