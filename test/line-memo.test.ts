/**
 * The per-line and per-word memos of the kits (src/line-memo.ts and their uses in script-kit,
 * boot-kit, arch.ts) give exactly the answers of the per-literal scans they replace. Each
 * reference below is the per-literal code as it was; fast-check builds lines of the fragments
 * these scans care about (several literals on a line, `rm -rf`, separators, quotes, CRLF,
 * heredocs, `RUN`, make messages) and every offset is compared, not only literal starts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { lintProject } from '../src/engine/lint.js';
import { forcedRemoval, forcedRemovalByScan, linesAround } from '../src/line-memo.js';
import { downloadWord, isMessageCommand, isMessageText } from '../src/script-kit.js';
import { vocabularyAt, scanArchLiterals } from '../src/arch.js';
import { isObjectName, yamlModel } from '../src/boot-kit.js';
import type { YamlModel } from '../src/models/yaml.js';
import { SourceFile } from '../src/source.js';
import type { AnyRule, FileKind, RuleContext } from '../src/types.js';

const SEED = 20261201;
const RUNS = 300;

const FRAGMENTS = [
  'rm', 'rm ', ' -rf ', ' -f ', '--force ', ' -r ', 'sudo ', ';', '&', '|', '(', ')', '{', '}', '!', '`', '<', '>', '>>', '2>', ' ',
  '\t', '\n', '\r\n', 'then ', 'do ', 'else ', 'echo ', 'printf ', 'log_info ', 'cp ', 'wget ', 'RUN ', ' RUN ', '@', '-',
  '"', "'", '"a b"', "'c;d'", '\\', 'amd64', 'x86_64', 'i386', 'arm64', 'lib64', 'lib32', '/', 'arch/x86/', 'arch/arm64',
  '/lib/modules/*-amd64/kernel/arch/x86/kvm', '_', '.', '.deb', '${V}', '$(uname -m)', '=', ':', '[', ']', ',',
  '$(info ', '$(warning ', '${error ', 'x', 'GRUB_TARGET=', 'GOARCH=', 'ARCH ?= ', 'qemu-system-', 'linux/', '-efi',
  '-pc', '-unknown-linux-gnu', "<<'EOF'\n", '<<EOF\n', 'EOF\n', '/dev/null', '| logger', '| tee x', 'log', '/tmp/x.log',
];
const textOf = (n: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: n }).map((a) => a.join(''));
const params = { seed: SEED, numRuns: RUNS };

describe('forced removal, per line', () => {
  it('answers as the per-literal scan at every offset', () => {
    fc.assert(
      fc.property(textOf(60), (text) => {
        for (let o = 0; o <= text.length; o++) expect([o, forcedRemoval(text, o)]).toEqual([o, forcedRemovalByScan(text, o)]);
      }),
      params,
    );
  });

  it('several literals on one long line, CRLF, and another text in between', () => {
    const line = `rm -rf /lib/modules/*-amd64/kernel/arch/x86/kvm /lib/modules/*-amd64/kernel/fs/gfs2; cp amd64 x\r\n`;
    const text = `#!/bin/sh\n${line.repeat(3)}if true; then sudo rm -f arch/arm64/amd64; fi\n`;
    const other = 'rm -rf arch/x86/amd64\n';
    const lits = scanArchLiterals(text);
    expect(lits.length).toBeGreaterThan(6);
    const got = lits.map((l) => {
      expect(forcedRemoval(other, 14)).toBe(forcedRemovalByScan(other, 14));
      return forcedRemoval(text, l.start);
    });
    expect(got).toEqual(lits.map((l) => forcedRemovalByScan(text, l.start)));
    expect(got.filter(Boolean).length).toBeGreaterThan(3);
  });
});

describe('line bounds', () => {
  it('are those of lastIndexOf/indexOf, with the lines around', () => {
    fc.assert(
      fc.property(textOf(30), fc.nat(), (text, n) => {
        const o = text.length ? n % (text.length + 1) : 0;
        const s = text.lastIndexOf('\n', o - 1) + 1;
        const e = text.indexOf('\n', o);
        if (s <= o) expect(linesAround(text, o)).toEqual([s, e < 0 ? text.length : e]);
        // isMultilibLine's two lines on each side
        let s2 = s;
        for (let k = 0; k < 2 && s2 > 0; k++) s2 = text.lastIndexOf('\n', s2 - 2) + 1;
        let e2 = e;
        for (let k = 0; k < 2 && e2 >= 0; k++) e2 = text.indexOf('\n', e2 + 1);
        const [a, b] = linesAround(text, o, 2, 2);
        // the scan stops one short at a text starting with an empty line: the same lines but for that empty one
        if (s <= o && !(s2 === 1 && a === 0)) expect([a, b]).toEqual([s2, e2 < 0 ? text.length : e2]);
      }),
      params,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// the per-literal isMessageText, as it was (python aside: unchanged)

const QUOTED_TEXT = /(["'])(?:\\.|(?!\1)[^\\])*\1/g;
const maskQuotes = (s: string): string => s.replace(QUOTED_TEXT, (q) => `${q[0]}${'x'.repeat(q.length - 2)}${q[0]}`);
const SH_COMMAND = /(?:^|[;&|{(`!]|\bthen\b|\bdo\b|\belse\b)\s*(?:[@-]+(?![@-])\s*)?(?:(?:sudo|command|builtin|exec)\s+)?([\w./-]+)(?![\w./-])([^;&|<>`()]*)$/;
const PROSE_SINK = /^(?:&\d|\/dev\/(?:null|stderr|stdout|tty)|["'$\w{}./-]*log[\w{}./"'-]*)/i;

function messageTextByScan(ctx: RuleContext, offset: number): boolean {
  const make = ctx.make?.lineAt(offset);
  const recipe = make?.kind === 'recipe';
  if (ctx.kind !== 'shell' && ctx.kind !== 'python' && ctx.kind !== 'dockerfile' && !make) return false;
  const text = ctx.file.text;
  const { line } = ctx.file.position(offset);
  const ls = ctx.file.lineStart(line);
  const lineText = text.slice(ls, ctx.file.lineEnd(line));
  const at = offset - ls;
  if (make && /\$[({](?:info|warning|error)\s[^)}]*$/.test(lineText.slice(0, at))) return true;
  if (make && !recipe) return false;
  const masked = maskQuotes(lineText);
  const m = SH_COMMAND.exec(masked.slice(0, at).replace(/^\s*RUN\s/, ' '));
  if (!m || !isMessageCommand(m[1] as string)) return false;
  const quoted = [...lineText.matchAll(QUOTED_TEXT)].some((q) => at > q.index && at < q.index + q[0].length);
  if (!quoted && !/^(?:echo|printf)$/.test((m[1] as string).replace(/^.*\//, ''))) return false;
  const rest = masked.slice(at).replace(/^[^;&|<>]*?(?=[;&|<>]|$)/, '');
  const redirect = /^\s*\d?>>?\s*(\S+)/.exec(rest);
  if (redirect && !PROSE_SINK.test(redirect[1] as string)) return false;
  if (/^\s*\|(?!\|)\s*(?!logger\b)/.test(rest)) return false;
  return true;
}

/** Lints `text` as `path` with one rule comparing isMessageText to the reference at every offset; returns the offsets that differ. */
function messageMismatches(path: string, kind: FileKind, text: string): number[] {
  const bad: number[] = [];
  let asked = 0;
  const rule: AnyRule = {
    id: 'message-text-check', description: 'x', appliesTo: [kind], severity: 'warning', fixable: 'none', defaultOptions: {},
    docs: { rationale: '', bad: { path, text: '' }, good: { path, text: '' } },
    check(ctx) {
      // backwards and forwards: the memo must not depend on the order it is asked in
      for (let o = ctx.file.text.length; o >= 0; o--) {
        asked++;
        if (isMessageText(ctx, o) !== messageTextByScan(ctx, o)) bad.push(o);
      }
      for (let o = 0; o <= ctx.file.text.length; o++) if (isMessageText(ctx, o) !== messageTextByScan(ctx, o)) bad.push(o);
    },
  };
  const [r] = lintProject([{ file: new SourceFile(path, text), kind, config: resolveConfig(undefined, path, [rule]) }], [rule], { prefilter: false });
  expect(r?.crashes ?? []).toEqual([]);
  expect(asked).toBe(text.length + 1);
  return bad;
}

describe('message text, per line', () => {
  it('answers as the per-literal reading at every offset of shell files', () => {
    fc.assert(fc.property(textOf(40), (text) => {
      expect(messageMismatches('x.sh', 'shell', text)).toEqual([]);
    }), { ...params, numRuns: 150 });
  });
  it('and of Dockerfiles (RUN dropped) and make files (recipes, $(info …))', () => {
    fc.assert(fc.property(textOf(30), (text) => {
      expect(messageMismatches('Dockerfile', 'dockerfile', `FROM x\n${text}`)).toEqual([]);
    }), { ...params, numRuns: 100 });
    fc.assert(fc.property(textOf(30), (text) => {
      expect(messageMismatches('Makefile', 'makefile', `all:\n\t${text}\nX := ${text}\n`)).toEqual([]);
    }), { ...params, numRuns: 100 });
  });
  it('finds messages among several literals of one line', () => {
    const text = 'echo "amd64 x86_64" amd64 > /dev/null; wget amd64; log_info "i386"; printf amd64 | tee out\r\n';
    expect(messageMismatches('x.sh', 'shell', text.repeat(3))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const GRUB_CPU_VALUES = ['i386', 'x86_64', 'arm64', 'arm', 'powerpc', 'riscv64', 'loongarch64', 'mips64el', 'sparc64', 'ia64'];
const GRUB_EFI_AFTER = /^-efi\b/;
const GRUB_BIOS_AFTER = /^-(?:pc|coreboot|ieee1275|multiboot|qemu|xen(?:_pvh)?)\b/;
const GRUB_VAR_BEFORE = /(?:\bGRUB_(?:TARGET|CPU|ARCH)\w*|\bgrub_cpu)["']?\s*(?:[:?+]?=|:)\s*["']?$/i;
const GO_BEFORE = /(?:\bGOARCH["']?\s*(?:[:?]?=|:)\s*["']?|(?:--platform[= ]|\bplatform["']?\s*[:=]\s*)["']?linux\/)$/;
const KERNEL_BEFORE = /(?:^|[\s"'])(?:K?ARCH|SRCARCH|KERNEL_ARCH)\s*[:?]?=\s*["']?$/;

describe('vocabularyAt', () => {
  it('reads the line before a literal only where it can match, with the same answers', () => {
    // the before-patterns alone, as they were read on the whole line
    fc.assert(
      fc.property(textOf(40), (text) => {
        for (const l of scanArchLiterals(text)) {
          const ls = text.lastIndexOf('\n', l.start - 1) + 1;
          const before = text.slice(ls, l.start);
          const nl = text.indexOf('\n', l.end);
          const after = text.slice(l.end, nl < 0 ? text.length : nl);
          const v = vocabularyAt(text, l.start, l.end)?.vocab;
          const bios = (l.text === 'i386' || l.text === 'x86_64') && (GRUB_BIOS_AFTER.test(after) || (l.text === 'i386' && GRUB_EFI_AFTER.test(after)));
          const efi = GRUB_CPU_VALUES.includes(l.text) && GRUB_EFI_AFTER.test(after);
          if (!bios && !efi && GRUB_VAR_BEFORE.test(before)) expect(v).toBe('grubCpu');
          if (!bios && !efi && !GRUB_VAR_BEFORE.test(before) && /qemu-system-$/.test(before)) expect(v).toBe('qemu');
          if (v === 'go') expect(GO_BEFORE.test(before)).toBe(true);
          if (v === 'kernel') expect(KERNEL_BEFORE.test(before)).toBe(true);
          if (v === undefined) expect([GRUB_VAR_BEFORE.test(before), GO_BEFORE.test(before), KERNEL_BEFORE.test(before) && l.text !== 'amd64' && l.text !== 'arm64']).toEqual([false, false, false]);
        }
      }),
      params,
    );
  });
});

/** downloadWord as it was: a scan each way from the literal. */
function downloadWordByScan(text: string, lit: { start: number; end: number }): string {
  const stop = /[\s"'`;,<>|&]/;
  let s = lit.start;
  for (let depth = 0; s > 0; s--) {
    const c = text[s - 1] as string;
    if (c === '}' || c === ')') depth++;
    else if ((c === '{' || c === '(') && depth > 0) depth--;
    else if (c === '{' || c === '(' || c === '[' || c === ']' || (depth === 0 && stop.test(c))) break;
  }
  let e = lit.end;
  for (let depth = 0; e < text.length; e++) {
    const c = text[e] as string;
    if (c === '{' || c === '(') depth++;
    else if ((c === '}' || c === ')') && depth > 0) depth--;
    else if (c === '}' || c === ')' || c === '[' || c === ']' || (depth === 0 && stop.test(c))) break;
  }
  return text.slice(s, e).replace(/^[A-Za-z_]\w*=(?=.)/, '');
}

describe('downloadWord', () => {
  it('ends where the scans from each literal end, whatever order the literals come in', () => {
    fc.assert(
      fc.property(textOf(50), fc.boolean(), (text, reverse) => {
        const spans = [];
        for (let o = 0; o < text.length; o++) spans.push({ start: o, end: o + 1 });
        if (reverse) spans.reverse();
        for (const l of spans) expect([l.start, downloadWord(text, l)]).toEqual([l.start, downloadWordByScan(text, l)]);
      }),
      params,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// isObjectName's kubectl reference, as it was: the line (or two, folded) before the literal, blanks collapsed

const K8S_KIND = '(?:daemonsets?|ds|deployments?|deploy|statefulsets?|sts|pods?|services?|svc|configmaps?|cm|secrets?|jobs?|cronjobs?|serviceaccounts?|sa)';
const K8S_REF_BEFORE = new RegExp(`(?:\\b${K8S_KIND}/|\\b${K8S_KIND} )[\\w.-]*$`, 'i');

function objectNameByScan(ctx: RuleContext, model: YamlModel, lit: { start: number; end: number }): boolean {
  const text = ctx.file.text;
  const key = model.keyAt(lit.start);
  if (key?.name === 'name' && model.keyAt(key.start)?.name === 'metadata') return true;
  const line = model.lineAt(lit.start);
  let before = text.slice(line?.start ?? 0, lit.start);
  if (line && /^\s*[\w.-]*$/.test(before)) before = text.slice(model.lineAt(Math.max(0, line.start - 1))?.start ?? 0, lit.start);
  return K8S_REF_BEFORE.test(before.replace(/\s+/g, ' '));
}

const YAML_FRAGMENTS = [
  'kubectl ', 'delete ', 'daemonset', 'DaemonSet', 'ds', 'pods', 'sa', 'xds', '/', ' ', '  ', '\t', '\n', '\r\n', '\n  ', 'kube-', 'multus-',
  'amd64', 'x86_64', 'arm64', '.', '-', '_', 'a', ': ', '- ', '"', 'name: ', 'metadata:\n  ', 'restart ', 'rollout ',
];

/** The literals of `text` (yaml) whose isObjectName differs from the reference, and how many were names. */
function objectNameMismatches(text: string, reverse: boolean): { bad: number[]; names: number } {
  const bad: number[] = [];
  let names = 0;
  const rule: AnyRule = {
    id: 'object-name-check', description: 'x', appliesTo: ['yaml'], severity: 'warning', fixable: 'none', defaultOptions: {},
    docs: { rationale: '', bad: { path: 'x.yaml', text: '' }, good: { path: 'x.yaml', text: '' } },
    check(ctx) {
      const model = yamlModel(ctx);
      const lits = scanArchLiterals(ctx.file.text);
      if (reverse) lits.reverse();
      for (const l of lits) {
        const want = objectNameByScan(ctx, model, l);
        if (want) names++;
        if (isObjectName(ctx, model, l) !== want) bad.push(l.start);
      }
    },
  };
  const [r] = lintProject([{ file: new SourceFile('x.yaml', text), kind: 'yaml', config: resolveConfig(undefined, 'x.yaml', [rule]) }], [rule], { prefilter: false });
  expect(r?.crashes ?? []).toEqual([]);
  return { bad, names };
}

describe('kubectl object names in yaml, per line', () => {
  it('folded, slashed, tabbed and CRLF references among several literals of a line', () => {
    const text = 'cmd: |\n  kubectl delete daemonset\n  kube-multus-ds-amd64.amd64 x86_64\r\n  kubectl -n x rollout restart ds/\tkube-amd64 pods\t\tmultus-amd64 daemonset/a-amd64.arm64\n';
    for (const reverse of [false, true]) expect(objectNameMismatches(text, reverse)).toEqual({ bad: [], names: 5 });
  });
  it('answer as the per-literal reading, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...YAML_FRAGMENTS), { maxLength: 40 }).map((a) => `cmd: |\n  ${a.join('')}\n`), fc.boolean(), (text, reverse) => {
        expect(objectNameMismatches(text, reverse).bad).toEqual([]);
      }),
      params,
    );
  });
});
