/**
 * Suppression directives, in the comment syntax of each kind (DESIGN §4):
 *   # debarch-lint disable-next-line <rule>[, <rule>] -- <reason>
 *   # debarch-lint disable <rule> -- <reason>      (to the end of the file or `enable`)
 *   # debarch-lint enable <rule>
 *   … # debarch-lint disable-line <rule>           (only where a trailing comment is not data)
 * No rule list means every rule.
 */
import type { ParsedFile } from '../kinds/index.js';
import type { Finding, Range } from '../types.js';

export type DirectiveKind = 'disable-next-line' | 'disable-line' | 'disable' | 'enable';

export interface DirectiveRule {
  id: string;
  /** Where the name stands in the file, for a fix that removes just it. */
  range: Range;
}

export interface Directive {
  kind: DirectiveKind;
  /** Empty: all rules. */
  rules: DirectiveRule[];
  reason?: string;
  /** The whole comment. */
  comment: Range;
  /** True when the comment is alone on its line. */
  standalone: boolean;
  /** Offsets covered: [from, to). */
  covers: Range;
}

export interface InvalidDirective {
  range: Range;
  message: string;
}

export interface Directives {
  readonly list: readonly Directive[];
  readonly invalid: readonly InvalidDirective[];
  /** The directive that suppresses this finding, if any; records that it was used. */
  suppress(finding: Finding): Directive | undefined;
  /** The rules that ran on this file (filled by the engine): only they can leave a directive unused. */
  readonly ran: Set<string>;
  /** Directive rules (or whole directives, `rule` undefined) that suppressed nothing. */
  unused(): { directive: Directive; rule?: DirectiveRule }[];
}

const DIRECTIVE_RE = /^#+\s*debarch-lint\b[ \t]*(?![ \t])(\S*)(?!\S)(.*)$/s;
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export function parseDirectives(
  text: string,
  parsed: ParsedFile,
  knownRules: ReadonlySet<string>,
): Directives {
  const list: Directive[] = [];
  const invalid: InvalidDirective[] = [];
  const lineStartOf = (o: number): number => text.lastIndexOf('\n', o - 1) + 1;

  for (const c of parsed.comments) {
    const m = DIRECTIVE_RE.exec(c.text.replace(/\r?\n$/, ''));
    if (!m) continue;
    const verb = m[1] as string;
    const range: Range = [c.offset, c.offset + c.text.replace(/\r?\n$/, '').length];
    if (!['disable-next-line', 'disable-line', 'disable', 'enable'].includes(verb)) {
      invalid.push({
        range,
        message: verb
          ? `unknown directive \`${verb}\`; use disable-next-line, disable-line, disable or enable`
          : 'directive without a verb; use disable-next-line, disable-line, disable or enable',
      });
      continue;
    }
    let rest = m[2] as string;
    let reason: string | undefined;
    const dash = rest.indexOf(' --');
    if (dash >= 0 || rest.trimStart().startsWith('--')) {
      const at = dash >= 0 ? dash : rest.indexOf('--');
      reason = rest.slice(at).replace(/^\s*--\s*/, '').trim() || undefined;
      rest = rest.slice(0, at);
    }
    const restOffset = c.offset + c.text.indexOf(m[2] as string, 1 + verb.length);
    const rules: DirectiveRule[] = [];
    let bad = false;
    for (const part of rest.matchAll(/[^,\s]+/g)) {
      const id = part[0];
      const r: Range = [restOffset + part.index, restOffset + part.index + id.length];
      if (!RULE_ID.test(id) || !knownRules.has(id)) {
        invalid.push({ range: r, message: `unknown rule \`${id}\` in directive; \`debarch-lint rules\` lists the rule ids` });
        bad = true;
        continue;
      }
      rules.push({ id, range: r });
    }
    if (bad && rules.length === 0) continue;
    const standalone = /^\s*$/.test(text.slice(lineStartOf(c.offset), c.offset));
    const kind = verb as DirectiveKind;
    let covers: Range;
    if (kind === 'disable-line') {
      const problem = parsed.disableLineProblem(c);
      if (problem) {
        invalid.push({ range, message: `\`disable-line\` cannot be used here: ${problem}` });
        continue;
      }
      covers = parsed.statementAt(c.offset);
    } else if (kind === 'disable-next-line') {
      const nl = text.indexOf('\n', c.offset);
      if (nl < 0) {
        invalid.push({ range, message: '`disable-next-line` on the last line disables nothing' });
        continue;
      }
      const [s, e] = parsed.statementAt(nl + 1);
      covers = [Math.min(s, nl + 1), Math.max(e, nl + 1)];
    } else {
      covers = [c.offset, text.length];
    }
    list.push({ kind, rules, reason, comment: range, standalone, covers });
  }

  // `enable` ends earlier `disable` ranges of the same rules.
  for (let i = 0; i < list.length; i++) {
    const en = list[i] as Directive;
    if (en.kind !== 'enable') continue;
    for (const d of list.slice(0, i)) {
      if (d.kind !== 'disable' || d.covers[1] < en.comment[0]) continue;
      const sameRules =
        en.rules.length === 0 || (d.rules.length > 0 && d.rules.every((r) => en.rules.some((e) => e.id === r.id)));
      if (sameRules) d.covers = [d.covers[0], en.comment[0]];
    }
  }

  const used = new Map<Directive, Set<string>>();
  const ran = new Set<string>();
  return {
    list,
    invalid,
    ran,
    suppress(f: Finding): Directive | undefined {
      for (const d of list) {
        if (d.kind === 'enable') continue;
        const start = f.range[0];
        const inside = d.kind === 'disable' ? start >= d.covers[0] && start < d.covers[1] : start >= d.covers[0] && start <= d.covers[1];
        if (!inside) continue;
        if (d.rules.length > 0 && !d.rules.some((r) => r.id === f.ruleId)) continue;
        const u = used.get(d) ?? new Set<string>();
        u.add(f.ruleId);
        used.set(d, u);
        return d;
      }
      return undefined;
    },
    unused() {
      const out: { directive: Directive; rule?: DirectiveRule }[] = [];
      for (const d of list) {
        if (d.kind === 'enable') continue;
        const u = used.get(d);
        if (d.rules.length === 0) {
          if (!u) out.push({ directive: d });
          continue;
        }
        const unusedRules = d.rules.filter((r) => ran.has(r.id) && !u?.has(r.id));
        if (unusedRules.length === 0) continue;
        if (unusedRules.length === d.rules.length) out.push({ directive: d });
        else for (const r of unusedRules) out.push({ directive: d, rule: r });
      }
      return out;
    },
  };
}
