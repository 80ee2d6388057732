/**
 * arch-conditional-incomplete: an arch test that handles some of `architectures` and lets the
 * others fail — an `else`/`*)` branch that ends in `$(error …)`, `exit 1`, `raise` or
 * `sys.exit`, reached by a configured arch — or that sets a variable only for some arches
 * while it is used unguarded (the other arches build with it empty). Porting means adding the
 * missing arch's branch; no fix can guess its content.
 */
import {
  ARCH_LITERAL_TEXTS, ARCH_SOURCE_WORDS, EFI_NAME, ISO_LAYOUT_NAMES, PYTHON_ARCH_SOURCE, archTestFailures, partialArchVariables, triggerAllOf, triggerByKind, triggerFrom, triggerUnion, type Rule,
} from '../src/rule-kit.js';

const rule: Rule = {
  id: 'arch-conditional-incomplete',
  description: 'An arch test whose uncovered arches fail, or get a variable left unset.',
  appliesTo: ['rules', 'makefile', 'shell', 'python'],
  severity: 'warning',
  fixable: 'none',
  defaultOptions: {},
  // an arch test reads an arch source, compares a name with an arch in it (`install/grub-efi-amd64`, `grubx64.efi`),
  // or tests an ISO's layout (`isolinux/`, `EFI/BOOT/BOOTAA64.EFI`); python's reads only sources and layouts
  trigger: triggerByKind(['rules', 'makefile', 'shell'], triggerFrom(ARCH_SOURCE_WORDS, ARCH_LITERAL_TEXTS, EFI_NAME, ...ISO_LAYOUT_NAMES), {
    python: triggerUnion(triggerAllOf(PYTHON_ARCH_SOURCE), triggerFrom(...ISO_LAYOUT_NAMES)),
  }),
  docs: {
    rationale:
      'Build logic written for one arch often ends its arch test with a failure for everything else ' +
      '(`*) echo "unsupported arch"; exit 1 ;;`, `else: raise Exception(...)`, `$(error ...)`), or sets a variable only ' +
      'in the branch it knew (`ifeq ($(DEB_HOST_ARCH),amd64) EFI_NAME = grubx64.efi endif`) and uses it for every arch. ' +
      'On arm64 the build stops there, or runs with an empty value. Add the missing arch\'s branch (arm64: `aarch64` from ' +
      '`uname -m`, `arm64` from dpkg). A failure reached by no configured arch (`*)` after branches for amd64 and arm64) ' +
      'is a correct safety net and stays silent.',
    bad: {
      path: 'build-tools/fetch-firmware.sh',
      text: '#!/bin/sh\ncase "$(uname -m)" in\n  x86_64) FW=ovmf-x64 ;;\n  *) echo "unsupported: $(uname -m)" >&2; exit 1 ;;\nesac\necho "$FW"\n',
    },
    good: {
      path: 'build-tools/fetch-firmware.sh',
      text: '#!/bin/sh\ncase "$(uname -m)" in\n  x86_64) FW=ovmf-x64 ;;\n  aarch64) FW=aavmf ;;\n  *) echo "unsupported: $(uname -m)" >&2; exit 1 ;;\nesac\necho "$FW"\n',
    },
  },
  check(ctx) {
    for (const f of archTestFailures(ctx)) {
      ctx.report({
        at: [f.start, f.end],
        message: `${f.reach.join(', ')} ${f.reach.length > 1 ? 'reach' : 'reaches'} this failure: the arch test ${f.covered.length ? `handles only ${f.covered.join(', ')}` : 'handles none of the configured arches'}; add a branch for ${f.reach.join(', ')}`,
      });
    }
    const text = ctx.file.text;
    for (const v of partialArchVariables(ctx)) {
      const line = text.slice(0, v.firstSet).split('\n').length;
      ctx.report({
        at: [v.start, v.end],
        message: `'${v.name}' is set only for ${v.setFor.join(', ')} (line ${line}) but used here on ${v.missing.join(', ')} too: set it for every arch, or fail with a clear message`,
      });
    }
  },
};

export default rule;
