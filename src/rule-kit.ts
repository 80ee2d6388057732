/**
 * The rule kit: the one module rules import besides the types. Helpers to walk the code of a
 * file, find arch literals with their context, and build fixes that define what they use.
 */
import { ARCHES, archFacts, scanArchLiterals, type ArchLiteral, type ArchName } from './arch.js';
import type { EngineContext } from './engine/lint.js';
import type { MakeLine } from './models/make.js';
import { includedDefinition } from './make-include.js';
import type { Edit, Fix, RuleContext } from './types.js';
import { isForcedRemoval, isMessageText } from './script-kit.js';
import { requiredWordGroups } from './engine/triggers.js';
import { ARCH_NAMED as PY_ARCH_NAMED, SOURCE_CALL as PY_SOURCE_CALL } from './python-guards.js';

export { ARCHES, ARCH_LITERAL_TEXTS, ARCH_NAMES, X86_FAMILY, archFacts, scanArchLiterals } from './arch.js';
export { EFI_NAME, ISO_LAYOUT_NAMES } from './shell-guards.js';
export { minimalTerms, requiredLiterals, requiredWordGroups, requiredWords, triggerAllOf, triggerByKind, triggerFrom, triggerUnion } from './engine/triggers.js';
export type { RuleTrigger, TriggerSpec } from './types.js';

/**
 * The words every arch test's source contains (what the guard readers in src/*-guards.ts and
 * src/make-expr.ts take for "the arch"): `arch` (a variable named for it in python and shell,
 * the `arch` command, `dpkg --print-architecture`, `dpkg-architecture`, Docker's TARGETARCH and
 * BUILDARCH, DEB_HOST_ARCH*, Facter's `architecture`, dnsmasq's `client-arch`, ansible's
 * `ansible_architecture`), `uname` (`uname -m`, `os.uname()`), `deb_host_` and `deb_build_`
 * (DEB_HOST_GNU_CPU, DEB_BUILD_MULTIARCH …), `machine` (`platform.machine()`, `uname --machine`),
 * `processor` (`platform.processor()`), `hardware` (Facter's `hardwaremodel`, `os.hardware`) and
 * `grub_cpu` (GRUB's `${grub_cpu}`). The readers take these from code, not one table: a new
 * source there needs its word here (test/triggers.test.ts tries each source form).
 */
export const ARCH_SOURCE_WORDS: readonly string[] = ['arch', 'uname', 'deb_host_', 'deb_build_', 'machine', 'processor', 'hardware', 'grub_cpu'];

/**
 * What a python arch test reads (src/python-guards.ts): one of the calls of SOURCE_CALL, whose
 * words occur together in the file (`platform` and `machine`: the reader joins tokens without
 * the blanks between them), or a name ARCH_NAMED takes for an arch (`arch`, `target_arch`,
 * `self.ARCH`: `arch` between non-letters, not `search` or `archive`). The groups a trigger fires
 * on when all of one occur.
 */
export const PYTHON_ARCH_SOURCE: readonly (readonly string[] | undefined)[] = [PY_SOURCE_CALL, PY_ARCH_NAMED].flatMap((re) => requiredWordGroups(re, 'split') ?? [undefined]);
export type { ArchLiteral, ArchName, LiteralMeaning } from './arch.js';
export type { MakeLine, MakeModel } from './models/make.js';
export type { Edit, Fix, Report, Rule, RuleContext, Range } from './types.js';

/** Moves the crash-report cursor: a rule that throws is reported at the line it was reading. */
export function visit(ctx: RuleContext, offset: number): void {
  const c = (ctx as Partial<EngineContext>).cursor;
  if (c) c.offset = offset;
}

export function fix(description: string, edits: Edit[]): Fix {
  return { description, edits };
}

export function replace(start: number, end: number, text: string): Edit {
  return { range: [start, end], text };
}

/** True for `debian/rules` and StarlingX `deb_folder/rules`. */
export function isDebianRules(ctx: RuleContext): boolean {
  return ctx.kind === 'rules';
}

export interface MakeCodeSpan {
  line: MakeLine;
  start: number;
  end: number;
  /** True for comment text (only given when `checkComments` is set). */
  comment: boolean;
}

/** The code of each make line: comments left out unless `checkComments` is set. */
export function* makeCode(ctx: RuleContext): Generator<MakeCodeSpan> {
  const make = ctx.make;
  if (!make) return;
  for (const line of make.lines) {
    visit(ctx, line.start);
    if (line.kind === 'blank') continue;
    const firstComment = line.comments[0];
    if (line.kind === 'comment') {
      if (ctx.checkComments) yield { line, start: line.start, end: line.end, comment: true };
      continue;
    }
    const end = firstComment ? firstComment.offset : line.end;
    if (end > line.start) yield { line, start: line.start, end, comment: false };
    if (firstComment && ctx.checkComments) yield { line, start: firstComment.offset, end: line.end, comment: true };
  }
}

export interface MakeLiteral extends ArchLiteral {
  line: MakeLine;
  /** In the name of an assignment (`CFLAGS_amd64 = …`): a mapping entry, not a finding. */
  inName: boolean;
  comment: boolean;
}

const literalCache = new WeakMap<object, { checkComments: boolean; literals: MakeLiteral[] }>();

/** Every arch literal in the make code of the file (computed once per file, shared by rules). */
export function makeArchLiterals(ctx: RuleContext): MakeLiteral[] {
  const key = ctx.make;
  const cached = key ? literalCache.get(key) : undefined;
  if (cached && cached.checkComments === ctx.checkComments) return cached.literals;
  const out: MakeLiteral[] = [];
  const text = ctx.file.text;
  for (const span of makeCode(ctx)) {
    const a = span.line.assignment;
    for (const lit of scanArchLiterals(text.slice(span.start, span.end), span.start, text)) {
      // a message's text (`@echo "…"` in a recipe, `$(warning …)`) is prose, like a comment
      const message = !span.comment && isMessageText(ctx, lit.start);
      if (message && !ctx.checkComments) continue;
      const inName = !!a && lit.start >= a.nameStart && lit.end <= a.nameStart + a.name.length;
      out.push({ ...lit, line: span.line, inName, comment: span.comment || message });
    }
  }
  if (key) literalCache.set(key, { checkComments: ctx.checkComments, literals: out });
  return out;
}

/** True when the literals in `text` name every configured arch: a mapping table or a full list. */
export function namesEveryArch(text: string, architectures: readonly ArchName[]): boolean {
  const named = new Set(scanArchLiterals(text).flatMap((l) => l.arches));
  return architectures.every((a) => named.has(a));
}

const everyArchCache = new WeakMap<object, Map<string, boolean>>();
/**
 * namesEveryArch of the file's text in [start, end) (a line or statement), computed once per span:
 * asked for every literal of a line, it read the whole line each time (quadratic on a long line).
 */
export function spanNamesEveryArch(ctx: RuleContext, start: number, end: number): boolean {
  let cache = everyArchCache.get(ctx.file);
  if (!cache) everyArchCache.set(ctx.file, (cache = new Map()));
  const key = `${start}:${end}:${ctx.architectures.join(',')}`;
  let hit = cache.get(key);
  if (hit === undefined) cache.set(key, (hit = namesEveryArch(ctx.file.text.slice(start, end), ctx.architectures)));
  return hit;
}

/** Arch-name literals a literal is silent for: guarded, a test, a name, or a full list. */
export function isExemptMakeLiteral(ctx: RuleContext, lit: MakeLiteral): boolean {
  if (lit.inName) return true;
  // A mapping entry: `CPU_MAP_amd64 = x86_64` names the same arch on both sides.
  const a = lit.line.assignment;
  // The target of a target-specific setting (`install/grub-efi-amd64: export X := …`) names a per-arch target.
  if (a?.targetSpecific && lit.start < a.nameStart) return true;
  if (a) {
    const named = scanArchLiterals(a.name).flatMap((l) => l.arches);
    if (named.length && lit.arches.some((x) => named.includes(x))) return true;
  }
  if (ctx.guards.isTest(lit.start)) return true;
  if (ctx.guards.isGuardedFor(lit.start, lit.arches)) return true;
  // A list, table or translation naming every arch is arch-neutral (`SUPPORTED = amd64 arm64`,
  // and under an arm64 guard `sed -i "s/x86_64/aarch64/" Makefile`, as StarlingX's ha port does).
  return spanNamesEveryArch(ctx, lit.line.start, lit.line.end);
}

/** The blank-free word around [start, end): a URL or file name. Stops at quotes and brackets of shell syntax. */
export function wordAround(text: string, start: number, end: number): { start: number; end: number; text: string } {
  const stop = /[\s"'`;,<>|&\\]/;
  // Where each scan ends, kept per position it passed at depth 0 (the scan from there ends at the
  // same place): asked for every literal of a long word, each scan would read the word again.
  if (wordEnds?.text !== text) wordEnds = { text, left: new Int32Array(text.length + 1).fill(-1), right: new Int32Array(text.length + 1).fill(-1) };
  const { left, right } = wordEnds;
  const passed: number[] = [];
  let s = start;
  let depth = 0;
  while (s > 0) {
    if (depth === 0) {
      const known = left[s] as number;
      if (known >= 0) {
        s = known;
        break;
      }
      passed.push(s);
    }
    const c = text[s - 1] as string;
    if (c === ')' || c === '}') depth++;
    else if (c === '(' || c === '{') {
      if (depth === 0) break;
      depth--;
    } else if (stop.test(c)) break;
    s--;
  }
  for (const p of passed) left[p] = s;
  passed.length = 0;
  let e = end;
  depth = 0;
  while (e < text.length) {
    if (depth === 0) {
      const known = right[e] as number;
      if (known >= 0) {
        e = known;
        break;
      }
      passed.push(e);
    }
    const c = text[e] as string;
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') {
      if (depth === 0) break;
      depth--;
    } else if (stop.test(c)) break;
    e++;
  }
  for (const p of passed) right[p] = e;
  return { start: s, end: e, text: text.slice(s, e) };
}
/** wordAround's scan ends for the last text it read. */
let wordEnds: { text: string; left: Int32Array; right: Int32Array } | undefined;

/**
 * Where a variable a fix introduces comes from (DESIGN §2): `defined` when the file defines it,
 * includes dpkg's architecture.mk (or default.mk, buildtools.mk), or includes a tree-local make
 * file that defines it; `maybe` when an include that cannot be resolved might; else `missing`.
 * For `missing` and `maybe`, `edit` defines it: in debian/rules
 * `include /usr/share/dpkg/architecture.mk` after the header, in other make files
 * `VAR ?= $(shell dpkg-architecture -qVAR)`.
 */
export type VariableDefinition =
  | { state: 'defined' }
  | { state: 'missing'; edit: Edit }
  | { state: 'maybe'; edit: Edit; include: string };

export function variableDefinition(ctx: RuleContext, name: string): VariableDefinition {
  const make = ctx.make;
  if (!make || make.defines(name)) return { state: 'defined' };
  const included = includedDefinition(ctx.project, ctx.file.path, ctx.kind, make, ctx.file.text, name, ctx.architectures);
  if (included.state === 'defined') return { state: 'defined' };
  const at = make.headerEnd;
  const eol = ctx.file.eol;
  const text = ctx.file.text;
  const needsLeadingEol = at > 0 && at === text.length && !text.endsWith('\n');
  const nextLineBlank = /^[ \t]*(\r?\n|$)/.test(text.slice(at, at + 200));
  const line = isDebianRules(ctx)
    ? 'include /usr/share/dpkg/architecture.mk'
    : `${name} ?= $(shell dpkg-architecture -q${name})`;
  const trailing = isDebianRules(ctx) && !nextLineBlank ? eol + eol : eol;
  const edit: Edit = { range: [at, at], text: (needsLeadingEol ? eol : '') + line + trailing };
  return included.state === 'maybe' ? { state: 'maybe', edit, include: included.include } : { state: 'missing', edit };
}

/** The edit that defines a variable a fix introduces, or undefined when the file already has it. */
export function defineVariableEdit(ctx: RuleContext, name: string): Edit | undefined {
  const d = variableDefinition(ctx, name);
  return d.state === 'defined' ? undefined : d.edit;
}

/** Fixes whose definition of a variable may duplicate an include nobody could read: offered, not applied. */
const tentative = new WeakSet<Fix>();

/** A fix replacing [start,end) by a `$(VAR)` reference, defining VAR where needed. */
export function makeVariableFix(ctx: RuleContext, description: string, start: number, end: number, variable: string, replacement = `$(${variable})`): Fix {
  const edits: Edit[] = [replace(start, end, replacement)];
  const def = variableDefinition(ctx, variable);
  if (def.state === 'defined') return fix(description, edits);
  edits.push(def.edit);
  if (def.state === 'missing') return fix(description, edits);
  const f = fix(`${description} (defining ${variable}, which '${def.include}' may already define: check it)`, edits);
  tentative.add(f);
  return f;
}

/** Marks a fix as tentative: `fixOrSuggest` offers it as a suggestion. */
export function markTentative(f: Fix): Fix {
  tentative.add(f);
  return f;
}

/**
 * `{ fix }` when a fix is safe to apply, else `{ suggest: [fix] }`: a fix is unsafe when the
 * caller says so, or when it defines a variable that an include nobody could read may define.
 */
export function fixOrSuggest(f: Fix, safe = true): { fix: Fix } | { suggest: Fix[] } {
  return safe && !tentative.has(f) ? { fix: f } : { suggest: [f] };
}

/** The assignment whose value holds `offset`, if the line is an assignment. */
export function assignmentValueAt(line: MakeLine, offset: number): boolean {
  const a = line.assignment;
  return !!a && offset >= a.valueStart && offset < a.valueEnd;
}

/** Go/Kubernetes download tags equal Debian's arch names for these arches only. */
export function goTagsMatchDebian(architectures: readonly ArchName[]): boolean {
  return architectures.every((a) => archFacts(a).goArch === a);
}

export const knownArchNames = (): string[] => ARCHES.map((a) => a.name);

export interface TextLiteral extends ArchLiteral {
  /** 1-based line of the literal. */
  line: number;
  /** Offsets of that line (without its ending). */
  lineStart: number;
  lineEnd: number;
  comment: boolean;
}

/** A lookup telling whether an offset is inside one of the file's comments (binary search: big files stay fast). */
export function commentLookup(ctx: RuleContext): (offset: number) => boolean {
  const starts = ctx.comments.map((c) => c.offset);
  const ends = ctx.comments.map((c) => c.offset + c.text.length);
  return (o: number): boolean => {
    let lo = 0;
    let hi = starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as number) <= o) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at >= 0 && o < (ends[at] as number);
  };
}

/**
 * Arch literals of a file of any kind, from its text and comment tokens: what kinds without a
 * bespoke walker (shell, python, yaml, lists …) start from. Literals in comments are left out
 * unless `checkComments` is set.
 */
export function textArchLiterals(ctx: RuleContext): TextLiteral[] {
  const text = ctx.file.text;
  const inComment = commentLookup(ctx);
  const out: TextLiteral[] = [];
  for (const lit of scanArchLiterals(text)) {
    const comment = inComment(lit.start);
    if (comment && !ctx.checkComments) continue;
    const { line } = ctx.file.position(lit.start);
    out.push({ ...lit, line, lineStart: ctx.file.lineStart(line), lineEnd: ctx.file.lineEnd(line), comment });
  }
  return out;
}

/** The exemptions every kind shares: a test, a guarded literal, a line naming every arch. */
export function isExemptTextLiteral(ctx: RuleContext, lit: TextLiteral): boolean {
  if (ctx.guards.isTest(lit.start)) return true;
  if (isForcedRemoval(ctx.file.text, lit.start)) return true;
  if (ctx.guards.isGuardedFor(lit.start, lit.arches)) return true;
  return spanNamesEveryArch(ctx, lit.lineStart, lit.lineEnd);
}

export * from './control-kit.js';
export * from './script-kit.js';
export * from './list-kit.js';
export * from './boot-kit.js';
export * from './puppet-kit.js';
export * from './binary-kit.js';
export * from './lat-kit.js';
export * from './docker-kit.js';
export { archSpecMatches, archesMatching, dpkgVariableFor, unspelled, vocabularyAt, VOCABULARIES } from './arch.js';
export { fileIncludes, projectMemo } from './project-view.js';
export type { Vocabulary } from './arch.js';
