/** The linear unified diff: applying it to the old text gives the new text, for any edit mix. */
import { applyPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedPatch } from '../src/text-diff.js';

const line = fc.constantFrom('a\n', 'b\n', 'c\n', 'ifeq (x,y)\n', 'endif\n', '\tdh $@\n', '\n', 'amd64\n', '$(DEB_HOST_ARCH)\n');
const edit = fc.record({
  at: fc.nat(),
  del: fc.nat({ max: 3 }),
  ins: fc.array(line, { maxLength: 4 }),
});

describe('unifiedPatch', () => {
  it('round-trips through applyPatch for random line edits, with or without a final newline', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.array(edit, { maxLength: 8 }), fc.boolean(), fc.boolean(), (lines, edits, cutOld, cutNew) => {
        const after = [...lines];
        for (const e of edits) after.splice(e.at % (after.length + 1), e.del, ...e.ins);
        let oldText = lines.join('');
        let newText = after.join('');
        if (cutOld) oldText = oldText.replace(/\n$/, '');
        if (cutNew) newText = newText.replace(/\n$/, '');
        const patch = unifiedPatch('a/f', 'b/f', oldText, newText);
        if (oldText === newText) return patch === '';
        return applyPatch(oldText, patch) === newText;
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a one-line change in a huge file to one small hunk', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => `line ${i}\n`).join('');
    const changed = big.replace('line 50000\n', 'line 50000 changed\n');
    const patch = unifiedPatch('a/f', 'b/f', big, changed);
    expect(patch.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -49998,7 +49998,7 @@']);
    expect(applyPatch(big, patch)).toBe(changed);
  });
});
