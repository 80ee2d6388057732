/**
 * REFERENCE ONLY (test/lazy-lexers.test.ts): the deb822 line lexer before its lines made their
 * tokens when first read (main 7a0fa58): every value scanned into tokens as each line was cut.
 */
import { scanDeb822Value, type Deb822LineKind } from '../../src/lexers/deb822.js';
import type { Token } from '../../src/lexers/token.js';
import { physicalLines } from './physical-lines.js';

export interface Deb822LineBefore {
  kind: Deb822LineKind;
  start: number;
  end: number;
  next: number;
  name?: string;
  valueStart?: number;
  tokens: Token[];
}

function valueTokens(text: string, start: number, next: number, out: Token[], detailed: boolean): void {
  if (!detailed) {
    let end = next;
    if (end > start && text.charCodeAt(end - 1) === 10) end--;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end > start) out.push({ type: 'value', text: text.slice(start, end), offset: start });
    if (next > end) out.push({ type: 'newline', text: text.slice(end, next), offset: end });
    return;
  }
  scanDeb822Value(text, start, next, out);
}

/**
 * Cuts deb822 text into classified physical lines with their tokens. Never throws.
 * `detailed: false` keeps each value as one `value` token: the fast path for archive indices.
 */
export function lexDeb822Lines(text: string, detailed = true): Deb822LineBefore[] {
  const lines: Deb822LineBefore[] = [];
  for (const { start, end, next } of physicalLines(text)) {
    const body = text.slice(start, end);
    const tokens: Token[] = [];
    const eol = (): void => {
      if (next > end) tokens.push({ type: 'newline', text: text.slice(end, next), offset: end });
    };
    let line: Deb822LineBefore;
    if (body.startsWith('#')) {
      tokens.push({ type: 'comment', text: body, offset: start });
      eol();
      line = { kind: 'comment', start, end, next, tokens };
    } else if (/^[ \t]*$/.test(body)) {
      if (body) tokens.push({ type: 'ws', text: body, offset: start });
      eol();
      line = { kind: 'blank', start, end, next, tokens };
    } else if (body.startsWith(' ') || body.startsWith('\t')) {
      valueTokens(text, start, next, tokens, detailed);
      line = { kind: 'continuation', start, end, next, tokens };
    } else {
      const colon = body.indexOf(':');
      if (colon <= 0 || /\s/.test(body.slice(0, colon))) {
        tokens.push({ type: 'error', text: body, offset: start });
        eol();
        line = { kind: 'error', start, end, next, tokens };
      } else {
        const name = body.slice(0, colon);
        tokens.push({ type: 'fieldName', text: name, offset: start });
        tokens.push({ type: 'colon', text: ':', offset: start + colon });
        valueTokens(text, start + colon + 1, next, tokens, detailed);
        line = { kind: 'field', start, end, next, name, valueStart: start + colon + 1, tokens };
      }
    }
    lines.push(line);
  }
  return lines;
}

