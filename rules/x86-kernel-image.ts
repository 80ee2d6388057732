/**
 * x86-kernel-image: where the x86 kernel image format is built or chosen: the kbuild target
 * (`make … bzImage`), an image-type setting (`KBUILD_IMAGE`, `KERNEL_IMAGETYPE = "bzImage"`),
 * `arch/x86/boot`, kernel `ARCH=x86_64`. arm64 kernels are `Image` (or `Image.gz`) from
 * `arch/arm64/boot`, built with `ARCH=arm64`; the kernel's ARCH has no dpkg variable, so it is
 * mapped from DEB_HOST_ARCH_CPU. `bzImage` as the file name a tree gives to whatever kernel it
 * copies (`bzImage-std`, `bzImage.sig`, an ISO's expected contents) works for an arm64 Image
 * too, so it is not a finding (DESIGN §2: a token is a finding only where it is used as what it names).
 */
import type { Rule } from '../src/types.js';
import { triggerFrom, bootTerms, latScriptAdvice, reportInLat } from '../src/rule-kit.js';

export const IMAGE = /(?<![\w-])(bzImage|arch\/x86(?:_64)?\/boot)(?![\w-])/dg;
/** A setting that chooses the image format: `KBUILD_IMAGE := bzImage`, `KERNEL_IMAGETYPE = "bzImage"`, yaml `kernel_imagetype: bzImage`. */
const IMAGE_SETTING = /(?:KBUILD_IMAGE|IMAGE_?TYPES?)["']?\s*(?:[:?+]?=|:)\s*["']?(?:[\w.-]+\s+)*$/i;
/** A make invocation whose goals are on the rest of the line (`$(MAKE) -C linux ARCH=x86 bzImage`). */
const MAKE_GOALS = /(?:^|[\s;&|(`])(?:\$[({]MAKE[)}]|make)\s[^;&|#]*$/;

/**
 * True when `bzImage` at [start, end) is built or chosen: a word of its own (not part of a path
 * or a longer file name) among a make invocation's goals, or the value of an image-type setting.
 */
function choosesImageFormat(text: string, lineStart: number, start: number, end: number): boolean {
  const before = text.slice(lineStart, start);
  if (IMAGE_SETTING.test(before)) return true;
  const standalone = /(?:^|\s)$/.test(before) && /^(?:\s|$|[;&|)])/.test(text.slice(end, end + 1));
  return standalone && MAKE_GOALS.test(before);
}
/** The kernel's ARCH (also KARCH, SRCARCH, KERNEL_ARCH) set to an x86 name: the value is reported. */
export const KARCH = /(?<![\w-])(?:K?ARCH|SRCARCH|KERNEL_ARCH)\s*[:?+]?=\s*["']?(x86_64|x86|i386)(?![\w-])/dg;
const COUNTERPART_IMAGE = /(?<![\w-])Image(?:\.gz)?(?![\w-])|arch\/arm64/;
const COUNTERPART_ARCH = /(?<![\w-])arm64(?![\w-])/;

const rule: Rule = {
  id: 'x86-kernel-image',
  description: 'The x86 kernel image format built or chosen (make bzImage, KERNEL_IMAGETYPE, arch/x86/boot, ARCH=x86_64) in generic build logic.',
  appliesTo: ['rules', 'makefile', 'shell', 'python', 'yaml', 'bootcfg'],
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  supersedes: ['hardcoded-arch'],
  trigger: triggerFrom(IMAGE, KARCH),
  docs: {
    rationale:
      'The x86 kernel build leaves `arch/x86/boot/bzImage`; arm64 leaves `arch/arm64/boot/Image` (and `Image.gz`), built ' +
      'with `ARCH=arm64`. A packaging or boot step that copies bzImage or passes `ARCH=x86_64` fails or ships nothing ' +
      'on arm64. The kernel\'s ARCH is not a dpkg variable: map it from `$(DEB_HOST_ARCH_CPU)` (amd64 → x86, arm64 → ' +
      'arm64) and the image target with it, or guard the x86 line. A line naming the arm64 counterpart too is a mapping. ' +
      '`bzImage` as the name a tree gives the kernel file it copies (`bzImage-std`, `/bzImage.sig`) is not the format and is not reported.',
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
    const text = ctx.file.text;
    for (const hit of bootTerms(ctx, IMAGE, ['amd64', 'i386'], COUNTERPART_IMAGE)) {
      // A part of `arch/x86/boot/bzImage` is reported once, as the path.
      if (hit.text === 'bzImage' && !choosesImageFormat(text, hit.lineStart, hit.start, hit.end)) continue;
      const message = hit.text === 'bzImage'
        ? `'bzImage' builds or chooses the x86 kernel image format; arm64's is Image: pick the target per arch (bzImage on x86, Image on arm64), or guard the line`
        : `'${hit.text}' is where the x86 kernel image is built; arm64's is arch/arm64/boot: pick it per arch, or guard the line`;
      // A LAT image yaml: the arm64 twin for its values, a shell test in its scripts.
      const on = ctx.architectures.filter((a) => a !== 'amd64' && a !== 'i386');
      const what = message.slice(0, message.lastIndexOf(':'));
      if (!hit.comment && reportInLat(ctx, { at: [hit.start, hit.end], what, on, script: (p) => latScriptAdvice(p, 'guard') })) continue;
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
