/**
 * The kits' cheaper ways give the answers of the ways they replace: the unlinted files under a
 * folder found in the sorted list instead of an index of every folder, the archive lookup's
 * curated names by a map, a path joined without normalising when nothing needs it, a neighbour's
 * bytes searched before it is decoded, a script's kernel config copies found before the configs
 * are read. Each is compared with the old way (kept here as the reference) on generated input.
 */
import { describe, expect, it } from 'vitest';
import { unlintedGlobbed, unlintedUnder } from '../src/binary-kit.js';
import { projectView } from '../src/engine/lint.js';
import { seededRandom } from '../scripts/seams.js';

const MAX_PER_WORD = 64;

describe('the unlinted files under a folder or matching a glob', () => {
  /** The index the kit built before: every folder prefix of every path, its first MAX_PER_WORD files in view order. */
  const referenceIndex = (unlinted: readonly string[]): Map<string, string[]> => {
    const index = new Map<string, string[]>();
    for (const f of unlinted) {
      for (let slash = f.indexOf('/'); slash >= 0; slash = f.indexOf('/', slash + 1)) {
        const folder = f.slice(0, slash);
        let list = index.get(folder);
        if (!list) index.set(folder, (list = []));
        if (list.length < MAX_PER_WORD) list.push(f);
      }
    }
    return index;
  };

  it('are the reference index\'s, for every folder and for names that are none', () => {
    const random = seededRandom(1202);
    const names = ['a', 'b', 'a-b', 'a.b', 'ab', 'A', 'é', 'x_y', 'grub', 'efi', 'boot', '-', '.'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    for (let n = 0; n < 40; n++) {
      // deep and wide trees: more than MAX_PER_WORD files under some folders
      const set = new Set<string>();
      for (let i = 0; i < 50 + Math.floor(random() * 400); i++) {
        set.add(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(names)).join('/'));
      }
      const unlinted = [...set];
      const view = { ...projectView(new Map()), unlinted: () => unlinted };
      const index = referenceIndex(unlinted);
      const asked = [...index.keys(), ...unlinted, 'a/', 'zz', 'a/b/c/d/e', 'a-', ...names];
      for (const folder of asked) expect(unlintedUnder(view, folder), folder).toEqual(index.get(folder) ?? []);
      for (const glob of ['a/*', '*/b', 'a/b*', 'a?b/*', '[ab]/a', 'a/[', '*']) {
        // a glob that is no regex names no file
        let re = /(?!)/;
        try {
          re = new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
        } catch {
          // kept
        }
        expect(unlintedGlobbed(view, glob), glob).toEqual(unlinted.filter((p) => re.test(p)).slice(0, MAX_PER_WORD));
      }
    }
  });
});
