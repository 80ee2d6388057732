/**
 * The Python scanner is a rewrite of a moo lexer for speed: it must give the very tokens moo
 * gives for the same rules, in the same order of trying, on any text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import moo from 'moo';
import { describe, expect, it } from 'vitest';
import { PYTHON_RULES, tokenizePython } from '../src/lexers/python.js';
import type { Token } from '../src/lexers/token.js';

const reference = moo.compile({ ...PYTHON_RULES, string: [...PYTHON_RULES.string], error: moo.error });

function mooTokens(text: string): Token[] {
  reference.reset(text);
  return [...reference].map((t) => ({ type: t.type ?? 'error', text: t.text, offset: t.offset }));
}

function pythonFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) pythonFixtures(p, out);
    else if (/\.py$/.test(name)) out.push(p);
  }
  return out;
}

describe('python scanner', () => {
  it('gives moo’s tokens on every python fixture', () => {
    const files = pythonFixtures(join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(tokenizePython(text), f).toEqual(mooTokens(text));
    }
  });

  it('gives moo’s tokens on tricky text', () => {
    for (const text of [
      '', '\\', '\\\r', '\\\r\n', '\\\n', '\r', '\r\r\n', ' \t\f\v\r\n', '# c\r\nx', 'rb"a" Rb\'\'\'x\n\'\'\' f"""', 'bar"x"', 'rbu"x"',
      '"unterminated\nnext', "'''open", '""""', '1.2e+3j 0x1F_0 1..2', 'é_ü9 \ud800x', '-=>>= ... ;,:', '$?`', '{[(x)]}',
      '"a\\\nb"', "'a\\\r\nb'",
    ]) expect(tokenizePython(text), JSON.stringify(text)).toEqual(mooTokens(text));
  });

  it('gives moo’s tokens on random text', () => {
    const alphabet = fc.constantFrom(...'rRbBuUfFxy_9.0 \t\f\v\r\n\\#"\'()[]{}+-=:,;@é\ud800$'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        expect(tokenizePython(text)).toEqual(mooTokens(text));
      }),
      { numRuns: 3000 },
    );
  });
});
