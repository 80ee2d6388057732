/**
 * The Puppet scanners are a rewrite of moo lexers for speed: they must give the very tokens the
 * moo lexers gave (same rules, same order, same states; a manifest's heredoc bodies cut the same way).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import moo from 'moo';
import { describe, expect, it } from 'vitest';
import { PUPPET_MANIFEST_RULES, PUPPET_TEMPLATE_STATES, tokenizePuppet, tokenizeTemplate } from '../src/lexers/puppet.js';
import type { Token } from '../src/lexers/token.js';

const manifestLexer = moo.states({ main: { ...PUPPET_MANIFEST_RULES, error: moo.error } });
const templateLexer = moo.states({
  text: { ...PUPPET_TEMPLATE_STATES.text, error: moo.error },
  comment: { ...PUPPET_TEMPLATE_STATES.comment, error: moo.error },
  tag: { ...PUPPET_TEMPLATE_STATES.tag, error: moo.error },
});

function heredocTag(start: string): string {
  const m = /@\((?:[ \t]*"|)([^")\r\n:/]+)(?![^")\r\n:/])"?(?::[\w.]+)?(?:\/[\w$]*)?[ \t]*\)/.exec(start);
  return (m?.[1] ?? '').trim();
}

/** The moo manifest lexer as it was, with its heredoc bodies. */
function referenceManifest(text: string): Token[] {
  const out: Token[] = [];
  let base = 0;
  let pending: string[] = [];
  manifestLexer.reset(text);
  for (;;) {
    const t = manifestLexer.next();
    if (!t) break;
    const offset = base + t.offset;
    out.push({ type: t.type ?? 'error', text: t.text, offset });
    if (t.type === 'heredocStart') pending.push(heredocTag(t.text));
    if (t.type === 'newline' && pending.length) {
      let pos = offset + t.text.length;
      for (const tag of pending) {
        if (!tag || pos >= text.length) break;
        const esc = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const end = new RegExp(`^[ \\t]*(?:\\|[ \\t]*)?(?:-[ \\t]*)?${esc}[ \\t]*$`, 'm');
        const m = end.exec(text.slice(pos));
        const stop = m ? pos + m.index + m[0].length : text.length;
        out.push({ type: 'heredoc', text: text.slice(pos, stop), offset: pos });
        pos = stop;
      }
      pending = [];
      base = pos;
      manifestLexer.reset(text.slice(pos));
    }
  }
  return out;
}

/** The moo template lexer as it was. */
function referenceTemplate(text: string): Token[] {
  templateLexer.reset(text);
  return [...templateLexer].map((t) => ({ type: t.type ?? 'error', text: t.text, offset: t.offset }));
}

function puppetFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) puppetFixtures(p, out);
    else if (/\.(?:pp|erb|epp)$/.test(name)) out.push(p);
  }
  return out;
}

const same = (text: string): void => {
  expect(tokenizePuppet(text), JSON.stringify(text)).toEqual(referenceManifest(text));
  expect(tokenizeTemplate(text), JSON.stringify(text)).toEqual(referenceTemplate(text));
};

describe('puppet scanners', () => {
  it('give the moo lexers’ tokens on every puppet fixture, read as a manifest and as a template', () => {
    const files = puppetFixtures(join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) same(readFileSync(f, 'utf8'));
  });

  it('give the moo lexers’ tokens on tricky text', () => {
    for (const text of [
      '', '\r', '\r\r\n', ' \r\n', '\f\v', '#', '# c\r\nx', '/', '//', '/* open', '/**/', '/a/', '/ a/', '/a\\/b/', '/a\n/', '"', "'", '"a\\"b', "'\\'",
      '$', '$::', '$::a::b', '$a::', '@', '@@', '@@a', '@(', '@(END)\nbody\nEND\nx', '@("A"/L)\n a\n |- A\n@(B)\nb\nB\n', '@(a)x\n', '::', '::a', ':::b',
      '0', '1.2.x', '<<|', '<|', '|>>', '|>', '->', '~>', '<-', '<~', '=>', '!~', '\\', '`', 'é', '\u00a0', '\u2028',
      '<%', '<%%', '<%#', '<%# c -%>', '<%# a % - %> b', '<%=', '<%-', '<%= x -%>', '<% # c\n %>', '<% x %> <% y', 'a < b <', '  # t', ' #', '\t\t#x<y<%z', '<%#\n-%>',
      '<% @(END) %>', '%>', '-%>', '<% - % -%>', '<%# a -% b %>', '<% # a -% b\n %>',
    ]) same(text);
  });

  it('give the moo lexers’ tokens on random text', () => {
    const alphabet = fc.constantFrom(...[
      'a', 'Z', '_', '0', '9', '.', ':', '::', '$', '@', '@@', '@(', 'END', '"END"', '/L', ')', '(', '[', ']', '{', '}', '/', '*', '/*', '*/', '\\', '"', "'",
      '#', '%', '-', '<', '>', '=', '!', '~', '|', '+', '&', '?', ',', ';', '^', ' ', '\t', '\f', '\r', '\n', '\r\n', 'é', '\u00a0', '`',
      '<%', '<%=', '<%-', '<%#', '<%%', '%>', '-%>', '|-', '=>', '==', '=~',
    ]);
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => same(text)), { numRuns: 3000 });
  });

  it('give the moo lexers’ tokens on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => same(text)), { numRuns: 500 });
  });
});
