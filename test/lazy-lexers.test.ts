/**
 * The patch, deb822 and debhelper lexers and the list model cut their lines in a loop of their own
 * and make a line's tokens when first read (the patch's hunk headers read without moo, a list's
 * words and comment without moo), the Dockerfile lexer reads its lines without moo and the
 * relation parser its alternatives without two closures each: every line, token, instruction and
 * relation must be the one the code kept in test/reference/ made (kind, offsets, name, header
 * numbers, words, comment, tokens), on every fixture file and on generated input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexDebhelperLines } from '../src/lexers/debhelper.js';
import { lexDockerfile, type DockerLexResult } from '../src/lexers/dockerfile.js';
import { lexDeb822Lines } from '../src/lexers/deb822.js';
import { lexPatchLines } from '../src/lexers/patch.js';
import { parseDeb822 } from '../src/models/deb822.js';
import { parseList, type ListModel } from '../src/models/list.js';
import { parseRelations } from '../src/models/relations.js';
import { lexDebhelperLines as lexDebhelperBefore } from './reference/debhelper-lexer-before.js';
import { lexDeb822Lines as lexDeb822Before } from './reference/deb822-lexer-before.js';
import { lexDockerfile as lexDockerfileBefore } from './reference/dockerfile-lexer-before.js';
import { parseListBefore } from './reference/list-model-before.js';
import { lexPatchLines as lexPatchBefore } from './reference/patch-lexer-before.js';
import { parseRelationsBefore } from './reference/relations-before.js';
import { FIXTURES, readTree } from './helpers.js';

const SEED = 20261202;

/** A line as plain data: its own fields and its tokens (read through the getter). */
const plain = (l: object & { tokens: unknown }): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(l)) if (v !== undefined && k !== 'tokens') out[k] = v;
  out.tokens = l.tokens;
  return out;
};

/** A list model's lines, comments and entries as one list to compare. */
const listParts = (m: ListModel): object[] => [...m.lines, { tokens: m.comments }, ...m.entries];

/** A Dockerfile's tokens and instructions as one list to compare. */
const dockerParts = (r: DockerLexResult): object[] => [{ tokens: r.tokens }, ...r.instructions];

/** Every field of the text's paragraphs parsed as relations. */
const relationsOf = (t: string, parse: typeof parseRelations): object[] =>
  parseDeb822(t).paragraphs.flatMap((p) => p.fields.map((f) => ({ tokens: parse(t, f) })));

const LEXERS: [string, (t: string) => object[], (t: string) => object[]][] = [
  ['patch', lexPatchLines, lexPatchBefore],
  ['deb822', (t) => lexDeb822Lines(t), (t) => lexDeb822Before(t)],
  ['deb822 undetailed', (t) => lexDeb822Lines(t, false), (t) => lexDeb822Before(t, false)],
  ['debhelper', lexDebhelperLines, lexDebhelperBefore],
  ['dockerfile', (t) => dockerParts(lexDockerfile(t)), (t) => dockerParts(lexDockerfileBefore(t))],
  // every field of every paragraph read as a relation field (most are not one: the parser must skip them alike)
  ['relations', (t) => relationsOf(t, parseRelations), (t) => relationsOf(t, parseRelationsBefore)],
  ...(['list', 'series'] as const).map((f): [string, (t: string) => object[], (t: string) => object[]] => [
    `${f} model`, (t) => listParts(parseList(t, f)), (t) => listParts(parseListBefore(t, f)),
  ]),
];

const same = (lex: (t: string) => object[], before: (t: string) => object[], text: string): void => {
  expect((lex(text) as { tokens: unknown }[]).map(plain)).toEqual((before(text) as { tokens: unknown }[]).map(plain));
};

const pieces = fc.constantFrom(
  '\n', '\r\n', '\r', ' ', '\t', '\f', '\u00a0', '\u2028', '+', '-', '#', ':', ',', '|', '[', ']', '(', ')', '<', '>', '@', '@@', '\\',
  '@@ -1,3 +1,4 @@', '@@ -1 +1 @@', '@@ -0,0 +1 @@ x', '@@@ -1 -1 +1 @@@', '@@ -1,2 +1,2 @@\r\n', '--- a/debian/rules', '+++ b/debian/rules',
  '--- ', '+++ ', '---', 'RUN ', 'FROM --platform=$BUILDPLATFORM x', '--a-1=', '--', '"', "'", '"a\\"b"', "'x'", '\\', '`', '# escape=`\n',
  'ARG TARGETARCH', '\u000b', 'Depends: ', 'libc6:any', ' (>= ${binary:Version})', ' [!amd64 i386]', ' <!nocheck> <cross>', '${misc:Depends}', '@TOKEN@',
  ' | ', ', ', 'foo [linux-any]', 'x:amd64', '\\ No newline at end of file', 'diff --git a/x b/x', 'Source: foo', 'Package: bar', 'Architecture: amd64 arm64',
  'Build-Depends: a [amd64], b (>= 1) <!nocheck>', ' continued', 'X-Bad field', 'usr/bin/* usr/lib', '  # comment', 'amd64', 'x', '1,2',
);
const texts = fc.oneof(fc.array(pieces, { maxLength: 120 }).map((p) => p.join('')), fc.string({ unit: 'binary', maxLength: 300 }));

describe('lazy line lexers', () => {
  const fixtures = [...readTree(FIXTURES)].map(([path, bytes]) => [path, bytes.toString('utf8')] as const);

  it('read some fixtures', () => expect(fixtures.length).toBeGreaterThan(500));

  for (const [name, lex, before] of LEXERS) {
    it(`${name}: every fixture file gives the lines the eager lexer gave`, () => {
      for (const [, text] of fixtures) same(lex, before, text);
    });
    it(`${name}: generated input gives the lines the eager lexer gave`, () => {
      fc.assert(fc.property(texts, (text) => same(lex, before, text)), { numRuns: 1500, seed: SEED });
    });
  }

  it('a line read twice gives the same token objects (made once)', () => {
    const [line] = lexPatchLines('@@ -1 +1 @@ x\n+a\n');
    expect(line?.tokens).toBe(line?.tokens);
  });

  it('the deb822 model keeps a comment line\'s token as its comment', () => {
    const doc = parseDeb822('Source: a\n# note\nBuild-Depends: b\n');
    expect(doc.comments).toEqual([{ type: 'comment', text: '# note', offset: 10 }]);
    expect(doc.comments[0]).toBe(doc.lines[1]?.tokens[0]);
  });
});
