/**
 * REFERENCE ONLY (test/lazy-lexers.test.ts): the Dockerfile lexer before its lines were read
 * without moo (main 7a0fa58).
 */
import moo from 'moo';
import { lazy } from '../../src/lexers/lazy.js';
import type { DockerInstruction, DockerLexResult } from '../../src/lexers/dockerfile.js';
import type { Token } from '../../src/lexers/token.js';

const body = lazy(() => moo.compile({
  newline: { match: /\r?\n/, lineBreaks: true },
  ws: /[ \t\f\v\r]+/,
  flag: /--[A-Za-z][A-Za-z0-9-]*(?:=[^\s]*)?/,
  string: [/"(?:[^"\\\r\n]|\\[^\r\n])*"?/, /'[^'\r\n]*'?/],
  word: /[^\s"']+/,
  other: { match: /[^]/, lineBreaks: true },
  error: moo.error,
}));

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
    const lineTokens: Token[] = [];
    if (/^[ \t]*#/.test(line) && (!current || continued)) {
      lineTokens.push({ type: 'comment', text: line, offset: pos });
      if (next > end) lineTokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    } else {
      body().reset(text.slice(pos, next));
      for (const t of body()) lineTokens.push({ type: t.type ?? 'error', text: t.text, offset: pos + t.offset });
      const startsInstruction = !continued || !current;
      if (/^[ \t]*$/.test(line)) {
        // a blank line neither starts nor ends an instruction
      } else if (startsInstruction) {
        const first = lineTokens.find((t) => t.type !== 'ws');
        if (first && first.type === 'word' && /^[A-Za-z]+$/.test(first.text)) first.type = 'instruction';
        const argsAt = first ? first.offset + first.text.length : pos;
        current = { keyword: first?.type === 'instruction' ? first.text.toUpperCase() : '', start: pos, end, argsStart: argsAt, tokens: [] };
        instructions.push(current);
      }
      if (current && !/^[ \t]*$/.test(line)) current.end = end;
      const trimmed = line.replace(/(?<![ \t])[ \t]+$/, '');
      if (trimmed !== '') continued = trimmed.endsWith(esc);
      if (continued && trimmed !== '') {
        const last = lineTokens.filter((t) => t.type !== 'newline' && t.type !== 'ws').pop();
        if (last && last.text.endsWith(esc)) {
          // split the escape off the last word as its own `continuation` token
          const i = lineTokens.indexOf(last);
          const head = last.text.slice(0, -1);
          const cont: Token = { type: 'continuation', text: esc, offset: last.offset + head.length };
          lineTokens.splice(i, 1, ...(head ? [{ ...last, text: head }, cont] : [cont]));
        }
      }
    }
    // one push per token: a spread of a hostile line's tokens overflows the call stack
    for (const t of lineTokens) {
      current?.tokens.push(t);
      tokens.push(t);
    }
    pos = next;
    if (!continued) current = undefined;
  }
  return { tokens, instructions };
}
