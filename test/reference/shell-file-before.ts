/**
 * REFERENCE ONLY (test/shell-scan.test.ts): what parseShellFile (src/kinds/scripts.ts) built from
 * every token object before the tokens were a scan read without objects (lead 7a0fa58): the
 * guards (the file's shell guards, sed translations, echoed and here-document BIOS menus), the
 * comment tokens and the tokens.
 */
import { X86_FAMILY, type ArchName } from '../../src/arch.js';
import { GuardMap } from '../../src/guards.js';
import { archNamedVariables, echoedBiosMenus, isBiosMenuText, masked, sedTranslations } from '../../src/kinds/scripts.js';
import type { Token } from '../../src/lexers/token.js';
import { findShellArchGuards } from '../../src/shell-guards.js';
import { tokenizeShell } from './shell-lexer-before.js';

const X86_ONLY = (): Set<ArchName> => new Set<ArchName>(X86_FAMILY);

/** The guards, comments and tokens parseShellFile gave a text (and how many shell guard regions it found). */
export function shellFileBefore(text: string, architectures: readonly ArchName[]): { guards: GuardMap; comments: Token[]; tokens: Token[]; guarded: number } {
  const tokens = tokenizeShell(text);
  const guards = new GuardMap(architectures);
  const code = masked(text, tokens, ['heredoc', 'comment']);
  const sh = findShellArchGuards(code, 0, archNamedVariables(code));
  for (const r of sh.regions) guards.addRegion(r);
  for (const [s, e] of sh.tests) guards.addTest(s, e);
  for (const [s, e] of sedTranslations(masked(text, tokens, ['comment']))) guards.addTest(s, e);
  for (const [s, e] of echoedBiosMenus(code)) guards.addRegion({ start: s, end: e, arches: X86_ONLY(), positive: true, subject: 'host' });
  for (const t of tokens) {
    if (t.type === 'heredoc' && isBiosMenuText(t.text)) guards.addRegion({ start: t.offset, end: t.offset + t.text.length, arches: X86_ONLY(), positive: true, subject: 'host' });
  }
  return { guards, comments: tokens.filter((t) => t.type === 'comment'), tokens, guarded: sh.regions.length };
}
