/**
 * The prefilter's scan (src/engine/term-scan.ts): the cache-sized automaton must find exactly
 * the terms the 128-column one it replaced found (kept as test/reference/term-automaton-before.ts),
 * and a file's bytes, not decoded, must trigger exactly the rules its text triggers: valid or
 * invalid UTF-8, a BOM, CRLF, non-ASCII letters next to a term.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { classify } from '../src/kinds/index.js';
import { SourceFile } from '../src/source.js';
import { TermAutomaton, type TermText } from '../src/engine/term-scan.js';
import { TriggerIndex, WORD_END, WORD_START, triggerFor } from '../src/engine/triggers.js';
import { ALL_KINDS, type FileKind } from '../src/types.js';
import { TermAutomatonBefore } from './reference/term-automaton-before.js';

const SEED = 20261202;
const kindOf = (p: string): FileKind | undefined => classify(p)?.kind;

/** The terms the index gives one kind's automaton (every rule's literals and all-of words). */
function termsOf(kind: FileKind): string[] {
  const out = new Set<string>();
  for (const r of RULES) {
    if (!r.appliesTo.includes(kind)) continue;
    const t = triggerFor(r, kind);
    if (t === 'always') continue;
    for (const x of [...t.literals, ...(t.allOf ?? []).flat()]) out.add(x.toLowerCase());
  }
  return [...out];
}

const parts = (t: string): TermText => {
  const start = t.startsWith(WORD_START);
  const end = t.endsWith(WORD_END) && t.length > (start ? 1 : 0);
  return { core: t.slice(start ? 1 : 0, end ? -1 : undefined), start, end };
};

/** The terms found, in the order `scan` reports them, stopping after `stop` of them (0: never). */
function found(scan: (f: (t: number) => boolean) => void, stop = 0): number[] {
  const out: number[] = [];
  scan((t) => out.push(t) === stop);
  return out;
}

/** Characters next to terms: word and non-word ASCII, line ends, and non-ASCII letters, marks and astral ones. */
const NEIGHBOURS = ['a', 'Z', '0', '9', '_', '-', '.', ' ', '$', '{', '\n', '\r\n', '\t', 'é', 'É', 'ß', '\u0130', '\u212a', '\ufffd', '\ufeff', '\u00a0', '😀', '中'];

/** Text made of `terms` (each in a random case) and neighbours. */
const textOf = (terms: readonly string[]): fc.Arbitrary<string> => {
  const term = fc.tuple(fc.constantFrom(...terms), fc.integer({ min: 0, max: 0x7fffffff }), fc.integer({ min: 0, max: terms.length }))
    .map(([t, mask, cut]) => {
      const core = parts(t).core;
      // a term's prefix, or the whole term, letters upper-cased by the mask
      const text = cut % 3 === 0 ? core.slice(0, Math.max(1, core.length - 1)) : core;
      return [...text].map((c, i) => ((mask >> i % 31) & 1 ? c.toUpperCase() : c)).join('');
    });
  const ascii = fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c));
  return fc.array(fc.oneof({ arbitrary: term, weight: 3 }, { arbitrary: fc.constantFrom(...NEIGHBOURS), weight: 3 }, { arbitrary: ascii, weight: 1 }), { maxLength: 40 }).map((xs) => xs.join(''));
};

/** Small term sets over few characters: overlapping terms, terms inside terms, word marks. */
const smallTerms = fc.uniqueArray(
  fc.tuple(fc.constantFrom('', WORD_START), fc.stringMatching(/^[ab.\-_1]{1,5}$/), fc.constantFrom('', WORD_END)).map(([s, c, e]) => s + c + e),
  { minLength: 1, maxLength: 12 },
);

describe('the cache-sized automaton finds what the 128-column one found', () => {
  const kinds: FileKind[] = ['python', 'shell', 'makefile', 'yaml', 'rules', 'control', 'puppet', 'dockerfile'];
  it.each(kinds)('%s terms, on generated texts', (kind) => {
    const terms = termsOf(kind);
    expect(terms.length).toBeGreaterThan(10);
    const now = new TermAutomaton(terms.map(parts));
    const before = new TermAutomatonBefore(terms);
    let hits = 0;
    fc.assert(
      fc.property(textOf(terms), fc.integer({ min: 0, max: 4 }), (text, stop) => {
        const want = found((f) => before.scan(text, f), stop);
        hits += want.length;
        expect(found((f) => now.scan(text, f), stop)).toEqual(want);
      }),
      { seed: SEED, numRuns: 300 },
    );
    // the texts reach the terms, not only the root
    expect(hits).toBeGreaterThan(300);
  });

  it('small overlapping term sets with word marks', () => {
    let bounded = 0;
    fc.assert(
      fc.property(smallTerms.chain((terms) => fc.tuple(fc.constant(terms), textOf(terms))), ([terms, text]) => {
        const want = found((f) => new TermAutomatonBefore(terms).scan(text, f));
        if (want.some((t) => /[\u27e8\u27e9]/.test(terms[t] as string))) bounded++;
        expect(found((f) => new TermAutomaton(terms.map(parts)).scan(text, f))).toEqual(want);
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(bounded).toBeGreaterThan(100);
  });

  it('is smaller: 16-bit states over the characters the terms use', () => {
    const a = new TermAutomaton(termsOf('python').map(parts));
    expect(a.next).toBeInstanceOf(Uint16Array);
    expect(a.width).toBeLessThan(64);
  });

  it('a term that is not ASCII is refused', () => {
    expect(() => new TermAutomaton([parts('café')])).toThrow(/not ASCII/);
  });
});

// ---------------------------------------------------------------------------------------------
// Bytes against their text

/** SourceFile.fromBytes as it was (main 321df73): the text decoded at once, strict first. */
function decodeBefore(bytes: Uint8Array): { text: string; valid: boolean; bom: boolean } {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), valid: true, bom };
  } catch {
    return { text: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body), valid: false, bom };
  }
}

/** Byte sequences that are not valid UTF-8 (lone, truncated, overlong, surrogate, past U+10FFFF), and a BOM. */
const RAW: number[][] = [
  [0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc3], [0xe2, 0x82], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80], [0xf0, 0x9f, 0x98], [0xef, 0xbb, 0xbf],
];

const enc = (s: string): number[] => [...Buffer.from(s, 'utf8')];

/** Bytes of terms, neighbours (as UTF-8) and invalid sequences, maybe after a BOM. */
const bytesOf = (terms: readonly string[], heads: readonly string[] = []): fc.Arbitrary<Uint8Array> =>
  fc.tuple(
    fc.boolean(),
    fc.array(fc.oneof({ arbitrary: textOf(terms).map(enc), weight: 4 }, { arbitrary: fc.constantFrom(...RAW), weight: 2 }, { arbitrary: fc.constantFrom(...heads, '\n').map(enc), weight: heads.length ? 2 : 0 }), { maxLength: 12 }),
  ).map(([bom, xs]) => Uint8Array.from([...(bom ? [0xef, 0xbb, 0xbf] : []), ...xs.flat()]));

/**
 * `got` (from the bytes, in no particular order, stopped after `stop`) against all the terms of
 * the text: each once, from them, all of them unless stopped (then that many).
 */
function sameTerms(got: readonly number[], all: readonly number[], stop: number): void {
  expect(new Set(got).size).toBe(got.length);
  if (stop === 0 || all.length < stop) expect([...got].sort((x, y) => x - y)).toEqual([...all].sort((x, y) => x - y));
  else {
    expect(got.length).toBe(stop);
    for (const t of got) expect(all).toContain(t);
  }
}

/** Long texts: `scanBytes` reads one of 256 bytes or more as two halves at once. */
const longBytesOf = (terms: readonly string[]): fc.Arbitrary<Uint8Array> =>
  fc.array(bytesOf(terms), { minLength: 8, maxLength: 40 }).map((xs) => Uint8Array.from(xs.flatMap((x) => [...x])));

describe('a file read from bytes is scanned undecoded: the same as its text', () => {
  it('decodes when the text is first asked for, as the eager decode did (text, BOM, validity)', () => {
    let invalid = 0;
    fc.assert(
      fc.property(bytesOf(termsOf('shell')), (bytes) => {
        const file = SourceFile.fromBytes('x.sh', bytes);
        const want = decodeBefore(bytes);
        expect(file.undecodedBytes).toBeDefined();
        expect([file.validUtf8, file.bom]).toEqual([want.valid, want.bom]);
        expect(file.size).toBe(bytes.length - (want.bom ? 3 : 0));
        expect(file.text).toBe(want.text);
        // decoded once: the bytes are let go, the weight stays
        expect(file.undecodedBytes).toBeUndefined();
        expect(file.size).toBe(bytes.length - (want.bom ? 3 : 0));
        if (!want.valid) invalid++;
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect(invalid).toBeGreaterThan(100);
  });

  it.each(['python', 'shell', 'makefile'] as FileKind[])('%s: the automaton finds the same terms in the same order', (kind) => {
    const terms = termsOf(kind);
    const a = new TermAutomaton(terms.map(parts));
    let hits = 0;
    fc.assert(
      fc.property(bytesOf(terms), fc.integer({ min: 0, max: 3 }), (bytes, stop) => {
        const file = SourceFile.fromBytes('f', bytes);
        const body = file.undecodedBytes as Uint8Array;
        const got = found((f) => a.scanBytes(body, f), stop);
        hits += got.length;
        sameTerms(got, found((f) => a.scan(file.text, f)), stop);
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(hits).toBeGreaterThan(300);
  });

  it.each(['python', 'shell'] as FileKind[])('%s: long texts, read as two halves, find the same terms', (kind) => {
    const terms = termsOf(kind);
    const a = new TermAutomaton(terms.map(parts));
    let long = 0;
    fc.assert(
      fc.property(longBytesOf(terms), fc.integer({ min: 0, max: 6 }), (bytes, stop) => {
        const file = SourceFile.fromBytes('f', bytes);
        const body = file.undecodedBytes as Uint8Array;
        if (body.length >= 256) long++;
        sameTerms(found((f) => a.scanBytes(body, f), stop), found((f) => a.scan(file.text, f)), stop);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(long).toBeGreaterThan(100);
  });

  it('a term across the middle of a long text is found (the second half starts early enough)', () => {
    const terms = ['abcdefgh', 'xy'];
    const a = new TermAutomaton(terms.map(parts));
    for (let n = 256; n < 300; n++) {
      for (let at = (n >> 1) - 12; at < (n >> 1) + 4; at++) {
        const bytes = new Uint8Array(n).fill(0x20);
        bytes.set(Buffer.from('abcdefgh'), at);
        expect(found((f) => a.scanBytes(bytes, f)), `${n} ${at}`).toEqual([0]);
      }
    }
  });

  it('small overlapping term sets with word marks next to non-ASCII bytes', () => {
    fc.assert(
      fc.property(smallTerms.chain((terms) => fc.tuple(fc.constant(terms), bytesOf(terms))), ([terms, bytes]) => {
        const a = new TermAutomaton(terms.map(parts));
        const file = SourceFile.fromBytes('f', bytes);
        const body = file.undecodedBytes as Uint8Array;
        sameTerms(found((f) => a.scanBytes(body, f)), found((f) => a.scan(file.text, f)), 0);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  // a patch's hunks are tested as their targets' kinds, read from its file headers: from bytes too
  const HEADS = ['+++ b/debian/rules\n', '--- a/setup.py\t2020-01-01\n', '+++ b/d\u00e9bian/control\n', '+++ "b/x/Makefile"\r\n', '--- a/build.sh\n', '+++ b/debian/series\n', '+++ b/x.yaml'];
  const kinds = ALL_KINDS.filter((k) => k !== 'patch');
  it.each([...kinds.filter((k) => termsOf(k).length > 0).map((k) => [k, termsOf(k)] as const), ['patch', termsOf('shell')] as const])(
    '%s: the index triggers the same rules from the bytes',
    (kind, terms) => {
      const index = new TriggerIndex(RULES, kindOf);
      let on = 0;
      fc.assert(
        fc.property(bytesOf(terms, kind === 'patch' ? HEADS : []), (bytes) => {
          const file = SourceFile.fromBytes('f', bytes);
          const body = file.undecodedBytes as Uint8Array;
          const got = index.testBytes(kind, body);
          on += got.rules.length;
          const want = index.test(kind, file.text);
          expect([got.rules.map((r) => r.id), got.skipped.map((r) => r.id), got.embedded]).toEqual([want.rules.map((r) => r.id), want.skipped.map((r) => r.id), want.embedded]);
        }),
        { seed: SEED, numRuns: kind === 'patch' ? 300 : 60 },
      );
      expect(on).toBeGreaterThan(0);
    },
  );
});
