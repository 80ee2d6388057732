/**
 * The make scanners are a rewrite of two moo lexers for speed: on every logical line, in its
 * mode, they must give the very tokens moo gives for the same rules in the same order.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import moo from 'moo';
import { describe, expect, it } from 'vitest';
import { lexMakeLines, MAKE_RULES, RECIPE_RULES } from '../src/lexers/make.js';
import type { Token } from '../src/lexers/token.js';

const makeLexer = moo.compile({ ...MAKE_RULES, error: moo.error });
const recipeLexer = moo.compile({ ...RECIPE_RULES, error: moo.error });

/** Each line lexed by moo in the mode the line classifier gave it, as the lexer did. */
function mooLines(text: string): Token[][] {
  return lexMakeLines(text).map(({ start, next, mode }) => {
    const lexer = mode === 'make' ? makeLexer : recipeLexer;
    lexer.reset(text.slice(start, next));
    return [...lexer].map((t) => ({ type: t.type ?? 'other', text: t.text, offset: start + t.offset }));
  });
}

const scanned = (text: string): Token[][] => lexMakeLines(text).map((l) => l.tokens);

function makeFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) makeFixtures(p, out);
    else if (/^(?:rules|Makefile|GNUmakefile)$|\.mk$/.test(name)) out.push(p);
  }
  return out;
}

describe('make scanners', () => {
  it('give moo’s tokens on every make fixture', () => {
    const files = makeFixtures(join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(scanned(text), f).toEqual(mooLines(text));
    }
  });

  it('give moo’s tokens on tricky text', () => {
    for (const text of [
      '', '\\', '\\\r', '\\\r\n', '\\\n', '\r', '\r\r\n', ' \t\f\v\r\n', 'x\u00a0y \u2028 é\ufeff',
      '# c \\\n still \\\r\n more \\x \\\r', '# end \\', 'a:::=b ::= := ?= += != :: : = ; | ? + ! ?x +x !x ,',
      '$( ${ $x $$ $\r\n $', '"\'`\\ a\\ b\\', 'all:\n\tcase $$(uname -m) in x86_64) a ;; esac && b || c; d & e | f < g > h # i\n\t"x" `y` \\\r',
      'define X\n\t$(1) ;; # c\nendef\n', 'a>b<c:d\n\te>f<g\n', '\tfragment ;;\n', 'a: ; b\n\tc\\\n\td\n',
    ]) expect(scanned(text), JSON.stringify(text)).toEqual(mooLines(text));
  });

  it('give moo’s tokens on random text', () => {
    const alphabet = fc.constantFrom(...['a', '9', '_', ' ', '\t', '\r', '\n', '\f', '\\', '#', "'", '"', '`', '$', '(', ')', '{', '}', ';', '&', '|', '<', '>', ':', '=', '?', '+', '!', ',', '-',
      '\u00a0', 'é', '\u2028', 'all:\n', '\n\t', 'define x\n', '\nendef\n', 'ifeq (a,b)\n', '$(', '${']);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        expect(scanned(text)).toEqual(mooLines(text));
      }),
      { numRuns: 3000 },
    );
  });
});
