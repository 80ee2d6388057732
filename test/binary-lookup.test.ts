/**
 * The committed binaries a path word names, from the per-project indexes of binary-kit (files
 * under each folder, files a glob matches in code-unit order), are the files a filter of every
 * unlinted file in the view's order gives: the same files, the same order, the same cap of 64.
 */
import { describe, expect, it } from 'vitest';
import type { BinaryHeader } from '../src/binary-header.js';
import { packageCommittedBinaries } from '../src/binary-kit.js';
import { projectView } from '../src/engine/lint.js';
import { SourceFile } from '../src/source.js';
import { seededRandom as mulberry } from '../scripts/seams.js';

const ELF: BinaryHeader = { format: 'elf', machine: 'x86-64', value: 62, arches: ['amd64'] } as unknown as BinaryHeader;

const globRegex = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);

/** What the lookup gave before the indexes: a filter of every unlinted file, in the view's order, 64 at most. */
function naive(unlinted: readonly string[], word: string): string[] {
  if (unlinted.includes(word)) return [word];
  const re = /[*?[]/.test(word) ? globRegex(word) : undefined;
  return unlinted.filter((f) => (re ? re.test(f) : f.startsWith(`${word}/`))).slice(0, 64);
}

describe('committed binaries named by a path word', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`the indexes give what a filter of every file gives (seed ${seed})`, () => {
      const random = mulberry(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
      const parts = ['pkg', 'bin', 'lib', 'efi', 'x', 'x.d', 'a b', 'pkg2'];
      const names = ['grub.efi', 'shim.efi', 'tool', 'tool.so', 'tool.so.1', 'x', 'bin'];
      // more than 64 files under some folders, listed in no sorted order (as the walk gives them)
      const unlinted = [
        ...new Set(
          Array.from({ length: 400 }, () => {
            const depth = 1 + Math.floor(random() * 4);
            return [...Array.from({ length: depth }, () => pick(parts)), pick(names)].join('/');
          }),
        ),
      ];
      // one folder with more files than a word may name (the cap), in no sorted order
      for (let i = 0; i < 100; i++) unlinted.splice(Math.floor(random() * unlinted.length), 0, `big/${i % 3 ? 'd' : 'e'}/f${(i * 37) % 100}`);
      const words = [
        ...Array.from({ length: 40 }, () => pick(unlinted).split('/').slice(0, 1 + Math.floor(random() * 3)).join('/')),
        ...Array.from({ length: 40 }, () => {
          const segs = pick(unlinted).split('/');
          const i = Math.floor(random() * segs.length);
          segs[i] = pick(['*', `${(segs[i] as string).slice(0, 1)}*`, '?', `*${(segs[i] as string).slice(-2)}`, '[bp]*']);
          return segs.slice(0, i + 1 + Math.floor(random() * 2)).join('/');
        }),
        ...Array.from({ length: 10 }, () => pick(unlinted)),
        'pk', 'nothing/here', '*', '*/*', 'big', 'big/d', 'big/*/f*', 'big/?/*',
      ];
      const install = words.map((w) => w.replace(/ /g, '?')).join('\n');
      const files = new Map([['install', new SourceFile('install', install)]]);
      const view = projectView(files, { paths: unlinted, header: (p) => (unlinted.includes(p) ? ELF : undefined) });
      const got = packageCommittedBinaries(view, 'control', undefined).map((h) => h.path);
      const want = install.split('\n').flatMap((w) => naive(unlinted, w));
      expect(want.length).toBeGreaterThan(200);
      expect(got).toEqual(want);
    });
  }
});
