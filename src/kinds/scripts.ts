/**
 * The script kinds (DESIGN §3): `shell` (`*.sh`, `sh|bash|dash` shebangs, kickstarts whose
 * `%pre`/`%post` sections are shell), `python` (`*.py`, `python*` shebangs) and `dockerfile`
 * (`Dockerfile*`, `*.Dockerfile`). Shebangs and kickstart sections are read from a file's first
 * bytes (`sniff`), only for files no path rule claims.
 */
import { X86_FAMILY, archesWithValue, type ArchName } from '../arch.js';
import { GuardMap } from '../guards.js';
import { lexDockerfile, type DockerInstruction } from '../lexers/dockerfile.js';
import { PY_STRING } from '../lexers/python.js';
import { SH_COMMENT, SH_HEREDOC, ShellTokens, scanShell, type ShScan } from '../lexers/shell.js';
import type { Token } from '../lexers/token.js';
import { parsePython, type PythonModel } from '../python-guards.js';
import { archVariable } from '../make-expr.js';
import { findShellArchGuards, type ArchSource, type ShellGuards } from '../shell-guards.js';
import type { KindSupport, ParsedFile } from './index.js';
import { lineBounds } from './lines.js';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Kickstart files: in a `kickstart/` folder or named `*ks.cfg` (the bootcfg kind leaves these out). */
const KICKSTART_PATH = /(^|\/)kickstarts?\/.*\.cfg$|(^|\/)[^/]*(?:^|[_.-])ks\.cfg$/;
const KICKSTART_SECTION = /^%(?:pre|post|packages|ks-early|pre-install|pre-part|part|mkfs|onerror|traceback)\b/m;
const SHELL_SHEBANG = /^#![ \t]*(?:\/usr)?\/bin\/(?:env[ \t]+(?:-\S+[ \t]+)*)?(?:ba|da|k)?sh\b/;
const PYTHON_SHEBANG = /^#![ \t]*\S*\/(?:env[ \t]+(?:-\S+[ \t]+)*)?python[0-9.]*\b/;
/** Names a Dockerfile rule must not take: patches, docs, backups. */
const NOT_A_DOCKERFILE = /\.(?:patch|diff|md|rst|txt|orig|rej|bak|swp|json|ya?ml|j2|sh|py)$/i;


/** The physical lines joined by trailing backslashes around `offset`. */
function continuedLine(text: string, offset: number): [number, number] {
  let [s, e] = lineBounds(text, offset);
  while (s > 1 && /\\\r?\n$/.test(text.slice(Math.max(0, s - 3), s))) s = lineBounds(text, s - 2)[0];
  // the next line starts after the line's `\n` (after `\r\n`, `e + 1` is still on this line:
  // stepping there never moved, and a continued CRLF line at the end looped forever)
  for (;;) {
    if (text[e - 1] !== '\\') break;
    const nl = text.indexOf('\n', e);
    if (nl < 0 || nl + 1 >= text.length) break;
    e = lineBounds(text, nl + 1)[1];
  }
  return [s, e];
}

const NOTHING_TO_DISABLE = 'there is nothing on this line to disable; use `disable-next-line`';

function trailingCommentProblem(text: string, comment: Token): string | undefined {
  const [s] = lineBounds(text, comment.offset);
  return text.slice(s, comment.offset).trim() ? undefined : NOTHING_TO_DISABLE;
}

/** Blanks out the given token types (keeping offsets) so the guard scanner does not read them as code. */
export function masked(text: string, tokens: readonly Token[], types: readonly string[]): string {
  // parts joined once (a `+=` rope is flattened by the first regex that reads it)
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (!types.includes(t.type)) continue;
    parts.push(text.slice(pos, t.offset));
    blankInto(parts, t.text);
    pos = t.offset + t.text.length;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(pos));
  return parts.join('');
}

/**
 * `masked` over a shell scan: blanks the tokens whose type code is `a` or `b` (`SH_TYPES`),
 * without a token object or a substring each.
 */
export function maskedScan(text: string, scan: ShScan, a: number, b = a): string {
  const parts: string[] = [];
  const { count, types, starts } = scan;
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const type = types[i] as number;
    if (type !== a && type !== b) continue;
    const s = starts[i] as number;
    const e = starts[i + 1] as number;
    parts.push(text.slice(pos, s));
    blankRange(parts, text, s, e);
    pos = e;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(pos));
  return parts.join('');
}

const SPACES = ' '.repeat(256);

/** Pushes `s` with every unit but `\r` and `\n` made a space: `s.replace(/[^\r\n]/g, ' ')`, without a regex run per unit. */
function blankInto(parts: string[], s: string): void {
  blankRange(parts, s, 0, s.length);
}

/** `blankInto` of `text.slice(start, end)`, without the slice. */
function blankRange(parts: string[], text: string, start: number, end: number): void {
  let from = start;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13) continue;
    for (let left = i - from; left > 0; left -= SPACES.length) parts.push(left >= SPACES.length ? SPACES : SPACES.slice(0, left));
    if (i < end) parts.push(c === 10 ? '\n' : '\r');
    from = i + 1;
  }
}

/**
 * True when a here-document or string is the text of an isolinux/syslinux/pxelinux (BIOS) menu:
 * `label … kernel … append` stanzas, `ui vesamenu.c32`. Such text is read by x86 BIOS firmware
 * alone, so its lines are reached by the x86 family only (`console=ttyS0` there is right); the
 * finding, if any, is on the code that writes the menu without a guard.
 */
export function isBiosMenuText(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim().toLowerCase());
  if (lines.some((l) => /^(?:ui|default)\s+(?:vesa)?menu\.c32\b/.test(l))) return true;
  const appends = lines.some((l) => /^(?:append|ipappend)\s/.test(l));
  const stanzas = lines.some((l) => /^(?:label|kernel|localboot|menu\s+label)\s/.test(l));
  return appends && stanzas && !lines.some((l) => /^menuentry\b/.test(l));
}

const X86_ONLY = (): Set<ArchName> => new Set<ArchName>(X86_FAMILY);

/** What every text isBiosMenuText accepts holds (a cheap test before it). */
const BIOS_MENU_WORD = /menu\.c32|append/i;

/** An arch-specific word: an arch name or GNU cpu, an EFI arch (`x64`, `aa64`), a serial console, a kernel image name. */
const ARCH_WORD = /(?<![A-Za-z0-9])(?:amd64|arm64|x86_64|aarch64|i386|i686|armhf|x64|aa64|ia32|ttyS\d*|ttyAMA\d*|bzImage|Image)(?![A-Za-z0-9])|x64\.efi|aa64\.efi|ia32\.efi/i;

/**
 * A rewrite from one arch's word to another's (`s/amd64/arm64/`, `s/ttyS0/ttyAMA0/`,
 * `.replace('x64', 'aa64')`) is a translation: its pattern names the text being replaced, not
 * what the build uses. True when both sides name an arch-specific word and differ.
 */
export function isTranslation(pattern: string, replacement: string): boolean {
  return pattern !== replacement && ARCH_WORD.test(pattern) && ARCH_WORD.test(replacement);
}

/**
 * Runs of `echo`/`printf` lines that together print an isolinux/syslinux menu (`echo "label 0"`,
 * `echo "  append … console=ttyS0"`), and single ones appending a menu directive to a BIOS menu
 * file (`echo "append …" >> isolinux.cfg`): reached by x86 only, as a written here-document is.
 */
/** `echo`/`printf` (and options, blanks) at the start of a line. */
const ECHO_HEAD = /^[ \t]*(?:echo|printf)(?:[ \t]+-[a-z]+)*[ \t]+(?![ \t])/;
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * What `/^([ \t]*(?:echo|printf)(?:[ \t]+-[a-z]+)*[ \t]+)(["']?)(.*?)\2(?:[ \t]*>>?[ \t]*(\S+))?[ \t]*$/`
 * captures — the whole line, the head, the quote, the printed text, the redirect target — in one pass: that regex
 * tries its tail after every character of the text (quadratic on a hostile line). The text is the
 * shortest one (inside the quotes if they close before a valid tail) after which only a redirect
 * (`>`/`>>`, blanks, one word) and blanks are left.
 */
export function echoParts(line: string): [string, string, string, string, string | undefined] | undefined {
  if (/[\r\u2028\u2029]/.test(line)) return undefined; // `.` stops there and nothing else takes it
  const head = ECHO_HEAD.exec(line)?.[0];
  if (head === undefined) return undefined;
  const r = line.slice(head.length);
  let e = r.length; // where the trailing blanks start
  while (e > 0 && isBlank(r[e - 1])) e--;
  let w = e; // where the last word (before them) starts
  while (w > 0 && !isWhite(r.charCodeAt(w - 1))) w--;
  let z = w - 1; // the last character before w that is not a blank
  while (z >= 0 && isBlank(r[z])) z--;
  const q = r[0];
  if (q === '"' || q === "'") {
    for (let k = r.indexOf(q, 1); k >= 0; k = r.indexOf(q, k + 1)) {
      // a tail from k + 1: nothing but blanks, or a redirect at its first non-blank
      let p = k + 1;
      if (p >= e) return [line, head, q, r.slice(1, k), undefined];
      while (isBlank(r[p])) p++;
      const t = redirectTarget(r, p, e, w, z);
      if (t !== undefined) return [line, head, q, r.slice(1, k), t];
    }
  }
  // the shortest text before a tail: up to the last non-blank before the first redirect that
  // is one, else up to the trailing blanks
  let last = -1;
  for (let p = 0; p < e; p++) {
    if (isBlank(r[p])) continue;
    if (r[p] === '>') {
      const t = redirectTarget(r, p, e, w, z);
      if (t !== undefined) return [line, head, '', r.slice(0, last + 1), t];
    }
    last = p;
  }
  return [line, head, '', r.slice(0, e), undefined];
}

/** What `/\s/` takes: the white space and line ends of JS. */
const isWhite = (c: number): boolean =>
  (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/**
 * The redirect target of an echo line's rest `r` if a tail `>>? blanks word blanks` starts at
 * `p`, else undefined: `e` is where the trailing blanks start, `w` where the last word starts,
 * `z` the last non-blank before it.
 */
function redirectTarget(r: string, p: number, e: number, w: number, z: number): string | undefined {
  if (r[p] !== '>' || p >= e) return undefined;
  if (p >= w) return p + 1 >= e ? undefined : r.slice(r[p + 1] === '>' && p + 2 < e ? p + 2 : p + 1, e);
  if (w >= e) return undefined;
  return p === z || (p === z - 1 && r[z] === '>') ? r.slice(w, e) : undefined;
}

/** False when the line from `start` to `end` cannot start with ECHO_HEAD: after blanks, no `echo` or `printf` and a blank. */
function mayEchoAt(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isBlank(text[i])) i++;
  const word = text.startsWith('echo', i) ? 4 : text.startsWith('printf', i) ? 6 : 0;
  return word > 0 && i + word < end && isBlank(text[i + word]);
}

/** The index of `word` in `text` at or after `from` (Infinity if none); `known`, a previous answer, is kept while not behind `from`. */
function indexFrom(text: string, word: string, from: number, known: number): number {
  if (known >= from) return known;
  const i = text.indexOf(word, from);
  return i < 0 ? Infinity : i;
}

export function echoedBiosMenus(text: string): [number, number][] {
  const out: [number, number][] = [];
  // every echoed line starts with ECHO_HEAD (case-sensitive): a text without its words has none
  if (!text.includes('echo') && !text.includes('printf')) return out;
  // the printed text of each echo line in the run, and where it is (the redirect target stays outside)
  // `menu`: a line of it may be a menu's `append` or `menu.c32` line, without which isBiosMenuText is false
  let run: { spans: [number, number][]; texts: string[]; menu: boolean } | undefined;
  const flush = (): void => {
    if (run?.menu && isBiosMenuText(run.texts.join('\n'))) out.push(...run.spans);
    run = undefined;
  };
  // line by line as `text.split('\n')` gives them, sliced only when one may echo or a run is open;
  // with no run open, a line without `echo` or `printf` does nothing: the next line holding one is found by search
  let nextEcho = -1;
  let nextPrintf = -1;
  for (let start = 0, end = 0; start <= text.length; start = end + 1) {
    if (!run) {
      nextEcho = indexFrom(text, 'echo', start, nextEcho);
      nextPrintf = indexFrom(text, 'printf', start, nextPrintf);
      const next = Math.min(nextEcho, nextPrintf);
      if (next === Infinity) break;
      start = text.lastIndexOf('\n', next - 1) + 1;
    }
    end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const m = mayEchoAt(text, start, end) ? echoParts(text.slice(start, end)) : undefined;
    if (!m) {
      // `{` and `} > file` around a run belong to it; anything else ends it
      if (run) {
        const line = text.slice(start, end);
        if (line.trim() && !/^\s*\{\s*$/.test(line)) flush();
      }
      continue;
    }
    const argStart = start + (m[1] as string).length;
    const span: [number, number] = [argStart, argStart + (m[2] as string).length * 2 + (m[3] as string).length];
    const said = (m[3] as string).replace(/\\n/g, '\n');
    if (m[4]) {
      // its own redirect: one line, a menu directive into a BIOS menu file
      flush();
      if (/(?:^|\/)(?:iso|sys|ext)linux\.(?:cfg|conf)["']?$/.test(m[4]) && /^\s*(?:label|kernel|append|ipappend|menu|ui|default|localboot)\b/i.test(said)) out.push(span);
      continue;
    }
    run ??= { spans: [], texts: [], menu: false };
    if (!run.menu) {
      const lower = said.toLowerCase();
      run.menu = lower.includes('append') || lower.includes('menu.c32');
    }
    run.spans.push(span);
    run.texts.push(...said.split('\n'));
  }
  flush();
  return out;
}

const isWordUnit = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** What ends a line for `^`, `$` and `.` in a JS regex: `\n`, `\r`, U+2028, U+2029. */
const isLineEnd = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * What `text.matchAll(/^.*\bsed\b.*$/gm)` gives (each line that holds the word `sed`, whole, and
 * its offset), found from the occurrences of `sed` rather than by trying the regex at every line.
 */
function* sedLines(text: string): Generator<{ index: number; 0: string }> {
  let from = 0;
  for (let k = text.indexOf('sed'); k >= 0; k = text.indexOf('sed', from)) {
    if ((k > 0 && isWordUnit(text.charCodeAt(k - 1))) || (k + 3 < text.length && isWordUnit(text.charCodeAt(k + 3)))) {
      from = k + 1;
      continue;
    }
    let start = k;
    while (start > 0 && !isLineEnd(text.charCodeAt(start - 1))) start--;
    let end = k + 3;
    while (end < text.length && !isLineEnd(text.charCodeAt(end))) end++;
    yield { index: start, 0: text.slice(start, end) };
    from = end;
  }
}

/** The pattern side of every sed substitution in a shell text that translates one arch's word into another's. */
export function sedTranslations(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const line of sedLines(text)) {
    // the statement: this line and its backslash continuations
    let end = line.index + line[0].length;
    while (text[end - 1] === '\\' && end < text.length) {
      const n = text.indexOf('\n', end + 1);
      end = n < 0 ? text.length : n;
    }
    const stmt = text.slice(line.index, end);
    for (const m of stmt.matchAll(/(?<=^|[\s'";{])s([/|#,:@!])((?:\\.|(?!\1)[^\n])*)\1((?:\\.|(?!\1)[^\n])*)\1/g)) {
      if (!isTranslation(m[2] as string, m[3] as string)) continue;
      const start = line.index + m.index + 2;
      out.push([start, start + (m[2] as string).length]);
    }
  }
  return out;
}

/**
 * `sedTranslations` of a shell text with its comments blanked out. A text without the word `sed`
 * has none, and blanking never makes one (a blanked comment runs to its line's end and starts
 * with `#`): most shell texts are then not copied a second time.
 */
export function shellSedTranslations(text: string, scan: ShScan): [number, number][] {
  if (sedLines(text).next().done) return [];
  return sedTranslations(maskedScan(text, scan, SH_COMMENT));
}

/** The first argument of every python `.replace(a, b)` call that translates one arch's word into another's. */
function pythonTranslations(py: PythonModel): [number, number][] {
  const out: [number, number][] = [];
  // code tokens only (no blank, comment or line end between them); the `replace` is at least the third
  const st = py.store;
  const code = st.code;
  for (let k = 2; k + 4 < st.codeCount; k++) {
    if (!st.is(code[k] as number, 'replace') || !st.is(code[k - 1] as number, '.') || !st.is(code[k + 1] as number, '(')) continue;
    const a = code[k + 2] as number;
    const b = code[k + 4] as number;
    if (st.type(a) !== PY_STRING || !st.is(code[k + 3] as number, ',') || st.type(b) !== PY_STRING) continue;
    if (isTranslation(st.text.slice(st.start(a) + 1, st.end(a) - 1), st.text.slice(st.start(b) + 1, st.end(b) - 1))) out.push([st.start(a), st.end(a)]);
  }
  return out;
}

function addShellGuards(guards: GuardMap, g: ShellGuards): void {
  for (const r of g.regions) guards.addRegion(r);
  for (const [s, e] of g.tests) guards.addTest(s, e);
}

/** What the script rules read beyond the shared ParsedFile: tokens and the kind's model. */
export interface ScriptModel {
  kind: 'shell' | 'python' | 'dockerfile';
  tokens: Token[];
  /** The token holding an offset, as `tokenAt(tokens, offset)` (python: without making every token object). */
  tokenAt?: (offset: number) => Token | undefined;
  /** The tokens of a shell file as its scan (their objects made when read). */
  shellTokens?: ShellTokens;
  /** Shell guards of the file (shell) or of its RUN lines (dockerfile). */
  shell?: ShellGuards;
  python?: PythonModel;
  instructions?: DockerInstruction[];
}

// keyed by the GuardMap, which a rule sees as ctx.guards and which is made once per parse
const models = new WeakMap<GuardMap, ScriptModel>();

/** The script model behind a parsed shell, python or dockerfile file. */
export function scriptModelOf(guards: GuardMap): ScriptModel | undefined {
  return models.get(guards);
}

/** `ARCH`, `OS_ARCH`, `arch`, `TARGET_ARCH_NAME`: a variable whose name says it holds an arch. */
const ARCH_NAMED = /^(?:[A-Za-z0-9]+_)*arch(?:_[A-Za-z0-9]+)*$/i;

/**
 * Variables named for an arch and tested against arch names (`OS_ARCH` from a command-line
 * option): their tests are arch tests. The spelling (Debian name or uname -m) is read from
 * the first literal they are compared with.
 */
export function archNamedVariables(code: string): Map<string, ArchSource> {
  const out = new Map<string, ArchSource>();
  // a name read once: what its first reference gives, every later one gives (the tests read the whole text)
  const seen = new Set<string>();
  for (const name of referencedNames(code)) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (!ARCH_NAMED.test(name) || archVariable(name)) continue;
    const ref = `\\$\\{?${name}(?:\\[[^\\]]*\\])?\\}?["']?`;
    const cmp = new RegExp(`${ref}\\s*(?:==?|!=)\\s*["']?([\\w.-]+)`).exec(code) ??
      new RegExp(`case\\s+["']?${ref}\\s+in\\s+\\(?["']?([\\w.-]+)`).exec(code);
    const value = cmp?.[1];
    if (!value) continue;
    const kind = archesWithValue(value, 'arch').length ? 'arch' : archesWithValue(value, 'gnuCpu').length ? 'gnuCpu' : undefined;
    if (kind) out.set(name, { kind, subject: 'host', guessed: true });
  }
  return out;
}

const isNameHead = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** The names of `code.matchAll(/\$\{?([A-Za-z_]\w*)/g)`, in order, without a match object each. */
export function referencedNames(code: string): string[] {
  const out: string[] = [];
  for (let i = code.indexOf('$'); i >= 0; i = code.indexOf('$', i)) {
    let s = i + 1;
    if (code.charCodeAt(s) === 123) s++;
    if (!isNameHead(code.charCodeAt(s))) {
      i++;
      continue;
    }
    let e = s + 1;
    while (e < code.length && isWordUnit(code.charCodeAt(e))) e++;
    out.push(code.slice(s, e));
    i = e;
  }
  return out;
}

export function parseShellFile(text: string, architectures: readonly ArchName[]): ParsedFile {
  const store = new ShellTokens(text, scanShell(text));
  const { count, types, starts } = store.scan;
  const guards = new GuardMap(architectures);
  const code = maskedScan(text, store.scan, SH_HEREDOC, SH_COMMENT);
  const sh = findShellArchGuards(code, 0, archNamedVariables(code));
  addShellGuards(guards, sh);
  for (const [s, e] of shellSedTranslations(text, store.scan)) guards.addTest(s, e);
  for (const [s, e] of echoedBiosMenus(code)) guards.addRegion({ start: s, end: e, arches: X86_ONLY(), positive: true, subject: 'host' });
  // the comments' objects only: the other tokens are made when a rule reads them
  const comments: Token[] = [];
  for (let i = 0; i < count; i++) {
    const type = types[i];
    if (type === SH_COMMENT) comments.push(store.token(i));
    else if (type === SH_HEREDOC) {
      const t = store.textOf(i);
      // a menu has a `menu.c32` or an `append` line
      if (BIOS_MENU_WORD.test(t) && isBiosMenuText(t)) guards.addRegion({ start: starts[i] as number, end: starts[i + 1] as number, arches: X86_ONLY(), positive: true, subject: 'host' });
    }
  }
  const parsed: ParsedFile = {
    kind: 'shell',
    guards,
    comments,
    problems: [],
    disableLineProblem: (c) => trailingCommentProblem(text, c),
    statementAt: (offset) => continuedLine(text, offset),
  };
  models.set(guards, {
    kind: 'shell',
    get tokens() {
      return store.all();
    },
    tokenAt: (offset) => store.tokenAt(offset),
    shellTokens: store,
    shell: sh,
  });
  return parsed;
}

export function parsePythonFile(text: string, architectures: readonly ArchName[]): ParsedFile {
  const py = parsePython(text);
  const guards = new GuardMap(architectures);
  for (const r of py.regions) guards.addRegion(r);
  for (const [s, e] of py.tests) guards.addTest(s, e);
  for (const [s, e] of pythonTranslations(py)) guards.addTest(s, e);
  const st = py.store;
  for (let k = 0; k < st.codeCount; k++) {
    const i = st.code[k] as number;
    if (st.type(i) !== PY_STRING) continue;
    const nl = st.text.indexOf('\n', st.start(i));
    if (nl < 0 || nl >= st.end(i)) continue;
    const t = st.textOf(i);
    // a menu has a `menu.c32` or an `append` line: most strings (docstrings) are not split into lines
    if (BIOS_MENU_WORD.test(t) && isBiosMenuText(t)) guards.addRegion({ start: st.start(i), end: st.end(i), arches: X86_ONLY(), positive: true, subject: 'host' });
  }
  const parsed: ParsedFile = {
    kind: 'python',
    guards,
    comments: py.comments,
    problems: [],
    disableLineProblem: (c) => trailingCommentProblem(text, c),
    statementAt(offset) {
      const l = py.lines.find((x) => offset >= x.start && offset <= x.end);
      return l ? [l.start, l.end] : lineBounds(text, offset);
    },
  };
  // the tokens made only when a rule reads them
  models.set(guards, {
    kind: 'python',
    get tokens() {
      return py.tokens;
    },
    tokenAt: (offset) => py.store.tokenAt(offset),
    python: py,
  });
  return parsed;
}

export function parseDockerfile(text: string, architectures: readonly ArchName[]): ParsedFile {
  const { tokens, instructions } = lexDockerfile(text);
  const guards = new GuardMap(architectures);
  // RUN lines are shell: their arch tests (on TARGETARCH, dpkg, uname -m) guard what follows in them.
  const runs = instructions.filter((i) => i.keyword === 'RUN');
  const sh: ShellGuards = { regions: [], patterns: [], tests: [], buildTests: [], dead: [] };
  const codeOnly = masked(text, tokens, ['comment']);
  for (const r of runs) {
    const g = findShellArchGuards(codeOnly.slice(r.argsStart, r.end), r.argsStart);
    // element by element: a spread of a hostile line's guards overflows the call stack
    for (const x of g.regions) sh.regions.push(x);
    for (const x of g.patterns) sh.patterns.push(x);
    for (const x of g.tests) sh.tests.push(x);
    for (const x of g.buildTests) sh.buildTests.push(x);
    for (const x of g.dead) sh.dead.push(x);
  }
  addShellGuards(guards, sh);
  const parsed: ParsedFile = {
    kind: 'dockerfile',
    guards,
    comments: tokens.filter((t) => t.type === 'comment'),
    problems: [],
    // Docker reads a `#` after an instruction as data (RUN's shell may read it as a comment)
    disableLineProblem: () => 'a Dockerfile comment must be a line of its own; use `disable-next-line` on the line above',
    statementAt(offset) {
      const i = instructions.find((x) => offset >= x.start && offset <= x.end);
      return i ? [i.start, i.end] : lineBounds(text, offset);
    },
  };
  models.set(guards, { kind: 'dockerfile', tokens, shell: sh, instructions });
  return parsed;
}

export const SCRIPT_KINDS: readonly KindSupport[] = [
  {
    kind: 'shell',
    matches: (p) => /\.(?:sh|bash)$/.test(base(p)) || KICKSTART_PATH.test(p),
    sniff: (head, p) => SHELL_SHEBANG.test(head) || (/\.cfg$/.test(base(p)) && KICKSTART_SECTION.test(head)),
    parse: parseShellFile,
  },
  {
    kind: 'python',
    matches: (p) => /\.py$/.test(base(p)),
    sniff: (head) => PYTHON_SHEBANG.test(head),
    parse: parsePythonFile,
  },
  {
    kind: 'dockerfile',
    matches: (p) => (/^Dockerfile(?:[._-][\w.-]*)?$/.test(base(p)) || /\.[Dd]ockerfile$/.test(base(p))) && !NOT_A_DOCKERFILE.test(base(p)),
    parse: parseDockerfile,
  },
];
