/**
 * The shell scanner is a rewrite of a moo lexer for speed: it must give the very tokens the moo
 * lexer (same states, same rules in the same order, the same here-document driver) gave, on any text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import moo from 'moo';
import { describe, expect, it } from 'vitest';
import { SHELL_STATES, tokenizeShell } from '../src/lexers/shell.js';
import type { Token } from '../src/lexers/token.js';

const reference = moo.states(Object.fromEntries(Object.entries(SHELL_STATES).map(([name, rules]) => [name, { ...rules, error: moo.error }])));

/** The here-document driver as it was around the moo lexer. */
function mooTokens(text: string): Token[] {
  const pendingOf = (op: string): { delimiter: string; stripTabs: boolean } => ({
    delimiter: op.replace(/^<<-?[ \t]*/, '').replace(/^(['"])(.*)\1$/, '$2').replace(/^\\/, ''),
    stripTabs: op.startsWith('<<-'),
  });
  const bodyEnd = (pos: number, pending: { delimiter: string; stripTabs: boolean }[]): number => {
    let at = pos;
    let end = pos;
    for (const h of pending) {
      for (;;) {
        if (at >= text.length) return text.length;
        const nl = text.indexOf('\n', at);
        const lineEnd = nl < 0 ? text.length : nl;
        let line = text.slice(at, lineEnd).replace(/\r$/, '');
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        const next = nl < 0 ? text.length : nl + 1;
        if (line === h.delimiter) {
          end = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
          at = next;
          break;
        }
        end = next;
        at = next;
      }
    }
    return end;
  };
  const out: Token[] = [];
  let base = 0;
  let pending: { delimiter: string; stripTabs: boolean }[] = [];
  reference.reset(text);
  for (;;) {
    const t = reference.next();
    if (!t) break;
    const offset = base + t.offset;
    const type = t.type ?? 'error';
    out.push({ type, text: t.text, offset });
    if (type === 'error') break;
    if (type === 'heredocOp') pending.push(pendingOf(t.text));
    if (type === 'newline' && pending.length) {
      const start = offset + t.text.length;
      const end = bodyEnd(start, pending);
      pending = [];
      if (end > start) out.push({ type: 'heredoc', text: text.slice(start, end), offset: start });
      const state = reference.save();
      base = end;
      reference.reset(text.slice(end), state);
    }
  }
  return out;
}

function shellFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) shellFixtures(p, out);
    else if (/\.(?:sh|bash|cfg)$|(?:^|\/)(?:rules|[\w.-]*\.(?:postinst|preinst|postrm|prerm))$/.test(name)) out.push(p);
  }
  return out;
}

describe('shell scanner', () => {
  it('gives the moo lexer’s tokens on every shell fixture (and the make and maintainer scripts)', () => {
    const files = shellFixtures(join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(tokenizeShell(text), f).toEqual(mooTokens(text));
    }
  });

  it('gives the moo lexer’s tokens on tricky text', () => {
    for (const text of [
      '', '\\', '\\\r', '\\\r\n', '\\\n', '\r', '\r\r\n', ' \t\f\v\r\n', '# c\r\nx', 'a#b ${x#y} "#" # c\n', 'x\u00a0y', '\u2028', 'é\ufeff',
      'cat <<EOF\n# x\namd64\nEOF\necho done # c\n', 'cat <<-"E" <<\'F\'\n\tx\n\tE\ny\nF\nz', 'cat <<\\E\r\nbody\r\nE\r\n', 'a <<< "x" <<<< <<', 'cat <<',
      ';;& ;; ;& && || ;;; &&& >>| <> ;|', '$\'a\\\'b\' $\'open', '$(a $(b) (c) ) )', '${x:-"$(y)"} ${a${b}} ${p/\'q\'/r} ${open', '"$x ${y} $(z) `w` \\" \\', '`a \\` b` `open',
      '$ $1 $@ $* $# $? $$ $! $- $_x9 $é', '"$"', '${$}', '${$x}', '$((1+2))', 'a\\ b \\\\c \\', '"a\\', '${a\\', '`a\\', 'echo $(cat <<E\nx)\nE\n)',
    ]) expect(tokenizeShell(text), JSON.stringify(text)).toEqual(mooTokens(text));
  });

  it('gives the moo lexer’s tokens on random text', () => {
    const alphabet = fc.constantFrom(...['a', '9', '_', ' ', '\t', '\r', '\n', '\f', '\\', '#', "'", '"', '`', '$', '(', ')', '{', '}', ';', '&', '|', '<', '>', '-', '<<', '<<-', '<<EOF', '\nEOF', 'EOF\n', '\u00a0', 'é', '\u2028', '$(', '${', "$'"]);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        expect(tokenizeShell(text)).toEqual(mooTokens(text));
      }),
      { numRuns: 3000 },
    );
  });
});
