/**
 * The prefilter's start-up work (issue 12, one file in a blink): the term automaton built row by
 * row, `minimalTerms` without its pairwise scan, and the regex analysis of the built-in rules
 * read from a table generated when the bundle is built (src/engine/trigger-memo.ts). Each must
 * answer exactly as the plain computation does: checked here against reference implementations,
 * on random terms and texts, on every kind and every fixture.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../scripts/seams.js';
import { classify } from '../src/kinds/index.js';
import { ALL_KINDS, type AnyRule, type FileKind } from '../src/types.js';
import { FIXTURES, ROOT } from './helpers.js';

const kindOf = (p: string): FileKind | undefined => classify(p)?.kind;
const WORD_START = '\u27e8';
const WORD_END = '\u27e9';

type Triggers = typeof import('../src/engine/triggers.js');
type Memo = typeof import('../src/engine/trigger-memo.js');

/** A fresh module graph: the memo, the trigger code and the rules as a new process loads them. */
async function fresh(): Promise<{ memo: Memo; triggers: Triggers }> {
  vi.resetModules();
  const memo = await import('../src/engine/trigger-memo.js');
  return { memo, triggers: await import('../src/engine/triggers.js') };
}
const loadRules = async (): Promise<readonly AnyRule[]> => (await import('../rules/index.js')).RULES;

afterEach(() => {
  vi.resetModules();
});

/** Random terms over a few letters (so they overlap), some marked to start or end a word. */
function randomTerms(rand: () => number, n: number): string[] {
  const letters = 'abx86_-.';
  return Array.from({ length: n }, () => {
    let core = '';
    for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) core += letters[Math.floor(rand() * letters.length)];
    return `${rand() < 0.3 ? WORD_START : ''}${core}${rand() < 0.3 ? WORD_END : ''}`;
  });
}

/** Random text over the terms' letters, upper case, word characters, blanks and non-ASCII. */
function randomText(rand: () => number, n: number): string {
  const chars = 'abx86_-.ABXz9 \n\u00e9\u4e00';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(rand() * chars.length)];
  return s;
}

const isWord = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);

/** Whether `term` occurs in `text` (ASCII letters folded), its word marks honoured: the plain search. */
function occurs(term: string, text: string): boolean {
  const start = term.startsWith(WORD_START);
  const end = term.endsWith(WORD_END) && term.length > (start ? 1 : 0);
  const core = term.slice(start ? 1 : 0, end ? -1 : undefined);
  const folded = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  for (let i = folded.indexOf(core); i >= 0; i = folded.indexOf(core, i + 1)) {
    if (start && isWord(text[i - 1])) continue;
    if (end && isWord(text[i + core.length])) continue;
    return true;
  }
  return false;
}

/** minimalTerms as it was first written: each term against every term kept before it. */
function minimalTermsReference(terms: Iterable<string>): string[] {
  const parts = (t: string) => {
    const start = t.startsWith(WORD_START);
    const end = t.endsWith(WORD_END) && t.length > (start ? 1 : 0);
    return { core: t.slice(start ? 1 : 0, end ? -1 : undefined), start, end };
  };
  const all = [...new Set([...terms].map((t) => t.toLowerCase()))].filter((t) => parts(t).core !== '');
  all.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const t of all) {
    const tp = parts(t);
    const firesFor = (o: ReturnType<typeof parts>): boolean =>
      (!o.start && !o.end && tp.core.includes(o.core)) || (o.core === tp.core && (tp.start || !o.start) && (tp.end || !o.end));
    if (!out.some((o) => firesFor(parts(o)))) out.push(t);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('the term automaton', () => {
  it('fires for exactly the terms a plain search finds (random terms and texts)', async () => {
    const { triggers } = await fresh();
    const rand = seededRandom(12);
    for (let round = 0; round < 60; round++) {
      const terms = [...new Set(randomTerms(rand, 1 + Math.floor(rand() * 40)).map((t) => t.toLowerCase()))];
      const rules = terms.map((t, i) => ({ id: `r${i}`, appliesTo: ['shell'], trigger: { literals: [t] } }) as unknown as AnyRule);
      const index = new triggers.TriggerIndex(rules, () => undefined);
      for (let k = 0; k < 20; k++) {
        const text = randomText(rand, Math.floor(rand() * 60));
        const got = index.test('shell', text).rules.map((r) => r.id);
        const want = rules.filter((_r, i) => occurs(terms[i] as string, text)).map((r) => r.id);
        expect(got, `${JSON.stringify(terms)} in ${JSON.stringify(text)}`).toEqual(want);
      }
    }
  });
});

describe('minimalTerms', () => {
  it('keeps what the pairwise version kept (random terms)', async () => {
    const { triggers } = await fresh();
    const rand = seededRandom(7);
    for (let round = 0; round < 300; round++) {
      const terms = randomTerms(rand, Math.floor(rand() * 30)).map((t) => (rand() < 0.2 ? t.toUpperCase() : t));
      expect(triggers.minimalTerms(terms), JSON.stringify(terms)).toEqual(minimalTermsReference(terms));
    }
  });
});

/** The table the built-in rules' modules record as they load, and their triggers (JSON). */
async function recordRegistry(): Promise<{ table: string; triggers: string; memo: Memo }> {
  const { memo } = await fresh();
  const stop = memo.recordTriggerTable();
  const rules = await loadRules();
  return { table: stop(), triggers: JSON.stringify(rules.map((r) => [r.id, r.trigger])), memo };
}

describe('the trigger table (regex analysis computed when the bundle is built)', () => {
  it('holds, under each key, what the analysis computes for it', async () => {
    const { table } = await recordRegistry();
    const entries = JSON.parse(table) as [string, unknown][];
    expect(entries.length).toBeGreaterThan(10);
    const { triggers } = await fresh();
    for (const [key, stored] of entries) {
      const words = /^words (split|string) ([a-z]*)\/([\s\S]*)$/.exec(key);
      const literals = /^literals \/([\s\S]*)$/.exec(key);
      const computed = words
        ? triggers.requiredWordGroups(new RegExp(words[3] as string, words[2]), words[1] as 'split' | 'string')
        : literals
          ? triggers.requiredLiterals(literals[1] as string)
          : expect.fail(`unknown key ${key}`);
      expect(computed ?? null, key).toEqual(stored);
    }
  });

  it('gives the built-in rules the triggers they compute, and the index the same answers on every kind, fixture and random text', async () => {
    const plain = await recordRegistry();
    const plainIndex = new (await import('../src/engine/triggers.js')).TriggerIndex(await loadRules(), kindOf);
    const { memo, triggers } = await fresh();
    memo.useTriggerTable(plain.table);
    // nothing is computed: every analysis comes from the table
    const stop = memo.recordTriggerTable();
    const rules = await loadRules();
    expect(JSON.parse(stop())).toEqual([]);
    expect(JSON.stringify(rules.map((r) => [r.id, r.trigger]))).toBe(plain.triggers);
    const tableIndex = new triggers.TriggerIndex(rules, kindOf);
    const ids = (t: { rules: readonly AnyRule[]; skipped: readonly AnyRule[]; embedded: boolean }) => ({
      rules: t.rules.map((r) => r.id), skipped: t.skipped.map((r) => r.id), embedded: t.embedded,
    });
    const texts: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && fs.statSync(p).size < 200_000) texts.push(fs.readFileSync(p, 'utf8'));
      }
    };
    walk(FIXTURES);
    const rand = seededRandom(3);
    for (let i = 0; i < 200; i++) texts.push(randomText(rand, 80) + ['', ' x86_64', ' amd64', ' grub', ' DEB_BUILD_ARCH', ' efi'][i % 6]);
    expect(texts.length).toBeGreaterThan(200);
    for (const kind of ALL_KINDS) {
      for (const text of texts) expect(ids(tableIndex.test(kind, text)), kind).toEqual(ids(plainIndex.test(kind, text)));
    }
  });

  it('misses, and the regex is analysed, when an input differs from the one recorded (a stale table answers nothing)', async () => {
    const { memo, triggers } = await fresh();
    const stop = memo.recordTriggerTable();
    const want = triggers.requiredLiterals(/x86_64|amd64/);
    const table = JSON.parse(stop()) as [string, unknown][];
    // the same key with another answer stands for a table from other code: it is answered from the table,
    // which is why the bundle generates its table from the very sources it bundles (scripts/bundle.ts)
    memo.useTriggerTable(JSON.stringify(table.map(([k]) => [k, ['wrong']])));
    expect(triggers.requiredLiterals(/x86_64|amd64/)).toEqual(['wrong']);
    expect(triggers.requiredLiterals(/x86_64|amd64|i386/)).toEqual(triggers.minimalTerms([...(want as string[]), 'i386']));
    expect(triggers.requiredWordGroups(/x86_64|amd64/, 'split')).not.toEqual(['wrong']);
    memo.useTriggerTable(undefined);
    expect(triggers.requiredLiterals(/x86_64|amd64/)).toEqual(want);
  });

  // a clone where `npm run build` has not run has no bundle to be stale (CI builds before the tests)
  const dir = path.join(ROOT, 'dist/src/cli');
  const bundleBuilt = fs.existsSync(path.join(dir, 'bin.mjs'));
  it.skipIf(!bundleBuilt)('in the built bundle is the table of these sources (run npm run build after changing a rule or the analysis)', async () => {
    const bundled = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.mjs') || f.endsWith('.cjs'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .map((text) => {
        const at = text.indexOf('PREBUILT_TRIGGER_TABLE=');
        return at < 0 ? undefined : literalAt(text, at + 'PREBUILT_TRIGGER_TABLE='.length);
      })
      .filter((t) => t !== undefined);
    // one in the ES module bundle's chunks, one in cli.cjs (src/cli/code-cache.ts)
    expect(bundled).toHaveLength(2);
    const { table } = await recordRegistry();
    for (const t of bundled) expect(JSON.parse(t as string)).toEqual(JSON.parse(table));
  });
});

/** The value of the string literal (quoted or template, no substitutions) that starts at `at`. */
function literalAt(text: string, at: number): string {
  const q = text[at] as string;
  expect(['"', "'", '`']).toContain(q);
  let i = at + 1;
  while (text[i] !== q) i += text[i] === '\\' ? 2 : 1;
  return new Function(`return ${text.slice(at, i + 1)}`)() as string;
}
