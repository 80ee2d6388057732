/**
 * `isIsoToolSource` reads the text for the unpack and menu words before it builds the code
 * without comments (from slices of the text): it must answer as the join of the non-comment
 * tokens read by the three tests did, on shell and python texts with comments in every place.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizePython } from '../src/lexers/python.js';
import { tokenizeShell } from '../src/lexers/shell.js';
import type { Token } from '../src/lexers/token.js';
import { isIsoToolSource } from '../src/script-kit.js';

/** The answer as it was: every non-comment token's text joined, then the three tests. */
function reference(tokens: readonly Token[]): boolean {
  const code = tokens.filter((t) => t.type !== 'comment').map((t) => t.text).join('');
  const repacks = /\b(?:xorriso|xorrisofs|mkisofs|genisoimage)\b/.test(code) || /(?:^|\s)(?:source|\.)\s+\S*iso[\w-]*utils?\S*\.sh/m.test(code);
  const unpacks = /\b(?:u?mount\w*|osirrox|isoinfo|bsdtar|7z)\b/.test(code);
  const menus = /isolinux|EFI\/BOOT|grub\.cfg|efiboot/i.test(code);
  return repacks && unpacks && menus;
}

const PIECES = [
  'xorriso', 'mkisofs', 'genisoimage', 'mount', 'umount', 'mountpoint', 'osirrox', 'isoinfo', 'bsdtar', '7z',
  'isolinux', 'ISOLINUX', 'EFI/BOOT', 'grub.cfg', 'efiboot', 'source', '.', ' ', '\t', '\n', '\r\n', '\r', '#', '# c',
  '#mount', '#isolinux', '#xorriso', 'lib/iso-utils.sh', 'isoutil.sh', 'a', '_', '-', '"', "'", '$(', ')', '\\', '""', "'''",
];
const texts = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));

describe('isIsoToolSource', () => {
  it('answers as the joined non-comment tokens do (shell and python)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const sh = tokenizeShell(text);
        expect(isIsoToolSource(sh, text)).toBe(reference(sh));
        const py = tokenizePython(text);
        expect(isIsoToolSource(py, text)).toBe(reference(py));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a tool whose words are split by comments', () => {
    const text = 'mount /iso #x\nxorriso -o out.iso # isolinux\ncp grub.cfg EFI/BOOT/\n';
    expect(isIsoToolSource(tokenizeShell(text), text)).toBe(true);
    const commented = 'mount /iso\n# xorriso -o out.iso\ncp grub.cfg x\n';
    expect(isIsoToolSource(tokenizeShell(commented), commented)).toBe(false);
  });
});
