/**
 * `mayNameArch` lets a caller skip `scanArchLiterals` on a text that surely names no arch: it must
 * never say false where the scanner finds a literal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARCH_LITERAL_TEXTS, mayNameArch, scanArchLiterals } from '../src/arch.js';

describe('mayNameArch', () => {
  it('is true for every literal, alone and inside a word', () => {
    for (const lit of ARCH_LITERAL_TEXTS) {
      expect(mayNameArch(lit), lit).toBe(true);
      expect(mayNameArch(`dl_path_${lit}.tar.gz`), lit).toBe(true);
    }
  });

  it('is false for texts without one', () => {
    for (const text of ['', 'name', 'dl_files', 'x8', 'ar m', 'i38', 's39x']) expect(mayNameArch(text), text).toBe(false);
  });

  it('is true wherever the scanner finds a literal (generated text)', () => {
    const piece = fc.constantFrom(...ARCH_LITERAL_TEXTS, 'a', 'r', 'm', '6', '4', '8', '3', '9', '0', 'x', '_', '-', '.', '/', ' ', '\n', 'lib', 'i', 's', 'ld-linux-');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }).map((a) => a.join('')), (text) => {
      if (scanArchLiterals(text).length > 0) expect(mayNameArch(text)).toBe(true);
    }), { numRuns: 3000 });
  });
});
