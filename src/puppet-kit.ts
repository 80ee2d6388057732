/**
 * The puppet side of the arch rules: which literals of a manifest or template are findings,
 * the selector a porter writes instead, and the dead Facter tests ambiguous-arch-match reports.
 * Literals count in strings, bare words, heredocs and template text; not in comments, variable
 * names, regexes (tests) or a test's own values. A hash, array, selector or case naming every
 * configured arch is a mapping (DESIGN §2).
 */
import { archFacts, scanArchLiterals, spellings, type ArchLiteral, type ArchName } from './arch.js';
import { isArchSpecificFile } from './boot-kit.js';
import { puppetModelOf } from './kinds/puppet.js';
import { FACT_SPELLING, facterSays, type PuppetModel } from './puppet-guards.js';
import { spanNamesEveryArch, wordAround } from './rule-kit.js';
import type { Fix, RuleContext } from './types.js';

export interface PuppetLiteral extends ArchLiteral {
  /** The string token holding it, when it stands where a selector may replace it (after `=` or `=>`). */
  valueString?: { start: number; end: number; text: string };
}

/** The innermost `[…]`/`{…}` group around [start, end), or undefined. */
function innermostGroup(model: PuppetModel, start: number, end: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (const g of model.groups) {
    if (g[0] <= start && end <= g[1] && (!best || g[1] - g[0] < best[1] - best[0])) best = g;
  }
  return best;
}

/** Arch literals of a puppet file that are findings (the exemptions every kind has, plus mappings). */
export function puppetArchLiterals(ctx: RuleContext): PuppetLiteral[] {
  const model = puppetModelOf(ctx.guards);
  if (!model) return [];
  const text = ctx.file.text;
  const out: PuppetLiteral[] = [];
  for (const [s, e] of model.literalSpans) {
    for (const lit of scanArchLiterals(text.slice(s, e), s)) {
      // lib64 in a config or manifest is a path on some host (RPM-based ones use it on arm64 too).
      if (lit.meaning === 'lib64') continue;
      if (ctx.guards.isTest(lit.start) || ctx.guards.isGuardedFor(lit.start, lit.arches)) continue;
      if (isArchSpecificFile(ctx, lit.arches)) continue;
      const line = ctx.file.position(lit.start).line;
      if (spanNamesEveryArch(ctx, ctx.file.lineStart(line), ctx.file.lineEnd(line))) continue;
      const g = innermostGroup(model, lit.start, lit.end);
      if (g && spanNamesEveryArch(ctx, g[0], g[1])) continue;
      const vs = model.valueStrings.find((t) => t.offset <= lit.start && lit.end <= t.offset + t.text.length);
      out.push({ ...lit, ...(vs ? { valueString: { start: vs.offset, end: vs.offset + vs.text.length, text: vs.text } } : {}) });
    }
  }
  return out;
}

/** The spelling of `arch` in the literal's vocabulary (Debian name, GNU cpu, triplet). */
function spellFor(lit: ArchLiteral, arch: ArchName): string | undefined {
  const f = archFacts(arch);
  switch (lit.meaning) {
    case 'arch': return f.name;
    case 'gnuCpu': return f.gnuCpu;
    case 'triplet': return lit.text === archFacts(lit.arches[0] as ArchName).gnuType ? f.gnuType : f.multiarch;
    default: return undefined;
  }
}

/**
 * A selector on `$facts['os']['architecture']` that gives each configured arch its own value:
 * keys in Facter's vocabulary (`amd64`, `aarch64`), values in the literal's (`grub-efi-arm64`).
 */
export function puppetSelector(ctx: RuleContext, lit: PuppetLiteral): string | undefined {
  const vs = lit.valueString;
  if (!vs) return undefined;
  const q = vs.text[0] as string;
  const entries: string[] = [];
  // A GRUB platform (`x86_64-efi`) is spelled with GRUB's cpu names (arm64-efi, not aarch64-efi); BIOS platforms have no arm64 twin.
  const after = vs.text.slice(lit.end - vs.start);
  if (/^-(?:pc|coreboot|qemu|multiboot|xen)\b/.test(after)) return undefined;
  const grub = /^-efi\b/.test(after);
  for (const a of ctx.architectures) {
    const key = facterSays('architecture', a);
    const spelled = grub ? spellings(archFacts(a), 'grubCpu')[0] : spellFor(lit, a);
    if (!key || !spelled) return undefined;
    const value = vs.text.slice(0, lit.start - vs.start) + spelled + vs.text.slice(lit.end - vs.start);
    entries.push(`'${key}' => ${value.startsWith(q) ? value : q + value}`);
  }
  return `${FACT_SPELLING.architecture} ? { ${entries.join(', ')} }`;
}

/** hardcoded-arch in puppet: info (configuration, not build logic); a selector is suggested. */
export function checkPuppetHardcodedArch(ctx: RuleContext): void {
  for (const lit of puppetArchLiterals(ctx)) {
    const on = ctx.architectures.filter((a) => !lit.arches.includes(a) && ctx.guards.reachAt(lit.start).configured.includes(a));
    if (on.length === 0) continue;
    const sel = puppetSelector(ctx, lit);
    const says = ctx.architectures.map((a) => `'${facterSays('architecture', a) ?? a}' on ${a}`).join(', ');
    const suggest: Fix[] | undefined = sel && lit.valueString
      ? [{ description: `pick the value per arch with a selector on ${FACT_SPELLING.architecture}`, edits: [{ range: [lit.valueString.start, lit.valueString.end], text: sel }] }]
      : undefined;
    const how = /\.erb$/.test(ctx.file.path)
      ? "an <% if @architecture == 'amd64' -%> … <% else -%> … <% end -%> block"
      : /\.epp$/.test(ctx.file.path) ? `an <% if ${FACT_SPELLING.architecture} == 'amd64' { -%> … <% } else { -%> … <% } -%> block` : `a selector or case on ${FACT_SPELLING.architecture}`;
    ctx.report({
      at: [lit.start, lit.end],
      message: `hardcoded architecture '${lit.text}' is wrong on ${on.join(', ')}: pick it per arch with ${how} (Facter says ${says})`,
      severity: 'info',
      ...(suggest ? { suggest } : {}),
    });
  }
}

/** arch-in-download-url in puppet: a URL or downloaded file name naming one arch's build. */
export function checkPuppetDownloads(ctx: RuleContext, isDownload: (word: string) => boolean): void {
  const text = ctx.file.text;
  // a long word holds many literals: whether it is a download name is read once per word
  const downloads = new Map<number, boolean>();
  const downloadAt = (word: { start: number; text: string }): boolean => {
    let d = downloads.get(word.start);
    if (d === undefined) downloads.set(word.start, (d = isDownload(word.text)));
    return d;
  };
  for (const lit of puppetArchLiterals(ctx)) {
    if (lit.meaning !== 'arch' && lit.meaning !== 'gnuCpu') continue;
    const word = wordAround(text, lit.start, lit.end);
    if (!downloadAt(word)) continue;
    const on = ctx.architectures.filter((a) => !lit.arches.includes(a) && ctx.guards.reachAt(lit.start).configured.includes(a));
    if (on.length === 0) continue;
    const sel = puppetSelector(ctx, lit);
    ctx.report({
      at: [lit.start, lit.end],
      message: `'${word.text}' names the ${lit.text} build, fetched on ${on.join(', ')} too: pick the download per arch with a selector on ${FACT_SPELLING.architecture} (each arch's URL and checksum)`,
      ...(sel && lit.valueString ? { suggest: [{ description: `pick the URL per arch with a selector on ${FACT_SPELLING.architecture}`, edits: [{ range: [lit.valueString.start, lit.valueString.end], text: sel }] }] } : {}),
    });
  }
}

export interface DeadGuardFinding {
  start: number;
  end: number;
  message: string;
  fix?: Fix;
}

/**
 * Facter tests that can never match on Debian (`$::architecture == 'arm64'`: Facter says
 * `aarch64`), where nothing else in the same if-chain, case or selector covers the arch the
 * value names: the branch meant for it never runs there. A dead value next to the right one
 * (`'aarch64', 'arm64'`) is redundant, not a defect, and stays silent.
 */
export function puppetDeadGuards(ctx: RuleContext): DeadGuardFinding[] {
  const model = puppetModelOf(ctx.guards);
  if (!model) return [];
  const out: DeadGuardFinding[] = [];
  for (const d of model.dead) {
    const missed = d.names.filter((a) => ctx.architectures.includes(a) && !d.covered.has(a));
    if (missed.length === 0) continue;
    const says = missed.map((a) => `'${facterSays(d.fact, a) ?? '?'}' on ${a}`).join(', ');
    const exact = missed.map((a) => facterSays(d.fact, a)).filter((x): x is string => !!x);
    const fact = FACT_SPELLING[d.fact];
    const message = d.regex
      ? `/${d.value}/ never matches ${fact} on ${missed.join(', ')} (Facter on Debian says ${says}), so this branch never runs there` +
        (exact.length ? `: match '${exact.join("', '")}' too` : '')
      : `'${d.value}' never matches ${fact} on Debian: Facter says ${says}, so this branch never runs on ${missed.join(', ')}` +
        (exact.length ? `: test for '${exact.join("', '")}'` : '');
    const fix: Fix | undefined = !d.regex && exact.length === 1
      ? { description: `test for '${exact[0]}'`, edits: [{ range: [d.start + 1, d.end - 1], text: exact[0] as string }] }
      : undefined;
    out.push({ start: d.start, end: d.end, message, ...(fix ? { fix } : {}) });
  }
  return out;
}


/**
 * A selector giving each configured arch its own EFI binary name, for an x64 name (`grubx64.efi`)
 * in a string that stands where an expression may (after `=` or `=>`): undefined elsewhere.
 */
export function puppetEfiSelector(ctx: RuleContext, start: number, end: number): Fix | undefined {
  const model = puppetModelOf(ctx.guards);
  const vs = model?.valueStrings.find((t) => t.offset <= start && end <= t.offset + t.text.length);
  if (!vs) return undefined;
  const EFI: Partial<Record<ArchName, string>> = { amd64: 'x64', arm64: 'aa64', i386: 'ia32', armhf: 'arm', riscv64: 'riscv64', loong64: 'loongarch64' };
  const at = start - vs.offset;
  const hit = vs.text.slice(at, end - vs.offset);
  const x64 = /x64/i.exec(hit);
  if (!x64) return undefined;
  const entries: string[] = [];
  for (const a of ctx.architectures) {
    const key = facterSays('architecture', a);
    const name = EFI[a];
    if (!key || !name) return undefined;
    const spelled = x64[0] === 'X64' ? name.toUpperCase() : name;
    const i = at + x64.index;
    entries.push(`'${key}' => ${vs.text.slice(0, i)}${spelled}${vs.text.slice(i + 3)}`);
  }
  return {
    description: `pick the EFI binary per arch with a selector on ${FACT_SPELLING.architecture}`,
    edits: [{ range: [vs.offset, vs.offset + vs.text.length], text: `${FACT_SPELLING.architecture} ? { ${entries.join(', ')} }` }],
  };
}
