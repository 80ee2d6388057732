/**
 * The make model: logical lines classified (assignment, rule, recipe, conditional …),
 * assignments, includes, comments, and the arch guards of every conditional and recipe.
 */
import { ARCH_NAMES, type ArchName } from '../arch.js';
import { complement, GuardMap } from '../guards.js';
import { lexMakeLines, looksLikeRule, type MakeLogicalLine } from '../lexers/make.js';
import type { Token } from '../lexers/token.js';
import { MAX_EXPR_DEPTH, evaluatePerArch, matchingClose, parseMakeExpr, type ExprNode, type VarSubject } from '../make-expr.js';
import { findShellArchGuards } from '../shell-guards.js';

export type MakeLineKind =
  | 'blank' | 'comment' | 'assignment' | 'rule' | 'recipe' | 'conditional' | 'else' | 'endif'
  | 'define' | 'endef' | 'define-body' | 'include' | 'directive' | 'other';

export interface MakeAssignment {
  name: string;
  op: string;
  /** `export`, `override`, `private` in front of the name. */
  modifiers: string[];
  /** Offset where the name starts. */
  nameStart: number;
  /** Offset where the value starts (after the operator and following blanks). */
  valueStart: number;
  /** Offset where the value ends (before a trailing comment or the line end). */
  valueEnd: number;
  /** A target-specific assignment (`target: VAR = …`). */
  targetSpecific: boolean;
}

export interface MakeLine extends MakeLogicalLine {
  kind: MakeLineKind;
  assignment?: MakeAssignment;
  /** For `include`: the included paths text. */
  include?: string;
  /** Comment tokens on this line (make comments, or shell comments in recipes). */
  comments: Token[];
  /** Offsets of the test text of a conditional (`(A,B)` or `"A" "B"`). */
  test?: [number, number];
}

export interface MakeProblem {
  offset: number;
  message: string;
}

export interface MakeModel {
  lines: MakeLine[];
  guards: GuardMap;
  /** Variables assigned from arch-dependent expressions (for guard evaluation). */
  archAliases: Map<string, ExprNode[]>;
  /** Ranges of arch tests that read the build machine (`DEB_BUILD_ARCH`, `uname -m`). */
  buildTests: [number, number][];
  problems: MakeProblem[];
  /** The line containing an offset. */
  lineAt(offset: number): MakeLine | undefined;
  /** True when the file assigns `name` (any operator) or exports it. */
  defines(name: string): boolean;
  /** True when the file includes a make file whose path ends with one of `suffixes`. */
  includes(...suffixes: string[]): boolean;
  /** Where text defining variables goes: after the shebang and header comments. */
  headerEnd: number;
}

const ASSIGN_RE = /^([ \t]*)(?![ \t])((?:(?:export|override|private|unexport)[ \t]+(?![ \t]))*)([^\s:#=?+!$]*(?:\$[({][^)}]*[)}][^\s:#=?+!$]*)*)[ \t]*(:::=|::=|:=|\?=|\+=|!=|=)/;
/** A reference to an arch variable or an arch-reading command. */
const ARCH_REF = /DEB_(HOST|BUILD)_(ARCH|GNU_CPU|GNU_TYPE|MULTIARCH)|uname\s+-m|dpkg\s+--print-architecture|dpkg-architecture/;
const DIRECTIVES = /^[ \t]*(-?include|sinclude|vpath|export|unexport|override|undefine|\.PHONY)\b/;

function commentStart(tokens: Token[], mode: MakeLogicalLine['mode']): Token[] {
  if (mode === 'make') return tokens.filter((t) => t.type === 'comment');
  // Shell comments in recipes: `#` at a word start, to the end of the physical line.
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.type !== 'hash') continue;
    const prev = tokens[i - 1];
    if (prev && prev.type !== 'ws' && prev.type !== 'newline' && prev.type !== 'continuation') continue;
    let text = '';
    for (let j = i; j < tokens.length; j++) {
      const u = tokens[j] as Token;
      if (u.type === 'newline' || u.type === 'continuation') break;
      text += u.text;
    }
    out.push({ type: 'comment', text, offset: t.offset });
    break;
  }
  return out;
}

/** Parses the test of `ifeq (A,B)` / `ifeq "A" "B"` into its two sides with offsets. */
function conditionalArgs(text: string, base: number): { a: string; b: string; range: [number, number] } | undefined {
  const m = /^[ \t]*(?:else[ \t]+)?(ifeq|ifneq)[ \t]*/.exec(text);
  if (!m) return undefined;
  const i = m[0].length;
  if (text[i] === '(') {
    const close = matchingClose(text, i);
    if (close < 0) return undefined;
    const inner = text.slice(i + 1, close);
    let depth = 0;
    for (let k = 0; k < inner.length; k++) {
      const c = inner[k];
      if (c === '(' || c === '{') depth++;
      else if (c === ')' || c === '}') depth--;
      else if (c === ',' && depth === 0) {
        return { a: inner.slice(0, k).trim(), b: inner.slice(k + 1).trim(), range: [base + i, base + close + 1] };
      }
    }
    return undefined;
  }
  const q = /^(["'])(.*?)\1[ \t]+(["'])(.*?)\3/.exec(text.slice(i));
  if (!q) return undefined;
  return { a: q[2] as string, b: q[4] as string, range: [base + i, base + i + q[0].length] };
}

/** The condition, then- and else-part of `$(if …)` between `from` and its closing bracket `to`. */
function ifArgs(s: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let last = from;
  for (let i = from; i < to; i++) {
    const c = s[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0 && out.length < 2) {
      out.push([last, i]);
      last = i + 1;
    }
  }
  out.push([last, to]);
  return out;
}

interface CondFrame {
  /** Arches not yet taken by an earlier branch; undefined once a branch was not an arch test. */
  remaining: Set<ArchName> | undefined;
  subject: VarSubject;
  branchStart: number;
  branchArches: Set<ArchName> | undefined;
  branchPositive: boolean;
  line: MakeLine;
}

export function parseMake(text: string, architectures: readonly ArchName[]): MakeModel {
  const raw = lexMakeLines(text);
  const problems: MakeProblem[] = [];
  const guards = new GuardMap(architectures);
  const archAliases = new Map<string, ExprNode[]>();
  const buildTests: [number, number][] = [];
  const assigned = new Set<string>();
  /** Where the first make expression nested too deep to read whole is (a notice). */
  let tooDeepAt: number | undefined;
  const parseExpr = (s: string, at: number): ExprNode[] => parseMakeExpr(s, () => void (tooDeepAt ??= at));
  const included: string[] = [];

  const lines: MakeLine[] = raw.map((l) => {
    const body = text.slice(l.start, l.end);
    const comments = commentStart(l.tokens, l.mode);
    // the lexer's fields written out, in their order: a spread of `l` cost more than the rest of this function
    const line: MakeLine = { start: l.start, end: l.end, next: l.next, mode: l.mode, tokens: l.tokens, kind: 'other', comments };
    if (l.mode === 'recipe') line.kind = 'recipe';
    else if (l.mode === 'define-body') line.kind = 'define-body';
    else if (/^\s*$/.test(body)) line.kind = 'blank';
    else if (/^\s*#/.test(body)) line.kind = 'comment';
    else if (/^\s*(ifeq|ifneq|ifdef|ifndef)\b/.test(body)) line.kind = 'conditional';
    else if (/^\s*else\b/.test(body)) line.kind = 'else';
    else if (/^\s*endif\b/.test(body)) line.kind = 'endif';
    else if (/^\s*(?:(?:override|export|private)\s+)*define\b/.test(body)) line.kind = 'define';
    else if (/^\s*endef\b/.test(body)) line.kind = 'endef';
    else if (/^[ \t]*(-?include|sinclude)[ \t]/.test(body)) {
      line.kind = 'include';
      line.include = body.replace(/^[ \t]*(-?include|sinclude)[ \t]+/, '').replace(/(?<!#)#.*$/, '').trim();
      included.push(...line.include.split(/\s+/));
    } else {
      const code = comments.length ? text.slice(l.start, (comments[0] as Token).offset) : body;
      const ruleLike = looksLikeRule(code);
      let assignText = code;
      let offsetShift = 0;
      let targetSpecific = false;
      if (ruleLike) {
        // target-specific: `target: VAR = value`
        const colon = code.indexOf(':');
        const after = code.slice(colon + 1);
        if (!after.startsWith(':') && ASSIGN_RE.test(after)) {
          assignText = after;
          offsetShift = colon + 1;
          targetSpecific = true;
        }
      }
      const m = !ruleLike || targetSpecific ? ASSIGN_RE.exec(assignText) : null;
      if (m) {
        line.kind = 'assignment';
        const nameStart = l.start + offsetShift + (m[1] as string).length + (m[2] as string).length;
        let valueStart = l.start + offsetShift + m[0].length;
        while (valueStart < l.end && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
        const valueEnd = comments.length ? (comments[0] as Token).offset : l.end;
        line.assignment = {
          name: m[3] as string,
          op: m[4] as string,
          modifiers: (m[2] as string).split(/\s+/).filter(Boolean),
          nameStart,
          valueStart: Math.min(valueStart, valueEnd),
          valueEnd,
          targetSpecific,
        };
        if (!targetSpecific) assigned.add(m[3] as string);
      } else if (ruleLike) line.kind = 'rule';
      else if (DIRECTIVES.test(body)) {
        line.kind = 'directive';
        const ex = /^[ \t]*export[ \t]+(?![ \t])(.*)$/.exec(code);
        if (ex) for (const n of (ex[1] as string).trim().split(/\s+/)) assigned.add(n);
      }
    }
    return line;
  });

  // Variables assigned from arch-dependent expressions, outside conditionals.
  let depth = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as MakeLine;
    if (line.kind === 'conditional') depth++;
    else if (line.kind === 'endif') depth = Math.max(0, depth - 1);
    const a = line.assignment;
    if (a && depth === 0 && !a.targetSpecific && a.op !== '+=' && !/^DEB_(HOST|BUILD)_/.test(a.name)) {
      const expr = parseExpr(text.slice(a.valueStart, a.valueEnd), line.start);
      const per = evaluatePerArch(expr, archAliases);
      if (per && new Set(per.values.values()).size > 1) archAliases.set(a.name, expr);
    }
  }

  // Conditionals: reaching sets per branch.
  const stack: CondFrame[] = [];
  const closeBranch = (f: CondFrame, end: number): void => {
    if (f.branchArches) {
      guards.addRegion({ start: f.branchStart, end, arches: f.branchArches, positive: f.branchPositive, subject: f.subject });
    }
  };
  const archTest = (line: MakeLine): { arches: Set<ArchName>; subject: VarSubject } | undefined => {
    const body = text.slice(line.start, line.comments[0]?.offset ?? line.end);
    const args = conditionalArgs(body, line.start);
    if (!args) return undefined;
    line.test = args.range;
    const a = evaluatePerArch(parseExpr(args.a, line.start), archAliases);
    const b = evaluatePerArch(parseExpr(args.b, line.start), archAliases);
    if (!a || !b) {
      // A test we cannot evaluate (`$(shell dpkg-vendor …) $(DEB_HOST_ARCH)`) still compares
      // against the arch: its literals are the test, not hardcoding. Its branches stay unknown.
      if (ARCH_REF.test(`${args.a},${args.b}`)) guards.addTest(args.range[0], args.range[1]);
      return undefined;
    }
    const subjects = new Set([...a.subjects, ...b.subjects]);
    if (subjects.size === 0) return undefined;
    const negate = /^\s*(?:else\s+)?ifneq/.test(body);
    const arches = new Set<ArchName>();
    for (const arch of ARCH_NAMES) {
      const eq = a.values.get(arch)?.trim() === b.values.get(arch)?.trim();
      if (eq !== negate) arches.add(arch);
    }
    guards.addTest(args.range[0], args.range[1]);
    const subject: VarSubject = subjects.has('build') ? 'build' : 'host';
    if (subject === 'build') buildTests.push(args.range);
    return { arches, subject };
  };

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as MakeLine;
    if (line.kind === 'conditional') {
      const t = archTest(line);
      stack.push({
        remaining: t ? complement(t.arches) : undefined,
        subject: t?.subject ?? 'host',
        branchStart: line.next,
        branchArches: t?.arches,
        branchPositive: t ? t.arches.size <= ARCH_NAMES.length / 2 : true,
        line,
      });
    } else if (line.kind === 'else') {
      const f = stack.at(-1);
      if (!f) {
        problems.push({ offset: line.start, message: '`else` without a matching `ifeq`/`ifdef`' });
        continue;
      }
      closeBranch(f, line.start);
      f.branchStart = line.next;
      if (/^\s*else\s+if/.test(text.slice(line.start, line.end))) {
        const t = archTest(line);
        if (t && f.remaining) {
          f.branchArches = new Set([...t.arches].filter((a) => f.remaining?.has(a)));
          f.branchPositive = t.arches.size <= ARCH_NAMES.length / 2;
          f.remaining = new Set([...f.remaining].filter((a) => !t.arches.has(a)));
        } else {
          f.branchArches = undefined;
          f.remaining = undefined;
        }
      } else {
        f.branchArches = f.remaining;
        f.branchPositive = false;
      }
    } else if (line.kind === 'endif') {
      const f = stack.pop();
      if (!f) {
        problems.push({ offset: line.start, message: '`endif` without a matching `ifeq`/`ifdef`' });
        continue;
      }
      closeBranch(f, line.start);
    }
  }
  for (const f of stack) {
    closeBranch(f, text.length);
    problems.push({ offset: f.line.start, message: 'conditional is never closed: `endif` missing' });
  }
  let defineDepth = 0;
  let defineStart = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as MakeLine;
    if (line.kind === 'define') {
      if (defineDepth === 0) defineStart = line.start;
      defineDepth++;
    } else if (line.kind === 'endef') defineDepth--;
  }
  if (defineDepth > 0) {
    problems.push({ offset: defineStart, message: '`define` is never closed: `endef` missing; the rest of the file is read as its body' });
  }

  // Shell guards inside recipe lines.
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as MakeLine;
    if (line.kind !== 'recipe' && line.kind !== 'define-body') continue;
    if (!/case|if|\[|test/.test(text.slice(line.start, line.end))) continue;
    const g = findShellArchGuards(text.slice(line.start, line.end), line.start);
    for (const r of g.regions) guards.addRegion(r);
    for (const [s, e] of g.tests) guards.addTest(s, e);
    for (const t of g.buildTests) buildTests.push(t);
  }

  // Inline make conditionals: `$(if $(filter amd64 i386,$(DEB_HOST_ARCH)),-msse4.2,-O2)`.
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as MakeLine;
    if (line.kind === 'blank' || line.kind === 'comment') continue;
    const code = line.mode === 'make' ? line.comments[0]?.offset ?? line.end : line.end;
    const body = text.slice(line.start, code);
    if (!/\$[({]if[ \t]/.test(body)) continue;
    let depth = 0;
    let scanned = 0;
    for (const m of body.matchAll(/\$[({]if[ \t]/g)) {
      // an `$(if` nested deeper than expressions are read stays text (each would read to its close)
      for (; scanned < m.index; scanned++) {
        const c = body[scanned];
        if (c === '(' || c === '{') depth++;
        else if (c === ')' || c === '}') depth--;
      }
      if (depth >= MAX_EXPR_DEPTH) {
        tooDeepAt ??= line.start;
        continue;
      }
      const close = matchingClose(body, m.index + 1);
      if (close < 0) continue;
      const [cond, then, otherwise] = ifArgs(body, m.index + m[0].length, close);
      if (!cond || !then) continue;
      const v = evaluatePerArch(parseExpr(body.slice(cond[0], cond[1]), line.start), archAliases);
      if (!v || v.subjects.size === 0) continue;
      const arches = new Set(ARCH_NAMES.filter((a) => (v.values.get(a) ?? '').trim() !== ''));
      const subject: VarSubject = v.subjects.has('build') ? 'build' : 'host';
      const at = (r: [number, number]): [number, number] => [line.start + r[0], line.start + r[1]];
      guards.addTest(...at(cond));
      if (subject === 'build') buildTests.push(at(cond));
      guards.addRegion({ start: at(then)[0], end: at(then)[1], arches, positive: arches.size <= ARCH_NAMES.length / 2, subject });
      if (otherwise) guards.addRegion({ start: at(otherwise)[0], end: at(otherwise)[1], arches: complement(arches), positive: false, subject });
    }
  }

  // Header: shebang and comments at the top. New definitions go after its last blank line
  // (so a comment block documenting the first code stays with it), else before the first code.
  const firstCode = lines.find((l) => l.kind !== 'comment' && l.kind !== 'blank');
  let headerEnd = text.length;
  if (firstCode) {
    const lastBlank = lines.filter((l) => l.next <= firstCode.start && l.kind === 'blank').at(-1);
    headerEnd = lastBlank ? lastBlank.next : firstCode.start;
  }

  if (tooDeepAt !== undefined) {
    problems.push({ offset: tooDeepAt, message: `a make expression nests deeper than ${MAX_EXPR_DEPTH} levels; read as text from there` });
  }
  const lineStarts = lines.map((l) => l.start);
  return {
    lines,
    guards,
    archAliases,
    buildTests,
    problems,
    headerEnd,
    lineAt(offset: number): MakeLine | undefined {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((lineStarts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lines[lo];
    },
    defines(name: string): boolean {
      return assigned.has(name);
    },
    includes(...suffixes: string[]): boolean {
      return included.some((p) => suffixes.some((s) => p.endsWith(s)));
    },
  };
}
