/**
 * x86-kernel-image: the x86 kernel image and build names (`bzImage`, `arch/x86/boot`, kernel
 * `ARCH=x86_64`). arm64 kernels are `Image` (or `Image.gz`) from `arch/arm64/boot`, built with
 * `ARCH=arm64`; the kernel's ARCH has no dpkg variable, so it is mapped from DEB_HOST_ARCH_CPU.
 */
import type { Rule } from '../src/types.js';
import { bootTerms } from '../src/rule-kit.js';

const IMAGE = /(?<![\w-])(bzImage|arch\/x86(?:_64)?\/boot)(?![\w-])/dg;
/** The kernel's ARCH (also KARCH, SRCARCH, KERNEL_ARCH) set to an x86 name: the value is reported. */
const KARCH = /(?<![\w-])(?:K?ARCH|SRCARCH|KERNEL_ARCH)\s*[:?+]?=\s*["']?(x86_64|x86|i386)(?![\w-])/dg;
const COUNTERPART_IMAGE = /(?<![\w-])Image(?:\.gz)?(?![\w-])|arch\/arm64/;
const COUNTERPART_ARCH = /(?<![\w-])arm64(?![\w-])/;

const rule: Rule = {
  id: 'x86-kernel-image',
  description: 'The x86 kernel image or kernel ARCH (bzImage, arch/x86/boot, ARCH=x86_64) in generic build or boot logic.',
  appliesTo: ['rules', 'makefile', 'shell', 'python', 'yaml', 'bootcfg'],
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  supersedes: ['hardcoded-arch'],
  docs: {
    rationale:
      'The x86 kernel build leaves `arch/x86/boot/bzImage`; arm64 leaves `arch/arm64/boot/Image` (and `Image.gz`), built ' +
      'with `ARCH=arm64`. A packaging or boot step that copies bzImage or passes `ARCH=x86_64` fails or ships nothing ' +
      'on arm64. The kernel\'s ARCH is not a dpkg variable: map it from `$(DEB_HOST_ARCH_CPU)` (amd64 → x86, arm64 → ' +
      'arm64) and the image name with it, or guard the x86 line. A line naming the arm64 counterpart too is a mapping.',
    bad: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\n%:\n\tdh $@\n\noverride_dh_auto_install:\n\tcp arch/x86/boot/bzImage debian/tmp/boot/vmlinuz\n',
    },
    good: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\nifeq ($(DEB_HOST_ARCH),amd64)\nKIMAGE = arch/x86/boot/bzImage\n' +
        'else\nKIMAGE = arch/arm64/boot/Image\nendif\n\n%:\n\tdh $@\n\noverride_dh_auto_install:\n\tcp $(KIMAGE) debian/tmp/boot/vmlinuz\n',
    },
  },
  check(ctx) {
    for (const hit of bootTerms(ctx, IMAGE, ['amd64', 'i386'], COUNTERPART_IMAGE)) {
      const message = hit.text === 'bzImage'
        ? `'bzImage' is the x86 kernel image; arm64 builds Image: pick it per arch, or guard the line`
        : `'${hit.text}' is where the x86 kernel image is built; arm64's is arch/arm64/boot: pick it per arch, or guard the line`;
      ctx.report({ at: [hit.start, hit.end], message });
    }
    for (const hit of bootTerms(ctx, KARCH, ['amd64', 'i386'], COUNTERPART_ARCH)) {
      ctx.report({
        at: [hit.start, hit.end],
        message: `kernel ARCH '${hit.text}' builds an x86 kernel on every arch; arm64 is ARCH=arm64: map it from DEB_HOST_ARCH_CPU (amd64 → x86, arm64 → arm64), or guard the line`,
      });
    }
  },
};

export default rule;
