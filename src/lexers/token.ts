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
