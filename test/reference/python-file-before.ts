/**
 * REFERENCE ONLY (test/python-model.test.ts): the guards parsePythonFile (src/kinds/scripts.ts)
 * built from every token object before the tokens were a scan read without objects (main
 * 321df73): `.replace(a, b)` translations and BIOS menu strings, on top of the model's guards.
 */
import { ARCH_NAMES, X86_FAMILY, type ArchName } from '../../src/arch.js';
import { GuardMap } from '../../src/guards.js';
import { isBiosMenuText, isTranslation } from '../../src/kinds/scripts.js';
import type { Token } from '../../src/lexers/token.js';
import { parsePython } from './python-guards-before.js';

const isPyCode = (t: Token): boolean => t.type !== 'ws' && t.type !== 'comment' && t.type !== 'newline' && t.type !== 'continuation';

function pyCodeStep(toks: readonly Token[], i: number, step: number): number {
  const dir = step < 0 ? -1 : 1;
  for (let left = Math.abs(step); left > 0; left--) {
    i += dir;
    while (i >= 0 && i < toks.length && !isPyCode(toks[i] as Token)) i += dir;
    if (i < 0 || i >= toks.length) return i;
  }
  return i;
}

function pythonTranslations(toks: readonly Token[]): [number, number][] {
  const out: [number, number][] = [];
  let seen = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (!isPyCode(t)) continue;
    if (++seen < 3 || t.text !== 'replace') continue;
    if (toks[pyCodeStep(toks, i, -1)]?.text !== '.') continue;
    const open = pyCodeStep(toks, i, 1);
    if (toks[open]?.text !== '(') continue;
    const ai = pyCodeStep(toks, open, 1);
    const ci = pyCodeStep(toks, ai, 1);
    const bi = pyCodeStep(toks, ci, 1);
    const a = toks[ai];
    const comma = toks[ci];
    const b = toks[bi];
    if (a?.type !== 'string' || comma?.text !== ',' || b?.type !== 'string') continue;
    if (isTranslation(a.text.slice(1, -1), b.text.slice(1, -1))) out.push([a.offset, a.offset + a.text.length]);
  }
  return out;
}

/** The guards parsePythonFile gave a text. */
export function pythonFileGuardsBefore(text: string, architectures: readonly ArchName[] = ARCH_NAMES): GuardMap {
  const py = parsePython(text);
  const guards = new GuardMap(architectures);
  for (const r of py.regions) guards.addRegion(r);
  for (const [s, e] of py.tests) guards.addTest(s, e);
  for (const [s, e] of pythonTranslations(py.tokens)) guards.addTest(s, e);
  for (let i = 0; i < py.tokens.length; i++) {
    const t = py.tokens[i] as Token;
    if (t.type === 'string' && t.text.includes('\n') && isBiosMenuText(t.text)) {
      guards.addRegion({ start: t.offset, end: t.offset + t.text.length, arches: new Set<ArchName>(X86_FAMILY), positive: true, subject: 'host' });
    }
  }
  return guards;
}
