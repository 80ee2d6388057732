/**
 * The script part of the rule kit: shell, python and Dockerfile files (DESIGN §3). Arch
 * literals in their code (strings and words; not comments, docstrings or variable names), the
 * exemptions every script kind shares (a test, a guarded literal, a list or mapping naming every
 * configured arch, an arch-named file or folder), and the checks `hardcoded-arch`,
 * `arch-in-download-url` and `foreign-arch-dependency` run on these kinds. Fixes here are
 * suggestions: a script has no dpkg variable to lean on.
 */
import { ARCHES, archFacts, scanArchLiterals, spellings, type ArchLiteral, type ArchName, type ArchValueKind } from './arch.js';
import { scriptModelOf, type ScriptModel } from './kinds/scripts.js';
import { findShellArchGuards } from './shell-guards.js';
import { SH_DOLLAR, SH_DQ_OPEN, SH_LPAREN, SH_NEWLINE, SH_OP, SH_PARAM_CLOSE, SH_PARAM_OPEN, SH_PARAM_TEXT, SH_RPAREN, SH_WORD, SH_WS, type ShellTokens } from './lexers/shell.js';
import type { Token } from './lexers/token.js';
import { archesMatchingFragment } from './python-guards.js';
import type { Fix, Range, RuleContext } from './types.js';
import { precheckOf, vocabularyAdvice } from './boot-kit.js';
import { fileIncludes, projectMemo } from './project-view.js';
import { forcedRemoval, linesAround, perText } from './line-memo.js';

export type { ScriptModel } from './kinds/scripts.js';

/** True for the kinds this module reads. */
export function isScriptKind(ctx: RuleContext): boolean {
  return ctx.kind === 'shell' || ctx.kind === 'python' || ctx.kind === 'dockerfile';
}

/** The tokens and guard details of a shell, python or Dockerfile file. */
export function scriptModel(ctx: RuleContext): ScriptModel | undefined {
  return scriptModelOf(ctx.guards);
}

export interface ScriptLiteral extends ArchLiteral {
  token: Token;
  comment: boolean;
}

const CODE_TYPES: Record<ScriptModel['kind'], ReadonlySet<string>> = {
  shell: new Set(['word', 'sq', 'ansiSq', 'dqText', 'paramText', 'btText', 'heredoc']),
  python: new Set(['string']),
  dockerfile: new Set(['word', 'string', 'flag']),
};

const literalCache = new WeakMap<object, { checkComments: boolean; literals: ScriptLiteral[] }>();

/** Every arch literal in the code (and, with `checkComments`, the comments) of a script file. */
export function scriptArchLiterals(ctx: RuleContext): ScriptLiteral[] {
  const model = scriptModel(ctx);
  if (!model) return [];
  const cached = literalCache.get(model);
  if (cached && cached.checkComments === ctx.checkComments) return cached.literals;
  const text = ctx.file.text;
  const docstrings = new Set(model.python?.docstrings ?? []);
  const types = CODE_TYPES[model.kind];
  const out: ScriptLiteral[] = [];
  for (const lit of scanArchLiterals(text)) {
    const token = model.tokenAt ? model.tokenAt(lit.start) : tokenAt(model.tokens, lit.start);
    if (!token) continue;
    if (token.type !== 'comment' && (!types.has(token.type) || docstrings.has(token))) continue;
    // a message's text is prose, like a comment
    const comment = token.type === 'comment' || isMessageText(ctx, lit.start);
    if (comment && !ctx.checkComments) continue;
    out.push({ ...lit, token, comment });
  }
  literalCache.set(model, { checkComments: ctx.checkComments, literals: out });
  return out;
}

/** The index of the token holding `offset` (as `tokens.indexOf(tokenAt(tokens, offset))`), or -1. */
function tokenIndexAt(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid] as Token;
    if (offset < t.offset) hi = mid - 1;
    else if (offset >= t.offset + t.text.length) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** The token holding `offset` (binary search: tokens are in order and cover the text). */
export function tokenAt(tokens: readonly Token[], offset: number): Token | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid] as Token;
    if (offset < t.offset) hi = mid - 1;
    else if (offset >= t.offset + t.text.length) lo = mid + 1;
    else return t;
  }
  return undefined;
}

const ARCH_FOLDERS: Record<string, ArchName[]> = {
  x86: ['amd64', 'i386'], x86_64: ['amd64'], amd64: ['amd64'], i386: ['i386'],
  arm: ['arm64', 'armhf', 'armel'], arm64: ['arm64'], aarch64: ['arm64'],
};

/** The arches a script is for when its name (`setup_arm64.sh`) or a folder (`x86/`) says so. */
export function scriptPathArches(path: string): ArchName[] | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[A-Za-z]+$/, '');
  const named = scanArchLiterals(name).filter((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu');
  if (named.length) return [...new Set(named.flatMap((l) => l.arches))];
  const folders = path.split('/').slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const a = ARCH_FOLDERS[folders[i] as string];
    if (a) return a;
  }
  return undefined;
}

/** The configured arches that reach `offset`: its guards and the file's own arch (by name or folder). */
export function scriptReach(ctx: RuleContext, offset: number): ArchName[] {
  const own = scriptPathArches(ctx.file.path);
  return ctx.guards.reachAt(offset).configured.filter((a) => !own || own.includes(a));
}

const namesEvery = (text: string, architectures: readonly ArchName[]): boolean => {
  const named = new Set(scanArchLiterals(text).flatMap((l) => l.arches));
  return architectures.every((a) => named.has(a));
};
/** namesEvery of the file's [start, end), once per span: asked for each literal of a long line, it read the line each time. */
const spanNamesEvery = (text: string, start: number, end: number, architectures: readonly ArchName[]): boolean =>
  perText(text, 'names-every', `${start}:${end}:${architectures.join()}`, () => namesEvery(text.slice(start, end), architectures));

/** The innermost python bracket group around `offset`. */
function groupAround(model: ScriptModel, offset: number): Range | undefined {
  let best: Range | undefined;
  for (const g of model.python?.groups ?? []) {
    if (offset > g.start && offset < g.end && (!best || g.start > best[0])) best = [g.start, g.end];
  }
  return best;
}

/** The `NAME=( … )` array assignment around `offset` in a shell file. */
function shellArrayAround(model: ScriptModel, offset: number): Range | undefined {
  // a shell file's tokens are read from its scan, without their objects
  return model.shellTokens ? shellScanArrayAround(model.shellTokens, offset) : tokenArrayAround(model.tokens, offset);
}

/** `shellArrayAround` over token objects. */
export function tokenArrayAround(toks: readonly Token[], offset: number): Range | undefined {
  const i = tokenIndexAt(toks, offset);
  for (let j = i - 1, depth = 0; j >= 0 && j > i - 400; j--) {
    const t = toks[j] as Token;
    if (t.type === 'rparen') depth++;
    else if (t.type === 'lparen') {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (toks[j - 1]?.type !== 'word' || !/^\w+\+?=$/.test((toks[j - 1] as Token).text)) return undefined;
      for (let k = i + 1, d = 0; k < toks.length && k < i + 400; k++) {
        const u = toks[k] as Token;
        if (u.type === 'lparen') d++;
        else if (u.type === 'rparen' && d-- === 0) return [t.offset, u.offset + 1];
      }
      return undefined;
    }
  }
  return undefined;
}

/** `tokenArrayAround` over the tokens of a scan. */
export function shellScanArrayAround(st: ShellTokens, offset: number): Range | undefined {
  const i = st.indexAt(offset);
  for (let j = i - 1, depth = 0; j >= 0 && j > i - 400; j--) {
    const t = st.type(j);
    if (t === SH_RPAREN) depth++;
    else if (t === SH_LPAREN) {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (j < 1 || st.type(j - 1) !== SH_WORD || !/^\w+\+?=$/.test(st.textOf(j - 1))) return undefined;
      for (let k = i + 1, d = 0; k < st.count && k < i + 400; k++) {
        const u = st.type(k);
        if (u === SH_LPAREN) d++;
        else if (u === SH_RPAREN && d-- === 0) return [st.start(j), st.start(k) + 1];
      }
      return undefined;
    }
  }
  return undefined;
}

/** Splits a group's inside at depth-0 commas; returns the item around `offset`. */
function itemAround(text: string, group: Range, offset: number): string {
  let depth = 0;
  let start = group[0] + 1;
  for (let i = group[0] + 1; i < group[1] - 1; i++) {
    const c = text[i] as string;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      if (offset < i) return text.slice(start, i);
      start = i + 1;
    }
  }
  return text.slice(start, group[1] - 1);
}

/**
 * Why a script literal is not a finding, or undefined when it is one: a test, guarded, named
 * by the file's own arch, in a variable name (`ARCH_amd64=`), or part of a list, table or
 * translation naming every configured arch (`{'amd64': 'x86_64', 'arm64': 'aarch64'}`,
 * `for a in amd64 arm64`), or one entry of a mapping whose key and value name the same arch.
 */
/**
 * True when the offset is in a forced removal of a path that is one arch's by another part of
 * it too (`rm -rf /lib/modules/*-amd64/kernel/arch/x86/kvm`): removing x86's kvm tree is a no-op
 * where there is none, and naming it per arch would remove nothing on arm64 either. A removal
 * whose only arch part is the literal (`…/*-amd64/kernel/fs/gfs2`) still counts: on arm64 it
 * would silently keep what it trims.
 */
export function isForcedRemoval(text: string, offset: number): boolean {
  // the line's commands, flags and words are read once per line (line-memo.ts)
  return forcedRemoval(text, offset);
}

export function isExemptScriptLiteral(ctx: RuleContext, lit: ScriptLiteral): boolean {
  if (ctx.guards.isTest(lit.start)) return true;
  if (isForcedRemoval(ctx.file.text, lit.start)) return true;
  // another kernel's Debian arch (`hurd-i386`, `kfreebsd-amd64`) is not this one
  if (/(?:hurd|kfreebsd|knetbsd|kopensolaris|netbsd|openbsd|darwin|solaris)-$/.test(ctx.file.text.slice(Math.max(0, lit.start - 14), lit.start))) return true;
  const reach = scriptReach(ctx, lit.start);
  if (reach.every((a) => lit.arches.includes(a))) return true;
  // an RPM artifact belongs to the retired CentOS build, never a Debian one
  if (downloadWordIs(ctx.file.text, lit, 'rpm', isRpmArtifact)) return true;
  if (ctx.guards.isGuardedFor(lit.start, lit.arches)) return true;
  const text = ctx.file.text;
  const model = scriptModel(ctx) as ScriptModel;
  if (model.kind !== 'python') {
    // a variable name: ARCH_amd64=…, ${URL_amd64}
    const tok = lit.token;
    const local = lit.start - tok.offset;
    // what these read of the token, once per token (a long token holds many literals)
    const facts = perText(text, 'script-token', `${tok.offset}:${tok.type}:${tok.text.length}`, () => tokenFacts(tok));
    if (tok.type === 'word' && facts.eq > local && facts.wordName) return true;
    // `/^\w+$/.test(tok.text.slice(0, local + lit.text.length).replace(/^[#!]/, ''))`
    const upTo = local + lit.text.length;
    if (tok.type === 'paramText' && upTo > facts.lead && upTo <= facts.wordEnd) return true;
    // one entry of a mapping: `[x86_64]=amd64` in an associative array, `x86_64:amd64`
    if (tok.type === 'word' && facts.pair) return true;
    // a list over several lines: ARCHES=( amd64 arm64 ), declare -A MAP=( … )
    const arr = shellArrayAround(model, lit.start);
    if (arr && spanNamesEvery(text, arr[0], arr[1], ctx.architectures)) return true;
  }
  const [s, e] = model.kind === 'python' ? lineOf(text, lit.start) : statementOf(text, lit.start);
  if (spanNamesEvery(text, s, e, ctx.architectures)) return true;
  if (model.kind === 'python') {
    const g = groupAround(model, lit.start);
    if (g) {
      if (spanNamesEvery(text, g[0], g[1], ctx.architectures)) return true;
      // one entry of a mapping: 'x86_64': 'amd64'
      const item = itemAround(text, g, lit.start);
      const colon = item.indexOf(':');
      if (colon > 0) {
        const k = scanArchLiterals(item.slice(0, colon)).flatMap((l) => l.arches);
        const v = scanArchLiterals(item.slice(colon + 1)).flatMap((l) => l.arches);
        if (k.some((a) => v.includes(a))) return true;
      }
    }
  }
  return false;
}

/** isExemptScriptLiteral's reading of a token: its first `=`, its leading word, a mapping entry naming one arch on both sides. */
function tokenFacts(tok: Token): { eq: number; wordName: boolean; lead: number; wordEnd: number; pair: boolean } {
  const t = tok.text;
  const eq = t.indexOf('=');
  const lead = /^[#!]/.test(t) ? 1 : 0;
  const after = /\W/.exec(t.slice(lead));
  const pair = /^\[?([\w.-]+)\]?[=:]([\w.-]+)$/.exec(t);
  let same = false;
  if (pair) {
    const k = scanArchLiterals(pair[1] as string).flatMap((l) => l.arches);
    const v = scanArchLiterals(pair[2] as string).flatMap((l) => l.arches);
    same = k.some((a) => v.includes(a));
  }
  return { eq, wordName: eq >= 0 && /^\w+$/.test(t.slice(0, eq)), lead, wordEnd: after ? lead + after.index : t.length, pair: same };
}

function lineOf(text: string, offset: number): [number, number] {
  return linesAround(text, offset);
}

/** The physical line, extended over backslash continuations. */
function statementOf(text: string, offset: number): [number, number] {
  let [s, e] = lineOf(text, offset);
  while (s > 1 && text[s - 2] === '\\') s = lineOf(text, s - 2)[0];
  while (e < text.length && text[e - 1] === '\\') e = lineOf(text, e + 1)[1];
  return [s, e];
}

const wrongOnText = (arches: readonly string[]): string => (arches.length ? ` is wrong on ${arches.join(', ')}` : '');

/** What a script should use instead of the literal, per kind (DESIGN §2 table, for scripts). */
function scriptHint(kind: ScriptModel['kind'], lit: ArchLiteral): { hint: string; replacement?: string } {
  const shellish = kind !== 'python';
  const arg = kind === 'dockerfile' ? 'ARG TARGETARCH' : '';
  switch (lit.meaning) {
    case 'arch':
      if (kind === 'dockerfile') return { hint: `use \${TARGETARCH} (declare ${arg})`, replacement: '${TARGETARCH}' };
      return shellish
        ? { hint: 'use "$(dpkg --print-architecture)" (or DEB_HOST_ARCH when run by dpkg-buildpackage)', replacement: '$(dpkg --print-architecture)' }
        : { hint: "use the running arch (subprocess.check_output(['dpkg', '--print-architecture'])) or a per-arch mapping" };
    case 'gnuCpu':
      // a Dockerfile's COPY/ENV lines have no shell: an ARG set per TARGETARCH is the portable spelling there
      if (kind === 'dockerfile') return { hint: 'use "$(uname -m)" in RUN lines; elsewhere an ARG set per TARGETARCH (x86_64 on amd64, aarch64 on arm64)', replacement: '$(uname -m)' };
      return shellish
        ? { hint: 'use "$(uname -m)" (or DEB_HOST_GNU_CPU when run by dpkg-buildpackage)', replacement: '$(uname -m)' }
        : { hint: 'use platform.machine() or a per-arch mapping' };
    case 'triplet':
      if (kind === 'dockerfile') return { hint: 'use "$(dpkg-architecture -qDEB_HOST_MULTIARCH)" in RUN lines; elsewhere an ARG set per TARGETARCH', replacement: '$(dpkg-architecture -qDEB_HOST_MULTIARCH)' };
      return shellish
        ? { hint: 'use "$(dpkg-architecture -qDEB_HOST_MULTIARCH)" for paths, -qDEB_HOST_GNU_TYPE for tools', replacement: '$(dpkg-architecture -qDEB_HOST_MULTIARCH)' }
        // dpkg-architecture comes with dpkg-dev, which a running system lacks; Debian's python knows its triplet
        : { hint: "use sysconfig.get_config_var('MULTIARCH') for paths (Debian's python knows the triplet; dpkg-architecture needs dpkg-dev), or a per-arch mapping" };
    case 'loader':
      return { hint: 'the dynamic loader is ld-linux-aarch64.so.1 on arm64; do not name it, or pick it per arch' };
    case 'psabi':
      return { hint: 'x86-64 is an x86 ABI name; guard it with an arch test' };
    case 'lib64':
      return { hint: 'lib64 is the x86-64 multilib layout; Debian installs to /usr/lib/<multiarch>' };
  }
}

/** A suggestion replacing the literal, when the kind has a spelling for the running arch. */
/** True when nothing expands where the literal stands: single quotes, a quoted heredoc. */
function inLiteralQuotes(ctx: RuleContext, lit: ScriptLiteral): boolean {
  return lit.token.type === 'sq' || lit.token.type === 'ansiSq' ||
    (lit.token.type === 'heredoc' && /<<-?\s*['"\\]/.test(ctx.file.text.slice(Math.max(0, lit.token.offset - 200), lit.token.offset))) ||
    (ctx.kind === 'dockerfile' && lit.token.type === 'string' && lit.token.text.startsWith("'"));
}

function replacementSuggestion(ctx: RuleContext, lit: ScriptLiteral, replacement: string | undefined): Fix[] | undefined {
  if (!replacement) return undefined;
  // inside single quotes nothing expands: no textual replacement is right there
  if (inLiteralQuotes(ctx, lit)) return undefined;
  if (ctx.kind === 'dockerfile') {
    // ${TARGETARCH} expands in most instructions, a command substitution only in RUN
    const instr = instructionText(ctx, lit.start);
    const ok = replacement.startsWith('$(') ? /^\s*RUN\b/i : /^\s*(?:RUN|ENV|ADD|COPY|WORKDIR|LABEL|FROM)\b/i;
    if (!ok.test(instr)) return undefined;
  }
  return [{ description: `replace '${lit.text}' with ${replacement}`, edits: [{ range: [lit.start, lit.end], text: replacement }] }];
}

function instructionText(ctx: RuleContext, offset: number): string {
  const m = scriptModel(ctx);
  const i = m?.instructions?.find((x) => offset >= x.start && offset <= x.end);
  return i ? ctx.file.text.slice(i.start, i.end) : '';
}

/**
 * Unit tests of scripts (`tests/`, `test_*.py`, `*_test.py`, `*-test.sh`): their arch literals
 * are mock data (an `lscpu` output, a sample image name), not what a build runs.
 */
export function isScriptTest(path: string): boolean {
  return /(^|\/)tests?\//.test(path) || /(^|\/)(?:test_[^/]*\.py|[^/]*[_-]test\.(?:py|sh)|conftest\.py)$/.test(path);
}

const isoToolCache = new WeakMap<object, boolean>();
const ISO_UNPACKS = /\b(?:u?mount\w*|osirrox|isoinfo|bsdtar|7z)\b/;
const ISO_MENUS = /isolinux|EFI\/BOOT|grub\.cfg|efiboot/i;

/**
 * True when the code of a script (its tokens, which cover `text`, without the comments) repacks,
 * unpacks and writes boot menus of an ISO. Exported for the test against the join of the tokens.
 */
export function isIsoToolSource(tokens: readonly Token[], text: string): boolean {
  // the words are looked for in the text only when the tokens cover it exactly (the lexers'
  // round trip): otherwise the code is what the tokens join to
  const last = tokens[tokens.length - 1];
  const covers = last !== undefined && tokens[0]?.offset === 0 && last.offset + last.text.length === text.length;
  if (covers && !(ISO_UNPACKS.test(text) && ISO_MENUS.test(text))) return false;
  return isoToolCode(codeWithoutComments(tokens, text));
}

/** True when code (comments removed) repacks, unpacks and writes boot menus of an ISO. */
function isoToolCode(code: string): boolean {
  const repacks = /\b(?:xorriso|xorrisofs|mkisofs|genisoimage)\b/.test(code) || /(?:^|\s)(?:source|\.)\s+\S*iso[\w-]*utils?\S*\.sh/m.test(code);
  return repacks && ISO_UNPACKS.test(code) && ISO_MENUS.test(code);
}

/** The text without its comment tokens: the slices between them joined (not one string per token). */
function codeWithoutComments(tokens: readonly Token[], text: string): string {
  const last = tokens[tokens.length - 1];
  if (!last || tokens[0]?.offset !== 0 || last.offset + last.text.length !== text.length) {
    return tokens.filter((t) => t.type !== 'comment').map((t) => t.text).join('');
  }
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.type !== 'comment') continue;
    parts.push(text.slice(pos, t.offset));
    pos = t.offset + t.text.length;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/**
 * True for an ISO remastering tool: a shell or python script that unpacks or mounts an ISO,
 * edits its boot menus and repacks it (xorriso, mkisofs, genisoimage). Such a tool may run on
 * an amd64 host to remaster an arm64 ISO, so its guards must test the ISO's own layout
 * (`isolinux/isolinux.bin`, `EFI/BOOT/BOOTAA64.EFI`), not the host's arch.
 */
export function isIsoRemasterTool(ctx: RuleContext): boolean {
  const model = scriptModel(ctx);
  if (!model || model.kind === 'dockerfile') return false;
  const cached = isoToolCache.get(model);
  if (cached !== undefined) return cached;
  // a comment is `#` to the line's end: its removal joins text to a line break, which no
  // unpack or menu word spans, so either one missing from the text is missing from the code
  // (then the code is not built: most files, whose tokens are not read: python makes them when read)
  const is = ISO_UNPACKS.test(ctx.file.text) && ISO_MENUS.test(ctx.file.text) && isIsoToolSource(model.tokens, ctx.file.text);
  isoToolCache.set(model, is);
  return is;
}

/** The guard advice for an ISO remastering tool (empty for other files), for the boot rules' messages. */
export function isoLayoutAdvice(ctx: RuleContext): string {
  return isIsoRemasterTool(ctx)
    ? `this script remasters an ISO and may run on a host of another arch: guard on the ISO's own layout (${isoLayoutTest(ctx)} for x86 BIOS media, EFI/BOOT/BOOTAA64.EFI for arm64), not the host's arch`
    : '';
}

/** How a test of the ISO's layout is written in the file's language. */
export function isoLayoutTest(ctx: RuleContext): string {
  return ctx.kind === 'python' ? "os.path.exists(os.path.join(iso_dir, 'isolinux', 'isolinux.bin'))" : '[ -f "$ISO/isolinux/isolinux.bin" ]';
}

/**
 * The configured arches missing from a list the literal is a whole element of (`SUPPORTED_ARCHES=('amd64' 'all')`,
 * python `architectures=['amd64', 'source']`): such a list needs the others added, not the running arch.
 */
function arrayElementMissing(ctx: RuleContext, lit: ScriptLiteral): ArchName[] | undefined {
  if (lit.meaning !== 'arch') return undefined;
  const model = scriptModel(ctx) as ScriptModel;
  const text = ctx.file.text;
  let list: string | undefined;
  if (model.kind === 'shell') {
    const arr = shellArrayAround(model, lit.start);
    const tok = lit.token;
    const whole = tok.text.replace(/^(['"])(.*)\1$/, '$2') === lit.text || (tok.type === 'dqText' && tok.text === lit.text);
    if (arr && whole) list = text.slice(arr[0], arr[1]);
  } else if (model.kind === 'python') {
    const g = groupAround(model, lit.start);
    // a list or set display, not a call or a subscript (`MAP['amd64']`)
    if (g && text[g[0]] !== '(' && !/[\w)\]]\s*$/.test(text.slice(Math.max(0, g[0] - 20), g[0])) && itemAround(text, g, lit.start).trim().replace(/^(['"])(.*)\1$/, '$2') === lit.text) list = text.slice(g[0], g[1]);
  }
  if (list === undefined) return undefined;
  const named = new Set(scanArchLiterals(list).flatMap((l) => l.arches));
  const missing = ctx.architectures.filter((a) => !named.has(a));
  return missing.length ? missing : undefined;
}

/** `hardcoded-arch` in shell, python and Dockerfiles: suggest only; info in python (DESIGN §4). */
export function checkScriptHardcodedArch(ctx: RuleContext): void {
  const model = scriptModel(ctx);
  if (!model || isScriptTest(ctx.file.path)) return;
  const text = ctx.file.text;
  for (const lit of scriptArchLiterals(ctx)) {
    if (isExemptScriptLiteral(ctx, lit)) continue;
    // foreign-arch-dependency's: dpkg --add-architecture i386
    if (/--(?:add|remove)-architecture(?:=|\s+)["']?$/.test(text.slice(Math.max(0, lit.start - 40), lit.start))) continue;
    // the name of a Kubernetes object the tree defines (`kube-multus-ds-amd64`): an identifier; its yaml's arch selector is what changes
    if (isOwnKubeObjectName(ctx, lit)) continue;
    const wrongOn = scriptReach(ctx, lit.start).filter((a) => !lit.arches.includes(a));
    // a Debian arch name there names the ISO's content (its kernel, packages); an x86_64 is mostly the host's (an SDK sysroot)
    const iso = isIsoRemasterTool(ctx) && lit.meaning === 'arch';
    const listed = arrayElementMissing(ctx, lit);
    // A GRUB platform, Go arch, kernel ARCH, Rust or QEMU target: its own per-arch spelling (boot kit).
    const vocab = listed ? undefined : vocabularyAdvice(ctx, lit.start, lit.end);
    // the host's arch is the wrong answer in a tool that may remaster another arch's ISO
    const { hint, replacement }: { hint: string; replacement?: string } = listed
      ? { hint: `a list of arches without ${listed.join(', ')}: add ${listed.join(', ')}` }
      : vocab
        ? { hint: vocab.hint }
        : lit.meaning === 'gnuCpu' && /^-(?:efi|pc|emu|xen)/.test(text.slice(lit.end, lit.end + 5))
          ? { hint: `a GRUB platform (x86_64-efi on amd64, arm64-efi on arm64; uname -m says aarch64, which GRUB does not know): pick it per arch` }
          : iso
            ? { hint: "derive it from the ISO being remastered (the kernel it holds, EFI/BOOT/BOOTAA64.EFI present for arm64), not the host: this script may remaster an arm64 ISO on an amd64 host" }
            : scriptHint(model.kind, lit);
    const what = lit.meaning === 'lib64' ? 'x86-64 library path' : lit.meaning === 'loader' ? 'dynamic loader path' : 'architecture';
    // a variable or command substitution in advice does not expand where nothing does
    const quoted = replacement && inLiteralQuotes(ctx, lit) ? ' (it stands in single quotes, where nothing expands: quote that part with double quotes first)' : '';
    ctx.report({
      at: [lit.start, lit.end],
      message: `hardcoded ${what} '${lit.text}'${wrongOnText(wrongOn)}: ${hint}${quoted}`,
      ...(lit.comment ? {} : { suggest: vocab ? vocab.suggest : replacementSuggestion(ctx, lit, replacement) }),
      ...(model.kind === 'python' ? { severity: 'info' as const } : {}),
    });
  }
}

/**
 * An RPM artifact: `foo-1.0-1.tis.x86_64.rpm`, an `.rpm` URL, a path into `rpmbuild/RPMS/x86_64`.
 * RPMs are what StarlingX's retired CentOS build made; no Debian build fetches or installs one.
 */
export function isRpmArtifact(word: string): boolean {
  return /\.rpm(?![\w.-])|(?:^|\/)(?:rpmbuild|S?RPMS)(?:\/|$)/.test(word);
}

/** A word that is fetched or unpacked: a URL, or a file name with an archive or package suffix. */
const DOWNLOAD = /:\/\/|\.(?:tar\.(?:gz|xz|bz2|zst)|tgz|tbz2?|txz|zip|deb|rpm|apk|AppImage|run|bin|iso|img|qcow2|raw)\b/;

/** The URL or file name around a literal, within its token. */
export function downloadWord(text: string, lit: { start: number; end: number }): string {
  const [s, e] = downloadSpan(text, lit);
  // an assignment's name is not part of the file name: PKG=foo_amd64.deb
  return perText(text, 'download-word', `${s}:${e}`, () => text.slice(s, e).replace(/^[A-Za-z_]\w*=(?=.)/, ''));
}

/** `test(downloadWord(text, lit))`, once per word: a long word holds many literals. */
function downloadWordIs(text: string, lit: { start: number; end: number }, name: string, test: (word: string) => boolean): boolean {
  const [s, e] = downloadSpan(text, lit);
  return perText(text, `download-word ${name}`, `${s}:${e}`, () => test(downloadWord(text, lit)));
}

/**
 * Where downloadWord's scans end. Within the line: blanks and quotes end the word, `${VERSION}`
 * / `$(cmd)` inside it do not. Each scan's end is kept for every position it passed outside
 * brackets (a scan from there ends at the same place): asked for every literal of a long word,
 * each scan would read the word again.
 */
function downloadSpan(text: string, lit: { start: number; end: number }): [number, number] {
  const ends = perText(text, 'download-span', '', () => ({ left: new Int32Array(text.length + 1).fill(-1), right: new Int32Array(text.length + 1).fill(-1) }));
  const stop = /[\s"'`;,<>|&]/;
  const passed: number[] = [];
  let s = lit.start;
  for (let depth = 0; s > 0; s--) {
    if (depth === 0) {
      const known = ends.left[s] as number;
      if (known >= 0) {
        s = known;
        break;
      }
      passed.push(s);
    }
    const c = text[s - 1] as string;
    if (c === '}' || c === ')') depth++;
    else if ((c === '{' || c === '(') && depth > 0) depth--;
    else if (c === '{' || c === '(' || c === '[' || c === ']' || (depth === 0 && stop.test(c))) break;
  }
  for (const p of passed) ends.left[p] = s;
  passed.length = 0;
  let e = lit.end;
  for (let depth = 0; e < text.length; e++) {
    if (depth === 0) {
      const known = ends.right[e] as number;
      if (known >= 0) {
        e = known;
        break;
      }
      passed.push(e);
    }
    const c = text[e] as string;
    if (c === '{' || c === '(') depth++;
    else if ((c === '}' || c === ')') && depth > 0) depth--;
    else if (c === '}' || c === ')' || c === '[' || c === ']' || (depth === 0 && stop.test(c))) break;
  }
  for (const p of passed) ends.right[p] = e;
  return [s, e];
}

/** `arch-in-download-url` in shell and python: a URL or archive name naming one arch; suggest. */
export function checkScriptDownloadUrls(ctx: RuleContext): void {
  const model = scriptModel(ctx);
  if (!model || isScriptTest(ctx.file.path)) return;
  const text = ctx.file.text;
  for (const lit of scriptArchLiterals(ctx)) {
    if (lit.comment || (lit.meaning !== 'arch' && lit.meaning !== 'gnuCpu')) continue;
    const word = downloadWord(text, lit);
    if (!downloadWordIs(text, lit, 'download', (w) => DOWNLOAD.test(w)) || isExemptScriptLiteral(ctx, lit)) continue;
    const wrongOn = scriptReach(ctx, lit.start).filter((a) => !lit.arches.includes(a));
    const { replacement } = scriptHint(model.kind, lit);
    const how = model.kind === 'python'
      ? `build the name from the running arch (${lit.meaning === 'arch' ? "dpkg --print-architecture" : 'platform.machine()'}) or an arch-keyed mapping, with a checksum per arch`
      : `build it from ${replacement ?? 'the running arch'} (check the upstream's name for each arch)`;
    ctx.report({
      at: [lit.start, lit.end],
      message: `'${word}' names the ${lit.text} build${wrongOn.length ? ` on ${wrongOn.join(', ')}` : ''}: ${how}`,
      suggest: downloadSuggestion(ctx, lit),
    });
  }
}

/**
 * The suggestion for one arch literal of a download word: every arch literal of the word
 * replaced at once (`grub-efi-amd64_${V}_amd64.deb` names arm64's package only when both change:
 * grub-efi-arm64_${V}_arm64.deb), or none when one of them has no replacement there (a Node
 * `x64`, a literal in single quotes): a name changed in one place only names no file.
 */
function downloadSuggestion(ctx: RuleContext, lit: ScriptLiteral): Fix[] | undefined {
  const text = ctx.file.text;
  const [s, e] = downloadSpan(text, lit);
  // the word downloadWord reads: an assignment's name (PKG_amd64=) is not part of it
  const start = e - downloadWord(text, lit).length;
  const model = scriptModel(ctx) as ScriptModel;
  // one fix object per finding: findings sharing a fix object are merged into one (lint.ts)
  const made = perText(text, `download-suggestion ${ctx.kind}`, `${s}:${e}`, (): Fix | undefined => {
    const all = scanArchLiterals(text.slice(start, e), start, text);
    const fixes: Fix[] = [];
    for (const l of all) {
      const token = model.tokens[tokenIndexAt(model.tokens, l.start)];
      const replacement = l.meaning === 'arch' || l.meaning === 'gnuCpu' ? scriptHint(model.kind, l).replacement : undefined;
      const f = token ? replacementSuggestion(ctx, { ...l, token, comment: false }, replacement)?.[0] : undefined;
      if (!f) return undefined;
      fixes.push(f);
    }
    if (fixes.length <= 1) return fixes[0];
    const parts = [...new Set(all.map((l, i) => `'${l.text}' with ${(fixes[i] as Fix).edits[0]?.text ?? ''}`))];
    const how = parts.length === 1 ? `replace ${parts[0]} (${all.length === 2 ? 'both' : `all ${all.length}`} in this name)` : `replace ${parts.join(' and ')} (every arch in this name)`;
    return { description: how, edits: fixes.flatMap((f) => f.edits) };
  });
  return made && [{ description: made.description, edits: made.edits.map((x) => ({ range: [x.range[0], x.range[1]], text: x.text })) }];
}

/** `dpkg --add-architecture i386` (and other foreign arches) in shell: an x86-64-only setup step. */
export function checkScriptForeignArch(ctx: RuleContext): void {
  const model = scriptModel(ctx);
  if (!model || model.kind === 'python') return;
  const text = ctx.file.text;
  const hits: { start: number; end: number; foreign: string; what: string; commandStart: boolean }[] = [];
  for (const m of text.matchAll(/\bdpkg\s+--add-architecture(?:=|\s+)["']?([a-z0-9]+)["']?/g)) {
    const before = text.slice(text.lastIndexOf('\n', m.index - 1) + 1, m.index);
    hits.push({ start: m.index, end: m.index + m[0].length, foreign: m[1] as string, what: `the ${m[1]} foreign arch`, commandStart: /(?:^|[;&|]|\bthen|\bdo|\belse)\s*$/.test(before) });
  }
  // apt-get install foo:i386
  for (const m of text.matchAll(/\b(?:apt-get|apt|aptitude)\b[^\n;&|]*?\binstall\b[^\n;&|]*/g)) {
    for (const q of m[0].matchAll(/(?<=\s)([a-z0-9][a-z0-9+.-]+):([a-z0-9]+)\b/g)) {
      const at = m.index + q.index;
      hits.push({ start: at, end: at + q[0].length, foreign: q[2] as string, what: `'${q[0]}' asks for the ${q[2]} package, which`, commandStart: false });
    }
  }
  // read only when a hit is found (most files have none): a shell file's tokens are made when read
  const skip = hits.length ? model.tokens.filter((t) => t.type === 'comment' || t.type === 'heredoc') : [];
  for (const h of hits) {
    if (skip.some((c) => h.start >= c.offset && h.start < c.offset + c.text.length) || ctx.guards.isTest(h.start)) continue;
    // a configured arch added as foreign is a cross-build setup (amd64 building for arm64): right
    if (ctx.architectures.includes(h.foreign as ArchName) || !ARCHES.some((a) => a.name === h.foreign)) continue;
    const usable = (a: ArchName): boolean => a === h.foreign || (RUNS_ON[a] ?? []).includes(h.foreign);
    const reach = scriptReach(ctx, h.start);
    const wrongOn = reach.filter((a) => !usable(a));
    if (wrongOn.length === 0) continue;
    const okOn = reach.filter(usable);
    const guard = `[ "$(dpkg --print-architecture)" = ${okOn[0] ?? ''} ] && `;
    // only arches that cannot use it reach the line (a test already keeps the others out): a
    // guard for another arch would make it dead code, so the advice is to drop it
    ctx.report({
      at: [h.start, h.end],
      message: `${h.what} cannot be used on ${wrongOn.join(', ')} (${wrongOn.join('/')} hosts cannot run ${h.foreign} packages): ` +
        (okOn.length ? `guard it with an arch test (${okOn.join(', ')} only), or drop the 32-bit part` : `only ${wrongOn.join(', ')} reach${wrongOn.length === 1 ? 'es' : ''} this line: drop the 32-bit part`),
      ...(h.commandStart && okOn.length ? { suggest: [{ description: `run it only on ${okOn[0]}`, edits: [{ range: [h.start, h.start] as Range, text: guard }] }] } : {}),
    });
  }
}

/** Foreign arches a host can install packages of (multiarch co-installable and runnable). */
const RUNS_ON: Partial<Record<ArchName, string[]>> = { amd64: ['i386', 'x32'], arm64: ['armhf', 'armel'] };

/** Every spelling an arch goes by, for ambiguous-arch-match. */
export function archesMatchingGlob(pattern: string): Set<ArchName> {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return new Set(ARCHES.filter((a) => [a.name, a.cpu, a.gnuCpu, a.goArch, ...a.aliases].some((s) => re.test(s))).map((a) => a.name));
}

export { archesMatchingFragment };

// ---------------------------------------------------------------------------------------------
// container-image-arch

/** What pins a container image to one arch. */
export type ImageArchKind = 'platform' | 'namespace' | 'suffix' | 'selector';

export interface ImageArchRef {
  kind: ImageArchKind;
  /** The reported range: the flag, the image reference or the selector. */
  start: number;
  end: number;
  text: string;
  /** The arch literal inside it. */
  literal: ArchLiteral;
}

/** An image reference: `[registry[:port]/]path[:tag|@digest]`, with a `/` or a `:tag`. */
const IMAGE_REF = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._-]+(?:\/[a-z0-9._-]+)*(?::[\w.${}-]+)?(?:@sha256:[0-9a-f]+)?$/;
/** A shell statement naming an image's arch: a node selector, a platform, an arch folder of a registry path. */
export const IMAGE_STATEMENT = /kubernetes\.io\/arch|--platform|(?:^|[^\w-])(?:amd64|arm64|x86_64|aarch64)\//;
/** A container or cluster tool run as a command (`docker pull`, `sudo kubectl apply`). */
export const CONTAINER_TOOL = /(?:^|[\s;&|(`])(?:sudo\s+)?(?:docker|podman|buildah|nerdctl|crictl|ctr|skopeo|kubectl|helm)\s/;

/**
 * Arch pins of container images in [start, end) of the file: `--platform[=| ]linux/amd64`,
 * an `amd64/` namespace (`amd64/debian`), a `-amd64` suffix on the image name or tag
 * (`pause-amd64:3.2`, `coredns:1.8-amd64`), and `kubernetes.io/arch: amd64` (or `=amd64`)
 * selectors. `imageContext` says whether bare words in the span are image references
 * (a Dockerfile FROM, a docker/podman command line); flags and selectors count anywhere.
 */
export function imageArchRefs(text: string, start: number, end: number, imageContext: boolean): ImageArchRef[] {
  const out: ImageArchRef[] = [];
  const span = text.slice(start, end);
  for (const m of span.matchAll(/--platform(?:=|[ \t]+)["']?(linux\/[\w/${}.-]+(?:,[\w/${}.-]+)*)["']?/g)) {
    const at = start + m.index;
    // a multi-platform build (`linux/amd64,linux/arm64`) naming every configured arch is right
    if (m[1]?.includes(',')) continue;
    const lits = scanArchLiterals(m[0], at);
    const lit = lits.find((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu');
    if (lit) out.push({ kind: 'platform', start: at, end: at + m[0].length, text: m[0], literal: lit });
  }
  for (const m of span.matchAll(/(?:beta\.)?kubernetes\.io\/arch["']?\s*(?:(?::|=|==|!=)\s*|(?<=\s)in\s+(?:\(\s*)?)["']?([\w-]+)["']?/g)) {
    const at = start + m.index;
    const lit = scanArchLiterals(m[0], at).find((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu');
    if (lit) out.push({ kind: 'selector', start: at, end: at + m[0].length, text: m[0], literal: lit });
  }
  if (!imageContext) return out;
  for (const m of span.matchAll(/[^\s"'=]+/g)) {
    const word = m[0];
    if (word.startsWith('-') || !IMAGE_REF.test(word) || !/[/:]/.test(word) || /:\/\//.test(word)) continue;
    const at = start + m.index;
    if (out.some((r) => at >= r.start && at < r.end)) continue;
    for (const lit of scanArchLiterals(word, at)) {
      if (lit.meaning !== 'arch' && lit.meaning !== 'gnuCpu') continue;
      const before = text.slice(at, lit.start);
      const after = text.slice(lit.end, at + word.length);
      const kind: ImageArchKind | undefined = /(^|\/)$/.test(before) && after.startsWith('/')
        ? 'namespace'
        : /[-_.]$/.test(before) || /^[-_]/.test(after) || /:$/.test(before) ? 'suffix' : undefined;
      if (kind) out.push({ kind, start: at, end: at + word.length, text: word, literal: lit });
    }
  }
  return out;
}

/** The spans of a file where container images are named, with whether bare words there are images. */
export function imageSpans(ctx: RuleContext): { start: number; end: number; images: boolean }[] {
  const model = scriptModel(ctx);
  const text = ctx.file.text;
  if (model?.kind === 'dockerfile') {
    return (model.instructions ?? []).map((i) => ({ start: i.argsStart, end: i.end, images: i.keyword === 'FROM' || (i.keyword === 'RUN' && CONTAINER_TOOL.test(text.slice(i.argsStart, i.end))) }));
  }
  if (model?.kind === 'shell') {
    // a text without the literals one of which every match of either holds has no such statement
    if (precheckOf(IMAGE_STATEMENT)?.test(text) === false && precheckOf(CONTAINER_TOOL)?.test(text) === false) return [];
    const spans: { start: number; end: number; images: boolean }[] = [];
    for (let s = 0; s < text.length; ) {
      const [ls, le] = statementOf(text, s);
      const line = text.slice(ls, le);
      if (IMAGE_STATEMENT.test(line) || CONTAINER_TOOL.test(` ${line}`)) {
        spans.push({ start: ls, end: le, images: CONTAINER_TOOL.test(` ${line}`) });
      }
      s = le + 1;
    }
    return spans;
  }
  return [{ start: 0, end: text.length, images: false }];
}

/** True when [start, end) is in a comment (or, for shell, comment text was masked out). */
export function inScriptComment(ctx: RuleContext, offset: number): boolean {
  const t = tokenAt(scriptModel(ctx)?.tokens ?? [], offset);
  return !!t && t.type === 'comment';
}

// ---------------------------------------------------------------------------------------------
// ambiguous-arch-match

export interface AmbiguousMatch {
  start: number;
  end: number;
  /** The pattern or fragment as written. */
  pattern: string;
  /** Every arch it matches, in any spelling. */
  matches: ArchName[];
  /** The configured arches it matches in the spelling the tested value uses. */
  hits: ArchName[];
  /** The configured arches the author most likely meant (matched in any spelling). */
  meant: ArchName[];
  /** The exact spelling to suggest for `meant` in the tested value's spelling. */
  exact: string[];
  /** The suggested edit: the exact name in place of the pattern. */
  edit?: { start: number; end: number; text: string };
  /** How the value is tested, for the message. */
  how: 'glob' | 'substring' | 'prefix';
  valueKind: ArchValueKind;
}

/** The main spelling of an arch as a value of `kind` (what dpkg or uname prints). */
const spell = (a: ArchName, kind: ArchValueKind): string => spellings(archFacts(a), kind)[0] as string;

type Write = (exact: string[]) => { start: number; end: number; text: string } | undefined;

function matchOf(ctx: RuleContext, start: number, end: number, pattern: string, how: AmbiguousMatch['how'], valueKind: ArchValueKind, matches: Set<ArchName>, kindHits: (a: ArchName) => boolean, write: Write): AmbiguousMatch | undefined {
  if (matches.size < 2) return undefined;
  const meant = ctx.architectures.filter((a) => matches.has(a));
  const hits = ctx.architectures.filter(kindHits);
  const exact = meant.map((a) => spell(a, valueKind));
  return { start, end, pattern, matches: [...matches], hits, meant, exact, edit: exact.length ? write(exact) : undefined, how, valueKind };
}

const globRe = (p: string): RegExp => new RegExp(`^${p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/**
 * Arch tests whose pattern matches more than one arch: shell `arm*)` / `[[ $a == x86* ]]`
 * (also in make recipes and Dockerfile RUN lines), python `'arm' in machine` /
 * `machine.startswith('x86')`, make `$(findstring arm,$(DEB_HOST_ARCH))` and `$(filter arm%,…)`.
 */
export function ambiguousArchMatches(ctx: RuleContext): AmbiguousMatch[] {
  const out: AmbiguousMatch[] = [];
  const text = ctx.file.text;
  const push = (m: AmbiguousMatch | undefined): void => {
    if (m) out.push(m);
  };
  const model = scriptModel(ctx);
  const shellPatterns = model?.shell?.patterns ?? [];
  if (ctx.make) {
    for (const line of ctx.make.lines) {
      if (line.mode !== 'recipe') continue;
      for (const p of findShellArchGuards(text.slice(line.start, line.end), line.start).patterns) shellPatterns.push(p);
    }
    for (const span of makeCodeSpans(ctx)) {
      const code = text.slice(span[0], span[1]);
      for (const m of code.matchAll(/\$[({](findstring|filter|filter-out)\s+(?!\s)([^,()$]+),\s*\$[({](DEB_(?:HOST|BUILD)_(?:ARCH|ARCH_CPU|GNU_CPU|GNU_TYPE|MULTIARCH))[)}]\s*[)}]/g)) {
        const fn = m[1] as string;
        const kind = archVariableKind(m[3] as string);
        const args = (m[2] as string).trim().split(/\s+/);
        const argStart = span[0] + m.index + m[0].indexOf(m[2] as string);
        for (const arg of args) {
          if (fn !== 'findstring' && !arg.includes('%')) continue;
          const at = argStart + (m[2] as string).indexOf(arg);
          const how = fn === 'findstring' ? 'substring' : 'glob';
          const matches = how === 'substring' ? archesMatchingFragment(arg, 'substring') : archesMatchingGlob(arg.replace(/%/g, '*'));
          const kindHits = (a: ArchName): boolean => (how === 'substring' ? spell(a, kind).includes(arg) : globRe(arg.replace(/%/g, '*')).test(spell(a, kind)));
          // $(findstring arm,$(V)) → $(filter arm64,$(V)): the same truth value, one arch
          const fnStart = span[0] + m.index + 2;
          push(matchOf(ctx, at, at + arg.length, arg, how, kind, matches, kindHits, (exact) =>
            fn === 'findstring'
              ? (args.length === 1 ? { start: fnStart, end: at + arg.length, text: `filter ${exact.join(' ')}` } : undefined)
              : { start: at, end: at + arg.length, text: exact.join(' ') }));
        }
      }
    }
  }
  for (const p of shellPatterns) {
    if (ctx.make && !ctx.make.lineAt(p.start)) continue;
    const matches = archesMatchingGlob(p.pattern);
    const kindHits = (a: ArchName): boolean => globRe(p.pattern).test(spell(a, p.kind));
    const inCase = text[p.end] !== undefined && /^\s*[|)]/.test(text.slice(p.end, p.end + 40)) ;
    push(matchOf(ctx, p.start, p.end, p.pattern, 'glob', p.kind, matches, kindHits, (exact) =>
      inCase || exact.length === 1 ? { start: p.start, end: p.end, text: exact.join('|') } : undefined));
  }
  for (const p of model?.python?.patterns ?? []) {
    const matches = archesMatchingFragment(p.pattern, p.how);
    const kindHits = (a: ArchName): boolean => (p.how === 'prefix' ? spell(a, p.kind).startsWith(p.pattern) : spell(a, p.kind).includes(p.pattern));
    const quote = text[p.end - 1] === '"' ? '"' : "'";
    push(matchOf(ctx, p.start, p.end, p.pattern, p.how, p.kind, matches, kindHits, (exact) =>
      exact.length === 1 ? { start: p.start, end: p.end, text: `${quote}${exact[0]}${quote}` } : undefined));
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A dead arch test, with what the tested value says for the arch the literal names. */
export interface DeadArchMatch {
  start: number;
  end: number;
  literal: string;
  /** The configured arches the literal names (in another spelling). */
  meant: ArchName[];
  /** Their spelling in the tested value's vocabulary. */
  exact: string[];
  kind: ArchValueKind;
  edit?: { start: number; end: number; text: string };
}

/**
 * Arch tests that can never match: the literal is an arch in another source's spelling
 * (`[ "$(uname -m)" = amd64 ]`, `case $(dpkg --print-architecture) in x86_64)`, python
 * `platform.machine() == 'arm64'`). The branch never runs on the arch it names.
 */
export function deadArchTests(ctx: RuleContext): DeadArchMatch[] {
  const model = scriptModel(ctx);
  const dead = [...(model?.shell?.dead ?? []), ...(model?.python?.dead ?? [])];
  if (ctx.make) {
    for (const line of ctx.make.lines) {
      if (line.mode === 'recipe') for (const d of findShellArchGuards(ctx.file.text.slice(line.start, line.end), line.start).dead) dead.push(d);
    }
  }
  const text = ctx.file.text;
  return dead.map((d) => {
    const meant = ctx.architectures.filter((a) => d.meant.includes(a));
    const exact = meant.map((a) => spell(a, d.kind));
    const raw = text.slice(d.start, d.end);
    const edit = exact.length === 1 && raw.includes(d.literal) ? { start: d.start, end: d.end, text: raw.replace(d.literal, exact[0] as string) } : undefined;
    return { start: d.start, end: d.end, literal: d.literal, meant, exact, kind: d.kind, ...(edit ? { edit } : {}) };
  }).filter((d) => d.meant.length > 0).sort((a, b) => a.start - b.start);
}

function archVariableKind(name: string): ArchValueKind {
  if (/_ARCH_CPU$/.test(name)) return 'cpu';
  if (/_ARCH$/.test(name)) return 'arch';
  if (/_GNU_CPU$/.test(name)) return 'gnuCpu';
  if (/_GNU_TYPE$/.test(name)) return 'gnuType';
  return 'multiarch';
}

/** Code spans of a make file (comments left out). */
function makeCodeSpans(ctx: RuleContext): [number, number][] {
  const out: [number, number][] = [];
  for (const line of ctx.make?.lines ?? []) {
    if (line.kind === 'blank' || line.kind === 'comment') continue;
    const c = line.comments[0];
    out.push([line.start, c ? c.offset : line.end]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// arch-conditional-incomplete

export interface ArchFailure {
  start: number;
  end: number;
  text: string;
  /** The configured arches that reach it. */
  reach: ArchName[];
  /** The configured arches the enclosing tests handle (reach none of this failure). */
  covered: ArchName[];
}

/** failingStatements by the guards of the parse they were read from (one parse per text: never stale). */
const failingCache = new WeakMap<object, readonly [number, number][]>();

/** The statements that stop a build: make `$(error …)`, shell `exit N`, python `raise` / `sys.exit(…)`. */
function failingStatements(ctx: RuleContext): readonly [number, number][] {
  let out = failingCache.get(ctx.guards);
  if (!out) failingCache.set(ctx.guards, (out = readFailingStatements(ctx)));
  return out;
}

/**
 * One small function per kind: each sees one token shape, and a deopt in one (a new token shape
 * reaching the shell loop from a Dockerfile) recompiles it alone, not all three.
 */
function readFailingStatements(ctx: RuleContext): [number, number][] {
  if (ctx.make) return makeFailingStatements(ctx);
  const model = scriptModel(ctx);
  if (!model) return [];
  if (model.kind === 'python') return pythonFailingStatements(ctx.file.text, model);
  // a shell file's tokens are read from its scan, without their objects
  return model.shellTokens ? shellScanFailingStatements(model.shellTokens) : shellFailingStatements(model.tokens);
}

/** make `$(error …)` in the code spans. */
function makeFailingStatements(ctx: RuleContext): [number, number][] {
  const text = ctx.file.text;
  const out: [number, number][] = [];
  for (const [s, e] of makeCodeSpans(ctx)) {
    for (const m of text.slice(s, e).matchAll(/\$[({]error\b[^)}\n]*/g)) out.push([s + m.index, s + m.index + m[0].length]);
  }
  return out;
}

/** python `raise`, `sys.exit(…)`, `exit(…)`, `os._exit(…)` at a statement start (not with 0/None/False). */
function pythonFailingStatements(text: string, model: ScriptModel): [number, number][] {
  const out: [number, number][] = [];
  for (const line of model.python?.lines ?? []) {
    for (let i = 0; i < line.tokens.length; i++) {
      const t = line.tokens[i] as Token;
      const prev = line.tokens[i - 1];
      const stmtStart = !prev || (prev.type === 'op' && prev.text.endsWith(':'));
      if (t.type !== 'name' || !stmtStart) continue;
      // only `raise`, `sys.exit(`, `exit(`, `os._exit(` (a name token holds no dot)
      if (t.text !== 'raise' && t.text !== 'sys' && t.text !== 'exit' && t.text !== 'os') continue;
      const dotted = line.tokens.slice(i, i + 4).map((x) => x.text).join('');
      const exit = /^(?:sys\.exit|exit|os\._exit)\($/.exec(dotted.slice(0, dotted.indexOf('(') + 1));
      if (t.text === 'raise' || exit) {
        const endTok = line.tokens[line.tokens.length - 1] as Token;
        const args = text.slice(t.offset, endTok.offset + endTok.text.length);
        if (exit && /\(\s*(?:(?:0|None|False)\s*)?\)\s*$/.test(args)) continue;
        out.push([t.offset, line.end]);
      }
    }
  }
  return out;
}

/** shell (and Dockerfile RUN lines): `exit N` / `return N` with N ≠ 0. */
export function shellFailingStatements(toks: readonly Token[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.type !== 'word' || (t.text !== 'exit' && t.text !== 'return')) continue;
    let j = i + 1;
    while (toks[j]?.type === 'ws') j++;
    const arg = toks[j];
    if (arg && arg.type === 'word' && /^[1-9]\d*$/.test(arg.text)) out.push([t.offset, arg.offset + arg.text.length]);
  }
  return out;
}

/** `shellFailingStatements` of the tokens of a scan. */
export function shellScanFailingStatements(st: ShellTokens): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < st.count; i++) {
    if (st.type(i) !== SH_WORD || !(st.is(i, 'exit') || st.is(i, 'return'))) continue;
    let j = i + 1;
    while (j < st.count && st.type(j) === SH_WS) j++;
    if (j < st.count && st.type(j) === SH_WORD && /^[1-9]\d*$/.test(st.textOf(j))) out.push([st.start(i), st.end(j)]);
  }
  return out;
}

/** The configured arches reaching an offset, in any kind (make, script, and the file's own arch). */
function reachOf(ctx: RuleContext, offset: number): ArchName[] {
  return scriptReach(ctx, offset);
}

/**
 * Failures on the uncovered path of an arch test: an `else`, `*)`, `!=` or `||` branch (or a
 * make `else`) that fails while a configured arch reaches it.
 */
export function archTestFailures(ctx: RuleContext): ArchFailure[] {
  const out: ArchFailure[] = [];
  // a failure counts only inside an arch test's region: a file without one has none to read
  if (!ctx.guards.hasRegions) return out;
  for (const [start, end] of failingStatements(ctx)) {
    const regions = ctx.guards.regionsAt(start);
    if (!regions.length || !regions.some((r) => !r.positive)) continue;
    const reach = reachOf(ctx, start);
    if (!reach.length) continue;
    const covered = ctx.architectures.filter((a) => !reach.includes(a));
    out.push({ start, end, text: ctx.file.text.slice(start, end).trim(), reach, covered });
  }
  return out;
}

export interface PartialVariable {
  name: string;
  /** The use reached by arches no assignment covers. */
  start: number;
  end: number;
  /** Configured arches that get an assignment. */
  setFor: ArchName[];
  /** Configured arches that reach the use without one. */
  missing: ArchName[];
  /** The first guarded assignment, for the message. */
  firstSet: number;
}

export interface Assignment {
  name: string;
  at: number;
  scope: number;
  /** Only adds options (`EXTRA = --with-x`, `FLAGS += -msse4`): empty elsewhere is the idiom, not a bug. */
  optional?: boolean;
}

/** A value that is a list of options (or nothing): an arch that lacks it builds without them. */
const OPTIONS_ONLY = /^\s*["']?(?:-|$)/;
export interface Use { name: string; start: number; end: number; scope: number }

/** Assignments and plain uses of variables, by kind. */
function assignmentsAndUses(ctx: RuleContext): { sets: Assignment[]; uses: Use[] } {
  const text = ctx.file.text;
  const sets: Assignment[] = [];
  const uses: Use[] = [];
  if (ctx.make) {
    for (const line of ctx.make.lines) {
      const a = line.assignment;
      if (a && !a.targetSpecific) sets.push({ name: a.name, at: line.start, scope: 0, optional: a.op === '+=' || OPTIONS_ONLY.test(text.slice(a.valueStart, a.valueEnd)) });
    }
    for (const [s, e] of makeCodeSpans(ctx)) {
      for (const m of text.slice(s, e).matchAll(/\$[({]([A-Za-z_][\w-]*)[)}]/g)) uses.push({ name: m[1] as string, start: s + m.index, end: s + m.index + m[0].length, scope: 0 });
    }
    return { sets, uses };
  }
  const model = scriptModel(ctx);
  if (!model) return { sets, uses };
  if (model.kind === 'python') {
    const lines = model.python?.lines ?? [];
    // scope: the enclosing def (by indentation), or the module
    const scopeOf: number[] = [];
    const stack: { indent: number; start: number }[] = [];
    for (const l of lines) {
      while (stack.length && (stack[stack.length - 1] as { indent: number }).indent >= l.indent) stack.pop();
      scopeOf.push(stack.length ? (stack[stack.length - 1] as { start: number }).start : 0);
      if (l.tokens[0]?.text === 'def' || l.tokens[0]?.text === 'class' || (l.tokens[0]?.text === 'async' && l.tokens[1]?.text === 'def')) stack.push({ indent: l.indent, start: l.start });
    }
    lines.forEach((l, li) => {
      const scope = scopeOf[li] as number;
      const t = l.tokens;
      const eq = t.findIndex((x) => x.type === 'op' && x.text === '=');
      const colon = t.findIndex((x) => x.type === 'op' && x.text.endsWith(':'));
      const head = t[0]?.text ?? '';
      // simple targets: `name = …` (also after `if …:` on the same line)
      const from = ['if', 'elif', 'else'].includes(head) && colon >= 0 ? colon + 1 : 0;
      if (eq === from + 1 && t[from]?.type === 'name') sets.push({ name: (t[from] as Token).text, at: (t[from] as Token).offset, scope });
      if (head === 'for' || head === 'with' || head === 'import' || head === 'from' || head === 'def' || head === 'class' || head === 'global' || head === 'nonlocal') {
        for (const x of t) if (x.type === 'name') sets.push({ name: x.text, at: x.offset, scope: -1 });
      }
      t.forEach((x, i) => {
        if (x.type !== 'name' || (i === from && eq === from + 1)) return;
        if (t[i - 1]?.text === '.' || (t[i + 1]?.type === 'op' && t[i + 1]?.text === '=' && t[i - 1]?.type === 'open')) return;
        uses.push({ name: x.text, start: x.offset, end: x.offset + x.text.length, scope });
      });
    });
    return { sets, uses };
  }
  // shell: NAME=… in command position; $NAME / ${NAME} (not ${NAME:-…}, ${NAME-…}, ${NAME:?…});
  // a shell file's tokens are read from its scan, without their objects
  if (model.shellTokens) shellScanSetsAndUses(model.shellTokens, sets, uses);
  else tokenSetsAndUses(model.tokens, sets, uses);
  return { sets, uses };
}

/** Shell assignments in command position (`NAME=…`, `read NAME`, `for NAME`) and plain uses (`$NAME`, `${NAME}`), from token objects. */
export function tokenSetsAndUses(toks: readonly Token[], sets: Assignment[], uses: Use[]): void {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.type === 'word') {
      const m = /^([A-Za-z_]\w*)\+?=/.exec(t.text);
      let j = i - 1;
      while (toks[j]?.type === 'ws') j--;
      const prev = toks[j];
      const cmdPos = !prev || prev.type === 'newline' || prev.type === 'op' || prev.type === 'rparen' || ['then', 'do', 'else', 'export', 'local', 'readonly', 'declare', 'typeset', '{'].includes(prev.text);
      if (m && cmdPos) {
        let v = t.text.slice(m[0].length);
        if (!v) v = toks[i + 1]?.type === 'dqOpen' ? (toks[i + 2]?.text ?? '') : '';
        sets.push({ name: m[1] as string, at: t.offset, scope: 0, optional: t.text.includes('+=') || OPTIONS_ONLY.test(v) });
      }
      if (/^(?:read|for|getopts)$/.test(t.text)) {
        // read NAME / for NAME in: set without `=`
        let k = i + 1;
        while (toks[k] && toks[k]?.type !== 'newline' && toks[k]?.type !== 'op') {
          const w = toks[k] as Token;
          if (w.type === 'word' && /^[A-Za-z_]\w*$/.test(w.text)) sets.push({ name: w.text, at: w.offset, scope: 0 });
          k++;
        }
      }
    } else if (t.type === 'dollar' && /^\$[A-Za-z_]/.test(t.text)) {
      uses.push({ name: t.text.slice(1), start: t.offset, end: t.offset + t.text.length, scope: 0 });
    } else if (t.type === 'paramOpen') {
      const body = toks[i + 1];
      const m = body?.type === 'paramText' ? /^([A-Za-z_]\w*)$/.exec(body.text) : null;
      if (m && toks[i + 2]?.type === 'paramClose') uses.push({ name: m[1] as string, start: t.offset, end: (toks[i + 2] as Token).offset + 1, scope: 0 });
    }
  }
}

/** Words after which a word is in command position (besides a line start, an operator and `)`). */
const COMMAND_LEADS = ['then', 'do', 'else', 'export', 'local', 'readonly', 'declare', 'typeset', '{'];

/** `tokenSetsAndUses` of the tokens of a scan: texts sliced only for words, `$NAME` and `${…}` bodies. */
export function shellScanSetsAndUses(st: ShellTokens, sets: Assignment[], uses: Use[]): void {
  const n = st.count;
  for (let i = 0; i < n; i++) {
    const type = st.type(i);
    if (type === SH_WORD) {
      const text = st.textOf(i);
      const m = /^([A-Za-z_]\w*)\+?=/.exec(text);
      if (m && scanCommandPosition(st, i)) {
        let v = text.slice(m[0].length);
        if (!v) v = i + 1 < n && st.type(i + 1) === SH_DQ_OPEN ? (i + 2 < n ? st.textOf(i + 2) : '') : '';
        sets.push({ name: m[1] as string, at: st.start(i), scope: 0, optional: text.includes('+=') || OPTIONS_ONLY.test(v) });
      }
      if (/^(?:read|for|getopts)$/.test(text)) {
        // read NAME / for NAME in: set without `=`
        for (let k = i + 1; k < n && st.type(k) !== SH_NEWLINE && st.type(k) !== SH_OP; k++) {
          if (st.type(k) !== SH_WORD) continue;
          const w = st.textOf(k);
          if (/^[A-Za-z_]\w*$/.test(w)) sets.push({ name: w, at: st.start(k), scope: 0 });
        }
      }
    } else if (type === SH_DOLLAR) {
      const t = st.textOf(i);
      if (/^\$[A-Za-z_]/.test(t)) uses.push({ name: t.slice(1), start: st.start(i), end: st.end(i), scope: 0 });
    } else if (type === SH_PARAM_OPEN && i + 2 < n && st.type(i + 1) === SH_PARAM_TEXT && st.type(i + 2) === SH_PARAM_CLOSE) {
      const m = /^([A-Za-z_]\w*)$/.exec(st.textOf(i + 1));
      if (m) uses.push({ name: m[1] as string, start: st.start(i), end: st.start(i + 2) + 1, scope: 0 });
    }
  }
}

/** Whether word `i` of a scan is in command position: after a line start, an operator, `)` or a COMMAND_LEADS word (blanks between). */
function scanCommandPosition(st: ShellTokens, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && st.type(j) === SH_WS) j--;
  if (j < 0) return true;
  const t = st.type(j);
  return t === SH_NEWLINE || t === SH_OP || t === SH_RPAREN || COMMAND_LEADS.some((w) => st.is(j, w));
}

/**
 * Variables set only inside arch tests, for some of `architectures`, and used where the
 * others reach: the build reads an empty (or undefined) value there.
 */
export function partialArchVariables(ctx: RuleContext): PartialVariable[] {
  // only a name whose every assignment is inside an arch test's region can be partial
  if (!ctx.guards.hasRegions) return [];
  const { sets, uses } = assignmentsAndUses(ctx);
  const byName = new Map<string, Assignment[]>();
  for (const s of sets) {
    const k = `${s.scope}\u0000${s.name}`;
    const list = byName.get(k);
    if (list) list.push(s);
    else byName.set(k, [s]);
  }
  const loose = new Set(sets.filter((s) => s.scope === -1).map((s) => s.name));
  // a branch that fails takes its arches off every path after it
  const dead: { after: number; arches: ArchName[] }[] = [];
  for (const [start] of failingStatements(ctx)) {
    const regions = ctx.guards.regionsAt(start);
    if (!regions.length) continue;
    const innermost = regions.reduce((a, b) => (b.end - b.start < a.end - a.start ? b : a));
    dead.push({ after: innermost.end, arches: reachOf(ctx, start) });
  }
  const out: PartialVariable[] = [];
  const reported = new Set<string>();
  // what depends on the assignments only, read once per list (not once per use of the name)
  const byList = new Map<Assignment[], { guardedSets: Assignment[]; setFor: Set<ArchName> } | null>();
  const listFacts = (list: Assignment[]): { guardedSets: Assignment[]; setFor: Set<ArchName> } | null => {
    let facts = byList.get(list);
    if (facts === undefined) {
      const guardedSets = list.filter((s) => ctx.guards.regionsAt(s.at).length > 0);
      facts = guardedSets.length !== list.length || list.every((s) => s.optional)
        ? null
        : { guardedSets, setFor: new Set(guardedSets.flatMap((s) => reachOf(ctx, s.at))) };
      byList.set(list, facts);
    }
    return facts;
  };
  // the names with an assignment list that can be partial: every other use (most names of a
  // python file) is passed over without building its key
  const live = new Set<string>();
  for (const list of byName.values()) if (listFacts(list)) live.add((list[0] as Assignment).name);
  for (const u of uses) {
    if (!live.has(u.name)) continue;
    const key = `${u.scope}\u0000${u.name}`;
    if (reported.has(key) || loose.has(u.name)) continue;
    const list = byName.get(key) ?? (u.scope !== 0 ? byName.get(`0\u0000${u.name}`) : undefined);
    if (!list) continue;
    const facts = listFacts(list);
    if (!facts) continue;
    const { guardedSets, setFor } = facts;
    if (ctx.guards.isTest(u.start)) continue;
    const gone = new Set(dead.filter((d) => d.after <= u.start).flatMap((d) => d.arches));
    const missing = reachOf(ctx, u.start).filter((a) => !setFor.has(a) && !gone.has(a));
    if (!missing.length || setFor.size === 0) continue;
    // the arch tests must be what limits the assignments (not some other condition)
    const archGuarded = guardedSets.every((s) => reachOf(ctx, s.at).length < ctx.architectures.length);
    if (!archGuarded) continue;
    reported.add(key);
    out.push({ name: u.name, start: u.start, end: u.end, setFor: ctx.architectures.filter((a) => setFor.has(a)), missing, firstSet: (guardedSets[0] as Assignment).at });
  }
  return out;
}

/**
 * A command name that says its quoted arguments are a message: echo, printf, logger, and any
 * function named for logging or failing (`log_info`, `vlog`, `wlog`, `warn`, `die`, `fatal`,
 * `error_exit`, `check_rc_exit`). A name that also says it runs something (`log_and_run`) is not.
 */
export function isMessageCommand(name: string): boolean {
  const n = name.replace(/^.*\//, '');
  if (/^check_rc/.test(n)) return true;
  const parts = n.toLowerCase().split(/[_-]+/).filter(Boolean);
  if (parts.some((p) => /^(?:run|exec|execute|cmd|do|eval|call)$/.test(p))) return false;
  if (parts.some((p) => /^(?:echo|printf|say|[vidwe]?log|logger|logging|syslog|msg|message|warn|warning|err|error|die|fatal|abort|panic)$/.test(p))) return true;
  // weaker words say it only alone (`info "…"`, `fail "…"`), not in `get_info`, `pkg_debug`
  return parts.length === 1 && /^(?:print|info|notice|debug|fail|usage)$/.test(parts[0] as string);
}

const QUOTED_TEXT = /(["'])(?:\\.|(?!\1)[^\\])*\1/g;
/** Quoted strings blanked out (their quotes kept): what is left is the command's code. */
const maskQuotes = (s: string): string => s.replace(QUOTED_TEXT, (q) => `${q[0]}${'x'.repeat(q.length - 2)}${q[0]}`);
/** The last command of a shell line before a point, with what follows its name (quotes masked). */
const SH_COMMAND = /(?:^|[;&|{(`!]|\bthen\b|\bdo\b|\belse\b)\s*(?:[@-]+(?![@-])\s*)?(?:(?:sudo|command|builtin|exec)\s+)?([\w./-]+)(?![\w./-])([^;&|<>`()]*)$/;
/** Where a message's output goes when it is prose: the terminal, a log, nowhere. */
const PROSE_SINK = /^(?:&\d|\/dev\/(?:null|stderr|stdout|tty)|["'$\w{}./-]*log[\w{}./"'-]*)/i;
/** A python call whose string arguments are a message: print, a logger method, logging, raise, sys.exit, a log/warn/die function. */
const PY_MESSAGE = /(?:\bprint|\b[\w.]*\.(?:debug|info|warning|warn|error|exception|critical|fatal)|\blogging\.\w+|\braise\s+[\w.]+|\bsys\.exit|\b[A-Za-z_]\w*)\s*$/;

/**
 * True when `offset` is in the text of a message a script prints, logs or fails with
 * (`echo "Fail to extract grub-efi-amd64 deb"`, `check_rc_exit $? "isohybrid failed"`,
 * `LOG.error("… isolinux.cfg")`, `raise Exception('x86_64 only')`, a make `$(warning …)`):
 * prose for every rule, like a comment. Output redirected into a file or piped into a command is
 * data, not prose (`echo "deb … amd64 main" > sources.list`).
 */
export function isMessageText(ctx: RuleContext, offset: number): boolean {
  const make = ctx.make?.lineAt(offset);
  const recipe = make?.kind === 'recipe';
  if (ctx.kind !== 'shell' && ctx.kind !== 'python' && ctx.kind !== 'dockerfile' && !make) return false;
  const text = ctx.file.text;
  const { line } = ctx.file.position(offset);
  const ls = ctx.file.lineStart(line);
  const lineText = text.slice(ls, ctx.file.lineEnd(line));
  const at = offset - ls;
  // make's own messages: $(info …), $(warning …), $(error …)
  if (make && makeMessageBefore(perText(text, 'make-message', String(ls), () => makeMessages(lineText)), at)) return true;
  if (make && !recipe) return false;
  if (ctx.kind === 'python') {
    const model = scriptModel(ctx);
    const g = model ? groupAround(model, offset) : undefined;
    if (!g) return false;
    const tok = model?.tokenAt ? model.tokenAt(offset) : model ? tokenAt(model.tokens, offset) : undefined;
    if (tok?.type !== 'string') return false;
    const callee = /(?<![\w.])([\w.]+(?:\s+[\w.]+)?)\s*$/.exec(text.slice(Math.max(0, g[0] - 80), g[0]));
    if (!callee || text[g[0]] !== '(') return false;
    const name = callee[1] as string;
    if (!PY_MESSAGE.test(name)) return false;
    const last = name.replace(/^raise\s+/, '').split('.').pop() as string;
    const isMsg = /^raise\s/.test(name) || /^(?:print|exit)$/.test(last) || /^(?:logging|log|LOG|logger|LOGGER|sys)$/.test(name.split('.')[0] as string) || /\.(?:debug|info|warning|warn|error|exception|critical|fatal)$/.test(name) || isMessageCommand(last);
    // print(…, file=f) writes data
    return isMsg && !(last === 'print' && /\bfile\s*=\s*(?!sys\.std)/.test(text.slice(g[0], g[1])));
  }
  // the line's quotes, commands and redirections are read once per line (messageLine)
  const ml = perText(text, 'message-line', String(ls), () => messageLine(lineText));
  const name = commandBefore(ml, at);
  if (name === undefined) return false;
  let message = ml.commands.get(name);
  if (message === undefined) ml.commands.set(name, (message = isMessageCommand(name)));
  if (!message) return false;
  // a helper's message is a quoted string (`check_rc_exit $? "…"`); its bare words may be a command it runs (`warn_on_fail wget URL`)
  const q = lastBelow(ml.quoteStarts, at);
  const quoted = q >= 0 && at < (ml.quoteEnds[q] as number);
  if (!quoted && !/^(?:echo|printf)$/.test(name.replace(/^.*\//, ''))) return false;
  // data when the output goes into a file or another command
  const sep = ml.seps[lastBelow(ml.seps, at) + 1] ?? ml.masked.length;
  let data = ml.data.get(sep);
  if (data === undefined) {
    const rest = ml.masked.slice(sep);
    const redirect = /^\s*\d?>>?\s*(\S+)/.exec(rest);
    data = (!!redirect && !PROSE_SINK.test(redirect[1] as string)) || /^\s*\|(?!\|)\s*(?!logger\b)/.test(rest);
    ml.data.set(sep, data);
  }
  return !data;
}

/** A make line's `$(info `, `$(warning `, `$(error ` (where each one's text starts), and its `)` and `}`. */
function makeMessages(line: string): { texts: number[]; closes: number[] } {
  const texts = [...line.matchAll(/\$[({](?:info|warning|error)\s/g)].map((m) => m.index + m[0].length);
  const closes: number[] = [];
  for (let i = 0; i < line.length; i++) if (line[i] === ')' || line[i] === '}') closes.push(i);
  return { texts, closes };
}

/** `/\$[({](?:info|warning|error)\s[^)}]*$/.test(line.slice(0, at))`: a message's text starts after the last close before `at`, and by `at`. */
function makeMessageBefore(mm: { texts: number[]; closes: number[] }, at: number): boolean {
  const close = mm.closes[lastBelow(mm.closes, at)] ?? -1;
  const t = mm.texts[lastBelow(mm.texts, at + 1)];
  return t !== undefined && t > close;
}

/** What isMessageText reads of a shell line, found once per line (offsets within the line). */
interface MessageLine {
  line: string;
  masked: string;
  /** The quoted strings (QUOTED_TEXT's matches). */
  quoteStarts: number[];
  quoteEnds: number[];
  /** Where SH_COMMAND's arguments end (`;&|<>` and backquotes, parentheses), and where `rest` starts (`;&|<>`). */
  cuts: number[];
  seps: number[];
  /** The length of a Dockerfile's leading `RUN ` (SH_COMMAND's input drops it), or 0. */
  run: number;
  /** Per piece between cuts: the first command head SH_COMMAND can match there, read on the whole line. */
  heads: Map<number, { at: number; end: number; name: string } | null>;
  /** Per `rest` start: whether the output goes into a file or a command. */
  data: Map<number, boolean>;
  /** isMessageCommand per command name (a long name is read once). */
  commands: Map<string, boolean>;
}

function messageLine(line: string): MessageLine {
  const masked = maskQuotes(line);
  const run = /^\s*RUN\s/.exec(masked)?.[0].length ?? 0;
  const out: MessageLine = { line, masked, quoteStarts: [], quoteEnds: [], cuts: [], seps: [], run, heads: new Map(), data: new Map(), commands: new Map() };
  for (const q of line.matchAll(QUOTED_TEXT)) {
    out.quoteStarts.push(q.index);
    out.quoteEnds.push(q.index + q[0].length);
  }
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i] as string;
    if (';&|<>`()'.includes(c)) out.cuts.push(i);
    if (';&|<>'.includes(c)) out.seps.push(i);
  }
  return out;
}

/** The index of the last value below x in a sorted array, or -1. */
function lastBelow(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

/** SH_COMMAND's head: a command start and the command's name (no arguments, no end anchor). */
const SH_HEAD = /(?:^|[;&|{(`!]|\bthen\b|\bdo\b|\belse\b)\s*(?:[@-]+(?![@-])\s*)?(?:(?:sudo|command|builtin|exec)\s+)?([\w./-]+)(?![\w./-])/g;

/**
 * SH_COMMAND's command name for the line before `at` (`masked.slice(0, at)`, a Dockerfile's
 * `RUN` dropped), or undefined. Its match starts at or after the last cut before `at` (its
 * arguments hold none), at the first head there that matches on the whole line: one that fails
 * there fails on every prefix too, and one that ends by `at` reads the same on the prefix. Only
 * a literal inside that head is read the original way.
 */
function commandBefore(ml: MessageLine, at: number): string | undefined {
  const original = (): string | undefined => SH_COMMAND.exec(ml.masked.slice(0, at).replace(/^\s*RUN\s/, ' '))?.[1];
  const c = lastBelow(ml.cuts, at);
  const from = c >= 0 ? (ml.cuts[c] as number) : -1;
  // a prefix that ends inside `RUN ` keeps it: read the original way
  if (from < 0 && at < ml.run) return original();
  let head = ml.heads.get(from);
  if (head === undefined) {
    const segEnd = ml.cuts[c + 1] ?? ml.masked.length;
    const drop = from < 0 ? ml.run : 0;
    const piece = drop ? ` ${ml.masked.slice(drop, segEnd)}` : ml.masked.slice(0, segEnd);
    const shift = drop ? drop - 1 : 0;
    SH_HEAD.lastIndex = Math.max(from, 0);
    const m = SH_HEAD.exec(piece);
    head = m ? { at: m.index + shift, end: m.index + m[0].length + shift, name: m[1] as string } : null;
    ml.heads.set(from, head);
  }
  if (!head || head.at >= at) return undefined;
  return head.end <= at ? head.name : original();
}

const KUBE_NAMES = Symbol('script-kit own kube names');

/** The `metadata.name` of every Kubernetes object the project's yaml (and `.j2` templates) define that names an arch. */
function ownKubeNames(ctx: RuleContext): Set<string> {
  return projectMemo(ctx.project, KUBE_NAMES, '', (project) => {
    const names = new Set<string>();
    for (const path of project.paths()) {
      if (!/\.ya?ml(?:\.j2)?$|\.j2$/.test(path)) continue;
      const file = project.get(path);
      // most yaml defines no object: not decoded for the regexes below
      if (!file || !fileIncludes(file, 'kind:') || !fileIncludes(file, 'metadata:')) continue;
      const text = file.text;
      if (!/^kind:\s*\w/m.test(text)) continue;
      for (const m of text.matchAll(/^metadata:[ \t]*\n(?:[ \t]+(?![ \t]).*\n)*?[ \t]+name:[ \t]*["']?([a-z0-9][a-z0-9.-]*)["']?[ \t]*$/gm)) {
        const name = m[1] as string;
        if (scanArchLiterals(name).length) names.add(name);
      }
    }
    return names;
  });
}

/**
 * True when the literal is inside the name of a Kubernetes object (a DaemonSet's metadata.name)
 * that some yaml of the project defines: a script that restarts `daemonset kube-multus-ds-amd64`
 * names that object, not an arch choice. The yaml's `kubernetes.io/arch` selector is what must
 * change, and container-image-arch reports it there. Only asked for hits, once per project.
 */
function isOwnKubeObjectName(ctx: RuleContext, lit: ScriptLiteral): boolean {
  // the word's shape once per word (a long word holds many literals)
  const text = ctx.file.text;
  const [s, e] = downloadSpan(text, lit);
  const word = perText(text, 'download-word kube', `${s}:${e}`, () => {
    const w = downloadWord(text, lit).replace(/^["']|["']$/g, '');
    return /^[a-z0-9][a-z0-9.-]*$/.test(w) ? w : undefined;
  });
  if (word === undefined) return false;
  return ownKubeNames(ctx).has(word);
}
