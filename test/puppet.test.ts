/**
 * The Puppet lexers keep every byte and never throw, on realistic and random input; the guards
 * read selectors, case and if/unless on Facter's arch facts with the reaching-set semantics of
 * DESIGN §2, in Facter's Debian vocabulary (amd64 but aarch64), and record dead tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArchName } from '../src/arch.js';
import { RULES } from '../rules/index.js';
import { resolveConfig } from '../src/config/index.js';
import { lintProject } from '../src/engine/lint.js';
import { classify } from '../src/kinds/index.js';
import { SourceFile, applyEdits } from '../src/source.js';
import { parsePuppetFile } from '../src/kinds/puppet.js';
import { tokenizePuppet, tokenizeTemplate } from '../src/lexers/puppet.js';
import { coversExactly, type Token } from '../src/lexers/token.js';
import { parsePuppet } from '../src/puppet-guards.js';

const MANIFEST = [
  '# a comment naming amd64\n',
  '/* a block\n   comment */\n',
  'class foo::bar (\n  $efi = $::architecture ? {\n    \'aarch64\' => \'grubaa64.efi\',\n    default   => "grubx64.efi",\n  },\n) {\n',
  '  $arch = $facts[\'os\'][\'architecture\']\n',
  '  case $arch {\n    \'amd64\', \'x86_64\': { include foo::x86 }\n    /^arm/: {}\n    default: { fail("no ${arch} here") }\n  }\n',
  '  if $::hardwaremodel in [\'x86_64\'] and $x =~ /^(\\/.*[^\\/])?$/ {\n    notice(\'x\')\n  } elsif $y != 2 { } else { }\n',
  '  unless $facts[\'os\'][\'hardware\'] == \'aarch64\' { $z = 1 + 2 / 3 } # trailing\n',
  '  exec { \'x\':\n    command => @("CMD"/L),\n      don\'t stop { here\n      | CMD\n    path => \'/bin\',\n  }\n',
  '  $s = "unterminated\n',
];

const TEMPLATE = [
  '# generated file\n',
  'dhcp-match=set:bios,option:client-arch,0\n',
  'dhcp-boot=tag:bios,pxelinux.0,<%= @host %>\n',
  '<%# debarch-lint disable-next-line hardcoded-arch -- example %>\n',
  '<% if @architecture == \'amd64\' -%>\nconsole=ttyS0\n<% elsif @architecture == "aarch64" -%>\nconsole=ttyAMA0\n<% else -%>\nnone\n<% end -%>\n',
  '<%% literal %> a < b\n',
  '<% if $facts[\'os\'][\'architecture\'] == \'amd64\' { -%>\nx86\n<% } -%>\n',
  '<%= scope.lookupvar(\'::architecture\') # note -%>\n',
  '<% unterminated tag\n',
];

const pieces = fc.constantFrom(
  '$', '$::architecture', '@architecture', '(', ')', '{', '}', '[', ']', '#', '/*', '*/', '/', '\\', '\n', '\r\n', '\t', ' ', '"', "'",
  '${', '<%', '<%=', '<%#', '-%>', '%>', '<%%', '@(', '"END"', ')', '|-', 'END', '=>', '==', '=~', '?', ':', ',', 'if', 'elsif', 'else',
  'case', 'default', 'unless', 'end', 'when', 'amd64', 'aarch64', 'x86_64', 'a', '0', 'é',
  "'amd64'", "'aarch64'", "'arm64'", "'RedHat'", '$::osfamily', "$facts['os']['architecture']", '/^arm/', 'in', '[', ']', 'then',
);

describe.each([
  ['manifest', tokenizePuppet, MANIFEST],
  ['template', tokenizeTemplate, TEMPLATE],
] as [string, (t: string) => Token[], string[]][])('puppet %s lexer', (_name, tokenize, sample) => {
  it('round-trips a realistic file byte for byte', () => {
    const text = sample.join('');
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    expect(coversExactly(tokens, text)).toBe(true);
  });
  it('round-trips random puppet-like input', () => {
    fc.assert(fc.property(fc.array(pieces, { maxLength: 200 }), (parts) => coversExactly(tokenize(parts.join('')), parts.join(''))), { numRuns: 500 });
  });
  it('round-trips arbitrary unicode input and never throws', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => coversExactly(tokenize(text), text)), { numRuns: 500 });
  });
});

describe('puppet guards on random input', () => {
  it.each(['manifest', 'erb', 'epp'] as const)('never throw (%s)', (flavour) => {
    fc.assert(fc.property(fc.array(pieces, { maxLength: 150 }), (parts) => {
      parsePuppet(parts.join(' '), flavour);
      parsePuppet(parts.join(''), flavour);
    }), { numRuns: 1500 });
  });
  const statements = fc.constantFrom(
    "if $::osfamily == 'RedHat' {", "if $facts['os']['architecture'] in ['amd64', 'arm64'] {", "} elsif $::hardwaremodel =~ /^arm/ {", '} else {', '}', '{',
    'case $::architecture {', "'amd64', /x86/: {", 'default: {', "$x = $::architecture ? {", "'aarch64' => 'a',", 'default => "b" }',
    "<% if @architecture == 'amd64' -%>", '<% else -%>', '<% end -%>', "<% case @architecture %><% when 'aarch64' then %>", '<% } -%>',
    "<% if $facts['os']['architecture'] == 'amd64' { -%>", "unless $::architecture == 'arm64' {", 'dhcp-match=set:bios,option:client-arch,0', 'dhcp-boot=tag:bios,x',
  );
  it.each(['manifest', 'erb', 'epp'] as const)('never throw on random statements (%s)', (flavour) => {
    fc.assert(fc.property(fc.array(statements, { maxLength: 40 }), (parts) => {
      parsePuppet(parts.join('\n'), flavour);
    }), { numRuns: 1500 });
  });
  it('reads an unclosed case, if or selector (a patch hunk) without throwing', () => {
    for (const text of ["case $::architecture {\n 'amd64': {\n", "if $::osfamily == 'RedHat' { } else {\n", "$x = $::architecture ? { 'amd64' => \n"]) {
      expect(() => parsePuppet(text, 'manifest')).not.toThrow();
    }
  });
});

describe('puppet tokens', () => {
  it('reads comments, regexes and a heredoc body', () => {
    const toks = tokenizePuppet(MANIFEST.join(''));
    expect(toks.filter((t) => t.type === 'comment').map((t) => t.text)).toEqual(['# a comment naming amd64', '# trailing']);
    expect(toks.filter((t) => t.type === 'regex').map((t) => t.text)).toEqual(['/^arm/', '/^(\\/.*[^\\/])?$/']);
    expect(toks.find((t) => t.type === 'heredoc')?.text).toBe("      don't stop { here\n      | CMD");
  });
  it('reads template tags, comment tags and text comments', () => {
    const toks = tokenizeTemplate(TEMPLATE.join(''));
    expect(toks.filter((t) => t.type === 'comment').map((t) => t.text.trim())).toEqual([
      '# debarch-lint disable-next-line hardcoded-arch -- example', '# note',
    ]);
    expect(toks.filter((t) => t.type === 'textComment').map((t) => t.text)).toEqual(['# generated file']);
  });
  it('classifies manifests and templates', () => {
    expect(classify('modules/foo/manifests/init.pp')?.kind).toBe('puppet');
    expect(classify('modules/foo/templates/dnsmasq.conf.erb')?.kind).toBe('puppet');
    expect(classify('modules/foo/templates/grub.epp')?.kind).toBe('puppet');
    expect(classify('modules/foo/templates/grub.cfg.erb')?.kind).toBe('puppet');
    expect(classify('modules/foo/templates/pxelinux.cfg/default.erb')?.kind).toBe('puppet');
    expect(classify('boot/grub.cfg')?.kind).toBe('bootcfg');
  });
});

const ARCHES: ArchName[] = ['amd64', 'arm64'];
const reach = (text: string, path: string, marker = 'MARK'): string[] => {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(marker);
  return parsePuppetFile(text, ARCHES, /\.erb$/.test(path) ? 'erb' : /\.epp$/.test(path) ? 'epp' : 'manifest').guards.reachAt(at).configured;
};

describe('puppet guards', () => {
  it.each([
    ["$x = $::architecture ? {\n  'amd64' => 'MARK',\n  default => 'y',\n}\n", ['amd64']],
    ["$x = $facts['os']['architecture'] ? {\n  'aarch64' => 'a',\n  default => 'MARK',\n}\n", ['amd64']],
    ["$x = $::architecture ? { 'arm64' => 'MARK', default => 'y' }\n", []],
    ["$x = $::architecture ? { 'arm64' => 'a', default => 'MARK' }\n", ['amd64', 'arm64']],
    ["case $::architecture {\n  'amd64', 'x86_64': { $a = 'MARK' }\n  default: { }\n}\n", ['amd64']],
    ["case $::hardwaremodel {\n  'x86_64': { }\n  default: { $a = 'MARK' }\n}\n", ['arm64']],
    ["if $facts['os']['architecture'] == 'amd64' {\n  $a = 'x'\n} else {\n  $a = 'MARK'\n}\n", ['arm64']],
    ["if $::architecture in ['aarch64', 'arm64'] {\n  $a = 'MARK'\n}\n", ['arm64']],
    ["if $::hardwaremodel =~ /^(x86_64|i[3-6]86)$/ {\n  $a = 'MARK'\n}\n", ['amd64']],
    ["unless $::architecture == 'amd64' {\n  $a = 'MARK'\n}\n", ['arm64']],
    ["if $::architecture == 'amd64' and $x {\n  $a = 'y'\n} else {\n  $a = 'MARK'\n}\n", ['amd64', 'arm64']],
    ["$arch = $facts['os']['architecture']\nif $arch == 'aarch64' {\n  $a = 'MARK'\n}\n", ['arm64']],
    ["if $facts['processors']['isa'] == 'x86_64' {\n  $a = 'MARK'\n}\n", ['amd64', 'arm64']],
    ["if $::architecture == 'arm64' {\n  $a = 'MARK'\n}\n", []],
    ["if $::facts['architecture'] == 'aarch64' {\n  $a = 'MARK'\n}\n", ['arm64']],
    ["if $facts['hardwaremodel'] != 'x86_64' {\n  $a = 'MARK'\n}\n", ['arm64']],
    ["case $facts['os']['family'] {\n  'RedHat': { $a = 'MARK' }\n  default: { }\n}\n", []],
    ["if $::osfamily == 'Debian' {\n  $a = 'MARK'\n} else {\n  $b = 'x'\n}\n", ['amd64', 'arm64']],
    ["if $facts['os']['family'] == 'Debian' {\n  $a = 'x'\n} else {\n  $b = 'MARK'\n}\n", []],
    ["$x = $::constructor ? { 'a' => 'MARK' }\n", ['amd64', 'arm64']],
  ])('manifest %j reaches %j', (text, want) => {
    expect(reach(text, 'init.pp')).toEqual(want);
  });
  it.each([
    ["<% if @architecture == 'amd64' -%>\nMARK\n<% end -%>\n", 'a.erb', ['amd64']],
    ["<% if @architecture == 'amd64' -%>\nx\n<% else -%>\nMARK\n<% end -%>\n", 'a.erb', ['arm64']],
    ["<% case scope['::architecture'] -%>\n<% when 'aarch64' -%>\nMARK\n<% end -%>\n", 'a.erb', ['arm64']],
    ["<% if @facts['os']['architecture'] == 'aarch64' -%>\nMARK\n<% end -%>\n", 'a.erb', ['arm64']],
    ["<% if scope.lookupvar('::hardwaremodel') != 'x86_64' -%>\nMARK\n<% end -%>\n", 'a.erb', ['arm64']],
    ["<% if ['amd64', 'x86_64'].include?(@architecture) -%>\nMARK\n<% end -%>\n", 'a.erb', ['amd64']],
    ["<% if @architecture == 'amd64' -%>\nx\n<% end -%>\nMARK\n", 'a.erb', ['amd64', 'arm64']],
    ["<% if $facts['os']['architecture'] == 'amd64' { -%>\nMARK\n<% } -%>\n", 'a.epp', ['amd64']],
    ['dhcp-match=set:bios,option:client-arch,0\ndhcp-match=set:efi,option:client-arch,11\ndhcp-boot=tag:bios,MARK\n', 'a.erb', ['amd64']],
    ['dhcp-match=set:bios,option:client-arch,0\ndhcp-match=set:efi,option:client-arch,11\ndhcp-boot=tag:efi,MARK\n', 'a.erb', ['arm64']],
  ])('template %j (%s) reaches %j', (text, path, want) => {
    expect(reach(text, path)).toEqual(want);
  });
  it('records a regex that misses the arch it seems to mean, unless the construct covers it', () => {
    const m = parsePuppet("if $::architecture =~ /^arm/ { }\ncase $::architecture { /^arm/: { } 'aarch64': { } }\nif $::architecture =~ /^(x86_64|amd64)$/ { }\n", 'manifest');
    expect(m.dead.map((d) => [d.value, d.names, [...d.covered].includes('arm64')])).toEqual([['^arm', ['arm64'], false], ['^arm', ['arm64'], true]]);
  });
  it('records dead tests with what the rest of the construct covers', () => {
    const m = parsePuppet("$x = $::architecture ? { 'aarch64' => 'a', 'arm64' => 'b', default => 'c' }\nif $::hardwaremodel == 'amd64' { }\n", 'manifest');
    expect(m.dead.map((d) => [d.value, d.fact, [...d.covered]])).toEqual([['arm64', 'architecture', ['arm64']], ['amd64', 'hardwaremodel', []]]);
  });
});

function lint(p: string, text: string) {
  const kind = classify(p)!.kind;
  const [r] = lintProject([{ file: new SourceFile(p, text), kind, config: resolveConfig(undefined, p, RULES) }], RULES);
  return r!;
}

describe('puppet suggestions', () => {
  it.each([
    ["$pkg = 'linux-image-amd64'\n", "$pkg = $facts['os']['architecture'] ? { 'amd64' => 'linux-image-amd64', 'aarch64' => 'linux-image-arm64' }\n"],
    ["$dir = '/usr/lib/grub/x86_64-efi'\n", "$dir = $facts['os']['architecture'] ? { 'amd64' => '/usr/lib/grub/x86_64-efi', 'aarch64' => '/usr/lib/grub/arm64-efi' }\n"],
    ['$libdir = "/usr/lib/x86_64-linux-gnu"\n', `$libdir = $facts['os']['architecture'] ? { 'amd64' => "/usr/lib/x86_64-linux-gnu", 'aarch64' => "/usr/lib/aarch64-linux-gnu" }\n`],
  ])('%j: a selector in both vocabularies', (text, want) => {
    const f = lint('modules/x/manifests/init.pp', text).findings.find((x) => x.ruleId === 'hardcoded-arch')!;
    expect(f.severity).toBe('info');
    expect(applyEdits(text, f.suggestions![0]!.edits)).toBe(want);
  });
  it('offers a selector of EFI binary names for an x64 name in a value', () => {
    const text = "$loader = 'EFI/BOOT/BOOTX64.EFI'\n";
    const f = lint('modules/x/manifests/init.pp', text).findings.find((x) => x.ruleId === 'x86-efi-binary')!;
    expect(applyEdits(text, f.suggestions![0]!.edits)).toBe("$loader = $facts['os']['architecture'] ? { 'amd64' => 'EFI/BOOT/BOOTX64.EFI', 'aarch64' => 'EFI/BOOT/BOOTAA64.EFI' }\n");
  });
  it('offers no selector for a GRUB BIOS platform or a resource title', () => {
    const r = lint('modules/x/manifests/init.pp', "$p = 'x86_64-pc'\npackage { 'grub-efi-amd64-bin': }\n");
    expect(r.findings.filter((x) => x.ruleId === 'hardcoded-arch').map((x) => x.suggestions)).toEqual([undefined, undefined]);
  });
  it('suggests the Facter spelling for a dead test', () => {
    const text = "if $::architecture == 'arm64' { $a = 1 }\n";
    const f = lint('modules/x/manifests/init.pp', text).findings.find((x) => x.ruleId === 'ambiguous-arch-match')!;
    expect(applyEdits(text, f.suggestions![0]!.edits)).toBe("if $::architecture == 'aarch64' { $a = 1 }\n");
  });
  it('reads directives in ERB comment tags, and none in template text', () => {
    const text = "<%# debarch-lint disable-next-line hardcoded-arch -- x86 hosts only %>\nlib=/usr/lib/x86_64-linux-gnu\nb=amd64 # debarch-lint disable-line hardcoded-arch\n";
    const r = lint('modules/x/templates/a.conf.erb', text);
    expect(r.findings.map((x) => [x.ruleId, x.line])).toEqual([['hardcoded-arch', 3]]);
  });
});
