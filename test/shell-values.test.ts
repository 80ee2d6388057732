/**
 * The fast forms of two per-text shell scans give exactly what the code they replace gave:
 * `assignedValues` (src/shell-values.ts) against the per-name regex of `readNameSubject`, and
 * `echoParts` (src/kinds/scripts.ts) against its previous form (per-offset tail tries with a
 * table of next non-blanks) and against the regex that form documents, and `echoedBiosMenus`
 * against its previous form (a split of the whole text by lines). fast-check builds texts
 * of the fragments these scans care about: names, `=`, quotes, separators, blanks, redirects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { echoedBiosMenus, echoParts, isBiosMenuText, masked, sedTranslations, shellSedTranslations } from '../src/kinds/scripts.js';
import { scanShell, tokenizeShell } from '../src/lexers/shell.js';
import { assignedValues } from '../src/shell-values.js';

const SEED = 20261201;
const params = { seed: SEED, numRuns: 2000 };

/** The regex `readNameSubject` ran once per distinct name. */
const valuesByRegex = (text: string, name: string): string[] =>
  [...text.matchAll(new RegExp(`(?:^|[\\s;&|(])${name}=(["']?)([^\\s;&|)]*)\\1`, 'g'))].map((x) => x[2] as string);

const NAME_FRAGMENTS = ['X', 'X=', 'XX=', 'Y=', '=', '"', "'", '(', ')', ';', '&', '|', ' ', '\t', '\n', '\u00a0', 'a', 'b', '$', '`', '1=', '_X='];

describe('assignedValues', () => {
  it('gives what the per-name regex gives', () => {
    const text = fc.array(fc.constantFrom(...NAME_FRAGMENTS), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom('X', 'XX', 'Y', '1', '_X'), (t, name) => {
        expect(assignedValues(t, name)).toEqual(valuesByRegex(t, name));
      }),
      params,
    );
  });
  it('keeps to the regex on the cases where a value holds another assignment', () => {
    for (const t of ['X=a(X=b', 'X="a(X=b"', 'X="a("X=b', "X='a' X=b;X=\"c\"", 'X=', ' X=1 X=2', 'X="abc', '(X=1)']) {
      expect(assignedValues(t, 'X')).toEqual(valuesByRegex(t, 'X'));
    }
    expect(assignedValues('X=a(X=b', 'X')).toEqual(['a(X=b']);
  });
});

/** `echoParts` as it was: a tail tried after every character, a table of next non-blanks. */
const ECHO_HEAD = /^[ \t]*(?:echo|printf)(?:[ \t]+-[a-z]+)*[ \t]+(?![ \t])/;
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
function echoPartsBefore(line: string): [string, string, string, string, string | undefined] | undefined {
  if (/[\r\u2028\u2029]/.test(line)) return undefined;
  const head = ECHO_HEAD.exec(line)?.[0];
  if (head === undefined) return undefined;
  const r = line.slice(head.length);
  const n = r.length;
  let e = n;
  while (e > 0 && isBlank(r[e - 1])) e--;
  let w = e;
  while (w > 0 && /\S/.test(r[w - 1] as string)) w--;
  let z = w - 1;
  while (z >= 0 && isBlank(r[z])) z--;
  const nextNonBlank = new Int32Array(n + 1);
  nextNonBlank[n] = n;
  for (let i = n - 1; i >= 0; i--) nextNonBlank[i] = isBlank(r[i]) ? (nextNonBlank[i + 1] as number) : i;
  const target = (p: number): string | undefined => {
    if (r[p] !== '>' || p >= e) return undefined;
    if (p >= w) return p + 1 >= e ? undefined : r.slice(r[p + 1] === '>' && p + 2 < e ? p + 2 : p + 1, e);
    if (w >= e) return undefined;
    return p === z || (p === z - 1 && r[z] === '>') ? r.slice(w, e) : undefined;
  };
  const tail = (j: number): [boolean, string | undefined] => {
    if (j >= e) return [true, undefined];
    const t = target(nextNonBlank[j] as number);
    return [t !== undefined, t];
  };
  const q = r[0];
  if (q === '"' || q === "'") {
    for (let k = r.indexOf(q, 1); k >= 0; k = r.indexOf(q, k + 1)) {
      const [ok, t] = tail(k + 1);
      if (ok) return [line, head, q, r.slice(1, k), t];
    }
  }
  for (let j = 0; ; j++) {
    const [ok, t] = tail(j);
    if (ok) return [line, head, '', r.slice(0, j), t];
  }
}
/** The regex the previous form documents (run here on short lines only). */
const ECHO_LINE = /^([ \t]*(?:echo|printf)(?:[ \t]+-[a-z]+)*[ \t]+)(["']?)(.*?)\2(?:[ \t]*>>?[ \t]*(\S+))?[ \t]*$/;

const ECHO_FRAGMENTS = ['echo', 'printf', ' ', '\t', ' -n', '-e ', '"', "'", '>', '>>', '> ', 'a', 'b c', 'x.cfg', '\u00a0', '\f', '\v', '\\n', 'label', '2>', '&'];

describe('echoParts', () => {
  it('gives what its previous form and the documented regex give', () => {
    const line = fc
      .tuple(fc.constantFrom('echo ', 'printf ', ' echo -n ', '\techo\t'), fc.array(fc.constantFrom(...ECHO_FRAGMENTS), { maxLength: 16 }))
      .map(([h, a]) => h + a.join(''));
    fc.assert(
      fc.property(line, (l) => {
        const got = echoParts(l);
        expect(got).toEqual(echoPartsBefore(l));
        const m = ECHO_LINE.exec(l);
        expect(got).toEqual(m ? [m[0], m[1], m[2], m[3], m[4]] : undefined);
      }),
      params,
    );
  });

  it('gives the same on menu lines with quotes, redirects, separators and a carriage return', () => {
    const pieces = ['echo', 'printf', ' ', '\t', '-n', '-e', '"', "'", '>', '>>', 'a', 'label 0', 'append x', 'isolinux.cfg', '/b/c', '\\n', '\r', ';'];
    const rest = fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.constantFrom('', ' ', '\t'), fc.constantFrom('echo ', 'printf ', 'echo -n ', 'echo\t'), rest, (lead, head, r) => {
        const l = lead + head + r;
        const got = echoParts(l);
        expect(got).toEqual(echoPartsBefore(l));
        const m = ECHO_LINE.exec(l);
        expect(got).toEqual(m ? [m[0], m[1], m[2], m[3], m[4]] : undefined);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('reads a quoted menu line with a redirect', () => {
    expect(echoParts('  echo "append x" >> isolinux.cfg')).toEqual(['  echo "append x" >> isolinux.cfg', '  echo ', '"', 'append x', 'isolinux.cfg']);
    expect(echoParts('echo a > b c')).toEqual(['echo a > b c', 'echo ', '', 'a > b c', undefined]);
  });
});

/** `echoedBiosMenus` as it was: the whole text split by lines. */
function echoedBiosMenusBefore(text: string): [number, number][] {
  const out: [number, number][] = [];
  if (!text.includes('echo') && !text.includes('printf')) return out;
  let run: { spans: [number, number][]; texts: string[] } | undefined;
  const flush = (): void => {
    if (run && isBiosMenuText(run.texts.join('\n'))) out.push(...run.spans);
    run = undefined;
  };
  const mayEcho = (line: string): boolean => {
    let i = 0;
    while (isBlank(line[i])) i++;
    return line[i] === 'e' || line[i] === 'p';
  };
  let pos = 0;
  for (const line of text.split('\n')) {
    const start = pos;
    pos += line.length + 1;
    const m = mayEcho(line) ? echoPartsBefore(line) : undefined;
    if (!m) {
      if (run && line.trim() && !/^\s*\{\s*$/.test(line)) flush();
      continue;
    }
    const argStart = start + (m[1] as string).length;
    const span: [number, number] = [argStart, argStart + (m[2] as string).length * 2 + (m[3] as string).length];
    const said = (m[3] as string).replace(/\\n/g, '\n');
    if (m[4]) {
      flush();
      if (/(?:^|\/)(?:iso|sys|ext)linux\.(?:cfg|conf)["']?$/.test(m[4]) && /^\s*(?:label|kernel|append|ipappend|menu|ui|default|localboot)\b/i.test(said)) out.push(span);
      continue;
    }
    run ??= { spans: [], texts: [] };
    run.spans.push(span);
    run.texts.push(...said.split('\n'));
  }
  flush();
  return out;
}

const MENU_FRAGMENTS = [
  'echo "', 'echo ', 'printf \'', '  echo -e ', '"', "'", '\n', '\r\n', '\n\n', '{\n', '} > isolinux.cfg\n', ' >> isolinux.cfg', '>> /x/syslinux.cfg',
  'label 0', 'kernel vmlinuz', 'append console=ttyS0', 'ui vesamenu.c32', 'menuentry', 'x=1', ' ', '\t', '\\n', 'default menu.c32', 'e', 'p',
  'echo', 'printf', 'echoes ', 'printf\t',
];

describe('echoedBiosMenus', () => {
  it('gives what its previous form gives', () => {
    const text = fc.array(fc.constantFrom(...MENU_FRAGMENTS), { maxLength: 30 }).map((a) => a.join(''));
    let found = 0;
    fc.assert(
      fc.property(text, (t) => {
        const got = echoedBiosMenus(t);
        found += got.length;
        expect(got).toEqual(echoedBiosMenusBefore(t));
      }),
      params,
    );
    expect(found).toBeGreaterThan(0); // the texts do hold menus
  });
  it('keeps a run across `{` and a redirecting `}` and ends it at other code', () => {
    for (const t of ['echo "label 0"\n{\n  echo "append x"\n} > f\n', 'echo "label 0"\nx=1\necho "append x"\n', '\r\necho "label 0"\n\techo \'append x\'']) {
      expect(echoedBiosMenus(t)).toEqual(echoedBiosMenusBefore(t));
    }
    expect(echoedBiosMenus('echo "label 0"\n{\n  echo "append x"\n')).toEqual([[5, 14], [24, 34]]);
    expect(echoedBiosMenus('echo "label 0"\nx=1\necho "append x"\n')).toEqual([]);
  });
});

const SED_FRAGMENTS = ['sed', ' sed ', "sed -i 's/amd64/arm64/' f", 's/x86_64/aarch64/g', '#', '# sed s/amd64/arm64/', 'used', 'sedx', '\n', '\r\n', ' ', "'", '"', '\\\n', '<<EOF\n', 'EOF\n', ';', 'x'];

describe('shellSedTranslations', () => {
  it('gives what sedTranslations of the comment-blanked text gives', () => {
    const text = fc.array(fc.constantFrom(...SED_FRAGMENTS), { maxLength: 20 }).map((a) => a.join(''));
    let found = 0;
    fc.assert(
      fc.property(text, (t) => {
        const tokens = tokenizeShell(t);
        const got = shellSedTranslations(t, scanShell(t));
        found += got.length;
        expect(got).toEqual(sedTranslations(masked(t, tokens, ['comment'])));
      }),
      params,
    );
    expect(found).toBeGreaterThan(0);
  });
});
