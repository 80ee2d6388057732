/**
 * Patch hunks linted as their target's kind: findings on `+` lines only, fixes kept as edits of
 * `+` lines with the hunk headers rewritten; the boot rules defer to the arch-only rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { resolveConfig } from '../src/config/index.js';
import { lintProject } from '../src/engine/lint.js';
import { classify } from '../src/kinds/index.js';
import { parsePatch } from '../src/models/patch.js';
import { SourceFile, applyEdits } from '../src/source.js';

function lint(p: string, text: string) {
  const kind = classify(p)!.kind;
  const [r] = lintProject([{ file: new SourceFile(p, text), kind, config: resolveConfig(undefined, p, RULES) }], RULES);
  return r!;
}

const hunk = (lines: string[]): string => {
  const added = lines.filter((l) => l.startsWith('+')).length;
  const removed = lines.filter((l) => l.startsWith('-')).length;
  const ctx = lines.length - added - removed;
  return `--- a/debian/rules\n+++ b/debian/rules\n@@ -1,${ctx + removed} +1,${ctx + added} @@\n${lines.join('\n')}\n`;
};

describe('patch kind', () => {
  it('reports + lines only, at the patch line and column', () => {
    const text = hunk([' #!/usr/bin/make -f', ' # amd64 in a comment', '-A = amd64', '+A = x86_64-linux-gnu', ' B = amd64']);
    const r = lint('debian/patches/0001.patch', text);
    expect(r.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['hardcoded-arch', 7, 6]]);
  });
  it('offers the in-place edit as a suggestion when the fix would add an include the patch does not show', () => {
    const r = lint('x.patch', hunk([' #!/usr/bin/make -f', '+A = amd64']));
    const f = r.findings.find((x) => x.ruleId === 'hardcoded-arch')!;
    expect(f.fix).toBeUndefined();
    expect(f.suggestions?.[0]?.edits).toEqual([{ range: [f.range[0], f.range[0] + 5], text: '$(DEB_HOST_ARCH)' }]);
  });
  it('rewrites the hunk headers when a fix adds lines, and never adds what the patch does not show', () => {
    const text = `${hunk([' #!/usr/bin/make -f', ' include /usr/share/dpkg/architecture.mk', '+CFLAGS += -O2 -msse4.2', ' '])}@@ -9,2 +9,3 @@\n a\n+B = x86_64-linux-gnu\n b\n`;
    const r = lint('x.patch', text);
    const flag = r.findings.find((x) => x.ruleId === 'x86-compiler-flag')!;
    const fixed = applyEdits(text, flag.fix!.edits);
    expect(fixed).toContain('@@ -1,3 +1,7 @@\n');
    expect(fixed).toContain('+CFLAGS += -O2\n+ifneq (,$(filter amd64 i386,$(DEB_HOST_ARCH_CPU)))\n+CFLAGS += -msse4.2\n+endif\n');
    expect(fixed).toContain('@@ -9,2 +12,3 @@');
    // the second hunk does not show the include: only the in-place edit, offered
    const arch = r.findings.find((x) => x.ruleId === 'hardcoded-arch')!;
    expect(arch.fix).toBeUndefined();
    expect(arch.suggestions?.[0]?.edits).toHaveLength(1);
  });
  it('keeps a guard in a context line', () => {
    const r = lint('x.patch', hunk([' ifeq ($(DEB_HOST_ARCH),amd64)', '+A = amd64', ' endif']));
    expect(r.findings).toEqual([]);
  });
});

describe('legacy-bios-boot', () => {
  it('leaves control entries the archive knows to arch-only-dependency', () => {
    const r = lint('debian/control', 'Source: x\n\nPackage: x\nArchitecture: any\nDepends: grub-pc\n');
    expect(r.findings.map((f) => f.ruleId)).toEqual(['arch-only-dependency']);
  });
});

describe('robustness', () => {
  const parts = fc.constantFrom(
    '\n', ' ', '+', '-', '@@ -1,3 +1,4 @@\n', '--- a/debian/rules\n', '+++ b/debian/rules\n', '+++ b/x/values.yaml\n', '+++ b/boot/grub.cfg\n',
    'amd64', 'x86_64', 'ifeq ($(DEB_HOST_ARCH),amd64)', 'endif', '{% if ansible_architecture == "x86_64" %}', '{% endif %}', 'key: ',
    '- grub-pc', 'bzImage', 'grubx64.efi', 'console=ttyS0', '\t', '#', 'CFLAGS += -msse4.2', 'if [ "${grub_cpu}" = "x86_64" ]; then', 'fi',
  );
  it.each(['x.patch', 'a/values.yaml', 'a/values.yaml.j2', 'pxeboot/grub.cfg', 'libvirt/vm.xml'])('%s: every rule runs on random input without a crash, and fixes stay inside the file', (p) => {
    fc.assert(
      fc.property(fc.array(parts, { maxLength: 60 }), (a) => {
        const text = a.join('');
        const r = lint(p, text);
        expect(r.crashes).toEqual([]);
        for (const f of r.findings) for (const x of [f.fix, ...(f.suggestions ?? [])]) for (const e of x?.edits ?? []) {
          expect(e.range[0]).toBeGreaterThanOrEqual(0);
          expect(e.range[1]).toBeLessThanOrEqual(text.length);
        }
        if (p.endsWith('.patch')) {
          // a fix keeps every hunk's line count in step with its header
          const before = parsePatch(text).problems.length;
          for (const f of r.findings) if (f.fix) expect(parsePatch(applyEdits(text, f.fix.edits)).problems.length).toBeLessThanOrEqual(before);
        }
        return true;
      }),
      { numRuns: 150 },
    );
  });
});
