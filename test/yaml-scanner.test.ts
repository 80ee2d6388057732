/**
 * The YAML scanner is a rewrite of a moo lexer for speed: it must give the very tokens the moo
 * lexer gave (same rules, same order, Jinja rules dropped where their closer no longer follows).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import moo from 'moo';
import { describe, expect, it } from 'vitest';
import { JINJA_RULES, tokenizeYaml, YAML_RULES } from '../src/lexers/yaml.js';
import type { Token } from '../src/lexers/token.js';

const { newline, ws, ...rest } = YAML_RULES;
const compile = (mask: number): moo.Lexer => moo.compile({
  newline, ws,
  ...Object.fromEntries(JINJA_RULES.filter((_, i) => mask & (1 << i)).map(([name, , rule]) => [name, rule])),
  ...rest,
  error: moo.error,
});
const lexers = new Map<number, moo.Lexer>();

/** The moo lexer as it was. */
function reference(text: string): Token[] {
  const out: Token[] = [];
  const lastClose = JINJA_RULES.map(([, close]) => text.lastIndexOf(close));
  const maskAt = (pos: number): number => lastClose.reduce((m, c, i) => (c >= pos + 2 ? m | (1 << i) : m), 0);
  let mask = -1;
  let base = 0;
  let pos = 0;
  let lexer: moo.Lexer | undefined;
  for (;;) {
    const want = maskAt(pos);
    if (want !== mask || !lexer) {
      mask = want;
      lexer = lexers.get(mask) ?? compile(mask);
      lexers.set(mask, lexer);
      lexer.reset(pos ? text.slice(pos) : text);
      base = pos;
    }
    const t = lexer.next();
    if (!t) break;
    out.push({ type: t.type ?? 'other', text: t.text, offset: base + t.offset });
    pos = base + t.offset + t.text.length;
  }
  return out;
}

function yamlFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFixtures(p, out);
    else if (/\.ya?ml(?:\.j2)?$/.test(name)) out.push(p);
  }
  return out;
}

describe('yaml scanner', () => {
  it('gives the moo lexer’s tokens on every yaml fixture', () => {
    const files = yamlFixtures(join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(tokenizeYaml(text), f).toEqual(reference(text));
    }
  });

  it('gives the moo lexer’s tokens on tricky text', () => {
    for (const text of [
      '', '\r', '\r\r\n', '- a\n-\n-b\n-', 'a: b\na:b\n:x :\n', "'it''s' 'open\n\"a\\\"b\" \"open\n", '{{ x }} {{ y', '{% if %}{#c#}{#',
      '{{a}}}}', '{{', '{%%}', '#c\r\nk: {a: [1, 2]}', '\u00a0\u2028x\u3000y\ufeff', 'a\u2028: b', '-\u00a0x', '\x00\x1f\x7f', 'ü: ä',
      '"\\\n"', "''''", 'a #b\n  # c', ':', '-', '::', 'x: "a"#b',
    ]) expect(tokenizeYaml(text), JSON.stringify(text)).toEqual(reference(text));
  });

  it('gives the moo lexer’s tokens on random text', () => {
    const alphabet = fc.constantFrom(...['a', 'B', '1', '-', ':', ' ', '\t', '\r', '\n', '#', '"', "'", '\\', '{', '}', '[', ']', ',', '%', '\u00a0', '\u2028', 'é', '{{', '}}', '{%', '%}', '{#', '#}', '- ', ': ']);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 50 }).map((a) => a.join('')), (text) => {
        expect(tokenizeYaml(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });
});
