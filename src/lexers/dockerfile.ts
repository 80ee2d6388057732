/**
 * A lossless lexer for Dockerfiles. An instruction is a logical line: its first word is the
 * keyword (`FROM`, `RUN`, `ARG` …), `--flag=value` words follow (`FROM --platform=linux/amd64`),
 * and a trailing backslash (or the `# escape=` character) continues it. A `#` line is a comment
 * at the start of an instruction and also between continuation lines (Docker drops those);
 * anywhere else `#` is data (RUN's shell sees it). Never throws.
 */
import { isSpace, type Token } from './token.js';

/** ` \t\f\v\r`: the `ws` rule. */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isFlagChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 45;

/**
 * The tokens of the line `text[start, next)` (its newline included), appended to `out`: the rules
 * below tried in this order where each token starts, as moo read them once (test/lazy-lexers.test.ts
 * compares the two):
 *
 * - `newline` `\r?\n`; `ws` ` \t\f\v\r` runs;
 * - `flag` `--name[=value]` (`--[A-Za-z][A-Za-z0-9-]*(?:=[^\s]*)?`);
 * - `string`: `"…"` with `\` escapes, or `'…'`, each up to its quote or the line's end;
 * - `word`: up to a blank or a quote; `other`: one code unit (a blank outside `ws`, U+00A0).
 */
function lineTokens(text: string, start: number, next: number, out: Token[]): void {
  let i = start;
  while (i < next) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    let type: string;
    if (c === 10) type = 'newline';
    else if (c === 13 && j < next && text.charCodeAt(j) === 10) {
      j++;
      type = 'newline';
    } else if (isBlank(c)) {
      while (j < next && isBlank(text.charCodeAt(j))) j++;
      type = 'ws';
    } else if (c === 45 && j + 1 < next && text.charCodeAt(j) === 45 && isLetter(text.charCodeAt(j + 1))) {
      j += 2;
      while (j < next && isFlagChar(text.charCodeAt(j))) j++;
      if (j < next && text.charCodeAt(j) === 61) {
        j++;
        while (j < next && !isSpace(text.charCodeAt(j))) j++;
      }
      type = 'flag';
    } else if (c === 34) {
      for (;;) {
        if (j >= next) break;
        const d = text.charCodeAt(j);
        if (d === 34) {
          j++;
          break;
        }
        if (d === 10 || d === 13) break;
        if (d === 92) {
          // an escape takes the next code unit, if the line has one
          if (j + 1 >= next || text.charCodeAt(j + 1) === 10 || text.charCodeAt(j + 1) === 13) break;
          j += 2;
        } else j++;
      }
      type = 'string';
    } else if (c === 39) {
      while (j < next) {
        const d = text.charCodeAt(j);
        if (d === 10 || d === 13) break;
        j++;
        if (d === 39) break;
      }
      type = 'string';
    } else if (!isSpace(c)) {
      while (j < next) {
        const d = text.charCodeAt(j);
        if (isSpace(d) || d === 34 || d === 39) break;
        j++;
      }
      type = 'word';
    } else type = 'other';
    out.push({ type, text: text.slice(i, j), offset: i });
    i = j;
  }
}

export interface DockerInstruction {
  /** Upper-cased keyword (`RUN`), or '' for a stray line. */
  keyword: string;
  start: number;
  /** Offset just past the last character of the logical line (before its final newline). */
  end: number;
  /** Offset where the arguments start (after the keyword and its blank). */
  argsStart: number;
  tokens: Token[];
}

export interface DockerLexResult {
  tokens: Token[];
  instructions: DockerInstruction[];
}

/** Lexes a Dockerfile into tokens and instructions. */
export function lexDockerfile(text: string): DockerLexResult {
  const tokens: Token[] = [];
  const instructions: DockerInstruction[] = [];
  const escapeDirective = /^#\s*escape\s*=\s*`/m.exec(text.slice(0, 200));
  const esc = escapeDirective ? '`' : '\\';
  let pos = 0;
  let current: DockerInstruction | undefined;
  let continued = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const next = nl < 0 ? text.length : nl + 1;
    let end = nl < 0 ? text.length : nl;
    if (end > pos && text[end - 1] === '\r') end--;
    const line = text.slice(pos, end);
    const tokensOfLine: Token[] = [];
    if (/^[ \t]*#/.test(line) && (!current || continued)) {
      tokensOfLine.push({ type: 'comment', text: line, offset: pos });
      if (next > end) tokensOfLine.push({ type: 'newline', text: text.slice(end, next), offset: end });
    } else {
      lineTokens(text, pos, next, tokensOfLine);
      const startsInstruction = !continued || !current;
      if (/^[ \t]*$/.test(line)) {
        // a blank line neither starts nor ends an instruction
      } else if (startsInstruction) {
        const first = tokensOfLine.find((t) => t.type !== 'ws');
        if (first && first.type === 'word' && /^[A-Za-z]+$/.test(first.text)) first.type = 'instruction';
        const argsAt = first ? first.offset + first.text.length : pos;
        current = { keyword: first?.type === 'instruction' ? first.text.toUpperCase() : '', start: pos, end, argsStart: argsAt, tokens: [] };
        instructions.push(current);
      }
      if (current && !/^[ \t]*$/.test(line)) current.end = end;
      const trimmed = line.replace(/(?<![ \t])[ \t]+$/, '');
      if (trimmed !== '') continued = trimmed.endsWith(esc);
      if (continued && trimmed !== '') {
        const last = tokensOfLine.filter((t) => t.type !== 'newline' && t.type !== 'ws').pop();
        if (last && last.text.endsWith(esc)) {
          // split the escape off the last word as its own `continuation` token
          const i = tokensOfLine.indexOf(last);
          const head = last.text.slice(0, -1);
          const cont: Token = { type: 'continuation', text: esc, offset: last.offset + head.length };
          tokensOfLine.splice(i, 1, ...(head ? [{ ...last, text: head }, cont] : [cont]));
        }
      }
    }
    // one push per token: a spread of a hostile line's tokens overflows the call stack
    for (const t of tokensOfLine) {
      current?.tokens.push(t);
      tokens.push(t);
    }
    pos = next;
    if (!continued) current = undefined;
  }
  return { tokens, instructions };
}

export function tokenizeDockerfile(text: string): Token[] {
  return lexDockerfile(text).tokens;
}
