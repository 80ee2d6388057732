/**
 * The lexer contract every file kind follows: tokens cover the input exactly, in order,
 * whitespace, comments and newlines included, so joining their `text` gives back the input
 * byte for byte. A lexer never throws: what it cannot read becomes an `error` token.
 */
export interface Token {
  type: string;
  text: string;
  /** UTF-16 offset into the file's text. */
  offset: number;
}

export interface Lexer {
  tokenize(text: string): Token[];
}

/** True when the tokens are a lossless cover of `text`. */
export function coversExactly(tokens: readonly Token[], text: string): boolean {
  let pos = 0;
  for (const t of tokens) {
    if (t.offset !== pos || text.slice(pos, pos + t.text.length) !== t.text) return false;
    pos += t.text.length;
  }
  return pos === text.length;
}

/** A code unit of JavaScript's `\s`. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
