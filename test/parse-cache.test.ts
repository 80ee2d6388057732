/**
 * A file's text is parsed once per lint: the kits read the model the engine parsed (by its
 * guards), never a model of another text, so a fix that changes the text is linted afresh.
 */
import { describe, expect, it } from 'vitest';
import { yamlModel } from '../src/boot-kit.js';
import { resolveConfig } from '../src/config/index.js';
import { fixProject } from '../src/engine/fix.js';
import { lintFile, projectView } from '../src/engine/lint.js';
import { YAML_KIND, yamlModelOf } from '../src/kinds/boot.js';
import { isLatImage } from '../src/lat-kit.js';
import { scanArchLiterals } from '../src/arch.js';
import { SourceFile } from '../src/source.js';
import type { AnyRule, FileKind, Rule } from '../src/types.js';

const docs = { rationale: '', bad: { path: 'a.yaml', text: '' }, good: { path: 'a.yaml', text: '' } };
const mk = (id: string, check: Rule['check']): AnyRule => ({
  id, description: id, appliesTo: ['yaml'], severity: 'warning', fixable: 'fix', defaultOptions: {}, docs, check,
});
const target = (path: string, text: string, rules: AnyRule[], kind: FileKind = 'yaml') => ({
  file: new SourceFile(path, text),
  kind,
  config: resolveConfig(undefined, path, rules),
});

/** Every key named `a…` gets a `b` before it: from a stale model it would be renamed again at old offsets. */
const prefixB = mk('prefix-b', (ctx) => {
  for (const k of yamlModel(ctx).keys) {
    if (k.name.startsWith('a')) ctx.report({ at: [k.start, k.end], message: k.name, fix: { description: 'b', edits: [{ range: [k.start, k.start], text: 'b' }] } });
  }
});

describe('parse once per text', () => {
  it('the kit reads the model the engine parsed for this lint', () => {
    const seen: boolean[] = [];
    const probe = mk('probe', (ctx) => {
      seen.push(yamlModel(ctx) === yamlModelOf(ctx.guards), isLatImage(ctx));
    });
    const t = target('x.yaml', 'a: 1\n', [probe]);
    const r = lintFile(t, [probe], projectView(new Map([['x.yaml', t.file]])), { prefilter: false });
    expect(r.crashes).toEqual([]);
    expect(seen).toEqual([true, false]);
  });

  it('a fixed text is parsed again: each pass sees its own keys', () => {
    const text = 'a1: x\nnest:\n  a2: y\n';
    const out = fixProject([target('x.yaml', text, [prefixB])], [prefixB], { prefilter: false });
    expect(out.output.get('x.yaml')?.text).toBe('ba1: x\nnest:\n  ba2: y\n');
    expect(out.applied).toBe(2);
  });

  it('two texts of one path give two models', () => {
    const a = YAML_KIND.parse('a: 1\n', ['amd64', 'arm64']);
    const b = YAML_KIND.parse('b: 1\nc: 2\n', ['amd64', 'arm64']);
    expect(yamlModelOf(a.guards)?.keys.map((k) => k.name)).toEqual(['a']);
    expect(yamlModelOf(b.guards)?.keys.map((k) => k.name)).toEqual(['b', 'c']);
  });

  it('a SourceFile knows its lines and line ending when first asked, in either order', () => {
    const crlf = new SourceFile('a', 'x\r\ny\r\nz');
    expect(crlf.eol).toBe('\r\n');
    expect(crlf.lineStarts).toEqual([0, 3, 6]);
    const lf = new SourceFile('b', 'x\ny\r\nz\n');
    expect(lf.lineStarts).toEqual([0, 2, 5, 7]);
    expect(lf.eol).toBe('\n');
    expect(lf.position(6)).toEqual({ line: 3, column: 2 });
    expect(new SourceFile('c', '').lineStarts).toEqual([0]);
  });
});

describe('scanArchLiterals in base64 and hex runs', () => {
  const found = (text: string): string[] => scanArchLiterals(text).map((l) => `${l.text}@${l.start}`);
  const blob = 'Ab1'.repeat(13); // 39 characters of upper, lower and digit

  it('skips a literal inside a run of 40 or more with upper case, lower case and a digit', () => {
    expect(found(`${blob}+amd64`)).toEqual([]);
    expect(found(`x ${blob}/arm64/${blob}== y`)).toEqual([]);
  });

  it('keeps one in a shorter run, a run without one of the three, or past the run', () => {
    expect(found(`${blob.slice(6)}+amd64`)).toEqual([`amd64@34`]);
    expect(found(`${'ab1'.repeat(20)}+amd64`)).toEqual(['amd64@61']);
    expect(found(`${blob}=+amd64`)).toEqual(['amd64@41']);
    expect(found(`${blob}==amd64`)).toEqual(['amd64@41']);
    expect(found(`${blob}+x86_64`)).toEqual(['x86_64@40']);
    expect(found(`amd64 ${blob}+i386`)).toEqual(['amd64@0']);
  });
});
