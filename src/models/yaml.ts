/**
 * The YAML model: lines, keys with the extent of their values, comments, and arch guards.
 * Guards are Jinja `{% if ansible_architecture == 'x86_64' %}` / `{% elif %}` / `{% else %}` /
 * `{% endif %}` chains, ansible `when: ansible_architecture == "aarch64"` on a task, and keys
 * that name an arch (`dl_path_arm64:`, `x86_64:` in a mapping table): their value is that arch's.
 */
import { ARCH_NAMES, mayNameArch, scanArchLiterals, type ArchName } from '../arch.js';
import { complement, GuardMap } from '../guards.js';
import { scanYaml, YAML_TYPES, type YamlTokenStream } from '../lexers/yaml.js';
import { BIOS_ARCHES, isSyslinuxMenu } from './bootcfg.js';
import { findShellArchGuards } from '../shell-guards.js';
import type { Token } from '../lexers/token.js';

export interface YamlLine {
  start: number;
  end: number;
  next: number;
  /** Columns of leading blanks; -1 for a blank or comment-only line. */
  indent: number;
  tokens: Token[];
}

export interface YamlKey {
  /** The key without quotes. */
  name: string;
  start: number;
  end: number;
  /** Offsets of the value: the rest of the line and every deeper line after it. */
  valueStart: number;
  valueEnd: number;
  /** Column of the key (0-based). */
  column: number;
}

export interface YamlModel {
  tokens: Token[];
  lines: YamlLine[];
  comments: Token[];
  keys: YamlKey[];
  guards: GuardMap;
  problems: { offset: number; message: string }[];
  /** The innermost key whose value holds `offset`. */
  keyAt(offset: number): YamlKey | undefined;
  lineAt(offset: number): YamlLine | undefined;
}

const unquote = (s: string): string => (s[0] === '"' || s[0] === "'" ? s.replace(/^(["'])(.*)\1$/s, '$2') : s);

/** A variable of a Jinja or ansible test that holds an arch (ansible_architecture, ansible_facts['machine'], arch). */
const ARCH_VAR = /^(?:ansible_(?:facts\s*(?:\[\s*['"](?:architecture|machine)['"]\s*\]|\.(?:architecture|machine))|architecture|machine)|[\w.]*arch(?:itecture)?|[\w.]*machine)$/i;

/** The arches an arch value (x86_64, amd64, aarch64, arm64 …) names. */
function archesOfValue(v: string): ArchName[] {
  const lits = scanArchLiterals(v);
  return lits.length === 1 && lits[0]?.text === v ? [...(lits[0]?.arches ?? [])] : [];
}

/**
 * Reads a Jinja/ansible condition: `VAR == 'x'`, `VAR != 'x'`, `VAR in ['a', 'b']`, `VAR not in (…)`,
 * either side. Returns the arches the true branch is reached by, or undefined for any other test.
 */
/**
 * What `/^(.+?)\s*(==|!=)\s*(.+)$/s` gives, in one pass: that regex tries every split of a long
 * condition again (quadratic on a hostile line). The first `==`/`!=` after the first character
 * splits it; the blanks before it stay out of the left side (but never its first character).
 */
function comparison(c: string): string[] | null {
  const op = /[=!]=/g;
  op.lastIndex = 1;
  const m = op.exec(c);
  if (!m || m.index + 2 >= c.length) return null;
  let k = m.index;
  while (k > 1 && /\s/.test(c[k - 1] as string)) k--;
  const after = c.slice(m.index + 2);
  const right = after.trimStart() || after.slice(-1);
  return [c, c.slice(0, k), m[0], right];
}

export function jinjaArchTest(cond: string, archVars: ReadonlySet<string> = new Set()): Set<ArchName> | undefined {
  const c = cond.trim().replace(/^\((.*)\)$/s, '$1').trim();
  const isVar = (v: string): boolean => ARCH_VAR.test(v) || archVars.has(v.replace(/\.stdout(?:\s*\|\s*trim)?$/, ''));
  if (/\s(?:and|or)\s/.test(c)) return undefined;
  let m: string[] | null = comparison(c);
  if (m) {
    const op = m[2] as string;
    let [a, b] = [m[1] as string, m[3] as string];
    if (!isVar(a.trim())) [a, b] = [b, a];
    if (!isVar(a.trim())) return undefined;
    const arches = archesOfValue(unquote(b.trim()));
    if (!arches.length) return undefined;
    return op === '==' ? new Set(arches) : complement(arches);
  }
  // its list must close the text: a test first, so that no `in (` is read to the end in vain
  m = /[\])]$/.test(c) ? /^(.+?)(?:(?<!\s)|(?<=^.))\s+(not\s+in|in)\s*[[(](.*)[\])]$/s.exec(c) : null;
  if (m && isVar((m[1] as string).trim())) {
    const items = (m[3] as string).split(',').map((s) => unquote(s.trim())).filter(Boolean);
    const arches = items.flatMap(archesOfValue);
    if (!arches.length) return undefined;
    return /not/.test(m[2] as string) ? complement(arches) : new Set(arches);
  }
  return undefined;
}

interface Frame {
  remaining: Set<ArchName> | undefined;
  branchStart: number;
  branch: Set<ArchName> | undefined;
  positive: boolean;
}

/**
 * Adds the regions of Jinja `{% if %}` chains found among `stmts` (jinjaStmt tokens), for YAML
 * templates and anything else written in Jinja.
 */
export function addJinjaGuards(stmts: readonly Token[], guards: GuardMap, textEnd: number): void {
  const stack: Frame[] = [];
  const close = (f: Frame, end: number): void => {
    if (f.branch) guards.addRegion({ start: f.branchStart, end, arches: f.branch, positive: f.positive, subject: 'host' });
  };
  for (const t of stmts) {
    const m = /^\{%[-+]?\s*(\w+)(?!\w)\s*(?!\s)((?:[^]*?(?<!\s))??)\s*[-+]?%\}$/.exec(t.text);
    if (!m) continue;
    const [, word, rest] = m as unknown as [string, string, string];
    const end = t.offset + t.text.length;
    if (word === 'if') {
      const arches = jinjaArchTest(rest);
      if (arches) guards.addTest(t.offset, end);
      stack.push({ remaining: arches ? complement(arches) : undefined, branch: arches, branchStart: end, positive: true });
    } else if (word === 'elif') {
      const f = stack[stack.length - 1];
      if (!f) continue;
      close(f, t.offset);
      const arches = jinjaArchTest(rest);
      if (arches && f.remaining) {
        guards.addTest(t.offset, end);
        const rem = f.remaining;
        f.branch = new Set([...arches].filter((a) => rem.has(a)));
        f.remaining = new Set([...rem].filter((a) => !arches.has(a)));
      } else {
        f.branch = undefined;
        f.remaining = undefined;
      }
      f.branchStart = end;
    } else if (word === 'else') {
      const f = stack[stack.length - 1];
      if (!f) continue;
      close(f, t.offset);
      f.branch = f.remaining;
      f.positive = false;
      f.branchStart = end;
    } else if (word === 'endif') {
      const f = stack.pop();
      if (f) close(f, t.offset);
    }
  }
  for (const f of stack) close(f, textEnd);
}

/**
 * A parse's tokens, made into `Token` objects only when read (a line's `tokens`, the model's): the
 * parse itself reads type codes and offsets. Each token is made once, so a token read twice is
 * the same object.
 */
class TokenStore {
  readonly #made = new Map<number, Token>();

  constructor(readonly text: string, readonly stream: YamlTokenStream) {}

  /** Where token `i` ends. */
  end(i: number): number {
    return this.stream.starts[i + 1] ?? this.text.length;
  }

  token(i: number): Token {
    let t = this.#made.get(i);
    if (!t) {
      const offset = this.stream.starts[i] as number;
      t = { type: YAML_TYPES[this.stream.types[i] as number] as string, text: this.text.slice(offset, this.end(i)), offset };
      this.#made.set(i, t);
    }
    return t;
  }

  /** Tokens [first, last). */
  range(first: number, last: number): Token[] {
    const out: Token[] = [];
    for (let i = first; i < last; i++) out.push(this.token(i));
    return out;
  }
}

/** A line whose tokens are made when first read. */
class Line implements YamlLine {
  readonly #store: TokenStore;
  readonly #first: number;
  readonly #last: number;
  #tokens: Token[] | undefined;

  constructor(readonly start: number, readonly end: number, readonly next: number, readonly indent: number, store: TokenStore, first: number, last: number) {
    this.#store = store;
    this.#first = first;
    this.#last = last;
  }

  get tokens(): Token[] {
    return (this.#tokens ??= this.#store.range(this.#first, this.#last));
  }

  /** Where the line's first `dash` token is, or -1 (read without making its tokens). */
  dashOffset(): number {
    const { types, starts } = this.#store.stream;
    for (let i = this.#first; i < this.#last; i++) if (types[i] === T_DASH) return starts[i] as number;
    return -1;
  }
}

const [T_NEWLINE, T_WS, T_COMMENT, T_DQUOTE, T_SQUOTE, , T_DASH, T_COLON, , T_WORD, , T_JINJA_EXPR, T_JINJA_STMT] = YAML_TYPES.map((_, i) => i);

export function parseYaml(text: string, architectures: readonly ArchName[]): YamlModel {
  const stream = scanYaml(text);
  const { types, starts } = stream;
  const n = types.length;
  const store = new TokenStore(text, stream);
  const guards = new GuardMap(architectures);
  const lines: Line[] = [];
  // one pass over the tokens: lines, comments, Jinja statements, and keys (a scalar, blanks, a colon)
  const comments: Token[] = [];
  const jinjaStmts: Token[] = [];
  /** Per key: its token, its colon's, its line's index. */
  const keyAt: number[] = [];
  let first = 0;
  let start = 0;
  /** Ends the line of tokens [first, last). */
  const flush = (last: number, end: number, next: number): void => {
    let k = first;
    while (k < last && types[k] === T_WS) k++;
    const lead = k > first ? store.end(first) - (starts[first] as number) : 0;
    const type = k < last ? types[k] : undefined;
    const indent = type === undefined || type === T_COMMENT || type === T_NEWLINE ? -1 : lead;
    lines.push(new Line(start, end, next, indent, store, first, last));
    first = last;
    start = next;
  };
  for (let i = 0; i < n; i++) {
    const type = types[i] as number;
    // a Jinja block across lines belongs to the line it starts on: only a newline token ends one
    if (type === T_NEWLINE) flush(i + 1, starts[i] as number, store.end(i));
    else if (type === T_COMMENT) comments.push(store.token(i));
    else if (type === T_JINJA_STMT) jinjaStmts.push(store.token(i));
    else if (type === T_WORD || type === T_DQUOTE || type === T_SQUOTE || type === T_JINJA_EXPR) {
      // (a line's last token is its newline: the blanks after a scalar never run into the next line)
      let j = i + 1;
      while (types[j] === T_WS) j++;
      if (types[j] === T_COLON) keyAt.push(i, j, lines.length);
    }
  }
  if (first < n || start < text.length) flush(n, text.length, text.length);

  const keys: YamlKey[] = [];
  for (let q = 0; q < keyAt.length; q += 3) {
    const i = keyAt[q] as number;
    const li = keyAt[q + 2] as number;
    const line = lines[li] as YamlLine;
    const tokenStart = starts[i] as number;
    const tokenEnd = store.end(i);
    const column = tokenStart - line.start;
    let valueEnd = line.end;
    for (let k = li + 1; k < lines.length; k++) {
      const l = lines[k] as YamlLine;
      if (l.indent === -1) continue;
      if (l.indent <= column) break;
      valueEnd = l.end;
    }
    keys.push({ name: unquote(text.slice(tokenStart, tokenEnd)), start: tokenStart, end: tokenEnd, valueStart: (starts[keyAt[q + 1] as number] as number) + 1, valueEnd, column });
  }

  // Keys that name an arch: their value belongs to that arch (a twin, a mapping table). A key
  // of a StarlingX `dl_files` map is the downloaded file's local name (`runc.amd64`), a value
  // that names one arch's build, not a selector.
  // (a file without a top-level `dl_files` key has no download file keys: parentKey is a scan
  // of every earlier key, quadratic on a big yaml, so it is asked only when one exists)
  const dlFiles = keys.some((k) => k.column === 0 && DL_FILES_KEY.test(k.name));
  for (let ki = 0; ki < keys.length; ki++) {
    const k = keys[ki] as YamlKey;
    if (!mayNameArch(k.name)) continue;
    const lits = scanArchLiterals(k.name);
    if (!lits.length) continue;
    if (dlFiles && isDownloadFileKey(keys, k)) continue;
    guards.addTest(k.start, k.end);
    guards.addRegion({ start: k.valueStart, end: k.valueEnd, arches: new Set(lits.flatMap((l) => l.arches)), positive: true, subject: 'host' });
  }
  // ansible `register: x` on a task that asks for the arch (`dpkg --print-architecture`, `uname -m`):
  // `x.stdout` holds it.
  const archVars = new Set<string>();
  for (let ki = 0; ki < keys.length; ki++) {
    const k = keys[ki] as YamlKey;
    if (k.name !== 'register') continue;
    const item = enclosingItem(lines, text, k);
    const body = item ? text.slice(item[0], item[1]) : '';
    if (/dpkg\s+--print-architecture|dpkg-architecture\s+-q\s*DEB_HOST_ARCH\b|uname\s+-m\b/.test(body)) archVars.add(text.slice(k.valueStart, k.valueEnd).trim());
  }
  // ansible `when:` on a task (a list item): the whole item is reached by the tested arches.
  for (let ki = 0; ki < keys.length; ki++) {
    const k = keys[ki] as YamlKey;
    if (k.name !== 'when') continue;
    const value = text.slice(k.valueStart, k.valueEnd).trim();
    const arches = jinjaArchTest(value.replace(/^(["'])(.*)\1$/s, '$2'), archVars);
    if (!arches) continue;
    guards.addTest(k.valueStart, k.valueEnd);
    const item = enclosingItem(lines, text, k);
    if (item) guards.addRegion({ start: item[0], end: item[1], arches, positive: arches.size < ARCH_NAMES.length / 2, subject: 'host' });
  }
  // A block scalar holding a syslinux menu (LAT's `iso-syslinux-entry: |`) is read by the BIOS loader: x86 only.
  for (let ki = 0; ki < keys.length; ki++) {
    const k = keys[ki] as YamlKey;
    // `/^[ \t]*[|>]/` on the value, read in place (a slice and a regex per key cost more than the rest)
    let v = k.valueStart;
    while (v < k.valueEnd && (text[v] === ' ' || text[v] === '\t')) v++;
    if (v >= k.valueEnd || (text[v] !== '|' && text[v] !== '>')) continue;
    if (isSyslinuxMenu(text.slice(k.valueStart, k.valueEnd))) guards.addRegion({ start: k.valueStart, end: k.valueEnd, arches: BIOS_ARCHES, positive: true, subject: 'host' });
  }
  // A top-level `*-script`/`*-scripts` value (LAT's `rootfs-pre-scripts`, `iso-post-script`) is
  // bash: its own tests (`if [ -e …/bootx64-nosig.efi ]`, `case $(uname -m)`) guard its lines.
  const top = keys.filter((k) => k.column === 0);
  top.forEach((k, i) => {
    if (!/-scripts?$/.test(k.name)) return;
    const end = top[i + 1]?.start ?? text.length;
    // the yaml around the script (`|`, `- |` item markers) is blanked, keeping every offset
    const body = text.slice(k.valueStart, end).replace(/^([ \t]*-)?[ \t]*[|>][-+0-9]*[ \t]*$/gm, (m) => ' '.repeat(m.length));
    const g = findShellArchGuards(body, k.valueStart);
    for (const r of g.regions) guards.addRegion(r);
    for (const [a, b] of g.tests) guards.addTest(a, b);
  });
  addJinjaGuards(jinjaStmts, guards, text.length);

  const lineAt = (offset: number): YamlLine | undefined => lines[lineIndexAt(lines, offset)];
  let allTokens: Token[] | undefined;
  return {
    get tokens(): Token[] {
      return (allTokens ??= store.range(0, n));
    },
    lines,
    comments,
    keys,
    guards,
    problems: [],
    keyAt(offset: number): YamlKey | undefined {
      let best: YamlKey | undefined;
      for (let ki = 0; ki < keys.length; ki++) {
        const k = keys[ki] as YamlKey;
        if (offset >= k.valueStart && offset < k.valueEnd && (!best || k.valueStart >= best.valueStart)) best = k;
      }
      return best;
    },
    lineAt,
  };
}

/** The key whose value holds `key` directly (its parent in the mapping), if any. */
export function parentKey(keys: readonly YamlKey[], key: YamlKey): YamlKey | undefined {
  let best: YamlKey | undefined;
  for (let ki = 0; ki < keys.length; ki++) {
    const k = keys[ki] as YamlKey;
    if (k.start >= key.start) break;
    if (k.column < key.column && key.start >= k.valueStart && key.start < k.valueEnd) best = k;
  }
  return best;
}

/** `dl_files`, `dl_files_arm64`: a StarlingX map from a downloaded file's local name to its url, checksum and topdir. */
export const DL_FILES_KEY = /^dl_files(?:_\w+)?$/;

/** True when `key` is a local file name in a `dl_files` map (its parent is the map, at the top). */
export function isDownloadFileKey(keys: readonly YamlKey[], key: YamlKey): boolean {
  const p = parentKey(keys, key);
  return !!p && p.column === 0 && DL_FILES_KEY.test(p.name);
}

/**
 * The value of a scalar that starts at `start` (after blanks) and ends by `end`: a plain scalar
 * on one line, or a quoted one across lines (`"https://host/dir/\` + a line break + `  file.tgz"`:
 * an escaped line break joins, an unescaped one folds to a space, leading blanks of a continuation
 * line drop). `at[i]` is the file offset of `value[i]`.
 */
export function scalarAt(text: string, start: number, end: number): { value: string; at: number[] } | undefined {
  let i = start;
  while (i < end && /\s/.test(text[i] as string)) i++;
  const q = text[i];
  const value: string[] = [];
  const at: number[] = [];
  if (q !== '"' && q !== "'") {
    const m = /^[^\r\n#]*/.exec(text.slice(i, end));
    const raw = (m?.[0] ?? '').replace(/(?<!\s)\s+$/, '');
    if (!raw || /^[|>]/.test(raw)) return undefined;
    for (let k = 0; k < raw.length; k++) {
      value.push(raw[k] as string);
      at.push(i + k);
    }
    return { value: value.join(''), at };
  }
  i++;
  while (i < end) {
    const c = text[i] as string;
    if (c === q) {
      if (q === "'" && text[i + 1] === "'") {
        value.push("'");
        at.push(i);
        i += 2;
        continue;
      }
      return { value: value.join(''), at };
    }
    if (q === '"' && c === '\\') {
      const n = text[i + 1];
      if (n === '\n' || n === '\r') {
        i += n === '\r' && text[i + 2] === '\n' ? 3 : 2;
        while (text[i] === ' ' || text[i] === '\t') i++;
        continue;
      }
      value.push(n ?? '');
      at.push(i + 1);
      i += 2;
      continue;
    }
    if (c === '\n' || c === '\r') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      while (text[i] === ' ' || text[i] === '\t') i++;
      value.push(' ');
      at.push(i);
      continue;
    }
    value.push(c);
    at.push(i);
    i++;
  }
  return undefined;
}

/** The index of the last line that starts at or before `offset` (0 when none does). */
function lineIndexAt(lines: readonly YamlLine[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] as YamlLine).start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The list item (`- name: …` block) a key belongs to: from its dash to the next line at or above the dash. */
function enclosingItem(lines: readonly Line[], text: string, key: YamlKey): [number, number] | undefined {
  // lines do not overlap and a key lies on the line it starts on: the last line starting at or before it
  const at = lineIndexAt(lines, key.start);
  const l0 = lines[at];
  let li = l0 && key.start >= l0.start && key.start <= l0.end ? at : -1;
  for (; li >= 0; li--) {
    const l = lines[li] as Line;
    const dash = l.dashOffset();
    if (dash >= 0 && dash - l.start < key.column) {
      const col = dash - l.start;
      let end = l.end;
      for (let k = li + 1; k < lines.length; k++) {
        const n = lines[k] as YamlLine;
        if (n.indent === -1) continue;
        if (n.indent <= col) break;
        end = n.end;
      }
      return [dash, Math.min(end, text.length)];
    }
    if (l.indent !== -1 && l.indent < key.column && dash < 0) return undefined;
  }
  return undefined;
}
