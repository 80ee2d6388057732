/**
 * The model of a line list (pkg-dirs, pkg-list, series): its lines, and for each line the
 * entry it holds — live, or commented out as a twin list keeps an excluded entry
 * (`#tools/pcm  # x86-only: Intel PCM`).
 */
import { tokenizeList, type ListFlavour } from '../lexers/list.js';
import { isSpace, type Token } from '../lexers/token.js';

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
  /** Made when first read (the kits read the words and the comment). */
  readonly tokens: Token[];
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

export function commentedWords(c: Token): { words: ListWord[]; reason?: string } | undefined {
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

/** A line of a list; its tokens are the list lexer's, made when first read. */
class Line implements ListLine {
  readonly #text: string;
  readonly #flavour: ListFlavour;
  #tokens: Token[] | undefined;
  kind: ListLine['kind'];
  commented?: ListWord[];
  reason?: string;

  constructor(
    readonly line: number,
    readonly start: number,
    readonly end: number,
    readonly next: number,
    readonly words: ListWord[],
    readonly comment: Token | undefined,
    text: string,
    flavour: ListFlavour,
  ) {
    this.kind = words.length ? 'entry' : comment ? 'comment' : 'blank';
    this.#text = text;
    this.#flavour = flavour;
  }

  get tokens(): Token[] {
    if (this.#tokens) return this.#tokens;
    // the lexer starts each line in its start state, so a line lexes alone as it does in the file
    const start = this.start;
    return (this.#tokens = tokenizeList(this.#text.slice(start, this.next), this.#flavour).map((t) => ({ type: t.type, text: t.text, offset: start + t.offset })));
  }
}

const isCommentEnd = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * The line's words and its first comment, read as the list lexer cuts `text[start, stop)` (`stop`
 * at the `\n` or the end): blanks (`\s`; a `\r` of the line ending is one here), `#` up to a line
 * break is a comment before the first word (in `series` anywhere a token starts), and everything
 * else a word up to a blank.
 */
function scanLine(text: string, start: number, stop: number, series: boolean, words: ListWord[]): Token | undefined {
  let comment: Token | undefined;
  let first = true;
  let i = start;
  while (i < stop) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    if (isSpace(c)) {
      while (j < stop && isSpace(text.charCodeAt(j))) j++;
    } else if (c === 35 && (first || series)) {
      while (j < stop && !isCommentEnd(text.charCodeAt(j))) j++;
      comment ??= { type: 'comment', text: text.slice(i, j), offset: i };
    } else {
      while (j < stop && !isSpace(text.charCodeAt(j))) j++;
      words.push({ text: text.slice(i, j), start: i, end: j });
      first = false;
    }
    i = j;
  }
  return comment;
}

function parseListText(text: string, flavour: ListFlavour): ListModel {
  const lines: ListLine[] = [];
  const comments: Token[] = [];
  const series = flavour === 'series';
  const length = text.length;
  let start = 0;
  while (start < length) {
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 ? length : nl;
    const next = nl < 0 ? length : nl + 1;
    // a last line without `\n` keeps a trailing `\r` (the lexer reads it as a blank, not an ending)
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : stop;
    const words: ListWord[] = [];
    const comment = scanLine(text, start, stop, series, words);
    if (comment) comments.push(comment);
    const line = new Line(lines.length + 1, start, end, next, words, comment, text, flavour);
    if (line.kind === 'comment' && comment) {
      const c = commentedWords(comment);
      if (c && c.words.length) {
        line.commented = c.words;
        line.reason = c.reason;
      }
    }
    lines.push(line);
    start = next;
  }
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
