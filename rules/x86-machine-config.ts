/**
 * x86-machine-config: machine settings that describe an x86 PC: the `ttyS0` serial console,
 * `qemu-system-x86_64`, libvirt x86 CPU models and `pc-q35`/`pc-i440fx` machine types, OVMF
 * firmware, LAT's `intel-x86-64` machine and the `corei7-64` tune. They are not wrong as such
 * (some arm64 servers have a 16550 ttyS0 too), but each one needs an arm64 answer (ttyAMA0, the
 * `virt` machine, AAVMF/QEMU_EFI firmware, `qemu-system-aarch64`): reported for review.
 */
import type { Rule } from '../src/types.js';
import { ARCH_LITERAL_TEXTS, triggerByKind, triggerFrom, bootTerms, isoLayoutAdvice, kernelConfigCopies, latScriptAdvice, reportInLat } from '../src/rule-kit.js';

export const TERM = new RegExp(
  '(?<![\\w-])(' +
    [
      'console=ttyS\\d+', 'qemu-system-x86_64', 'qemu-system-i386', 'pc-q35(?:-[\\d.]+)?', 'pc-i440fx(?:-[\\d.]+)?',
      // a file name (at most 255 bytes): the run of name characters after OVMF is bounded, or every
      // `OVMF` of a long `OVMF.OVMF.…` word would read to its end (12 s on a 200 KB grub.cfg line)
      'OVMF[\\w.-]{0,248}\\.fd', 'intel-x86-64', 'corei7-64',
      '(?<=<model[^>]*>)(?:Nehalem|Westmere|SandyBridge|IvyBridge|Haswell|Broadwell|Skylake|Cascadelake|Cooperlake|Icelake|' +
        'SapphireRapids|EPYC|Opteron_G\\d|qemu64|kvm64|core2duo|Conroe|Penryn|Dhyana)[\\w-]*',
    ].join('|') +
    ')(?![\\w-])',
  'dg',
);
const COUNTERPART = /ttyAMA\d|qemu-system-aarch64|AAVMF|QEMU_EFI|(?<![\w-])virt(?:-[\d.]+)?(?![\w-])|cortex-a\d+|neoverse|qemu-arm64|genericarm64/;

const rule: Rule = {
  id: 'x86-machine-config',
  description: 'An x86 machine setting (console=ttyS0, qemu-system-x86_64, pc-q35, OVMF, intel-x86-64) in generic boot or image config.',
  appliesTo: ['yaml', 'bootcfg', 'shell', 'python', 'puppet'],
  severity: 'info',
  fixable: 'none',
  defaultOptions: {},
  supersedes: ['hardcoded-arch'],
  // in shell also an x86 kernel config installed by an arch literal in its path
  trigger: triggerByKind(['yaml', 'bootcfg', 'shell', 'python', 'puppet'], triggerFrom(TERM), { shell: triggerFrom(TERM, ARCH_LITERAL_TEXTS) }),
  docs: {
    rationale:
      'Boot and image configs written for an x86 PC carry its machine: the 16550 serial console `ttyS0` (arm64 servers ' +
      'mostly have a PL011 `ttyAMA0`), `qemu-system-x86_64` with the `pc-q35`/`pc-i440fx` machine types and x86 CPU ' +
      'models such as `Nehalem`, OVMF firmware (`OVMF_CODE.fd`; arm64 uses AAVMF / `QEMU_EFI.fd` with the `virt` ' +
      'machine), LAT\'s `machine: intel-x86-64` and the `corei7-64` tune. None is wrong by itself, but each needs its ' +
      'arm64 counterpart, so it is reported for review at info. A line that names the arm64 counterpart too, or a guard, ' +
      'is silent, and so is a syslinux-family menu (isolinux, pxelinux, extlinux `label … append` stanzas, told from a ' +
      'GRUB menu by its content): only x86 BIOS reads it. A kernel package script that installs the committed kernel config ' +
      'into the Debian kernel\'s per-arch tree (`cp …/source/config ./config/amd64/config.amd64`) when the only full config ' +
      'it holds says `# Linux/x86 … Kernel Configuration` (or sets `CONFIG_X86_64=y`) is a warning: arm64 needs its own config; swapping the literal for ' +
      'the running arch would install the x86 config as arm64\'s.',
    bad: {
      path: 'pxeboot/grub.cfg',
      text: 'menuentry "install" {\n  linux /vmlinuz console=ttyS0,115200 inst.text\n  initrd /initrd.img\n}\n',
    },
    good: {
      path: 'pxeboot/grub.cfg',
      text:
        'if [ "${grub_cpu}" = "x86_64" ]; then\n  set console=ttyS0,115200\nelse\n  set console=ttyAMA0,115200\nfi\n' +
        'menuentry "install" {\n  linux /vmlinuz console=${console} inst.text\n  initrd /initrd.img\n}\n',
    },
  },
  check(ctx) {
    // an x86 kernel config installed as a flavour's config (boot kit): a config per arch, never a swap
    for (const c of ctx.kind === 'shell' ? kernelConfigCopies(ctx) : []) {
      const on = ctx.architectures.filter((a) => !c.lit.arches.includes(a));
      if (!on.length) continue;
      const advice = `${on.join(', ')} needs its own kernel config (start from Debian's config/${on[0]} and carry this tree's changes over, e.g. a ${c.config}.${on[0]} beside it) installed as config/${on[0]}/… on ${on[0]}; never swap the literal for the running arch: that would install the x86 config as ${on.join(', ')}'s`;
      ctx.report({
        at: [c.start, c.end],
        message: `'${c.word}' installs ${c.config}, an x86 kernel config (${c.header}), as the ${c.lit.text} kernel's: ${advice}`,
        severity: 'warning',
        group: 'kernel-config',
        summary: (n) => `${n} places install ${c.config}, an x86 kernel config (${c.header}), into the ${c.lit.text} kernel's config tree: ${advice}`,
      });
    }
    for (const hit of bootTerms(ctx, TERM, ['amd64', 'i386'], COUNTERPART)) {
      const iso = isoLayoutAdvice(ctx);
      const on = ctx.architectures.filter((a) => a !== 'amd64' && a !== 'i386');
      const what = `'${hit.text}' describes an x86 PC: ${on.join(', ')} needs its own setting (ttyAMA0, qemu-system-aarch64 with the virt machine, AAVMF firmware, a generic arm64 LAT machine)`;
      if (!hit.comment && reportInLat(ctx, { at: [hit.start, hit.end], what, on, script: (p) => latScriptAdvice(p, 'guard') })) continue;
      ctx.report({ at: [hit.start, hit.end], message: `'${hit.text}' describes an x86 PC: give arm64 its own setting (ttyAMA0, qemu-system-aarch64 with the virt machine, AAVMF firmware, a generic arm64 LAT machine)${iso ? `; ${iso}` : ''}` });
    }
  },
};

export default rule;
