/**
 * REFERENCE ONLY (test/term-scan.test.ts): the prefilter's automaton as it was in
 * src/engine/triggers.ts before it was made cache-sized (main 321df73: 128 columns of 32-bit
 * states). src/engine/term-scan.ts must find exactly the terms this one finds.
 */
import { WORD_END, WORD_START } from '../../src/engine/triggers.js';

function termParts(term: string): { core: string; start: boolean; end: boolean } {
  const start = term.startsWith(WORD_START);
  const end = term.endsWith(WORD_END) && term.length > (start ? 1 : 0);
  return { core: term.slice(start ? 1 : 0, end ? -1 : undefined), start, end };
}


/**
 * A dense automaton over the terms (lower-case ASCII): `next[state << 7 | c]`, negated (`~t`)
 * when some term ends at `t`; upper-case letters are folded as they are read, any character
 * ≥ 128 restarts it (no term has one).
 */
export class TermAutomatonBefore {
  private readonly next: Int32Array;
  /** Per state, the indexes of the terms that end there. */
  private readonly ends: (readonly number[] | undefined)[];

  /** Per term: the length of its text, and whether it must start (1) or end (2) a word. */
  private readonly lengths: Int32Array;
  private readonly bounds: Uint8Array;

  constructor(readonly terms: readonly string[]) {
    // the trie: child[state << 7 | c], -1 for none
    let child = new Int32Array(128 * 64).fill(-1);
    let n = 1;
    const ends: number[][] = [[]];
    /** Per state, the characters it has a child on (lower case ASCII: upper-case ones are never reached). */
    const kids: number[][] = [[]];
    this.lengths = new Int32Array(terms.length);
    this.bounds = new Uint8Array(terms.length);
    terms.forEach((t, ti) => {
      const { core: term, start, end } = termParts(t);
      this.lengths[ti] = term.length;
      this.bounds[ti] = (start ? 1 : 0) | (end ? 2 : 0);
      let s = 0;
      for (let k = 0; k < term.length; k++) {
        const c = term.charCodeAt(k);
        if (c >= 128) throw new Error(`trigger term '${term}' is not ASCII`);
        let u = child[(s << 7) | c] as number;
        if (u < 0) {
          if ((n + 1) << 7 > child.length) {
            const grown = new Int32Array(child.length * 2).fill(-1);
            grown.set(child);
            child = grown;
          }
          u = n++;
          ends.push([]);
          kids.push([]);
          child[(s << 7) | c] = u;
          if (!(c >= 65 && c <= 90)) (kids[s] as number[]).push(c);
        }
        s = u;
      }
      (ends[s] as number[]).push(ti);
    });
    // Breadth first, each state's row is its failure state's row (done before it: shallower) with
    // its own children written over it. Rows hold the transitions already folded (A-Z as a-z) and
    // marked (`~t` into a state where a term ends), so a row is copied whole, natively.
    const next = new Int32Array(n << 7);
    const fail = new Int32Array(n);
    const queue = new Int32Array(n);
    let tail = 0;
    /** Writes the transition of state `s` on `c` (lower case) into `t`, marked, and on its upper case. */
    const set = (s: number, c: number, t: number): void => {
      const v = (ends[t] as number[]).length ? ~t : t;
      next[(s << 7) | c] = v;
      if (c >= 97 && c <= 122) next[(s << 7) | (c - 32)] = v;
    };
    /** Enqueues `t`, reached from a state whose failure state steps to `f` on the same character. */
    const enqueue = (t: number, f: number): void => {
      fail[t] = f;
      // ends are merged as a state is enqueued: its failure state, shallower, was enqueued before it
      for (const e of ends[f] as number[]) (ends[t] as number[]).push(e);
      queue[tail++] = t;
    };
    for (const c of kids[0] as number[]) enqueue(child[c] as number, 0);
    for (const c of kids[0] as number[]) set(0, c, child[c] as number);
    for (let q = 0; q < tail; q++) {
      const s = queue[q] as number;
      const f = fail[s] as number;
      next.copyWithin(s << 7, f << 7, (f + 1) << 7);
      for (const c of kids[s] as number[]) {
        const t = child[(s << 7) | c] as number;
        const to = next[(f << 7) | c] as number;
        enqueue(t, to < 0 ? ~to : to);
        set(s, c, t);
      }
    }
    this.next = next;
    this.ends = ends.map((e) => (e.length ? [...new Set(e)] : undefined));
  }

  /**
   * Calls `found` with each term index that occurs in `text`, at most once each; stops early
   * when `found` returns true (nothing more to learn).
   */
  scan(text: string, found: (term: number) => boolean): void {
    if (this.terms.length === 0) return;
    const next = this.next;
    let seen: Uint8Array | undefined;
    let s = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      s = c < 128 ? (next[(s << 7) | c] as number) : 0;
      if (s >= 0) continue;
      s = ~s;
      seen ??= new Uint8Array(this.terms.length);
      for (const t of this.ends[s] as number[]) {
        if (seen[t]) continue;
        const b = this.bounds[t] as number;
        if (b !== 0 && ((b & 1 && isWordChar(text.charCodeAt(i - (this.lengths[t] as number)))) || (b & 2 && isWordChar(text.charCodeAt(i + 1))))) continue;
        seen[t] = 1;
        if (found(t)) return;
      }
    }
  }
}

/** An ASCII letter or digit (NaN, past either end of the text, is none). */
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
