/**
 * invalid-directive: a `# debarch-lint …` comment the engine cannot honour — an unknown verb
 * or rule id, or `disable-line` where a trailing comment would change data (in a make
 * assignment the blank before `#` is part of the value). A broken directive suppresses
 * nothing, so the finding it meant to silence still votes in CI.
 */
import { triggerFrom, type Rule } from '../src/rule-kit.js';

const rule: Rule = {
  id: 'invalid-directive',
  description: 'A malformed debarch-lint directive comment.',
  appliesTo: ['rules', 'makefile', 'control', 'debhelper', 'series', 'patch', 'pkg-dirs', 'pkg-list', 'shell', 'python', 'yaml', 'dockerfile', 'bootcfg'],
  severity: 'error',
  fixable: 'none',
  defaultOptions: {},
  phase: 'after',
  // a directive comment names the tool
  trigger: triggerFrom('debarch-lint'),
  docs: {
    rationale:
      'A directive with an unknown verb or rule id suppresses nothing, so the finding it was meant to silence ' +
      'still fails CI, and a reader believes it is handled. `disable-line` is refused where a trailing comment ' +
      'changes data: in a make assignment the blank before `#` becomes part of the value. Use ' +
      '`disable-next-line` on the line above there.',
    bad: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\n# debarch-lint disable-next-line hardcoded-archs -- typo\n%:\n\tdh $@\n',
    },
    good: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\n# debarch-lint disable-next-line arch-in-download-url -- amd64 mirror only\nMIRROR = http://mirror.example/amd64\n%:\n\tdh $@\n',
    },
  },
  check(ctx) {
    for (const d of ctx.directives.invalid) ctx.report({ at: d.range, message: d.message });
  },
};

export default rule;
