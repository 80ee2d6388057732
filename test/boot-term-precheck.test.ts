/**
 * bootTerms skips a text with none of the literals the prefilter reads out of a term regex
 * (precheckOf): exact only if every match of the regex passes that test. Each rule's term regex is
 * spelled out (regexExamples: each alternative of each group) and every example the regex itself
 * matches, in any case the regex allows, must pass the precheck.
 */
import { describe, expect, it } from 'vitest';
import { regexExamples } from '../src/engine/triggers.js';
import { precheckOf } from '../src/boot-kit.js';
import { TERM as MACHINE } from '../rules/x86-machine-config.js';
import { TERM as EFI } from '../rules/x86-efi-binary.js';
import { TERM as BIOS } from '../rules/legacy-bios-boot.js';
import { IMAGE, KARCH } from '../rules/x86-kernel-image.js';

describe('bootTerms literal precheck', () => {
  for (const [name, re] of [['x86-machine-config', MACHINE], ['x86-efi-binary', EFI], ['legacy-bios-boot', BIOS], ['x86-kernel-image', IMAGE], ['x86-kernel-image arch', KARCH]] as const) {
    it(`passes every match of ${name}'s terms`, () => {
      const pre = precheckOf(re);
      expect(pre).not.toBeNull();
      const plain = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
      // libvirt's CPU models match only after `<model …>`
      const texts = regexExamples(re).flatMap((e) => [e, `<model fallback='allow'>${e}</model>`, ` ${e.toUpperCase()} `]);
      const matched = texts.filter((t) => plain.test(t));
      expect(matched.length).toBeGreaterThan(1);
      for (const t of matched) expect(pre?.test(t), t).toBe(true);
      expect(pre?.test('linux /vmlinuz console=ttyAMA0 root=/dev/sda1 # grubaa64.efi')).toBe(false);
    });
  }
  it('is case-insensitive even for a case-sensitive regex (wider, never narrower)', () => {
    expect(precheckOf(/(?<![\w-])(Foo-Bar\d)/dg)?.test('xx foo-bar yy')).toBe(true);
    expect(precheckOf(/\S+/g)).toBeNull();
  });
});
