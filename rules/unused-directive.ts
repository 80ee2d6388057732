/**
 * unused-directive: a suppression that suppressed nothing. Once the code it excused is fixed,
 * a stale directive would silently hide the next real finding on that line. Only rules that
 * ran count, so a directive for a rule switched off in the config is not reported.
 */
import { triggerFrom, fix, replace, type Fix, type Rule, type RuleContext } from '../src/rule-kit.js';

type Directive = RuleContext['directives']['list'][number];

/** The text of a directive: its line when it stands alone, else the trailing comment. */
function directiveRange(text: string, d: Directive): [number, number] {
  let [s, e] = d.comment;
  if (d.standalone) {
    s = text.lastIndexOf('\n', s - 1) + 1;
    const nl = text.indexOf('\n', e);
    e = nl < 0 ? text.length : nl + 1;
  } else {
    while (s > 0 && /[ \t]/.test(text[s - 1] as string)) s--;
  }
  return [s, e];
}

/** Removes the whole directive, and the `enable` that closes a `disable` when it closes no directive that stays. */
function removeDirective(ctx: RuleContext, d: Directive, removed: ReadonlySet<Directive>): Fix {
  const text = ctx.file.text;
  const edits = [replace(...directiveRange(text, d), '')];
  if (d.kind === 'disable') {
    const list = ctx.directives.list;
    const enable = list.find((x) => x.kind === 'enable' && x.comment[0] === d.covers[1]);
    const closesOthers = list.some((x) => !removed.has(x) && x.kind === 'disable' && x.covers[1] === d.covers[1]);
    if (enable && !closesOthers) edits.push(replace(...directiveRange(text, enable), ''));
  }
  return fix('remove the unused directive', edits);
}

/** Removes one rule name (and its comma) from a directive that lists several. */
function removeRule(ctx: RuleContext, range: readonly [number, number]): Fix {
  const text = ctx.file.text;
  let [s, e] = range;
  const after = /^\s*,\s*/.exec(text.slice(e));
  if (after) e += after[0].length;
  else {
    const before = /(?<!\s)\s*,\s*$/.exec(text.slice(0, s));
    if (before) s -= before[0].length;
  }
  return fix('remove the unused rule from the directive', [replace(s, e, '')]);
}

const rule: Rule = {
  id: 'unused-directive',
  description: 'A debarch-lint directive that suppressed nothing.',
  appliesTo: ['rules', 'makefile', 'control', 'debhelper', 'series', 'patch', 'pkg-dirs', 'pkg-list', 'shell', 'python', 'yaml', 'dockerfile', 'bootcfg'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: {},
  phase: 'after',
  // a directive comment names the tool
  trigger: triggerFrom('debarch-lint'),
  docs: {
    rationale:
      'A suppression that no longer suppresses anything is a trap: the next real finding on that line is hidden ' +
      'without anyone deciding so. Only rules that ran count: a directive naming a rule switched off in the ' +
      'configuration is not reported. The fix removes the directive, or just the unused rule from its list.',
    bad: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\n# debarch-lint disable-next-line hardcoded-arch -- fixed since\n%:\n\tdh $@\n',
    },
    good: {
      path: 'debian/rules',
      text: '#!/usr/bin/make -f\n\n# debarch-lint disable-next-line arch-in-download-url -- amd64 mirror only\nMIRROR = http://mirror.example/amd64\n%:\n\tdh $@\n',
    },
  },
  check(ctx) {
    const unused = ctx.directives.unused();
    const removed = new Set(unused.filter((u) => !u.rule).map((u) => u.directive));
    for (const { directive, rule: r } of unused) {
      if (r) {
        ctx.report({ at: r.range, message: `'${r.id}' is disabled here but reported nothing: remove it from the directive`, fix: removeRule(ctx, r.range) });
      } else {
        const which = directive.rules.length ? directive.rules.map((x) => x.id).join(', ') : 'all rules';
        ctx.report({ at: directive.comment, message: `directive disables ${which} but suppressed nothing: remove it`, fix: removeDirective(ctx, directive, removed) });
      }
    }
  },
};

export default rule;
