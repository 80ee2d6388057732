/**
 * A lossless lexer for boot configs: GRUB scripts (`grub.cfg`), syslinux/isolinux/pxelinux
 * configs, and libvirt domain XML. Words, quoted strings, `key=value` signs, `#` comments (at
 * a word start, as GRUB and syslinux read them) and, in XML, tags, text and `<!-- -->` comments.
 */
import moo from 'moo';
import { lazy } from './lazy.js';
import type { Token } from './token.js';

const cfgLexer = lazy(() => moo.compile({
  newline: { match: /\r?\n|\r/, lineBreaks: true },
  ws: /[^\S\r\n]+/,
  comment: /#[^\r\n]*/,
  dquote: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  squote: /'[^'\r\n]*'/,
  quote: /["']/,
  punct: /[=;{}[\]()|&<>]/,
  word: /[^\s"'=;{}[\]()|&<>#][^\s"'=;{}[\]()|&<>]*/,
  other: { match: /[^]/, lineBreaks: true },
  error: moo.error,
}));

const xmlLexer = lazy(() => moo.compile({
  newline: { match: /\r?\n|\r/, lineBreaks: true },
  ws: /[^\S\r\n]+/,
  comment: { match: /<!--[^]*?-->/, lineBreaks: true },
  tag: { match: /<[/?!]?[A-Za-z][^<>]*>/, lineBreaks: true },
  text: /[^\s<]+/,
  other: { match: /[^]/, lineBreaks: true },
  error: moo.error,
}));

/** True when the text is XML (libvirt domain definitions): its first non-blank is `<`. */
export const isXml = (text: string): boolean => /^\s*</.test(text);

/** Tokens of a boot config; they cover the text exactly. */
export function tokenizeBootcfg(text: string): Token[] {
  const lexer = isXml(text) ? xmlLexer() : cfgLexer();
  lexer.reset(text);
  const out: Token[] = [];
  for (const t of lexer) out.push({ type: t.type ?? 'other', text: t.text, offset: t.offset });
  return out;
}
