/**
 * Baseline keys, file format and matching (src/baseline.ts); the CLI side is in ci.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  BaselineError, entriesFor, formatBaseline, matchBaseline, normalizeLineText, parseBaseline, type BaselineEntry,
} from '../src/baseline.js';
import type { Finding } from '../src/types.js';

const f = (path: string, ruleId: string, start: number, line = 1): Finding => ({
  ruleId,
  severity: 'warning',
  path,
  range: [start, start + 1],
  line,
  column: 1,
  endLine: line,
  endColumn: 2,
  message: 'm',
});

describe('baseline keys', () => {
  it('normalise blanks and never hold a line number', () => {
    expect(normalizeLineText('\t A  =\t amd64  \r')).toBe('A = amd64');
    const lines = ['X = amd64', '  X =  amd64', 'X = amd64', 'Y = i386'];
    const fs = [f('a', 'r', 0, 1), f('a', 'r', 10, 2), f('a', 'r', 20, 3), f('a', 'r', 30, 4), f('a', 'other', 31, 4), f('b', 'r', 0, 1)];
    const e = entriesFor(fs, (p) => `sub/${p}`, (x) => lines[x.line - 1] ?? 'X = amd64');
    expect([...e.values()]).toEqual([
      { path: 'sub/a', ruleId: 'r', text: 'X = amd64', occurrence: 0 },
      { path: 'sub/a', ruleId: 'r', text: 'X = amd64', occurrence: 1 },
      { path: 'sub/a', ruleId: 'r', text: 'X = amd64', occurrence: 2 },
      { path: 'sub/a', ruleId: 'r', text: 'Y = i386', occurrence: 0 },
      { path: 'sub/a', ruleId: 'other', text: 'Y = i386', occurrence: 0 },
      { path: 'sub/b', ruleId: 'r', text: 'X = amd64', occurrence: 0 },
    ]);
    for (const v of e.values()) expect(Object.keys(v)).toEqual(['path', 'ruleId', 'text', 'occurrence']);
  });

  it('the same findings give the same keys when lines move', () => {
    const before = entriesFor([f('a', 'r', 5, 2)], (p) => p, () => 'X = amd64');
    const after = entriesFor([f('a', 'r', 40, 9)], (p) => p, () => '   X = amd64');
    expect([...before.values()]).toEqual([...after.values()]);
  });
});

describe('baseline file', () => {
  const entries: BaselineEntry[] = [
    { path: 'b/debian/rules', ruleId: 'hardcoded-arch', text: 'B = "quoted" \\ é', occurrence: 0 },
    { path: 'a/Makefile', ruleId: 'x86-compiler-flag', text: 'CFLAGS += -msse4.2', occurrence: 1 },
    { path: 'a/Makefile', ruleId: 'x86-compiler-flag', text: 'CFLAGS += -msse4.2', occurrence: 0 },
    { path: 'a/Makefile', ruleId: 'hardcoded-arch', text: 'Z', occurrence: 0 },
  ];

  it('is sorted JSON, one entry a line, the same whatever the input order, and reads back', () => {
    const text = formatBaseline(entries);
    expect(text).toBe(formatBaseline([...entries].reverse()));
    expect(text).toBe(formatBaseline([...entries, ...entries])); // duplicates written once
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['{', '  "version": 1,', '  "findings": [']);
    expect(lines[3]).toBe('    {"path":"a/Makefile","ruleId":"hardcoded-arch","text":"Z","occurrence":0},');
    expect(lines[4]).toContain('"occurrence":0}');
    expect(lines[5]).toContain('"occurrence":1}');
    expect(lines[6]).toMatch(/^ {4}\{"path":"b\/debian\/rules".*\}$/);
    expect(text.endsWith('  ]\n}\n')).toBe(true);
    expect(parseBaseline(text, 'b.json')).toEqual([entries[3], entries[2], entries[1], entries[0]]);
    expect(formatBaseline([])).toBe('{\n  "version": 1,\n  "findings": []\n}\n');
    expect(parseBaseline(formatBaseline([]), 'b.json')).toEqual([]);
  });

  it('reports every problem of a bad file at once', () => {
    const bad = JSON.stringify({ version: 2, findings: [{ path: 1, ruleId: 'r', text: 't', occurrence: -1, extra: true }, 'x'] });
    let err: unknown;
    try {
      parseBaseline(bad, 'b.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).problems).toEqual([
      '"version" must be 1, not 2',
      'findings[0]: "path" must be a string',
      'findings[0]: "occurrence" must be a whole number ≥ 0',
      'findings[0]: unknown key "extra"',
      'findings[1]: expected an object',
    ]);
    expect(() => parseBaseline('{', 'b.json')).toThrow(/b\.json: invalid baseline:\n {2}- not valid JSON/);
  });
});

describe('matchBaseline', () => {
  it('hides recorded findings and reports entries that match nothing, where this run could tell', () => {
    const a = f('a', 'r', 0);
    const b = f('a', 'r', 5);
    const entries = entriesFor([a, b], (p) => p, (x) => (x === a ? 'old' : 'new'));
    const baseline: BaselineEntry[] = [
      { path: 'a', ruleId: 'r', text: 'old', occurrence: 0 },
      { path: 'a', ruleId: 'r', text: 'fixed since', occurrence: 0 },
      { path: 'not-linted', ruleId: 'r', text: 'x', occurrence: 0 },
    ];
    const m = matchBaseline(entries, baseline, (e) => e.path === 'a');
    expect([...m.kept]).toEqual([b]);
    expect(m.stale).toEqual([baseline[1]]);
  });
});
