/**
 * The yaml, bootcfg and patch lexers keep every byte and never throw, on real-looking and on
 * random input; their models find keys, guards and hunk post-images.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeBootcfg } from '../src/lexers/bootcfg.js';
import { tokenizePatch } from '../src/lexers/patch.js';
import { coversExactly } from '../src/lexers/token.js';
import { tokenizeYaml } from '../src/lexers/yaml.js';
import { parseBootcfg } from '../src/models/bootcfg.js';
import { parsePatch } from '../src/models/patch.js';
import { isDownloadFileKey, parseYaml, scalarAt } from '../src/models/yaml.js';
import { classify } from '../src/kinds/index.js';

const ARCHES = ['amd64', 'arm64'] as const;

const YAML = [
  '---\n# a comment with amd64\n',
  'debver: 1.0-1\ndl_path:\n  name: foo-1.0.tar.gz\n  url: https://example.org/foo-1.0-amd64.tar.gz\n  md5sum: 0123\n',
  'dl_path_arm64:\n  url: https://example.org/foo-1.0-arm64.tar.gz\n',
  'machine: intel-x86-64\nimage_type:\n  - iso\n  - ostree-repo\npackages: [grub-pc, "syslinux", \'isolinux\']\n',
  'key: "unterminated\nother: it\'s fine: yes # trailing comment\n',
  'script: |\n  if [ "$(uname -m)" = x86_64 ]; then echo \'a\n  fi\n',
  '{% if ansible_architecture == \'x86_64\' %}\nqemu: qemu-system-x86_64\n{% elif ansible_architecture == "aarch64" %}\nqemu: qemu-system-aarch64\n{% else %}\nqemu: none\n{% endif %}\n',
  'image: "{{ registry }}/pause-{{ arch }}:3.9"\n{# jinja comment #}\n',
  'flow: {a: 1, b: [x, y]}\r\n',
  'tail without newline: \\',
];

const yamlish = fc.constantFrom(
  '-', ' ', '  ', '\n', '\r\n', '\r', '\t', ':', '#', '"', "'", '{', '}', '[', ']', ',', '{{', '}}', '{%', '%}', '{#', '#}', '|', '>',
  'key', 'amd64', 'x86_64', 'if', 'endif', 'else', 'ansible_architecture ==', "'aarch64'", 'a', '0', 'é', '\u00a0',
);
const cfgish = fc.constantFrom(
  ' ', '\n', '\r\n', '\t', '#', '"', "'", '=', ';', '{', '}', '[', ']', '<', '>', '<!--', '-->', '/', 'if', 'then', 'else', 'fi',
  '${grub_cpu}', 'x86_64', 'arm64', 'menuentry', 'linux', 'bzImage', 'console=ttyS0', '<model>', '</model>', 'a', '0',
);
const patchish = fc.constantFrom(
  '\n', '\r\n', ' ', '+', '-', '@@ -1,3 +1,4 @@', '@@ -1 +1 @@', '--- a/debian/rules', '+++ b/debian/rules', 'diff --git a/x b/x',
  '\\ No newline at end of file', 'amd64', 'x', '\t', '+++ /dev/null',
);

const randomRoundTrip = (tokenize: (t: string) => { text: string; offset: number; type: string }[], parts: fc.Arbitrary<string>) => {
  fc.assert(fc.property(fc.array(parts, { maxLength: 200 }), (p) => coversExactly(tokenize(p.join('')), p.join(''))), { numRuns: 400 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (t) => coversExactly(tokenize(t), t)), { numRuns: 400 });
};

describe('yaml lexer', () => {
  it('round-trips a realistic file byte for byte', () => {
    const text = YAML.join('');
    expect(coversExactly(tokenizeYaml(text), text)).toBe(true);
  });
  it('round-trips random input and never throws', () => randomRoundTrip(tokenizeYaml, yamlish));
  it('keeps Jinja opaque and reads comments only at a word start', () => {
    const t = tokenizeYaml('a: x#y {{ b # c }} # real\n');
    expect(t.filter((x) => x.type === 'comment').map((x) => x.text)).toEqual(['# real']);
    expect(t.filter((x) => x.type === 'jinjaExpr').map((x) => x.text)).toEqual(['{{ b # c }}']);
  });
  it('model never throws on random input', () => {
    fc.assert(fc.property(fc.array(yamlish, { maxLength: 200 }), (p) => (parseYaml(p.join(''), ARCHES), true)), { numRuns: 300 });
  });
});

describe('yaml model', () => {
  it('finds keys and the extent of their values', () => {
    const m = parseYaml(YAML.join(''), ARCHES);
    const url = YAML.join('').indexOf('foo-1.0-amd64');
    expect(m.keyAt(url)?.name).toBe('url');
    expect(m.keys.map((k) => k.name)).toContain('dl_path_arm64');
  });
  it('reads Jinja if/elif/else chains on ansible_architecture', () => {
    const text = YAML[6] as string;
    const m = parseYaml(text, ARCHES);
    expect(m.guards.reachAt(text.indexOf('qemu-system-x86_64')).configured).toEqual(['amd64']);
    expect(m.guards.reachAt(text.indexOf('qemu-system-aarch64')).configured).toEqual(['arm64']);
    expect(m.guards.reachAt(text.indexOf('none')).configured).toEqual([]);
  });
  it('gives an arch-named key\'s value to that arch, and reads ansible `when:`', () => {
    const text = 'dl_path_arm64:\n  url: x-arm64.tgz\ntasks:\n  - name: t\n    get_url: url=x86_64.tgz\n    when: ansible_architecture == "x86_64"\n  - name: u\n';
    const m = parseYaml(text, ARCHES);
    expect(m.guards.isGuardedFor(text.indexOf('x-arm64') + 2, ['arm64'])).toBe(true);
    expect(m.guards.reachAt(text.indexOf('x86_64.tgz')).configured).toEqual(['amd64']);
    expect(m.guards.reachAt(text.indexOf('name: u')).guarded).toBe(false);
  });
});

describe('bootcfg lexer', () => {
  const GRUB = 'set default=0\n# a comment\nif [ "${grub_cpu}" = "x86_64" ]; then\n  linux /bzImage console=ttyS0\nelse\n  linux /Image\nfi\nmenuentry \'x\' { linux /vmlinuz }\n';
  const XML = '<domain type="kvm">\n  <!-- x86 -->\n  <cpu><model>Nehalem</model></cpu>\n  <os><type arch="x86_64" machine="pc-q35-6.2">hvm</type></os>\n</domain>\n';
  it('round-trips grub, syslinux and XML byte for byte', () => {
    for (const t of [GRUB, XML, 'DEFAULT menu.c32\nLABEL x\n  KERNEL vmlinuz\n  APPEND initrd=a.img # x\n']) expect(coversExactly(tokenizeBootcfg(t), t)).toBe(true);
  });
  it('round-trips random input and never throws', () => randomRoundTrip(tokenizeBootcfg, cfgish));
  it('reads grub_cpu tests as guards', () => {
    const m = parseBootcfg(GRUB, ARCHES);
    expect(m.guards.reachAt(GRUB.indexOf('bzImage')).configured).toEqual(['amd64']);
    expect(m.guards.reachAt(GRUB.indexOf('/Image')).configured).toEqual(['arm64']);
    expect(parseBootcfg(XML, ARCHES).comments.map((c) => c.text)).toEqual(['<!-- x86 -->']);
  });
});

describe('patch lexer', () => {
  const PATCH = 'Subject: x\n\n--- a/debian/rules\n+++ b/debian/rules\n@@ -1,3 +1,3 @@\n #!/usr/bin/make -f\n-A = 1\n+A = amd64\n \n\\ No newline at end of file\n--- a/x.yaml\n+++ b/x.yaml\n@@ -1 +1,2 @@\n a: 1\n+b: amd64\n-- \n2.40\n';
  it('round-trips a realistic patch byte for byte', () => expect(coversExactly(tokenizePatch(PATCH), PATCH)).toBe(true));
  it('round-trips random input and never throws', () => randomRoundTrip(tokenizePatch, patchish));
  it('builds each hunk\'s post-image and maps + lines only', () => {
    const m = parsePatch(PATCH);
    expect(m.hunks.map((h) => [h.target, h.text])).toEqual([
      ['debian/rules', '#!/usr/bin/make -f\nA = amd64\n\n'],
      ['x.yaml', 'a: 1\nb: amd64\n'],
    ]);
    expect(m.problems).toEqual([]);
    const emb = classify('x.patch')!.parse(PATCH, ARCHES).embedded!;
    expect(emb.map((e) => e.kind)).toEqual(['rules', 'yaml']);
    const at = emb[0]!.toHost(emb[0]!.text.indexOf('amd64'), emb[0]!.text.indexOf('amd64') + 5)!;
    expect(PATCH.slice(at[0], at[1])).toBe('amd64');
    expect(emb[0]!.toHost(0, 2)).toBeUndefined();
  });
  it('reports a hunk shorter than its header', () => {
    expect(parsePatch('--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n').problems.length).toBe(1);
  });
});

describe('kinds', () => {
  it('classifies yaml, boot configs and patches by path', () => {
    const k = (p: string) => classify(p)?.kind;
    expect(k('debian/meta_data.yaml')).toBe('yaml');
    expect(k('roles/x/templates/values.yaml.j2')).toBe('yaml');
    expect(k('x/pxe-grub.cfg')).toBe('bootcfg');
    expect(k('pxeboot/pxelinux.cfg/default')).toBe('bootcfg');
    expect(k('iso/isolinux.cfg')).toBe('bootcfg');
    expect(k('kickstart/files/miniboot.cfg')).not.toBe('bootcfg');
    expect(k('python/setup.cfg')).toBeUndefined();
    expect(k('debian/patches/0001-x.patch')).toBe('patch');
  });
});

describe('yaml values', () => {
  it('reads a quoted scalar across an escaped line break, mapping each character back to the file', () => {
    const text = 'dl_files:\n  f.tgz:\n    url: "https://h/dir/\\\n      tool-linux-amd64.tgz"\n';
    const v = scalarAt(text, text.indexOf('url:') + 4, text.length);
    expect(v?.value).toBe('https://h/dir/tool-linux-amd64.tgz');
    const i = (v?.value ?? '').indexOf('amd64');
    expect(text.slice(v?.at[i], (v?.at[i + 4] ?? 0) + 1)).toBe('amd64');
    expect(scalarAt("k: 'it''s'\n", 2, 11)?.value).toBe("it's");
  });
  it('a dl_files key is a file name, not an arch key: its value is not guarded', () => {
    const text = 'dl_files:\n  runc.amd64:\n    url: https://h/runc.amd64\ndl_path_arm64:\n  name: x-arm64.tgz\n';
    const m = parseYaml(text, ARCHES);
    const key = m.keys.find((k) => k.name === 'runc.amd64');
    expect(key && isDownloadFileKey(m.keys, key)).toBe(true);
    expect(m.guards.reachAt(text.indexOf('https')).guarded).toBe(false);
    expect(m.guards.reachAt(text.indexOf('x-arm64')).configured).toEqual(['arm64']);
  });
  it('a registered dpkg --print-architecture is an arch test in when:', () => {
    const text = '- command: dpkg --print-architecture\n  register: da\n- apt:\n    name: grub-pc\n  when: da.stdout == "amd64"\n';
    const m = parseYaml(text, ARCHES);
    expect(m.guards.reachAt(text.indexOf('grub-pc')).configured).toEqual(['amd64']);
  });
});
