/**
 * The list lexer (pkg-dirs, pkg-list, series) keeps every byte and never throws, on realistic
 * and random input; the list model finds live and commented-out entries, and the kinds match
 * both StarlingX list layouts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/kinds/index.js';
import { tokenizeList } from '../src/lexers/list.js';
import { coversExactly } from '../src/lexers/token.js';
import { parseList } from '../src/models/list.js';

const SAMPLE = [
  '# List of packages to be included/installed in ISO\n',
  '\n',
  '#intel-i40e\r\n',
  'i40e\n',
  '  kernel-modules/qat   \t\n',
  '#tools/pcm  # x86-only: Intel PCM reads x86 MSRs\n',
  'apache2  2.4.67-1~deb11u3  https://snapshot.debian.org/pool/a/apache2/apache2_2.4.67-1~deb11u3_amd64.deb\n',
  'name#not-a-comment  1.0 # data for the build tools\n',
  '\u00a0odd\u2028space\n',
  '0001-fix.patch -p1 # a quilt comment\n',
  'last-line-without-newline',
];

const listish = fc.constantFrom(
  '#', ' ', '\t', '\n', '\r\n', '\r', '\u2028', 'kernel-modules/qat', 'amd64', '_amd64.deb', 'https://x/y', '  # why', '~', ':', 'a', '0',
);

describe('list lexer', () => {
  for (const flavour of ['list', 'series'] as const) {
    it(`${flavour}: round-trips a realistic file byte for byte`, () => {
      const text = SAMPLE.join('');
      const tokens = tokenizeList(text, flavour);
      expect(coversExactly(tokens, text)).toBe(true);
      expect(tokens.some((t) => t.type === 'error')).toBe(false);
    });
    it(`${flavour}: round-trips random list-like input`, () => {
      fc.assert(
        fc.property(fc.array(listish, { maxLength: 200 }), (parts) => {
          const text = parts.join('');
          return coversExactly(tokenizeList(text, flavour), text);
        }),
        { numRuns: 500 },
      );
    });
    it(`${flavour}: round-trips arbitrary unicode input and never throws`, () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => coversExactly(tokenizeList(text, flavour), text)),
        { numRuns: 500 },
      );
    });
  }

  it('a `#` after an entry is data in a list, a comment in a series', () => {
    const line = 'name#x  1.0 # why\n';
    expect(tokenizeList(line, 'list').filter((t) => t.type === 'comment')).toEqual([]);
    expect(tokenizeList(line, 'series').filter((t) => t.type === 'comment').map((t) => t.text)).toEqual(['# why']);
  });
});

describe('list model', () => {
  it('reads live entries, commented-out entries with their reason, and section headers', () => {
    const m = parseList('#kernel\nkernel-std\n#tools/pcm  # x86-only: Intel PCM\r\n\ncurl  7.74  https://h/curl_7.74_amd64.deb');
    expect(m.entries.map((l) => l.words.map((w) => w.text))).toEqual([['kernel-std'], ['curl', '7.74', 'https://h/curl_7.74_amd64.deb']]);
    const pcm = m.lines.find((l) => l.commented?.[0]?.text === 'tools/pcm');
    expect(pcm?.reason).toBe('x86-only: Intel PCM');
    expect(m.lines.map((l) => l.kind)).toEqual(['comment', 'entry', 'comment', 'blank', 'entry']);
    expect(m.lineAt(m.entries[1]!.start + 3)?.line).toBe(5);
  });
  it('ends a CRLF line before its \\r, also after trailing blanks', () => {
    const text = 'kernel-modules/qat  \r\nnext\r\n';
    const [first] = parseList(text).lines;
    expect(text.slice(first!.start, first!.end)).toBe('kernel-modules/qat  ');
  });
});

describe('list kinds', () => {
  it.each([
    ['kernel/debian_pkg_dirs', 'pkg-dirs'],
    ['kernel/debian_pkg_dirs_rt', 'pkg-dirs'],
    ['kernel/debian_pkg_dirs_arm64', 'pkg-dirs'],
    ['config/debian_bullseye_pkg_dirs_std', 'pkg-dirs'],
    ['integ/centos_pkg_dirs', 'pkg-dirs'],
    ['kernel/debian_iso_image.inc', 'pkg-list'],
    ['kernel/debian_trixie_iso_image_std.inc', 'pkg-list'],
    ['kernel/debian_iso_image_arm64.inc', 'pkg-list'],
    ['build-tools/stx/debian-image.inc', 'pkg-list'],
    ['build-tools/stx/debian-bullseye-image.inc', 'pkg-list'],
    ['config/debian/bullseye/common/base-bullseye_arm64.lst', 'pkg-list'],
    ['pkg/debian/patches/series', 'series'],
    ['pkg/debian/bullseye/deb_patches/series', 'series'],
    ['pkg/debian/deb_patches/series_arm64', 'series'],
  ])('%s is %s', (p, kind) => {
    expect(classify(p)?.kind).toBe(kind);
  });
  it.each(['integ/debian_stable_wheels.inc', 'integ/debian_stable_docker_images.inc', 'pkg/series', 'debian_pkg_dirs.py'])(
    '%s is not a list',
    (p) => {
      expect(['pkg-dirs', 'pkg-list', 'series']).not.toContain(classify(p)?.kind);
    },
  );
});
