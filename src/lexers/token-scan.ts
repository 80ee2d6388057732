/**
 * A lexer's tokens as a scan (python, shell): type codes and offsets in typed arrays, token
 * objects made only when read. A file's lint makes hundreds of thousands of tokens and reads few
 * of them as objects.
 */
import type { Token } from './token.js';

/** Token `i` has the type code `types[i]` and spans `starts[i]` up to `starts[i + 1]`. */
export interface TokenScan {
  count: number;
  types: Uint8Array;
  starts: Int32Array;
}

/**
 * The tokens of a text as its scan. A token object is made the first time it is asked for and
 * is then the same object however it is reached (`token`, `tokenAt`, `all`): rules compare them
 * by identity.
 */
export class ScannedTokens {
  private readonly made = new Map<number, Token>();
  private every: Token[] | undefined;

  constructor(
    readonly text: string,
    readonly scan: TokenScan,
    /** The type of each type code. */
    private readonly typeNames: readonly string[],
  ) {}

  get count(): number {
    return this.scan.count;
  }

  /** The type code of token `i`. */
  type(i: number): number {
    return this.scan.types[i] as number;
  }

  start(i: number): number {
    return this.scan.starts[i] as number;
  }

  end(i: number): number {
    return this.scan.starts[i + 1] as number;
  }

  /** Token `i` is spelled `word` (no substring made). */
  is(i: number, word: string): boolean {
    const s = this.scan.starts[i] as number;
    return (this.scan.starts[i + 1] as number) - s === word.length && this.text.startsWith(word, s);
  }

  /** The text of token `i`. */
  textOf(i: number): string {
    return this.text.slice(this.scan.starts[i], this.scan.starts[i + 1]);
  }

  /** The object of token `i`. */
  token(i: number): Token {
    if (this.every) return this.every[i] as Token;
    let t = this.made.get(i);
    if (!t) {
      t = this.make(i);
      this.made.set(i, t);
    }
    return t;
  }

  /** The index of the token holding `offset`, or -1. */
  indexAt(offset: number): number {
    const starts = this.scan.starts;
    if (!(offset >= 0 && offset < (starts[this.scan.count] as number))) return -1;
    // the last token starting at or before `offset`
    let lo = 0;
    let hi = this.scan.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The object of the token holding `offset` (as `tokenAt(tokens, offset)` without making every token). */
  tokenAt(offset: number): Token | undefined {
    const i = this.indexAt(offset);
    return i < 0 ? undefined : this.token(i);
  }

  /** Every token object, in order (those made before kept: one object per token). */
  all(): Token[] {
    if (!this.every) {
      const out: Token[] = [];
      for (let i = 0; i < this.scan.count; i++) out.push(this.made.get(i) ?? this.make(i));
      this.every = out;
    }
    return this.every;
  }

  private make(i: number): Token {
    const s = this.scan.starts[i] as number;
    return { type: this.typeNames[this.scan.types[i] as number] as string, text: this.text.slice(s, this.scan.starts[i + 1]), offset: s };
  }
}
