/**
 * The model of a line list (pkg-dirs, pkg-list, series): its lines, and for each line the
 * entry it holds — live, or commented out as a twin list keeps an excluded entry
 * (`#tools/pcm  # x86-only: Intel PCM`).
 */
import { tokenizeList, type ListFlavour } from '../lexers/list.js';
import type { Token } from '../lexers/token.js';

export interface ListWord {
  text: string;
  start: number;
  end: number;
}

export interface ListLine {
  /** 1-based line number. */
  line: number;
  start: number;
  /** End of the line's content, before its line ending. */
  end: number;
  /** Start of the next line (or the text length). */
  next: number;
  kind: 'entry' | 'comment' | 'blank';
  /** The words of a live entry: name, then (in `.lst`) version and pinned URL. */
  words: ListWord[];
  /** For a comment line that comments out an entry: its words (before any ` # reason`). */
  commented?: ListWord[];
  /** For a commented-out entry: the reason after its own `#`, if any. */
  reason?: string;
  comment?: Token;
  tokens: Token[];
}

export interface ListModel {
  lines: ListLine[];
  comments: Token[];
  /** Live entries, in order. */
  entries: ListLine[];
  lineAt(offset: number): ListLine | undefined;
}

/** A commented-out entry: `#name`, `# name  version`, with an optional ` # reason` after it. */
const ENTRY_NAME = /^[A-Za-z0-9][A-Za-z0-9+._/:~@-]*$/;

function commentedWords(c: Token): { words: ListWord[]; reason?: string } | undefined {
  const text = c.text.replace(/\r$/, '');
  const hash = /(?<![ \t])[ \t]+#/.exec(text.slice(1));
  const body = hash ? text.slice(1, 1 + hash.index) : text.slice(1);
  const words: ListWord[] = [];
  for (const w of body.matchAll(/[^\s]+/g)) {
    words.push({ text: w[0], start: c.offset + 1 + w.index, end: c.offset + 1 + w.index + w[0].length });
  }
  if (!words.length || !ENTRY_NAME.test((words[0] as ListWord).text)) return undefined;
  const reason = hash ? text.slice(1 + hash.index + hash[0].length).trim() : '';
  return { words, reason: reason || undefined };
}

/** The last list parsed: the engine parses a list, then its rules ask list-kit for the same text. */
let last: { text: string; flavour: ListFlavour; model: ListModel } | undefined;

export function parseList(text: string, flavour: ListFlavour = 'list'): ListModel {
  if (last && last.text === text && last.flavour === flavour) return last.model;
  const model = parseListText(text, flavour);
  last = { text, flavour, model };
  return model;
}

function parseListText(text: string, flavour: ListFlavour): ListModel {
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
