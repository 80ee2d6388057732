/**
 * The prefilter's one pass over a file (DESIGN §7 Speed): an Aho-Corasick automaton over the
 * trigger terms, ASCII and case folded, small enough to stay in the first-level cache.
 *
 * The alphabet is compressed: each character the terms use (folded to lower case) is a class of
 * its own, and every other character (any other ASCII one, any character ≥ 128) is class 0,
 * which leads from every state back to the root (no term contains it). A state is the offset
 * of its row (`next[state + class]`: one load a character), the states where a term ends
 * numbered last (one comparison), in 16 bits: python's table is 62 KB instead of 354 KB.
 *
 * Bytes scan the same as their text: every term is ASCII and every byte ≥ 128 is class 0, and
 * UTF-8 decoding (valid or not) keeps each ASCII byte as that character and turns each run of
 * bytes ≥ 128 into one or more characters ≥ 128 (U+FFFD for invalid ones): the automaton goes
 * through the same states at the same ASCII characters, and what stands next to a term is an
 * ASCII letter or digit in the bytes exactly when it is in the text (test/term-scan.test.ts).
 */
/** A term's text, and whether it must start or end a word (`⟨arch⟩`: see triggers.ts WORD_START). */
export interface TermText {
  core: string;
  start: boolean;
  end: boolean;
}

/** An ASCII letter or digit (undefined or NaN, past either end, is none). */
const isWordCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

export class TermAutomaton {
  /** Per byte (or character code < 256; the text scan sends ≥ 128 to class 0 itself): its class. */
  private readonly classes = new Uint8Array(256);
  /** Classes per state: 1 + the distinct characters of the terms. */
  readonly width: number;
  /**
   * `next[state + class]`: the next state, a state being the offset of its row (`number * width`).
   * The states where some term ends are numbered last, from `endsFrom` on.
   */
  readonly next: Uint16Array | Uint32Array;
  private readonly endsFrom: number;
  /** Per state from `endsFrom` on (by `(state - endsFrom) / width`), the indexes of the terms that end there. */
  private readonly ends: (readonly number[])[];
  /** Per term: the length of its text, and whether it must start (1) or end (2) a word. */
  private readonly lengths: Int32Array;
  private readonly bounds: Uint8Array;
  /** The longest term's length less one: how far back of the middle `scanBytes` starts its second half. */
  private readonly overlap: number;

  /** `terms`: the texts (lower-case ASCII) with their word marks; throws for a term that is not ASCII. */
  constructor(readonly terms: readonly TermText[]) {
    let width = 1;
    for (const { core } of terms) {
      for (let k = 0; k < core.length; k++) {
        const c = core.charCodeAt(k);
        if (c >= 128) throw new Error(`trigger term '${core}' is not ASCII`);
        const lower = c >= 65 && c <= 90 ? c + 32 : c;
        if (this.classes[lower] !== 0) continue;
        this.classes[lower] = width;
        if (lower >= 97 && lower <= 122) this.classes[lower - 32] = width;
        width++;
      }
    }
    this.width = width;
    this.overlap = Math.max(0, ...terms.map((t) => t.core.length - 1));
    const cls = this.classes;
    // the trie: child[state * width + class], -1 for none
    let child = new Int32Array(width * 64).fill(-1);
    let n = 1;
    const ends: number[][] = [[]];
    /** Per state, the classes it has a child on. */
    const kids: number[][] = [[]];
    this.lengths = new Int32Array(terms.length);
    this.bounds = new Uint8Array(terms.length);
    terms.forEach(({ core, start, end }, ti) => {
      this.lengths[ti] = core.length;
      this.bounds[ti] = (start ? 1 : 0) | (end ? 2 : 0);
      let s = 0;
      for (let k = 0; k < core.length; k++) {
        const c = cls[core.charCodeAt(k)] as number;
        let u = child[s * width + c] as number;
        if (u < 0) {
          if ((n + 1) * width > child.length) {
            const grown = new Int32Array(child.length * 2).fill(-1);
            grown.set(child);
            child = grown;
          }
          u = n++;
          ends.push([]);
          kids.push([]);
          child[s * width + c] = u;
          (kids[s] as number[]).push(c);
        }
        s = u;
      }
      (ends[s] as number[]).push(ti);
    });
    // Breadth first, each state's row is its failure state's row (done before it: shallower) with
    // its own children written over it (class 0 and every class no child has lead where the
    // failure state's row leads: in the end, to the root).
    const next = new Int32Array(n * width);
    const fail = new Int32Array(n);
    const queue = new Int32Array(n);
    let tail = 0;
    /** Enqueues `t`, reached from a state whose failure state steps to `f` on the same class. */
    const enqueue = (t: number, f: number): void => {
      fail[t] = f;
      // ends are merged as a state is enqueued: its failure state, shallower, was enqueued before it
      for (const e of ends[f] as number[]) (ends[t] as number[]).push(e);
      queue[tail++] = t;
    };
    for (const c of kids[0] as number[]) enqueue(child[c] as number, 0);
    for (const c of kids[0] as number[]) next[c] = child[c] as number;
    for (let q = 0; q < tail; q++) {
      const s = queue[q] as number;
      const f = fail[s] as number;
      next.copyWithin(s * width, f * width, (f + 1) * width);
      for (const c of kids[s] as number[]) {
        const t = child[s * width + c] as number;
        enqueue(t, next[f * width + c] as number);
        next[s * width + c] = t;
      }
    }
    // Numbered again: the root first, the states where no term ends, then those where one does;
    // a state is its row's offset, so a step is one load, and "a term ends here" one comparison.
    const order: number[] = [0];
    for (let s = 1; s < n; s++) if ((ends[s] as number[]).length === 0) order.push(s);
    this.endsFrom = order.length * width;
    for (let s = 1; s < n; s++) if ((ends[s] as number[]).length > 0) order.push(s);
    const offset = new Int32Array(n);
    order.forEach((s, i) => (offset[s] = i * width));
    const table = n * width <= 0x10000 ? new Uint16Array(n * width) : new Uint32Array(n * width);
    for (let s = 0; s < n; s++) {
      const row = offset[s] as number;
      for (let c = 0; c < width; c++) table[row + c] = offset[next[s * width + c] as number] as number;
    }
    this.next = table;
    this.ends = order.slice(this.endsFrom / width).map((s) => [...new Set(ends[s] as number[])]);
  }

  /**
   * Calls `found` with each term index that occurs in `text`, at most once each; stops early
   * when `found` returns true (nothing more to learn).
   */
  scan(text: string, found: (term: number) => boolean): void {
    if (this.terms.length === 0) return;
    const next = this.next;
    const cls = this.classes;
    const width = this.width;
    const endsFrom = this.endsFrom;
    let seen: Uint8Array | undefined;
    let s = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      s = next[s + (c < 128 ? (cls[c] as number) : 0)] as number;
      if (s < endsFrom) continue;
      seen ??= new Uint8Array(this.terms.length);
      for (const t of this.ends[(s - endsFrom) / width] as number[]) {
        if (seen[t]) continue;
        const b = this.bounds[t] as number;
        if (b !== 0 && ((b & 1 && isWordCode(text.charCodeAt(i - (this.lengths[t] as number)))) || (b & 2 && isWordCode(text.charCodeAt(i + 1))))) continue;
        seen[t] = 1;
        if (found(t)) return;
      }
    }
  }

  /**
   * As `scan`, over the UTF-8 bytes of a text (without its BOM): the same terms, each once, in no
   * particular order. A longer text is read as two halves at once (the second from `longest - 1`
   * bytes before the middle, so that it sees every term that ends in it whole): two chains of
   * dependent loads instead of one, which the processor overlaps.
   */
  scanBytes(bytes: Uint8Array, found: (term: number) => boolean): void {
    if (this.terms.length === 0) return;
    const next = this.next;
    const cls = this.classes;
    const endsFrom = this.endsFrom;
    const n = bytes.length;
    const overlap = this.overlap;
    if (n < TWO_CHAINS || n < 4 * overlap) {
      let seen: Uint8Array | undefined;
      let s = 0;
      for (let i = 0; i < n; i++) {
        s = next[s + (cls[bytes[i] as number] as number)] as number;
        if (s < endsFrom) continue;
        seen ??= new Uint8Array(this.terms.length);
        if (this.reportByte(s, i, bytes, seen, found)) return;
      }
      return;
    }
    const seen = new Uint8Array(this.terms.length);
    // the first half is [0, half), the second [half - overlap, n): as long, or one byte longer
    const half = (n + overlap) >> 1;
    let s1 = 0;
    let s2 = 0;
    let j = half - overlap;
    for (let i = 0; i < half; i++, j++) {
      s1 = next[s1 + (cls[bytes[i] as number] as number)] as number;
      s2 = next[s2 + (cls[bytes[j] as number] as number)] as number;
      if (s1 < endsFrom && s2 < endsFrom) continue;
      if (s1 >= endsFrom && this.reportByte(s1, i, bytes, seen, found)) return;
      if (s2 >= endsFrom && this.reportByte(s2, j, bytes, seen, found)) return;
    }
    for (; j < n; j++) {
      s2 = next[s2 + (cls[bytes[j] as number] as number)] as number;
      if (s2 >= endsFrom && this.reportByte(s2, j, bytes, seen, found)) return;
    }
  }

  /** Reports the terms that end at state `s` (byte `i`) not seen yet; true when `found` says stop. */
  private reportByte(s: number, i: number, bytes: Uint8Array, seen: Uint8Array, found: (term: number) => boolean): boolean {
    for (const t of this.ends[(s - this.endsFrom) / this.width] as number[]) {
      if (seen[t]) continue;
      const b = this.bounds[t] as number;
      if (b !== 0 && ((b & 1 && isWordByte(bytes, i - (this.lengths[t] as number))) || (b & 2 && isWordByte(bytes, i + 1)))) continue;
      seen[t] = 1;
      if (found(t)) return true;
    }
    return false;
  }
}

/** Bytes from which `scanBytes` reads a text as two halves at once. */
const TWO_CHAINS = 256;

/** Whether `bytes[at]` is an ASCII letter or digit (none past either end). */
const isWordByte = (bytes: Uint8Array, at: number): boolean => at >= 0 && at < bytes.length && isWordCode(bytes[at] as number);
