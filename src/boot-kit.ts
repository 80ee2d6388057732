/**
 * The boot kit: what the boot and image rules share, for files of any kind. A comments-aware
 * scan for x86-only boot terms (syslinux, `grubx64.efi`, `bzImage`, `console=ttyS0` …) with the
 * exemptions every kind has (a guard, a file that is arch-specific by name or folder, a line that
 * also names the other arch's counterpart), and the yaml/bootcfg side of hardcoded-arch and
 * arch-in-download-url.
 */
import { dpkgVariableFor, scanArchLiterals, unspelled, vocabularyAt, VOCABULARIES, type ArchName, type Vocabulary } from './arch.js';
import { parseYaml, type YamlKey, type YamlModel } from './models/yaml.js';
import type { SourceFile } from './source.js';
import { commentLookup, imageArchRefs, markTentative, variableDefinition, isExemptTextLiteral, isIsoRemasterTool, isoLayoutTest, namesEveryArch as namesEveryArchText, textArchLiterals, wordAround, type TextLiteral } from './rule-kit.js';
import type { Edit, Fix, RuleContext } from './types.js';
import { listScope } from './list-kit.js';
import { scriptModelOf } from './kinds/scripts.js';
import { latScriptAdvice, reportInLat } from './lat-kit.js';
import { isMessageText, tokenAt } from './script-kit.js';
import { isXml as isXmlText } from './lexers/bootcfg.js';

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
  if (isTestData(ctx.file.path)) return true;
  const own = pathArches(ctx.file.path);
  return own.length > 0 && own.some((a) => arches.includes(a));
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
  const inComment = commentLookup(ctx);
  // A Python docstring is prose, like a comment.
  const docstrings = ctx.kind === 'python' ? (scriptModelOf(ctx.guards)?.python?.docstrings ?? []) : [];
  const inDocstring = (o: number): boolean => docstrings.some((d) => o >= d.offset && o < d.offset + d.text.length);
  const out: TermHit[] = [];
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
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
    m = parseYaml(ctx.file.text, ctx.architectures);
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
  const word = wordAround(text, lit.start, lit.end).text.replace(/^[\w-]+[:=]/, '');
  return !word.includes('/') && BUILD_STAMP.test(word);
}

/** A Kubernetes object kind as kubectl names it (`daemonset/NAME`, `delete daemonset NAME`). */
const K8S_KIND = '(?:daemonsets?|ds|deployments?|deploy|statefulsets?|sts|pods?|services?|svc|configmaps?|cm|secrets?|jobs?|cronjobs?|serviceaccounts?|sa)';
const K8S_REF_BEFORE = new RegExp(`(?:\\b${K8S_KIND}/|\\b${K8S_KIND} )[\\w.-]*$`, 'i');

/**
 * True when the literal is part of a Kubernetes object's name: the `name:` of its `metadata:`, or
 * a kubectl reference to an object (`daemonset/kube-multus-ds-amd64`). A name is an identifier;
 * what runs where is decided by the object's node selector (container-image-arch's).
 */
function isObjectName(ctx: RuleContext, model: YamlModel, lit: { start: number; end: number }): boolean {
  const text = ctx.file.text;
  const key = model.keyAt(lit.start);
  if (key?.name === 'name') {
    const parent = model.keyAt(key.start);
    if (parent?.name === 'metadata') return true;
  }
  const line = model.lineAt(lit.start);
  let before = text.slice(line?.start ?? 0, lit.start);
  // A folded command continues on the next line: `kubectl delete daemonset` / `  kube-…-amd64`.
  if (line && /^\s*[\w.-]*$/.test(before)) before = text.slice(model.lineAt(Math.max(0, line.start - 1))?.start ?? 0, lit.start);
  return K8S_REF_BEFORE.test(before.replace(/\s+/g, ' '));
}

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
  return namesEveryArchText(text.slice((lines[first] as { start: number }).start, (lines[last] as { end: number }).end), ctx.architectures);
}

/**
 * Literals of a yaml or boot config file that are findings: not a test, guard, full list, the
 * file's own arch, a record of an existing build, or a generic `dl_path` whose every other arch
 * has its `dl_path_<arch>` twin.
 */
export function bootArchLiterals(ctx: RuleContext): TextLiteral[] {
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
  for (const lit of bootArchLiterals(ctx)) {
    // lib64 in a config is a path inside some image or host (RPM-based ones use it on arm64 too).
    if (lit.meaning === 'lib64') continue;
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
  for (const lit of bootArchLiterals(ctx)) {
    if (lit.comment || (lit.meaning !== 'arch' && lit.meaning !== 'gnuCpu')) continue;
    const word = wordAround(text, lit.start, lit.end);
    if (!isDownload(word.text)) continue;
    const on = wrongOn(ctx, lit);
    const what = `'${word.text}' names the ${lit.text} build${on.length ? ` on ${on.join(', ')}` : ''}`;
    if (reportInLat(ctx, { at: [lit.start, lit.end], what, on, script: (p) => latScriptAdvice(p, 'name') })) continue;
    const top = model ? topKeyAt(model, lit.start) : undefined;
    if (model && top && /^dl_(?:path|files)$/.test(top.name)) {
      const missing = missingTwins(model, top, on);
      ctx.report({
        at: [lit.start, lit.end],
        message: `'${word.text}' in ${top.name} names the ${lit.text} build, used on ${missing.join(', ')} too: add ${missing.map((a) => `\`${top.name}_${a}:\``).join(', ')} with that arch's URL and checksums (not written for you: the checksums must come from the real file)`,
      });
      continue;
    }
    ctx.report({
      at: [lit.start, lit.end],
      message: `'${word.text}' names the ${lit.text} build${on.length ? ` on ${on.join(', ')}` : ''}: pick the download per arch${ctx.kind === 'yaml' ? ' (an arch-keyed twin, or a template variable)' : ''}`,
    });
  }
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
      if (on.length === 0 || namesEveryArchText(text.slice(model.lineAt(ref.start)?.start ?? ref.start, model.lineAt(ref.start)?.end ?? ref.end), ctx.architectures)) continue;
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
