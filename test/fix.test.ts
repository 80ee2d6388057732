/**
 * The fixer's algorithm with synthetic rules: passes, overlap deferral, shared identical edits,
 * cross-file all-or-nothing, cycle stop, the 10-pass cap, no fixes in unfixable files.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { fixProject, MAX_FIX_PASSES } from '../src/engine/fix.js';
import { SourceFile } from '../src/source.js';
import type { AnyRule, Rule } from '../src/types.js';

const docs = { rationale: '', bad: { path: 'Makefile', text: '' }, good: { path: 'Makefile', text: '' } };
const mk = (id: string, check: Rule['check']): AnyRule => ({
  id, description: id, appliesTo: ['makefile', 'rules'], severity: 'warning', fixable: 'fix', defaultOptions: {}, docs, check,
});
const target = (path: string, text: string, rules: AnyRule[], bom = false, valid = true) => ({
  file: new SourceFile(path, text, bom, valid),
  kind: 'makefile' as const,
  config: resolveConfig(undefined, path, rules),
});

/** Replaces every `x` by `y`, one finding each. */
const xToY = mk('x-to-y', (ctx) => {
  for (const m of ctx.file.text.matchAll(/x/g)) {
    ctx.report({ at: [m.index, m.index + 1], message: 'x', fix: { description: 'y', edits: [{ range: [m.index, m.index + 1], text: 'y' }] } });
  }
});

describe('fixProject', () => {
  it('applies non-overlapping fixes in one pass', () => {
    const out = fixProject([target('Makefile', 'x x x\n', [xToY])], [xToY]);
    expect(out.output.get('Makefile')?.text).toBe('y y y\n');
    expect(out.passes).toBe(1);
    expect(out.applied).toBe(3);
  });

  it('defers an overlapping fix to the next pass', () => {
    // wraps the whole line and each `x`: they overlap, so the line fix waits a pass
    const wrap = mk('wrap', (ctx) => {
      const t = ctx.file.text;
      if (!t.startsWith('[')) ctx.report({ at: [0, 1], message: 'w', fix: { description: 'w', edits: [{ range: [0, t.length - 1], text: `[${t.slice(0, -1)}]` }] } });
    });
    const rules = [wrap, xToY];
    const out = fixProject([target('Makefile', 'x x\n', rules)], rules);
    expect(out.output.get('Makefile')?.text).toBe('[y y]\n');
    expect(out.passes).toBe(2);
  });

  it('shares an identical edit wanted by several fixes (one include, many replacements)', () => {
    const withHeader = mk('hdr', (ctx) => {
      const t = ctx.file.text;
      for (const m of t.matchAll(/x/g)) {
        const edits = [{ range: [m.index, m.index + 1] as const, text: 'y' }];
        if (!t.startsWith('H\n')) edits.push({ range: [0, 0], text: 'H\n' });
        ctx.report({ at: [m.index, m.index + 1], message: 'x', fix: { description: 'y', edits } });
      }
    });
    const out = fixProject([target('Makefile', 'x x x\n', [withHeader])], [withHeader]);
    expect(out.output.get('Makefile')?.text).toBe('H\ny y y\n');
    expect(out.passes).toBe(1);
  });

  it('applies a cross-file fix whole or not at all', () => {
    const twin = mk('twin', (ctx) => {
      if (ctx.file.path !== 'a/Makefile' || ctx.file.text.includes('done')) return;
      ctx.report({
        at: [0, 1], message: 't',
        fix: { description: 't', edits: [{ range: [0, 0], text: 'done ' }, { path: 'b/Makefile', range: [0, 0], text: 'touched ' }] },
      });
    });
    const ok = fixProject([target('a/Makefile', 'a\n', [twin]), target('b/Makefile', 'b\n', [twin])], [twin]);
    expect(ok.output.get('a/Makefile')?.text).toBe('done a\n');
    expect(ok.output.get('b/Makefile')?.text).toBe('touched b\n');
    // b is not valid UTF-8, so it must not be fixed: the whole fix is dropped
    const refused = fixProject([target('a/Makefile', 'a\n', [twin]), target('b/Makefile', 'b\n', [twin], false, false)], [twin]);
    expect(refused.output.size).toBe(0);
  });

  it('stops on a cycle', () => {
    const flip = mk('flip', (ctx) => {
      const t = ctx.file.text;
      ctx.report({ at: [0, 1], message: 'f', fix: { description: 'f', edits: [{ range: [0, 1], text: t[0] === 'a' ? 'b' : 'a' }] } });
    });
    const out = fixProject([target('Makefile', 'a\n', [flip])], [flip]);
    expect(out.cycle).toBe(true);
    expect(out.passes).toBeLessThanOrEqual(2);
  });

  it('stops after the pass cap', () => {
    const grow = mk('grow', (ctx) => {
      const n = ctx.file.text.length;
      ctx.report({ at: [0, 1], message: 'g', fix: { description: 'g', edits: [{ range: [n, n], text: '.' }] } });
    });
    const out = fixProject([target('Makefile', 'a', [grow])], [grow]);
    expect(out.passes).toBe(MAX_FIX_PASSES);
    expect(out.output.get('Makefile')?.text).toBe('a' + '.'.repeat(MAX_FIX_PASSES));
  });

  it('never fixes a file that is not valid UTF-8 (the fix becomes a suggestion)', () => {
    const out = fixProject([target('Makefile', 'x\n', [xToY], false, false)], [xToY]);
    expect(out.output.size).toBe(0);
    expect(out.results[0]!.findings[0]!.fix).toBeUndefined();
    expect(out.results[0]!.findings[0]!.suggestions?.[0]?.description).toBe('y');
  });

  it('applies suggestions only with unsafe', () => {
    const sug = mk('sug', (ctx) => {
      if (ctx.file.text.startsWith('s')) return;
      ctx.report({ at: [0, 1], message: 's', suggest: [{ description: 's', edits: [{ range: [0, 0], text: 's' }] }] });
    });
    expect(fixProject([target('Makefile', 'a\n', [sug])], [sug]).output.size).toBe(0);
    expect(fixProject([target('Makefile', 'a\n', [sug])], [sug], { unsafe: true }).output.get('Makefile')?.text).toBe('sa\n');
  });
});
