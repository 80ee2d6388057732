/**
 * x86-compiler-flag: x86-only compiler flags in flags every arch gets. GCC for aarch64 rejects
 * `-msse4.2`, `-m64`, `-mavx2`, `-fcf-protection` ("unrecognized command-line option" or "not
 * supported for this target"), so the arm64 build stops at the first compile.
 * The fix moves only those flags into `VAR += …` under an x86 conditional after the assignment;
 * the rest of the assignment stays for every arch.
 */
import {
  X86_FAMILY, triggerFrom, fix, fixOrSuggest, makeCode, markTentative, replace, scanArchLiterals, variableDefinition,
  type Edit, type Fix, type MakeLine, type Rule, type RuleContext,
} from '../src/rule-kit.js';

export const FLAG = new RegExp(
  '(?<![\\w=.-])(' +
    [
      '-m32', '-m64', '-mx32', '-msse[\\d.a-z]*', '-mno-sse[\\d.a-z]*', '-mavx[\\w]*', '-maes', '-mpclmul', '-mpopcnt',
      '-mbmi2?', '-mcx16', '-mno-red-zone', '-mindirect-branch(?:=[\\w-]+)?', '-mfunction-return(?:=[\\w-]+)?',
      '-fcf-protection(?:=\\w+)?', '-mfpmath=sse', '-mstackrealign', '-mrdrnd', '-mrdseed', '-msha', '-mfma', '-mf16c',
      '-mlzcnt', '-mmovbe', '-mxsave\\w*', '-mrtm', '-mclflushopt', '-mssse3', '-mmmx', '-m3dnow',
      '-march=(?:x86-64(?:-v\\d)?|i[3-6]86|pentium\\w*|nehalem|westmere|sandybridge|ivybridge|haswell|broadwell|skylake[\\w-]*|' +
        'icelake[\\w-]*|cascadelake|cooperlake|tigerlake|sapphirerapids|alderlake|rocketlake|znver\\d|core2|corei7[\\w-]*|atom|silvermont|goldmont[\\w-]*|k8|opteron\\w*|btver\\d|bdver\\d)',
      '-mtune=(?:intel|nehalem|haswell|skylake[\\w-]*|znver\\d|core2|corei7[\\w-]*|atom|i[3-6]86|pentium\\w*|x86-64)',
    ].join('|') +
    ')(?![\\w.=-])',
  'g',
);

const OPS_FIXABLE = new Set([':=', '::=', ':::=', '=', '+=']);

interface FlagHit {
  start: number;
  end: number;
  text: string;
}

function mergeCuts(cuts: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const c of [...cuts].sort((x, y) => x[0] - y[0])) {
    const last = merged.at(-1);
    if (last && c[0] <= last[1]) last[1] = Math.max(last[1], c[1]);
    else merged.push([c[0], c[1]]);
  }
  return merged;
}

/**
 * A cut that empties a continuation line of the value takes the line with it: a middle line
 * left as a lone `\` goes with its line break; an emptied last line goes with the `\` before it.
 */
function widenOverEmptiedLine(text: string, logicalStart: number, s: number, e: number): [number, number] {
  const ls = text.lastIndexOf('\n', s - 1) + 1;
  if (ls <= logicalStart) return [s, e];
  const nl = text.indexOf('\n', e);
  const le = nl < 0 ? text.length : nl;
  const rest = text.slice(ls, s) + text.slice(e, le);
  if (/^[ \t]*\\\r?$/.test(rest)) return [ls, nl < 0 ? le : nl + 1];
  if (/^[ \t]*\r?$/.test(rest)) {
    const prev = /(?<![ \t])[ \t]*\\\r?\n$/.exec(text.slice(logicalStart, ls));
    if (prev) return [ls - prev[0].length, text[le - 1] === '\r' ? le - 1 : le];
  }
  return [s, e];
}

/** The fix for one assignment: remove its x86 flags, re-add them under an x86 conditional. */
function moveFlagsFix(ctx: RuleContext, line: MakeLine, flags: FlagHit[]): Fix | undefined {
  const a = line.assignment;
  if (!a || a.targetSpecific || !OPS_FIXABLE.has(a.op)) return undefined;
  const text = ctx.file.text;
  const eol = ctx.file.eol;
  const cuts = flags.map((f): [number, number] => {
    // take the blanks before the flag with it (after it, when the flag opens the value)
    let s = f.start;
    let e = f.end;
    while (s > a.valueStart && /[ \t]/.test(text[s - 1] as string)) s--;
    if (s === f.start) while (e < a.valueEnd && /[ \t]/.test(text[e] as string)) e++;
    return [s, e];
  });
  const merged = mergeCuts(mergeCuts(cuts).map(([s, e]) => widenOverEmptiedLine(text, line.start, s, e)));
  let edits: Edit[] = merged.map(([s, e]) => replace(s, e, ''));
  // What the value keeps once the flags are gone: nothing but blanks and continuations?
  let rest = '';
  let pos = a.valueStart;
  for (const [s, e] of merged) {
    rest += text.slice(pos, Math.max(pos, s));
    pos = Math.max(pos, e);
  }
  rest += text.slice(pos, a.valueEnd);
  const emptied = /^[\s\\]*$/.test(rest);
  const wholeLine = emptied && a.op === '+=';
  const prefix = wholeLine ? a.modifiers.map((m) => `${m} `).join('') : a.modifiers.includes('override') ? 'override ' : '';
  const block =
    `ifneq (,$(filter ${X86_FAMILY.join(' ')},$(DEB_HOST_ARCH_CPU)))${eol}` +
    `${prefix}${a.name} += ${flags.map((f) => f.text).join(' ')}${eol}` +
    `endif${eol}`;
  const atEof = line.next === line.end;
  if (wholeLine) {
    // `CFLAGS += -msse4.2` moves as a whole: nothing is left to keep for every arch.
    edits = [replace(line.start, line.next, block)];
  } else {
    if (emptied) {
      // `VAR := -m64` keeps `VAR :=`, without a trailing blank
      let opEnd = a.valueStart;
      while (opEnd > a.nameStart && /[ \t]/.test(text[opEnd - 1] as string)) opEnd--;
      edits = [replace(opEnd, a.valueEnd, text[a.valueEnd] === '#' ? ' ' : '')];
    }
    edits.push(replace(line.next, line.next, (atEof ? eol : '') + block));
  }
  const def = variableDefinition(ctx, 'DEB_HOST_ARCH_CPU');
  const description = `move ${flags.map((f) => f.text).join(' ')} under an x86 conditional`;
  if (def.state === 'defined') return fix(description, edits);
  edits.push(def.edit);
  if (def.state === 'missing') return fix(description, edits);
  return markTentative(fix(`${description} (defining DEB_HOST_ARCH_CPU, which '${def.include}' may already define: check it)`, edits));
}

const rule: Rule = {
  id: 'x86-compiler-flag',
  description: 'An x86-only compiler flag in flags that every architecture gets.',
  appliesTo: ['rules', 'makefile'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: {},
  supersedes: ['hardcoded-arch'],
  trigger: triggerFrom(FLAG),
  docs: {
    rationale:
      'GCC for aarch64 rejects x86 flags such as `-msse4.2`, `-mavx2`, `-m64`, `-march=haswell` or ' +
      '`-fcf-protection`, so an arm64 build stops at the first compile. Keep them for x86 only: the fix ' +
      'moves just those flags into `VAR += …` inside `ifneq (,$(filter amd64 i386,$(DEB_HOST_ARCH_CPU)))` ' +
      'right after the assignment, and the rest of the assignment stays for every architecture. Flags in ' +
      'recipes, target-specific or `?=`/`!=` assignments are reported without a fix.',
    bad: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\nexport DEB_CFLAGS_MAINT_APPEND = -Wall -msse4.2 -O2\n\n%:\n\tdh $@\n',
    },
    good: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\nexport DEB_CFLAGS_MAINT_APPEND = -Wall -O2\n' +
        'ifneq (,$(filter amd64 i386,$(DEB_HOST_ARCH_CPU)))\nDEB_CFLAGS_MAINT_APPEND += -msse4.2\nendif\n\n%:\n\tdh $@\n',
    },
  },
  check(ctx) {
    const text = ctx.file.text;
    const byLine = new Map<MakeLine, FlagHit[]>();
    for (const span of makeCode(ctx)) {
      if (span.comment) continue;
      // A per-arch table entry: `SIMD_FLAGS_amd64 = -msse4.2`.
      const named = span.line.assignment ? scanArchLiterals(span.line.assignment.name).flatMap((l) => l.arches) : [];
      if (named.length && named.every((a) => X86_FAMILY.includes(a))) continue;
      const code = text.slice(span.start, span.end);
      for (const m of code.matchAll(FLAG)) {
        const start = span.start + m.index;
        const hit = { start, end: start + m[0].length, text: m[0] };
        if (ctx.guards.isTest(start) || ctx.guards.isGuardedFor(start, X86_FAMILY)) continue;
        const list = byLine.get(span.line) ?? [];
        list.push(hit);
        byLine.set(span.line, list);
      }
    }
    for (const [line, flags] of byLine) {
      const guarded = ctx.guards.reachAt(line.start).guarded;
      const inValue = flags.every((f) => line.assignment && f.start >= line.assignment.valueStart);
      const moved = !guarded && inValue ? moveFlagsFix(ctx, line, flags) : undefined;
      const wrongOn = ctx.architectures.filter((a) => !X86_FAMILY.includes(a));
      for (const f of flags) {
        const message =
          `x86-only compiler flag '${f.text}' ${wrongOn.length ? `breaks the build on ${wrongOn.join(', ')}` : 'is not portable'}: ` +
          (moved ? 'keep it for amd64/i386 only' : 'guard it with an x86 arch conditional');
        ctx.report({ at: [f.start, f.end], message, ...(moved ? fixOrSuggest(moved) : {}) });
      }
    }
  },
};

export default rule;
