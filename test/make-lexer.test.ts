/**
 * The make lexer keeps every byte and never throws, on real-looking and on random input;
 * the make model classifies lines and never throws either.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexMakeLines, tokenizeMake } from '../src/lexers/make.js';
import { coversExactly } from '../src/lexers/token.js';
import { parseMake } from '../src/models/make.js';

const SAMPLE = [
  '#!/usr/bin/make -f\r\n',
  '# comment with a continuation \\\n  still comment\n',
  'export DH_VERBOSE = 1\n',
  'override CFLAGS += -O2 $(shell dpkg-buildflags --get CFLAGS)\n',
  'A ?= ${B} $(C $(D)) $$E $@ $<\n',
  'X := a \\\n\tb \\\n\tc\n',
  'ifeq ($(DEB_HOST_ARCH),amd64)\n  Y = 1\nelse ifneq (,$(filter arm64,$(DEB_HOST_ARCH)))\n  Y = 2\nelse\n  Y = 3\nendif\n',
  'ifdef FOO\nifndef BAR\nendif\nendif\n',
  'define CANNED\n\techo "$(1)" # not a make comment\n\tifeq x\nendef\n',
  '%:\n\tdh $@ --with python3 # shell comment\n',
  'override_dh_auto_build: ; echo inline\n\tcase "$$(uname -m)" in x86_64) echo x ;; esac\n',
  'target: VAR = target-specific\n',
  'include /usr/share/dpkg/architecture.mk\n-include local.mk\n',
  '\t\n   \n',
  'unterminated $(ref\n',
  'trailing backslash at eof \\',
];

const makeishChars = fc.constantFrom(
  '$', '(', ')', '{', '}', '#', '\\', '\n', '\r\n', '\t', ' ', ':', '=', '?', '+', '!', ',', ';', '"', "'", '`', '|',
  'ifeq', 'ifneq', 'else', 'endif', 'define', 'endef', 'export', 'override', 'amd64', 'x86_64', 'DEB_HOST_ARCH', 'a', 'Z', '0',
);

describe('make lexer', () => {
  it('round-trips a realistic file byte for byte', () => {
    const text = SAMPLE.join('');
    const tokens = tokenizeMake(text);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    expect(coversExactly(tokens, text)).toBe(true);
  });

  it('round-trips random make-like input', () => {
    fc.assert(
      fc.property(fc.array(makeishChars, { maxLength: 200 }), (parts) => {
        const text = parts.join('');
        return coversExactly(tokenizeMake(text), text);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips arbitrary unicode input and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => coversExactly(tokenizeMake(text), text)),
      { numRuns: 500 },
    );
  });

  it('classifies lines: recipe only after a rule, define bodies raw', () => {
    const lines = lexMakeLines('V = 0\n\tnot a recipe\nall:\n\techo $(X) # c\n# c\n\techo still\nV = 1\n\tno recipe\ndefine D\n\tbody\nendef\n');
    expect(lines.map((l) => l.mode)).toEqual(['make', 'make', 'make', 'recipe', 'make', 'recipe', 'make', 'make', 'make', 'define-body', 'make']);
  });
  it('reads TAB lines before any make syntax as a recipe: a patch hunk that starts inside one', () => {
    const lines = lexMakeLines('\tsed -i "s#@X@#$(X)#g" f ; \\\n\tinstall a b\n\nV = 1\n\tno recipe\n');
    expect(lines.map((l) => l.mode)).toEqual(['recipe', 'make', 'make', 'make']);
    expect(lines[0]!.tokens.some((t) => t.type === 'comment')).toBe(false);
  });
});

describe('make model', () => {
  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.array(makeishChars, { maxLength: 200 }), (parts) => {
        parseMake(parts.join(''), ['amd64', 'arm64']);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('finds assignments with their operator, modifiers and value', () => {
    const m = parseMake('export CFLAGS += -O2 # opt\noverride X ::= y\nt: V = w\n', ['amd64', 'arm64']);
    const a = m.lines.map((l) => l.assignment).filter(Boolean);
    expect(a.map((x) => [x!.name, x!.op, x!.modifiers, x!.targetSpecific])).toEqual([
      ['CFLAGS', '+=', ['export'], false],
      ['X', '::=', ['override'], false],
      ['V', '=', [], true],
    ]);
    const text = 'export CFLAGS += -O2 # opt\n';
    expect(text.slice(a[0]!.valueStart, a[0]!.valueEnd)).toBe('-O2 ');
  });

  it('reports an unterminated define and a missing endif', () => {
    expect(parseMake('define X\nbody\n', ['amd64']).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('endef'),
    ]);
    expect(parseMake('ifeq (a,b)\nX=1\n', ['amd64']).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('endif'),
    ]);
  });
});
