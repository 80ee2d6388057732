/**
 * The boot kit: what the boot and image rules share, for files of any kind. A comments-aware
 * scan for x86-only boot terms (syslinux, `grubx64.efi`, `bzImage`, `console=ttyS0` …) with the
 * exemptions every kind has (a guard, a file that is arch-specific by name or folder, a line that
 * also names the other arch's counterpart), and the yaml/bootcfg side of hardcoded-arch and
 * arch-in-download-url.
 */
import { dpkgVariableFor, scanArchLiterals, type ArchLiteral, unspelled, vocabularyAt, VOCABULARIES, type ArchName, type Vocabulary } from './arch.js';
import { parentKey, parseYaml, scalarAt, type YamlKey, type YamlLine, type YamlModel } from './models/yaml.js';
import type { SourceFile } from './source.js';
import { commentLookup, imageArchRefs, markTentative, variableDefinition, isExemptTextLiteral, isIsoRemasterTool, isoLayoutTest, spanNamesEveryArch, textArchLiterals, wordAround, type TextLiteral } from './rule-kit.js';
import type { Edit, Fix, RelatedLocation, RuleContext } from './types.js';
import { listScope, twinReaderNote } from './list-kit.js';
import { isLatImage } from './lat-kit.js';
import { scriptModelOf } from './kinds/scripts.js';
import { yamlModelOf } from './kinds/boot.js';
import { latScriptAdvice, reportInLat } from './lat-kit.js';
import { isMessageText, tokenAt } from './script-kit.js';
import { isXml as isXmlText } from './lexers/bootcfg.js';
import { linesAround, perText } from './line-memo.js';
import { requiredLiterals } from './engine/triggers.js';

const X86: readonly ArchName[] = ['amd64', 'i386'];

export { pathArches } from './arch.js';
import { pathArches } from './arch.js';

/** Unit-test data (`tests/…/data/chart_values.yaml`): it describes what a test feeds in, not what is built or booted. */
const isTestData = (path: string): boolean => path.split('/').slice(0, -1).some((d) => /^(?:tests?|testdata|unit_tests)$/.test(d));

/**
 * True when the file is specific to arches that include one of `arches` (a literal naming them
 * is right there), or is unit-test data.
 */
export function isArchSpecificFile(ctx: RuleContext, arches: readonly ArchName[]): boolean {
  const own = ownArches(ctx.file);
  return own === 'test' || (own.length > 0 && own.some((a) => arches.includes(a)));
}

/** A file's arches by its path (`pathArches`), or `test` for unit-test data: read once per file (rules ask per literal). */
const ownArchesCache = new WeakMap<SourceFile, readonly ArchName[] | 'test'>();
function ownArches(file: SourceFile): readonly ArchName[] | 'test' {
  let own = ownArchesCache.get(file);
  if (own === undefined) ownArchesCache.set(file, (own = isTestData(file.path) ? 'test' : pathArches(file.path)));
  return own;
}

/**
 * A case-insensitive test for the literals one of which every match of `re` holds
 * (`requiredLiterals`, the prefilter's own reading of the regex): a text it fails has no match
 * of `re`, so the slower scan (a lookbehind tried at every offset) is skipped. Null when the
 * regex has no such literals.
 */
const termPrecheck = new WeakMap<RegExp, RegExp | null>();
export function precheckOf(re: RegExp): RegExp | null {
  let pre = termPrecheck.get(re);
  if (pre === undefined) {
    const need = requiredLiterals(re)?.map((t) => t.replace(/[\u27e8\u27e9]/g, ''));
    pre = need && need.length > 0 && need.every((t) => t !== '') ? new RegExp(need.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), /[uv]/.test(re.flags) ? 'iu' : 'i') : null;
    termPrecheck.set(re, pre);
  }
  return pre;
}

/**
 * True when no match of `re` can hold a line feed, nor can a lookahead read one past (looking
 * behind is free: it reads the text before the match): its matches are found line by line. A
 * reading of the source that says false for anything it is not sure of (`\s`, `\W`, `\D`, a
 * negated class, a `.` with `s`, escapes that spell a code).
 */
export function isLineBound(re: RegExp): boolean {
  let bound = lineBound.get(re);
  if (bound === undefined) lineBound.set(re, (bound = !mayReadNewline(re.source, re.flags)));
  return bound;
}
const lineBound = new WeakMap<RegExp, boolean>();

function mayReadNewline(source: string, flags: string): boolean {
  /** The index just after the group that opens at `open` (escapes and classes skipped). */
  const groupEnd = (open: number): number => {
    let depth = 0;
    let inClass = false;
    for (let i = open; i < source.length; i++) {
      const c = source[i];
      if (c === '\\') i++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i + 1;
    }
    return source.length;
  };
  const risky = (escaped: string, next: string | undefined): boolean => /[sWDnxucpPk]/.test(escaped) || (/[0-9]/.test(escaped) && next !== undefined && /[0-9]/.test(next));
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      if (risky(source[i + 1] ?? '', source[i + 2])) return true;
      i++;
    } else if (c === '(' && (source.startsWith('(?<=', i) || source.startsWith('(?<!', i))) {
      i = groupEnd(i) - 1;
    } else if (c === '[') {
      if (source[i + 1] === '^') return true;
      let j = i + 1;
      for (; j < source.length && source[j] !== ']'; j++) {
        const escaped = source[j] === '\\';
        // a range: either end escaped is not read (`[\t-\r]`)
        const last = escaped ? j + 1 : j;
        if (source[last + 1] === '-' && source[last + 2] !== undefined && source[last + 2] !== ']') {
          if (escaped || source[last + 2] === '\\' || ((source[j] as string) <= '\n' && (source[last + 2] as string) >= '\n')) return true;
        }
        if (escaped && risky(source[j + 1] ?? '', source[j + 2])) return true;
        j = last;
      }
      i = j;
    } else if (c === '.' && flags.includes('s')) return true;
  }
  return false;
}

const globalPrechecks = new WeakMap<RegExp, RegExp>();
const ownCopies = new WeakMap<RegExp, RegExp>();

/**
 * `text.matchAll(re)`: for a line-bound regex with a precheck, only the lines that hold one of
 * its literals are matched (with the text before them in view, for lookbehinds): every match
 * holds a literal (precheckOf) and no line feed (isLineBound), so the others hold none, and a
 * global scan enters each line at its start. A big script naming one boot term once is read once
 * by the precheck instead of at every word by the whole alternation.
 */
export function termMatches(text: string, re: RegExp): RegExpExecArray[] {
  const pre = precheckOf(re);
  if (!pre || !re.global || !isLineBound(re)) {
    re.lastIndex = 0;
    return [...text.matchAll(re)];
  }
  let hits = globalPrechecks.get(pre);
  if (!hits) globalPrechecks.set(pre, (hits = new RegExp(pre.source, `${pre.flags}g`)));
  let own = ownCopies.get(re);
  if (!own) ownCopies.set(re, (own = new RegExp(re.source, re.flags)));
  const out: RegExpExecArray[] = [];
  hits.lastIndex = 0;
  for (let h = hits.exec(text); h; h = hits.exec(text)) {
    const lineStart = text.lastIndexOf('\n', h.index - 1) + 1;
    const nl = text.indexOf('\n', h.index);
    const lineEnd = nl < 0 ? text.length : nl;
    // the line and its line feed: a lookahead at its end reads what it reads in the text
    const upTo = nl < 0 ? text : text.slice(0, nl + 1);
    own.lastIndex = lineStart;
    for (let m = own.exec(upTo); m && m.index < lineEnd; m = own.exec(upTo)) {
      out.push(m);
      if (m[0].length === 0) own.lastIndex++;
    }
    hits.lastIndex = Math.max(lineEnd, h.index + 1);
  }
  return out;
}

export interface TermHit {
  start: number;
  end: number;
  text: string;
  /** Offsets of the line holding the hit (without its ending). */
  lineStart: number;
  lineEnd: number;
  comment: boolean;
}

/**
 * Matches of `re` (global) in the file, outside comments unless `checkComments`, and not
 * silent: `arches` is what the term is right for (x86 for syslinux); a hit is left out when a
 * guard limits its line to those arches, when the file is theirs by name or folder, or when its
 * line also matches `counterpart` (a mapping naming the other arch's equivalent: `grubaa64.efi`).
 */
export function bootTerms(ctx: RuleContext, re: RegExp, arches: readonly ArchName[] = X86, counterpart?: RegExp): TermHit[] {
  if (isArchSpecificFile(ctx, arches)) return [];
  // A generic list whose other arches have twins is what the remaining arches build.
  if ((ctx.kind === 'pkg-list' || ctx.kind === 'pkg-dirs') && listScope(ctx).arches.every((a) => arches.includes(a))) return [];
  const text = ctx.file.text;
  if (precheckOf(re)?.test(text) === false) return [];
  const inComment = commentLookup(ctx);
  // A Python docstring is prose, like a comment.
  const docstrings = ctx.kind === 'python' ? (scriptModelOf(ctx.guards)?.python?.docstrings ?? []) : [];
  const inDocstring = (o: number): boolean => docstrings.some((d) => o >= d.offset && o < d.offset + d.text.length);
  const out: TermHit[] = [];
  for (const m of termMatches(text, re)) {
    // With the `d` flag, group 1 (when there is one) is the part to report.
    const start = m.indices?.[1]?.[0] ?? m.index;
    const hit = m[1] ?? m[0];
    const end = start + hit.length;
    const comment = inComment(start) || inDocstring(start) || isMessageText(ctx, start);
    if (comment && !ctx.checkComments) continue;
    if (ctx.guards.isTest(start) || ctx.guards.isGuardedFor(start, arches)) continue;
    // A make mapping entry: `EFI_NAME_amd64 = grubx64.efi`.
    const a = ctx.make?.lineAt(start)?.assignment;
    if (a && scanArchLiterals(a.name).some((l) => l.arches.some((x) => arches.includes(x)))) continue;
    // A value put into a menu template by sed, not the thing it names (DESIGN §2).
    if ((ctx.kind === 'shell' || ctx.make) && isTemplateValue(ctx, start, end)) continue;
    const { line } = ctx.file.position(start);
    const lineStart = ctx.file.lineStart(line);
    const lineEnd = ctx.file.lineEnd(line);
    if (counterpart) {
      counterpart.lastIndex = 0;
      if (counterpart.test(text.slice(lineStart, lineEnd))) continue;
    }
    // One finding per word: `isolinux/isolinux.cfg` is one path.
    const word = wordAround(text, start, end);
    const prev = out[out.length - 1];
    if (prev && prev.start >= word.start && prev.end <= word.end) continue;
    out.push({ start, end, text: hit, lineStart, lineEnd, comment });
  }
  return out;
}

/** A sed `s` command: delimiter, pattern, replacement. */
const SED_S = /(?<![\w$])s([#/|@,:!%])((?:\\.|(?!\1).)*)\1((?:\\.|(?!\1).)*)\1/g;

/**
 * True when [start, end) is the whole value of a variable assignment (`UEFI_SYSTEM=menu.c32`,
 * `DEFAULT_ENTRY := menu.c32`) and every use of that variable in the file is the replacement text
 * of a sed `s` command: the term is then a value put into a menu template (a GRUB `default=`
 * placeholder), not the thing it names being installed, copied or loaded. The template decides
 * what the value means, and a BIOS menu template is x86's own. A variable never used in the file
 * (exported to another script) is not known to be a placeholder.
 */
export function isTemplateValue(ctx: RuleContext, start: number, end: number): boolean {
  const text = ctx.file.text;
  const { line } = ctx.file.position(start);
  const lineStart = ctx.file.lineStart(line);
  const lineEnd = ctx.file.lineEnd(line);
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  const m = /^[ \t]*(?:(?:export|local|readonly|declare|override)[ \t]+)*([A-Za-z_]\w*)[ \t]*(?:=|:=|\?=|::=)[ \t]*["']?$/.exec(before);
  if (!m || !/^["']?[ \t]*(?:#.*)?$/.test(after)) return false;
  const name = m[1] as string;
  const use = new RegExp(`\\$(?:\\{${name}\\}|\\(${name}\\)|${name}(?!\\w))`, 'g');
  let uses = 0;
  for (const u of text.matchAll(use)) {
    uses++;
    const l = ctx.file.position(u.index).line;
    const ls = ctx.file.lineStart(l);
    const at = u.index - ls;
    const lineText = text.slice(ls, ctx.file.lineEnd(l));
    let inReplacement = false;
    for (const s of lineText.matchAll(SED_S)) {
      const replStart = s.index + 1 + (s[1] as string).length + (s[2] as string).length + 1;
      if (at >= replStart && at < replStart + (s[3] as string).length) inReplacement = true;
    }
    if (!inReplacement) return false;
  }
  return uses > 0;
}

/** `x86_64 on amd64, arm64 on arm64`: a vocabulary's spellings on the configured arches, for messages. */
export function spellingsText(ctx: RuleContext, vocab: Vocabulary): string {
  const spell = VOCABULARIES[vocab].spell;
  return ctx.architectures.map((a) => `${spell[a] ?? 'none'} on ${a}`).join(', ');
}

/** The lines defining a per-arch mapping in make: `GRUB_CPU_amd64 := x86_64` … `GRUB_CPU := $(GRUB_CPU_$(DEB_HOST_ARCH))`. */
export function makeMappingText(ctx: RuleContext, variable: string, spell: Partial<Record<ArchName, string>>): string {
  const eol = ctx.file.eol;
  return ctx.architectures.map((a) => `${variable}_${a} := ${spell[a] ?? ''}${eol}`).join('') + `${variable} := $(${variable}_$(DEB_HOST_ARCH))${eol}`;
}

/**
 * A make fix replacing [start, end) by `$(VARIABLE)` and defining VARIABLE as a per-arch mapping
 * (DESIGN §2: a name whose per-arch spelling no dpkg variable gives). The mapping goes right
 * before the line (before a recipe it cannot: then after the file's header), with
 * architecture.mk included in debian/rules when DEB_HOST_ARCH is not defined yet. Undefined
 * when some configured arch has no spelling (then only a guard is right).
 */
export function makeMappingFix(ctx: RuleContext, description: string, start: number, end: number, variable: string, spell: Partial<Record<ArchName, string>>): Fix | undefined {
  const make = ctx.make;
  if (!make || ctx.architectures.some((a) => spell[a] === undefined)) return undefined;
  const edits: Edit[] = [{ range: [start, end], text: `$(${variable})` }];
  const host = variableDefinition(ctx, 'DEB_HOST_ARCH');
  const def = host.state === 'defined' ? undefined : host.edit;
  // The mapping, like DEB_HOST_ARCH, may come from an included make file (DESIGN §2 "Make include").
  const own = variableDefinition(ctx, variable);
  const maybe = host.state === 'maybe' ? host.include : own.state === 'maybe' ? own.include : undefined;
  if (own.state !== 'defined') {
    const line = make.lineAt(start);
    const at = line && line.kind !== 'recipe' && line.kind !== 'define-body' ? line.start : make.headerEnd;
    const mapping = makeMappingText(ctx, variable, spell);
    if (def && def.range[0] === at) edits.push({ range: [at, at], text: def.text + mapping });
    else {
      edits.push({ range: [at, at], text: mapping });
      if (def) edits.push(def);
    }
  } else if (def) edits.push(def);
  if (maybe === undefined) return { description, edits };
  return markTentative({ description: `${description} (defining what '${maybe}' may already define: check it)`, edits });
}

/**
 * A shell fix replacing [start, end) by `${VARIABLE}` and, unless the script assigns it,
 * defining it from the running arch after the script's opening comment block.
 */
export function shellMappingFix(ctx: RuleContext, description: string, start: number, end: number, variable: string, spell: Partial<Record<ArchName, string>>): Fix | undefined {
  if (ctx.architectures.some((a) => spell[a] === undefined)) return undefined;
  const text = ctx.file.text;
  // Nothing expands inside single quotes or a heredoc with a quoted delimiter.
  const token = tokenAt(scriptModelOf(ctx.guards)?.tokens ?? [], start);
  if (token && (token.type === 'sq' || token.type === 'ansiSq')) return undefined;
  if (token?.type === 'heredoc' && /<<-?\s*['"\\]/.test(text.slice(Math.max(0, token.offset - 200), token.offset))) return undefined;
  const edits: Edit[] = [{ range: [start, end], text: `\${${variable}}` }];
  if (!new RegExp(`(?:^|[\\s;])${variable}=`).test(text)) {
    const eol = ctx.file.eol;
    const header = /^(?:#[^\n]*\n|[ \t]*\n)*/.exec(text)?.[0].length ?? 0;
    const arms = ctx.architectures.map((a) => `    ${a}) ${variable}=${spell[a]} ;;${eol}`).join('');
    edits.push({ range: [header, header], text: `case "$(dpkg --print-architecture)" in${eol}${arms}esac${eol}${eol}` });
  }
  return { description, edits };
}

/**
 * Advice for a literal spelled in another vocabulary than dpkg's (a GRUB platform, a Go arch, a
 * kernel ARCH, a Rust target, a QEMU target) in a script, yaml or boot config, where the
 * running arch is read at run time: what the running arch's spelling gives when it is right on
 * every configured arch, else a per-arch mapping (DESIGN §2). Undefined for dpkg's own spellings.
 */
export function vocabularyAdvice(ctx: RuleContext, start: number, end: number): { hint: string; suggest?: Fix[] } | undefined {
  const use = vocabularyAt(ctx.file.text, start, end);
  if (!use) return undefined;
  const facts = VOCABULARIES[use.vocab];
  const spelled = `the ${facts.what} is ${spellingsText(ctx, use.vocab)}`;
  if (unspelled(use.vocab, ctx.architectures).length) return { hint: `${spelled}: keep it under an arch test` };
  if (use.vocab === 'grubCpu' && ctx.kind === 'bootcfg' && !isXmlText(ctx.file.text)) {
    // A GRUB script knows its own cpu.
    return { hint: `${spelled}: use \${grub_cpu}`, suggest: [{ description: `replace '${ctx.file.text.slice(use.start, use.end)}' with \${grub_cpu}`, edits: [{ range: [use.start, use.end], text: '${grub_cpu}' }] }] };
  }
  const shell = ctx.kind === 'shell';
  const running = use.vocab === 'go' ? 'DEB_HOST_ARCH' : use.vocab === 'qemu' ? 'DEB_HOST_GNU_CPU' : undefined;
  if (running && dpkgVariableFor(use.vocab, ctx.architectures) === running) {
    const cmd = running === 'DEB_HOST_ARCH' ? '$(dpkg --print-architecture)' : '$(uname -m)';
    return { hint: `${spelled}: use "${cmd}"${use.vocab === 'qemu' ? ' for the host\'s own emulator' : ''}` };
  }
  if (use.vocab === 'rust') return { hint: `${spelled}: take it from DEB_HOST_RUST_TYPE (/usr/share/rustc/architecture.mk) or map it per arch` };
  const mapping = shell ? shellMappingFix(ctx, `replace '${ctx.file.text.slice(use.start, use.end)}' with \${${facts.variable}}, set per arch`, use.start, use.end, facts.variable, facts.spell) : undefined;
  const never = use.vocab === 'grubCpu' ? ' (never uname -m or DEB_HOST_GNU_CPU: aarch64 is not a GRUB cpu)' : '';
  return { hint: `${spelled}${never}: set ${facts.variable} per arch and use it`, ...(mapping ? { suggest: [mapping] } : {}) };
}

/** How a guard is written in each kind, for messages. */
export function guardHint(ctx: RuleContext): string {
  // a remastering tool's guard is the ISO's layout: it may remaster an arm64 ISO on an amd64 host
  if (isIsoRemasterTool(ctx)) return `${isoLayoutTest(ctx)}: the ISO's own layout, not the host's arch, since this tool may remaster an arm64 ISO on an amd64 host`;
  switch (ctx.kind) {
    case 'rules':
    case 'makefile':
      return 'ifneq (,$(filter amd64 i386,$(DEB_HOST_ARCH)))';
    case 'control':
      return 'an [amd64 i386] restriction';
    case 'pkg-list':
    case 'pkg-dirs':
      return 'a twin list per arch';
    case 'yaml':
      return "{% if ansible_architecture == 'x86_64' %} or an arch-keyed twin";
    case 'bootcfg':
      return 'if [ "${grub_cpu}" = "x86_64" ]';
    case 'python':
      return "if platform.machine() == 'x86_64':";
    case 'puppet':
      // Facter says amd64 on x86-64 but aarch64 on arm64 (puppet-guards.ts)
      return /\.erb$/.test(ctx.file.path) ? "<% if @architecture == 'amd64' -%>" : "case $facts['os']['architecture'] { 'amd64': { … } }";
    default:
      return 'case "$(dpkg --print-architecture)" in amd64) … ;; esac';
  }
}

const yamlCache = new WeakMap<SourceFile, YamlModel>();

/** The YAML model of the file (computed once per file). */
export function yamlModel(ctx: RuleContext): YamlModel {
  let m = yamlCache.get(ctx.file);
  if (!m) {
    m = (ctx.kind === 'yaml' ? yamlModelOf(ctx.guards) : undefined) ?? parseYaml(ctx.file.text, ctx.architectures);
    yamlCache.set(ctx.file, m);
  }
  return m;
}

const topKeys = new WeakMap<YamlModel, YamlKey[]>();

/** The top-level key whose value holds `offset` (`dl_path` for a `url:` under it); binary search. */
function topKeyAt(model: YamlModel, offset: number): YamlKey | undefined {
  let keys = topKeys.get(model);
  if (!keys) {
    keys = model.keys.filter((k) => k.column === 0);
    topKeys.set(model, keys);
  }
  let lo = 0;
  let hi = keys.length - 1;
  let at: YamlKey | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keys[mid] as YamlKey;
    if (k.valueStart <= offset) {
      at = k;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at && offset < at.valueEnd ? at : undefined;
}

const wrongOn = (ctx: RuleContext, lit: TextLiteral): ArchName[] => ctx.architectures.filter((a) => !lit.arches.includes(a));

/** The configured arches a `meta_data.yaml` top key (`dl_path`) has no `dl_path_<arch>` twin for. */
function missingTwins(model: YamlModel, top: YamlKey, arches: readonly ArchName[]): ArchName[] {
  return arches.filter((a) => !model.keys.some((k) => k.column === 0 && k.name === `${top.name}_${a}`));
}

/** A build stamp: the date and time a CI build ran (`20260712T220100Z`). */
const BUILD_STAMP = /(?<!\d)\d{8}T\d{4,6}Z?(?!\d)/;

/**
 * True when the literal is part of the identifier of one existing build: a word (not a URL or
 * path) that also carries a build stamp, as `master-debian-bullseye-amd64-stable-20260712T220100Z.0`
 * in an image-retag table. Such data records what was built on amd64; it is not logic that
 * builds for the running arch, and the arm64 port adds its own records rather than edit these.
 */
export function isBuildRecord(text: string, lit: { start: number; end: number }): boolean {
  const w = wordAround(text, lit.start, lit.end);
  // once per word: a long word holds many literals
  return perText(text, 'build-record', `${w.start}:${w.end}`, () => {
    const word = w.text.replace(/^[\w-]+[:=]/, '');
    return !word.includes('/') && BUILD_STAMP.test(word);
  });
}

/** A Kubernetes object kind as kubectl names it (`daemonset/NAME`, `delete daemonset NAME`). */
const K8S_KIND = '(?:daemonsets?|ds|deployments?|deploy|statefulsets?|sts|pods?|services?|svc|configmaps?|cm|secrets?|jobs?|cronjobs?|serviceaccounts?|sa)';
const K8S_REF_BEFORE = new RegExp(`(?:\\b${K8S_KIND}/|\\b${K8S_KIND} )[\\w.-]*$`, 'i');

/**
 * True when the literal is part of a Kubernetes object's name: the `name:` of its `metadata:`, or
 * a kubectl reference to an object (`daemonset/kube-multus-ds-amd64`). A name is an identifier;
 * what runs where is decided by the object's node selector (container-image-arch's).
 */
export function isObjectName(ctx: RuleContext, model: YamlModel, lit: { start: number; end: number }): boolean {
  const text = ctx.file.text;
  const key = model.keyAt(lit.start);
  if (key?.name === 'name') {
    const parent = model.keyAt(key.start);
    if (parent?.name === 'metadata') return true;
  }
  const line = model.lineAt(lit.start);
  if (!line) return K8S_REF_BEFORE.test(text.slice(0, lit.start).replace(/\s+/g, ' '));
  const ls = line.start;
  // `K8S_REF_BEFORE.test(text.slice(from, lit.start).replace(/\s+/g, ' '))` read once per name:
  // its `[\w.-]*$` is the whole run of name characters before the literal (r on), so the answer
  // depends on where that run starts and where the text read starts; the run and the line's
  // first non-blank are found once per line (a long line holds many literals).
  const facts = perText(text, 'k8s-line', String(ls), () => {
    const body = text.slice(ls, linesAround(text, ls)[1]);
    const runs = [...body.matchAll(/[\w.-]+/g)].map((m) => [ls + m.index, ls + m.index + m[0].length] as const);
    return { runs, firstNonBlank: ls + (/\S/.exec(body)?.index ?? body.length) };
  });
  let lo = 0;
  let hi = facts.runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((facts.runs[mid] as readonly [number, number])[0] < lit.start) lo = mid + 1;
    else hi = mid - 1;
  }
  const run = facts.runs[hi];
  const r = run && run[1] >= lit.start ? run[0] : lit.start;
  // A folded command continues on the next line: `kubectl delete daemonset` / `  kube-…-amd64`.
  const from = facts.firstNonBlank >= r ? (model.lineAt(Math.max(0, line.start - 1))?.start ?? 0) : ls;
  return perText(text, 'k8s-ref', `${from}:${r}`, () => {
    let k = r;
    if (k > from && text[k - 1] === '/') k--;
    else if (k > from && /\s/.test(text[k - 1] as string)) {
      while (k > from && /\s/.test(text[k - 1] as string)) k--;
    } else return false;
    // a kind is at most 15 characters: 20 before it are enough for its \b
    return K8S_KIND_END.test(text.slice(Math.max(from, k - 20), k));
  });
}
const K8S_KIND_END = new RegExp(`\\b${K8S_KIND}$`, 'i');

/**
 * True when the literal is an item of a yaml sequence of plain scalars whose items together
 * name every configured arch (`values: [arm64, amd64]` one item a line, a node affinity list).
 */
function inFullArchList(ctx: RuleContext, model: YamlModel, offset: number): boolean {
  const text = ctx.file.text;
  const lines = model.lines;
  // An item that is an arch name and nothing else (not `linux-image-amd64`), and its indent.
  const archItem = (i: number): number | undefined => {
    const l = lines[i];
    const m = l ? /^(\s*)-\s*["']?(\w+)["']?\s*$/.exec(text.slice(l.start, l.end)) : null;
    return m && scanArchLiterals(m[2] as string).some((x) => x.text === m[2]) ? (m[1] as string).length : undefined;
  };
  const at = lines.findIndex((l) => offset >= l.start && offset <= l.end);
  const indent = archItem(at);
  if (indent === undefined) return false;
  let first = at;
  while (first > 0 && archItem(first - 1) === indent) first--;
  let last = at;
  while (last < lines.length - 1 && archItem(last + 1) === indent) last++;
  if (first === last) return false;
  return spanNamesEveryArch(ctx, (lines[first] as { start: number }).start, (lines[last] as { end: number }).end);
}

/**
 * Literals of a yaml or boot config file that are findings: not a test, guard, full list, the
 * file's own arch, a record of an existing build, or a generic `dl_path` whose every other arch
 * has its `dl_path_<arch>` twin.
 */
export function bootArchLiterals(ctx: RuleContext): readonly TextLiteral[] {
  // once per lint of a file (hardcoded-arch and arch-in-download-url both ask): what it reads is
  // the file, its parse (the guards) and the settings below, never another file or a rule's options
  const last = bootLiteralsCache.get(ctx.guards);
  if (last && last.file === ctx.file && last.kind === ctx.kind && last.checkComments === ctx.checkComments && last.architectures === ctx.architectures) return last.literals;
  const literals = bootArchLiteralsOf(ctx);
  bootLiteralsCache.set(ctx.guards, { file: ctx.file, kind: ctx.kind, checkComments: ctx.checkComments, architectures: ctx.architectures, literals });
  return literals;
}

const bootLiteralsCache = new WeakMap<
  RuleContext['guards'],
  { file: SourceFile; kind: RuleContext['kind']; checkComments: boolean; architectures: readonly ArchName[]; literals: readonly TextLiteral[] }
>();

function bootArchLiteralsOf(ctx: RuleContext): TextLiteral[] {
  const model = ctx.kind === 'yaml' ? yamlModel(ctx) : undefined;
  return textArchLiterals(ctx).filter((lit) => {
    if (isExemptTextLiteral(ctx, lit) || isArchSpecificFile(ctx, lit.arches) || isBuildRecord(ctx.file.text, lit)) return false;
    if (model && (inFullArchList(ctx, model, lit.start) || isObjectName(ctx, model, lit))) return false;
    const top = model ? topKeyAt(model, lit.start) : undefined;
    return !(model && top && /^dl_(?:path|files)$/.test(top.name) && missingTwins(model, top, wrongOn(ctx, lit)).length === 0);
  });
}

/**
 * hardcoded-arch in yaml and boot configs: reported at info (values and configs, not build
 * logic). In a Jinja template a GNU cpu literal can be `{{ ansible_architecture }}` (suggested);
 * elsewhere the value is to be picked per arch.
 */
export function checkBootHardcodedArch(ctx: RuleContext): void {
  const j2 = /\.j2$|\.jinja2?$/.test(ctx.file.path);
  const model = ctx.kind === 'yaml' ? yamlModel(ctx) : undefined;
  for (const lit of bootArchLiterals(ctx)) {
    // lib64 in a config is a path inside some image or host (RPM-based ones use it on arm64 too).
    if (lit.meaning === 'lib64') continue;
    // A StarlingX download is arch-in-download-url's (checkMetaDataDownloads).
    const top = model ? topKeyAt(model, lit.start) : undefined;
    if (top && DL_TOP.test(top.name)) continue;
    const on = wrongOn(ctx, lit);
    const what = `hardcoded architecture '${lit.text}'${on.length ? ` is wrong on ${on.join(', ')}` : ''}`;
    if (reportInLat(ctx, { at: [lit.start, lit.end], what, on, severity: 'info', script: (p) => latScriptAdvice(p, 'name') })) continue;
    const vocab = vocabularyAdvice(ctx, lit.start, lit.end);
    if (vocab) {
      ctx.report({ at: [lit.start, lit.end], message: `hardcoded architecture '${lit.text}'${on.length ? ` is wrong on ${on.join(', ')}` : ''}: ${vocab.hint}`, severity: 'info' });
      continue;
    }
    const hint = j2 && lit.meaning === 'gnuCpu'
      ? 'use {{ ansible_architecture }}'
      : ctx.kind === 'yaml' ? 'pick the value per arch (an arch-keyed twin, or a template variable)' : 'pick it per arch (a grub_cpu test, or one config per arch)';
    const suggest: Fix[] | undefined = j2 && lit.meaning === 'gnuCpu'
      ? [{ description: `replace '${lit.text}' with {{ ansible_architecture }}`, edits: [{ range: [lit.start, lit.end], text: '{{ ansible_architecture }}' }] }]
      : undefined;
    ctx.report({
      at: [lit.start, lit.end],
      message: `hardcoded architecture '${lit.text}'${on.length ? ` is wrong on ${on.join(', ')}` : ''}: ${hint}`,
      severity: 'info',
      ...(suggest ? { suggest } : {}),
    });
  }
}

/**
 * arch-in-download-url in yaml and boot configs. In StarlingX `meta_data.yaml` a `dl_path` /
 * `dl_files` download names its arch: the arm64 build needs a `dl_path_arm64` twin with its own
 * URL and checksums, which no tool can know, so the twin is described, never written.
 */
export function checkBootDownloads(ctx: RuleContext, isDownload: (word: string) => boolean): void {
  const text = ctx.file.text;
  const model = ctx.kind === 'yaml' ? yamlModel(ctx) : undefined;
  if (model) for (const top of model.keys) if (top.column === 0 && DL_TOP.test(top.name)) checkMetaDataDownload(ctx, model, top, isDownload);
  // a long word holds many literals: whether it is a download name is read once per word
  const downloads = new Map<number, boolean>();
  const downloadAt = (word: { start: number; text: string }): boolean => {
    let d = downloads.get(word.start);
    if (d === undefined) downloads.set(word.start, (d = isDownload(word.text)));
    return d;
  };
  for (const lit of bootArchLiterals(ctx)) {
    if (lit.comment || (lit.meaning !== 'arch' && lit.meaning !== 'gnuCpu')) continue;
    const word = wordAround(text, lit.start, lit.end);
    if (!downloadAt(word)) continue;
    const on = wrongOn(ctx, lit);
    const what = `'${word.text}' names the ${lit.text} build${on.length ? ` on ${on.join(', ')}` : ''}`;
    if (reportInLat(ctx, { at: [lit.start, lit.end], what, on, script: (p) => latScriptAdvice(p, 'name') })) continue;
    const top = model ? topKeyAt(model, lit.start) : undefined;
    if (top && DL_TOP.test(top.name)) continue;
    ctx.report({
      at: [lit.start, lit.end],
      message: `'${word.text}' names the ${lit.text} build${on.length ? ` on ${on.join(', ')}` : ''}: pick the download per arch${ctx.kind === 'yaml' ? ' (an arch-keyed twin, or a template variable)' : ''}`,
    });
  }
}

/** A top key of a StarlingX `meta_data.yaml` download: `dl_path` (one file) or `dl_files` (a map of files). */
const DL_TOP = /^dl_(?:path|files)$/;

/** An arch literal in the value of a download's field, with the whole value it is in. */
interface DlName {
  lit: ArchLiteral;
  value: string;
}

/** The arch literals (arch or GNU cpu spellings) of a scalar value, at file offsets. */
function scalarArchNames(ctx: RuleContext, key: YamlKey | undefined): DlName[] {
  if (!key) return [];
  const v = scalarAt(ctx.file.text, key.valueStart, key.valueEnd);
  if (!v) return [];
  return scanArchLiterals(v.value)
    .filter((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu')
    .map((l) => ({ lit: { ...l, start: v.at[l.start] as number, end: (v.at[l.end - 1] as number) + 1 }, value: v.value }));
}

/** A pattern for a local file name as packaging spells it: its version runs may be a variable (`helm-v$(HELM_VERSION)-linux-amd64.tar.gz`). */
function namePattern(name: string): RegExp {
  const parts = name.split(/((?<!\d)\d+(?:\.\d+)+)/);
  const body = parts.map((p, i) => (i % 2 ? '\\S*?' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`(?<![\\w.-])${body}(?![\\w-])`, 'g');
}

/**
 * Where the package's own packaging (`deb_folder/` beside the meta_data.yaml: rules, install
 * lists) uses a downloaded file's local name or the folder it unpacks to: the arch literals
 * there, which change together with the download.
 */
function packagingUses(ctx: RuleContext, names: readonly string[]): { path: string; line: number; range: [number, number] }[] {
  const folder = ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/') + 1) + 'deb_folder/';
  const out: { path: string; line: number; range: [number, number] }[] = [];
  const patterns = names.map(namePattern);
  for (const path of ctx.project.paths()) {
    if (!path.startsWith(folder) || /\/(?:changelog|copyright)$/.test(path)) continue;
    const file = ctx.project.get(path);
    if (!file) continue;
    const seen = new Set<number>();
    for (const re of patterns) {
      for (const m of file.text.matchAll(re)) {
        for (const l of scanArchLiterals(m[0], m.index)) {
          if (seen.has(l.start) || (l.meaning !== 'arch' && l.meaning !== 'gnuCpu')) continue;
          seen.add(l.start);
          out.push({ path, line: file.position(l.start).line, range: [l.start, l.end] });
        }
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.range[0] - b.range[0]));
}

/**
 * arch-in-download-url for one StarlingX download (`dl_path:` or `dl_files:` of meta_data.yaml),
 * read as yaml values (a quoted URL may continue on the next line). A `dl_path` name or URL, or a
 * `dl_files` entry's local name, `url` or `topdir`, that names an arch is a finding unless every
 * other configured arch has its `<key>_<arch>` twin. The twin is described, never written (its
 * checksums must come from the real file). One change per download: every place is reported and
 * the engine merges them into one finding (`group`); for `dl_files`, the packaging lines that use
 * its local names or topdirs (`linux-amd64/helm` in deb_folder/rules) are named and related.
 */
function checkMetaDataDownload(ctx: RuleContext, model: YamlModel, top: YamlKey, isDownload: (word: string) => boolean): void {
  const children = model.keys.filter((k) => parentKey(model.keys, k) === top);
  const field = (parent: YamlKey | undefined, name: string): YamlKey | undefined =>
    parent ? model.keys.find((k) => k.name === name && parentKey(model.keys, k) === parent) : undefined;
  const places: DlName[] = [];
  const local: string[] = [];
  const files: string[] = [];
  if (top.name === 'dl_path') {
    for (const f of ['name', 'url']) for (const n of scalarArchNames(ctx, field(top, f))) if (isDownload(n.value)) places.push(n);
    const nameKey = field(top, 'name');
    const name = nameKey ? scalarAt(ctx.file.text, nameKey.valueStart, nameKey.valueEnd)?.value : undefined;
    if (places.length && name) files.push(name);
  } else {
    for (const entry of children) {
      const own: DlName[] = scanArchLiterals(entry.name)
        .filter((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu')
        .map((l) => ({ lit: { ...l, start: entry.start + l.start + (ctx.file.text[entry.start] === '"' || ctx.file.text[entry.start] === "'" ? 1 : 0), end: 0 }, value: entry.name }))
        .map((n) => ({ ...n, lit: { ...n.lit, end: n.lit.start + n.lit.text.length } }));
      const topdir = scalarArchNames(ctx, field(entry, 'topdir'));
      const url = scalarArchNames(ctx, field(entry, 'url'));
      if (!own.length && !topdir.length && !url.length) continue;
      places.push(...own, ...url, ...topdir);
      files.push(entry.name);
      if (own.length) local.push(entry.name);
      for (const t of topdir) if (!local.includes(t.value)) local.push(t.value);
    }
  }
  const live = places.filter((p) => !ctx.guards.isGuardedFor(p.lit.start, p.lit.arches) && !ctx.guards.isTest(p.lit.start));
  if (!live.length) return;
  const first = (live[0] as DlName).lit;
  const built = [...new Set(live.map((p) => p.lit.text))].join('/');
  const missing = missingTwins(model, top, ctx.architectures.filter((a) => !live.every((p) => p.lit.arches.includes(a))));
  if (!missing.length) return;
  const twins = missing.map((a) => `\`${top.name}_${a}:\``).join(', ');
  const uses = top.name === 'dl_files' ? packagingUses(ctx, local) : [];
  const folder = ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/') + 1);
  const where = [...new Set(uses.map((u) => `${u.path.slice(folder.length)}:${u.line}`))];
  const neutral = top.name === 'dl_files' ? ` (it replaces ${top.name} there, so repeat every arch-neutral entry in it)` : '';
  const how: string[] = [];
  if (live.every((p) => p.lit.meaning === 'arch')) {
    if (uses.some((u) => /\/rules$/.test(u.path))) how.push('$(DEB_HOST_ARCH) in rules');
    // what works in a debhelper list depends on its compat level and dh-exec steps: its own finding says
    if (uses.some((u) => !/\/rules$/.test(u.path))) how.push('in debhelper lists as their own findings say: ${DEB_HOST_ARCH} only where debhelper or dh-exec substitutes it');
    if (ctx.placeholder) how.push(`or ${ctx.placeholder}`);
  } else how.push("the upstream's name for each arch");
  const together = where.length
    ? `; ${where.join(', ')} use${where.length === 1 ? 's' : ''} its ${first.text} names and must change with it (${how.join(', ')})`
    : '';
  const message = `${top.name} downloads the ${built} build (${files.join(', ')}), used on ${missing.join(', ')} too: add ${twins} with that arch's ${top.name === 'dl_files' ? 'file names, URLs and checksums' : 'name, URL and checksums'}${neutral} (not written for you: the checksums must come from the real file; ${twinReaderNote(top.name, { key: true, reader: 'debrepack.py' })})${together}`;
  const related: RelatedLocation[] = uses.map((u) => ({ path: u.path, range: u.range }));
  const group = `${top.name}@${top.start}`;
  live.forEach((p, i) => {
    ctx.report({
      at: [p.lit.start, p.lit.end],
      message,
      group,
      summary: (count) => `${message} [${count} places in ${top.name}]`,
      ...(i === 0 && related.length ? { related } : {}),
    });
  });
}

/** Keys whose value is an image reference in helm values, compose files and manifests. */
const IMAGE_KEY = /^(?:image|repository|repo|[\w-]*[iI]mage|[\w-]*_img)$/;

/**
 * container-image-arch in yaml: `image: registry.k8s.io/pause-amd64:3.9` (and helm's
 * `repository:`) names one arch's image; a `kubernetes.io/arch: amd64` node selector keeps the
 * workload off the other arches' nodes (info). Guards (Jinja, ansible `when:`, an arch-named key)
 * and comments are silent.
 */
export function checkYamlContainerImages(ctx: RuleContext): void {
  const text = ctx.file.text;
  const model = yamlModel(ctx);
  const spans: { start: number; end: number; images: boolean }[] = [{ start: 0, end: text.length, images: false }];
  for (const k of model.keys) if (IMAGE_KEY.test(k.name)) spans.push({ start: k.valueStart, end: model.lineAt(k.valueStart)?.end ?? k.valueEnd, images: true });
  const inComment = commentLookup(ctx);
  const seen = new Set<number>();
  for (const span of spans) {
    for (const ref of imageArchRefs(text, span.start, span.end, span.images)) {
      if (seen.has(ref.start) || (!span.images && ref.kind !== 'selector' && ref.kind !== 'platform')) continue;
      seen.add(ref.start);
      const lit = ref.literal;
      if (inComment(ref.start) || ctx.guards.isTest(lit.start)) continue;
      if (ctx.guards.isGuardedFor(lit.start, lit.arches) || isArchSpecificFile(ctx, lit.arches)) continue;
      const on = ctx.architectures.filter((a) => !lit.arches.includes(a) && ctx.guards.reachAt(lit.start).configured.includes(a));
      if (on.length === 0 || spanNamesEveryArch(ctx, model.lineAt(ref.start)?.start ?? ref.start, model.lineAt(ref.start)?.end ?? ref.end)) continue;
      const advice = ref.kind === 'selector'
        ? `drop it (or list ${ctx.architectures.join(', ')}) once the image is multi-arch`
        : ref.kind === 'platform' ? 'drop it and let the runtime pick its own platform' : ref.kind === 'namespace' ? 'use the multi-arch image' : 'use the multi-arch image (a manifest list), or pick the name per arch';
      ctx.report({
        at: [ref.start, ref.end],
        message: `'${ref.text}' ${ref.kind === 'selector' ? 'schedules only on' : 'names the image built for'} ${lit.text}, wrong on ${on.join(', ')}: ${advice}`,
        ...(ref.kind === 'selector' ? { severity: 'info' as const } : {}),
      });
    }
  }
}

/** The header line of a kernel config `make *config` wrote for x86 (`# Linux/x86 6.6.0 Kernel Configuration`). */
const X86_KCONFIG = /^# Linux\/(?:x86|i386|x86_64)\b[^\n]*Kernel Configuration\s*$/m;
/** The same for another arch (`# Linux/arm64 …`). */
const OTHER_KCONFIG = /^# Linux\/(?!x86\b|i386\b|x86_64\b)[\w-]+\b[^\n]*Kernel Configuration\s*$/m;

export interface KernelConfigCopy {
  start: number;
  end: number;
  /** The destination word (`./config/amd64/config.amd64`). */
  word: string;
  /** The x86 config the package holds, and its header line (or the `CONFIG_X86_64=y` that says x86). */
  config: string;
  header: string;
  lit: TextLiteral;
}

/**
 * Where a kernel package's script installs a committed kernel config into the Debian kernel's
 * per-arch config tree (`cp …/source/config ./config/amd64/config.amd64`) while the only full
 * config the package holds says `# Linux/x86 … Kernel Configuration` (or sets `CONFIG_X86_64=y`): the arch literals of the
 * destination. Swapping them for the running arch would install the x86 config as arm64's; the
 * port needs a config per arch. A package that also holds another arch's config is silent.
 */
export function kernelConfigCopies(ctx: RuleContext): KernelConfigCopy[] {
  const text = ctx.file.text;
  if (!/(?:^|\/)config\/[\w-]+\//m.test(text)) return [];
  // the copies first: a script that copies no config names no folder's configs (nor depends on them)
  const copies: { lit: TextLiteral; word: string }[] = [];
  for (const lit of textArchLiterals(ctx)) {
    if (lit.comment || lit.meaning !== 'arch' || !lit.arches.some((a) => X86.includes(a))) continue;
    if (ctx.guards.isTest(lit.start) || ctx.guards.isGuardedFor(lit.start, lit.arches)) continue;
    const word = wordAround(text, lit.start, lit.end);
    // the Debian kernel's per-arch config tree: config/<arch>/… (config.<flavour>, a featureset)
    if (!/(?:^|\/)config\/[\w-]*$/.test(text.slice(word.start, lit.start)) && !/(?:^|\/)config\/[\w-]+\/(?:[\w-]+\/)*config\.$/.test(text.slice(word.start, lit.start))) continue;
    // a copy: the command may start on an earlier line continued with `\`
    let ls = lit.lineStart;
    while (ls > 0 && /\\\r?\n$/.test(text.slice(Math.max(0, ls - 3), ls))) ls = text.lastIndexOf('\n', ls - 2) + 1;
    if (!/(?:^|[\s;&|(])(?:cp|install|ln|mv|rsync)\s/.test(text.slice(ls, lit.lineEnd))) continue;
    copies.push({ lit, word: word.text });
  }
  if (!copies.length) return [];
  const dir = ctx.file.path.slice(0, ctx.file.path.lastIndexOf('/') + 1);
  const configs: { path: string; header: string }[] = [];
  let other = false;
  for (const p of ctx.project.paths()) {
    if (!p.startsWith(dir) || !/(?:^|\/)config[^/]*$/.test(p)) continue;
    const text = ctx.project.get(p)?.text ?? '';
    const head = text.slice(0, 400);
    // make's header names the arch; a config without it says x86 by selecting the arch itself
    const m = X86_KCONFIG.exec(head) ?? /^CONFIG_X86(?:_64)?=y$/m.exec(text);
    if (m && !OTHER_KCONFIG.test(head)) configs.push({ path: p.slice(dir.length), header: m[0].trim() });
    else if (OTHER_KCONFIG.test(head) || /^CONFIG_(?:ARM64|ARM|RISCV|PPC64|S390)=y$/m.test(text)) other = true;
  }
  if (!configs.length || other) return [];
  const first = configs[0] as { path: string; header: string };
  return copies.map(({ lit, word }) => ({ start: lit.start, end: lit.end, word, config: first.path, header: first.header, lit }));
}

/** A package named in a yaml install list: a LAT image yaml list or `apt install` line, or an ansible apt/package task. */
export interface YamlPackage {
  name: string;
  start: number;
  end: number;
  /** `lat`: a LAT image yaml (no conditionals: its remedy is an arch-keyed twin); `ansible`: a task (`when:`). */
  flavour: 'lat' | 'ansible';
}

const PKG_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/** An ansible task module that installs packages (its `name:` / `pkg:`). */
export const ANSIBLE_PKG_MODULE = /^(?:ansible\.builtin\.)?(?:apt|package)$/;
/** The top-level keys of a LAT image yaml that list packages. */
export const LAT_PACKAGE_KEYS: readonly string[] = ['packages', 'external-packages'];
/** `apt install …` / `apt-get -y install …` in a LAT image yaml's rootfs script. */
export const LAT_APT_INSTALL = /\bapt(?:-get)?((?:[ \t]+-[-\w=]+)*)[ \t]+install\b([^\n;&|\\#]*)/g;

/** The plain items of a yaml sequence value (block `- a` lines or a flow `[a, b]`) in [start, end). */
function sequenceItems(text: string, start: number, end: number): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const body = text.slice(start, end);
  for (const m of body.matchAll(/^([ \t]*-[ \t]+)(["']?)([^\s"'#{}[\],]+)\2[ \t]*(?:#.*)?$/gm)) {
    const s = start + m.index + (m[1] as string).length + (m[2] as string).length;
    out.push({ name: m[3] as string, start: s, end: s + (m[3] as string).length });
  }
  const flow = /^\s*\[([^\]]*)\]/.exec(body);
  if (flow) {
    let off = start + flow.index + flow[0].indexOf('[') + 1;
    for (const part of (flow[1] as string).split(',')) {
      const m = /^(\s*["']?)([^\s"']+)/.exec(part);
      if (m) out.push({ name: m[2] as string, start: off + (m[1] as string).length, end: off + (m[1] as string).length + (m[2] as string).length });
      off += part.length + 1;
    }
  }
  const scalar = /^[ \t]*(["']?)([^\s"'#{}[\],-][^\s"'#{}[\],]*)\1[ \t]*(?:#.*)?$/m.exec(body);
  if (!out.length && scalar && !body.slice(0, scalar.index).trim()) {
    const s = start + scalar.index + (scalar[0].length - scalar[0].trimStart().length) + (scalar[1] as string).length;
    out.push({ name: scalar[2] as string, start: s, end: s + (scalar[2] as string).length });
  }
  return out.filter((i) => PKG_NAME.test(i.name));
}

/** Where a key's value ends, counting a block sequence written at the key's own indent (`packages:` / `- a`). */
function valueEndOf(model: YamlModel, key: YamlKey): number {
  let end = key.valueEnd;
  const lines = model.lines;
  let i = lines.findIndex((l) => l.start >= key.valueEnd);
  for (; i >= 0 && i < lines.length; i++) {
    const l = lines[i] as YamlLine;
    if (l.indent === -1) continue;
    const dash = l.tokens.find((t) => t.type !== 'ws');
    if (l.indent > key.column || (l.indent === key.column && dash?.type === 'dash')) end = l.end;
    else break;
  }
  return end;
}

/**
 * The packages a yaml file installs: in a LAT image yaml (top-level `packages:` /
 * `external-packages:` with other LAT keys) the items of those lists and the arguments of
 * `apt install` / `apt-get install` in its scripts; in ansible, the `name:` / `pkg:` of an `apt` or
 * `package` task. Jinja values are left out.
 */
export function yamlPackages(ctx: RuleContext): YamlPackage[] {
  const model = yamlModel(ctx);
  const text = ctx.file.text;
  const top = model.keys.filter((k) => k.column === 0);
  const out: YamlPackage[] = [];
  if (isLatImage(ctx)) {
    for (const k of top) {
      if (LAT_PACKAGE_KEYS.includes(k.name)) {
        for (const i of sequenceItems(text, k.valueStart, valueEndOf(model, k))) out.push({ ...i, flavour: 'lat' });
      }
      if (!/^rootfs-(?:pre|post)-scripts$/.test(k.name)) continue;
      const body = text.slice(k.valueStart, valueEndOf(model, k));
      for (const m of body.matchAll(LAT_APT_INSTALL)) {
        // a shell comment in the script (`#apt install …`) installs nothing
        if (/^[ \t]*#/.test(body.slice(body.lastIndexOf('\n', m.index) + 1, m.index))) continue;
        let off = k.valueStart + m.index + m[0].length - (m[2] as string).length;
        for (const w of (m[2] as string).split(/([ \t]+)/)) {
          if (PKG_NAME.test(w) && !w.startsWith('-')) out.push({ name: w, start: off, end: off + w.length, flavour: 'lat' });
          off += w.length;
        }
      }
    }
    return out;
  }
  for (const mod of model.keys) {
    if (!ANSIBLE_PKG_MODULE.test(mod.name)) continue;
    for (const k of model.keys) {
      if ((k.name !== 'name' && k.name !== 'pkg') || k.start < mod.valueStart || k.start >= mod.valueEnd || parentKey(model.keys, k) !== mod) continue;
      for (const i of sequenceItems(text, k.valueStart, valueEndOf(model, k))) out.push({ ...i, flavour: 'ansible' });
    }
  }
  return out;
}
