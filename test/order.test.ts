/**
 * Output order never follows the locale: paths and rule ids sort by UTF-16 code unit
 * (src/order.ts), as the issue on `--jobs` asks (`localeCompare` follows LANG, and puts `a/x`
 * before `B/x` in every locale, where code units put `B` first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diff } from '../src/formatters/diff.js';
import { restSummary, type LintReport } from '../src/formatters/types.js';
import { byCodeUnit } from '../src/order.js';
import { SourceFile } from '../src/source.js';
import type { Finding } from '../src/types.js';
import { ROOT } from './helpers.js';

describe('byCodeUnit', () => {
  it('orders by UTF-16 code unit, uppercase before lowercase, non-ASCII last', () => {
    expect(['a/x', 'Ä/z', '_/w', 'B/y', 'a-x', 'a/x'].sort(byCodeUnit)).toEqual(['B/y', '_/w', 'a-x', 'a/x', 'a/x', 'Ä/z']);
  });
});

describe('what the formats print', () => {
  it('diff: the files in code unit order', () => {
    const output = new Map(['a/x', 'Ä/z', 'B/y'].map((p) => [p, new SourceFile(p, 'new\n')]));
    const report = { results: [], problems: [], crashes: [], rules: [], fixes: { original: new Map(['a/x', 'Ä/z', 'B/y'].map((p) => [p, 'old\n'])), output } } as LintReport;
    expect([...diff(report, { color: false }).matchAll(/^diff --git a\/(\S+) /gm)].map((m) => m[1])).toEqual(['B/y', 'a/x', 'Ä/z']);
  });

  it('the summary of comments not shown: rules of equal count in code unit order', () => {
    const finding = (ruleId: string) => ({ ruleId, severity: 'warning' }) as Finding;
    expect(restSummary([finding('a-rule'), finding('Z-rule'), finding('m-rule'), finding('m-rule')])).toMatch(/\(2 m-rule, 1 Z-rule, 1 a-rule\)/);
  });

  it('no source sorts with localeCompare', () => {
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) walk(abs);
        else if (e.name.endsWith('.ts') && /\.localeCompare\(/.test(fs.readFileSync(abs, 'utf8'))) hits.push(path.relative(ROOT, abs));
      }
    };
    for (const d of ['src', 'rules', 'scripts', 'bench']) walk(path.join(ROOT, d));
    expect(hits).toEqual([]);
  });
});
