/**
 * Python build scripts read as logical lines with their blocks, and the arch guards in them:
 * `if platform.machine() == 'x86_64':` / `elif` / `else`, `if arch in ('aarch64', 'arm64'):`
 * where `arch` was assigned from `platform.machine()`, `os.uname().machine`, a subprocess
 * running `dpkg --print-architecture` or `uname -m`, `os.environ['DEB_HOST_ARCH']`, or a
 * function returning one of those. Blocks are found by indentation. What the reader does not
 * understand guards nothing (it never throws).
 */
import { ARCHES, ARCH_NAMES, archesWithValue, scanArchLiterals, type ArchName, type ArchValueKind } from './arch.js';
import { isoLayoutArches, otherSpellingArches, type DeadArchTest } from './shell-guards.js';
import type { GuardRegion } from './guards.js';
import { PY_CLOSE, PY_COMMENT, PY_CONTINUATION, PY_NAME, PY_NEWLINE, PY_OP, PY_OPEN, PY_STRING, PY_TYPES, PY_WS, scanPython, type PyScan } from './lexers/python.js';
import type { Token } from './lexers/token.js';
import { ScannedTokens } from './lexers/token-scan.js';

export interface PyLine {
  readonly start: number;
  /** End of the logical line (before its final newline). */
  readonly end: number;
  /** Width of the leading blank (a tab counts to the next multiple of 8). */
  readonly indent: number;
  /** Code tokens: no blanks, comments, newlines or continuations (made on first read). */
  readonly tokens: Token[];
}

/** A bracket group `( … )`, `[ … ]`, `{ … }`: offsets of the opening and just past the closing bracket. */
export interface PyGroup {
  start: number;
  end: number;
}

/** A substring or prefix test on an arch value (`'arm' in machine`, `.startswith('x86')`). */
export interface PyArchPattern {
  start: number;
  end: number;
  pattern: string;
  how: 'substring' | 'prefix';
  /** What the tested value spells: a Debian arch (dpkg) or a machine name (uname, platform). */
  kind: 'arch' | 'gnuCpu';
}

export interface PythonModel {
  /** Every token of the file (made on first read: most files are linted without). */
  readonly tokens: Token[];
  comments: Token[];
  lines: PyLine[];
  /** Made on first read. */
  readonly groups: PyGroup[];
  regions: GuardRegion[];
  tests: [number, number][];
  patterns: PyArchPattern[];
  /** String tokens that are whole statements (docstrings): prose, not data. */
  docstrings: Token[];
  /** Arch tests that can never match (`platform.machine() == 'arm64'`). */
  dead: DeadArchTest[];
  /** The tokens as a scan, to read without making token objects (one object per token, however read). */
  readonly store: PyTokens;
}

/**
 * The tokens of a file as its scan, and the code tokens (no blank, comment, newline or
 * continuation) as indices into it. A token object is made the first time it is asked for and
 * is then the same object however it is reached (`tokens`, a line's `tokens`, `comments`,
 * `docstrings`): rules compare them by identity.
 */
export class PyTokens extends ScannedTokens {
  constructor(
    text: string,
    scan: PyScan,
    /** Indices of the code tokens, in order. */
    readonly code: Int32Array,
  ) {
    super(text, scan, PY_TYPES);
  }

  /** How many of `code` are set (all, once the file is cut into lines). */
  codeCount = 0;

  /** The objects of the code tokens `from` up to `to` (indices into `code`). */
  codeTokens(from: number, to: number): Token[] {
    const out: Token[] = [];
    for (let k = from; k < to; k++) out.push(this.token(this.code[k] as number));
    return out;
  }

  /** The texts of code tokens `from` up to `to` joined without blanks (`platform.machine()`); adjacent tokens are one slice. */
  dotted(from: number, to: number): string {
    let s = '';
    let k = from;
    while (k < to) {
      const first = this.code[k] as number;
      let last = first;
      while (k + 1 < to && this.code[k + 1] === last + 1) last = this.code[++k] as number;
      s += this.text.slice(this.scan.starts[first], this.scan.starts[last + 1]);
      k++;
    }
    return s;
  }
}

/** A logical line: code tokens `from` up to `to` of the store, their objects made on first read. */
class Line implements PyLine {
  private made: Token[] | undefined;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly indent: number,
    readonly store: PyTokens,
    readonly from: number,
    readonly to: number,
  ) {}

  get tokens(): Token[] {
    return (this.made ??= this.store.codeTokens(this.from, this.to));
  }

  /** The first token is spelled `word`. */
  startsWith(word: string): boolean {
    return this.from < this.to && this.store.is(this.store.code[this.from] as number, word);
  }
}

class Model implements PythonModel {
  comments: Token[] = [];
  lines: Line[] = [];
  regions: GuardRegion[] = [];
  tests: [number, number][] = [];
  patterns: PyArchPattern[] = [];
  docstrings: Token[] = [];
  dead: DeadArchTest[] = [];
  /** Bracket groups as offset pairs, in the order they close. */
  groupOffsets: number[] = [];
  private madeGroups: PyGroup[] | undefined;

  constructor(readonly store: PyTokens) {}

  get tokens(): Token[] {
    return this.store.all();
  }

  get groups(): PyGroup[] {
    if (!this.madeGroups) {
      const g = this.groupOffsets;
      const out: PyGroup[] = [];
      for (let i = 0; i < g.length; i += 2) out.push({ start: g[i] as number, end: g[i + 1] as number });
      this.madeGroups = out;
    }
    return this.madeGroups;
  }
}

const ALL = (): Set<ArchName> => new Set(ARCH_NAMES);

/** Every spelling an arch goes by, lower-cased: Debian name, cpu, GNU cpu, aliases, GOARCH. */
const SPELLINGS: [ArchName, string[]][] = ARCHES.map((a) => [
  a.name,
  [...new Set([a.name, a.cpu, a.gnuCpu, a.goArch, ...a.aliases].map((x) => x.toLowerCase()))],
]);

/** Each spelling, lower-cased, with the arches it names in ARCHES order. */
const BY_SPELLING = new Map<string, ArchName[]>();
for (const [n, spellings] of SPELLINGS) {
  for (const x of spellings) {
    const named = BY_SPELLING.get(x);
    if (named) named.push(n);
    else BY_SPELLING.set(x, [n]);
  }
}

/** Arches an exact value names, in any spelling (Python scripts mix uname, dpkg and Go names). */
export function archesNamedBy(value: string): Set<ArchName> {
  return new Set(BY_SPELLING.get(value.toLowerCase()));
}

/** Arches whose spelling contains (or starts with) a fragment. */
export function archesMatchingFragment(fragment: string, how: 'substring' | 'prefix'): Set<ArchName> {
  const f = fragment.toLowerCase();
  return new Set(SPELLINGS.filter(([, s]) => s.some((x) => (how === 'prefix' ? x.startsWith(f) : x.includes(f)))).map(([n]) => n));
}

/** The calls and names a python arch test reads the arch from (matched on tokens joined without blanks). */
export const SOURCE_CALL = /platform\.machine\(\)|platform\.processor\(\)|(?:os|platform)\.uname\(\)(?:\.machine|\[4\])|\bDEB_(?:HOST|BUILD)_(?:ARCH|ARCH_CPU|GNU_CPU)\b|dpkg['",\s]+--print-architecture|dpkg-architecture|uname['",\s]+-m\b|\bTARGETARCH\b/;

/** `arch`, `os_arch`, `self.target_arch`: a name that says it holds an arch (tested against arch names). */
export const ARCH_NAMED = /^(?:[A-Za-z0-9]+_)*arch(?:_[A-Za-z0-9]+)*$/i;

const stringValue = (t: Token): string | undefined => {
  const m = /^[rRbBuUfF]{0,2}(['"])(.*)\1$/s.exec(t.text);
  return m && !/^[rRbBuUfF]{0,2}(?:'''|""")/.test(t.text) ? (m[2] as string) : undefined;
};

/** Cuts a scan into logical lines (brackets and backslashes join physical lines), with the code tokens, groups, comments and docstrings. */
function logicalLines(text: string, scan: PyScan): Model {
  const { count, types, starts } = scan;
  const code = new Int32Array(count);
  let codeCount = 0;
  const model = new Model(new PyTokens(text, scan, code));
  const { lines, comments, docstrings, groupOffsets } = model;
  const stack: number[] = [];
  // the code tokens of the line so far: code[lineFrom] up to code[codeCount]
  let lineFrom = 0;
  const flush = (end: number): void => {
    if (codeCount > lineFrom) {
      const first = code[lineFrom] as number;
      const offset = starts[first] as number;
      const ls = text.lastIndexOf('\n', offset - 1) + 1;
      let indent = 0;
      // by code point (a surrogate pair is one column), without a copy of the line
      for (let i = ls; i < offset; i++) {
        const c = text.charCodeAt(i);
        if (c === 9) indent += 8 - (indent % 8);
        else if (!(c >= 0xdc00 && c <= 0xdfff && i > ls && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) indent++;
      }
      lines.push(new Line(offset, end, indent, model.store, lineFrom, codeCount));
      if (codeCount - lineFrom === 1 && types[first] === PY_STRING) docstrings.push(model.store.token(first));
    }
    lineFrom = codeCount;
  };
  for (let i = 0; i < count; i++) {
    const type = types[i] as number;
    if (type === PY_NEWLINE) {
      if (stack.length === 0) flush(starts[i] as number);
      continue;
    }
    if (type === PY_COMMENT) comments.push(model.store.token(i));
    if (type === PY_WS || type === PY_COMMENT || type === PY_CONTINUATION) continue;
    if (type === PY_OPEN) stack.push(starts[i] as number);
    else if (type === PY_CLOSE) {
      const o = stack.pop();
      if (o !== undefined) groupOffsets.push(o, (starts[i] as number) + 1);
    } else if (type === PY_OP && stack.length === 0 && hasSemicolon(text, starts[i] as number, starts[i + 1] as number)) {
      // `a = 1; b = 2`: a statement ends at `;` (a code token of the file, of no line)
      flush(starts[i] as number);
      code[codeCount++] = i;
      lineFrom = codeCount;
      continue;
    }
    code[codeCount++] = i;
  }
  flush(text.length);
  model.store.codeCount = codeCount;
  return model;
}

function hasSemicolon(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 59) return true;
  return false;
}

interface TestResult {
  then: Set<ArchName>;
  else: Set<ArchName>;
  known: boolean;
  /** Only distribution tests (and unknowns): a branch every arch reaches is no guard. */
  distro: boolean;
}

/**
 * Distribution tests: `os.path.exists('/etc/redhat-release')`, `distro.id() == 'centos'`. A
 * branch only CentOS/RHEL/Fedora take is reached by no Debian build; one only Debian takes, by all.
 */
const OTHER_DISTRO = /centos|red ?hat|rhel|fedora|rocky|almalinux|suse|sles|alpine|amzn|amazon/i;
const OTHER_RELEASE_FILE = /^\/etc\/(?:redhat|centos|fedora|system|rocky|almalinux|SuSE|alpine)-release$/;
const DISTRO_CALL = /\bdistro\.(?:id|name|linux_distribution)\(|\bplatform\.(?:linux_distribution|dist)\(/;

function distroSet(value: string): Set<ArchName> | undefined {
  if (/^debian\b/i.test(value.trim())) return ALL();
  if (OTHER_DISTRO.test(value)) return new Set();
  return undefined;
}

/** Every arch: what an unknown test leaves (shared; results and regions never mutate a set). */
const ANY: Set<ArchName> = ALL();
const UNKNOWN_RESULT: TestResult = { then: ANY, else: ANY, known: false, distro: false };
const UNKNOWN = (): TestResult => UNKNOWN_RESULT;
const inter = (a: Set<ArchName>, b: Set<ArchName>): Set<ArchName> => new Set([...a].filter((x) => b.has(x)));
const union = (a: Set<ArchName>, b: Set<ArchName>): Set<ArchName> => new Set([...a, ...b]);
const minus = (a: Set<ArchName>): Set<ArchName> => new Set(ARCH_NAMES.filter((x) => !a.has(x)));

/** Reads python code tokens as arch tests. */
class ConditionReader {
  /** String values already read as naming an arch or not (`state == 'enabled'` recurs). */
  private readonly spelled = new Map<string, boolean>();

  constructor(
    private readonly sources: ArchSources,
    private readonly model: PythonModel,
  ) {}

  /** A value that names an arch or holds an arch literal. */
  private spellsArch(v: string): boolean {
    let r = this.spelled.get(v);
    if (r === undefined) this.spelled.set(v, (r = archesNamedBy(v).size > 0 || scanArchLiterals(v).length > 0));
    return r;
  }

  /** Splits `toks` at depth-0 name tokens equal to `word` (one part when there is none). */
  private split(toks: Token[], word: string): Token[][] {
    if (!hasWordAtDepth0(toks, word)) return [toks];
    const parts: Token[][] = [[]];
    let depth = 0;
    for (const t of toks) {
      if (t.type === 'open') depth++;
      if (t.type === 'close') depth--;
      if (depth === 0 && t.type === 'name' && t.text === word) parts.push([]);
      else (parts[parts.length - 1] as Token[]).push(t);
    }
    return parts;
  }

  read(toks: Token[]): TestResult {
    const ors = this.split(toks, 'or');
    if (ors.length > 1) {
      const rs = ors.map((p) => this.read(p));
      return { then: rs.map((r) => r.then).reduce(union), else: rs.map((r) => r.else).reduce(inter), known: rs.some((r) => r.known), distro: rs.every((r) => r.distro || !r.known) };
    }
    const ands = this.split(toks, 'and');
    if (ands.length > 1) {
      const rs = ands.map((p) => this.read(p));
      return { then: rs.map((r) => r.then).reduce(inter), else: rs.map((r) => r.else).reduce(union), known: rs.some((r) => r.known), distro: rs.every((r) => r.distro || !r.known) };
    }
    if (toks[0]?.type === 'name' && toks[0].text === 'not' && !(toks[1]?.text === 'in')) {
      const r = this.read(toks.slice(1));
      return { then: r.else, else: r.then, known: r.known, distro: r.distro };
    }
    if (toks[0]?.type === 'open' && toks[toks.length - 1]?.type === 'close' && this.balanced(toks.slice(1, -1))) return this.read(toks.slice(1, -1));
    return this.comparison(toks);
  }

  private balanced(toks: Token[]): boolean {
    let d = 0;
    for (const t of toks) {
      if (t.type === 'open') d++;
      if (t.type === 'close' && --d < 0) return false;
    }
    return d === 0;
  }

  /** String values of a literal or a tuple/list/set of literals; undefined when anything else is there. */
  private strings(toks: Token[]): { values: string[]; toks: Token[] } | undefined {
    let inner = toks;
    if (toks[0]?.type === 'open' && toks[toks.length - 1]?.type === 'close') inner = toks.slice(1, -1);
    const values: string[] = [];
    const strs: Token[] = [];
    for (const t of inner) {
      if (t.type === 'string') {
        const v = stringValue(t);
        if (v === undefined) return undefined;
        values.push(v);
        strs.push(t);
      } else if (!(t.type === 'op' && t.text === ',')) return undefined;
    }
    return values.length ? { values, toks: strs } : undefined;
  }

  private mark(toks: Token[]): void {
    const first = toks[0];
    const last = toks[toks.length - 1];
    if (first && last) this.model.tests.push([first.offset, last.offset + last.text.length]);
  }

  private comparison(toks: Token[]): TestResult {
    // only a test starting `os` reads a file (`os.path.exists(…)`, `os.access(…)`)
    return toks[0]?.text === 'os' ? this.fileTest(toks) : this.valueTest(toks);
  }

  private fileTest(toks: Token[]): TestResult {
    // os.path.exists('/etc/redhat-release')
    const joined = dotted(toks);
    const exists = /^(?:os\.path\.(?:exists|isfile)|os\.access)\((['"])([^'"]+)\1(?:,[^()]*)?\)$/.exec(joined);
    // os.path.isdir(os.path.join(iso_dir, 'isolinux')): the ISO's own layout, a remastering tool's guard
    if (/^(?:os\.path\.(?:exists|isfile|isdir)|os\.access)\(/.test(joined)) {
      const parts = toks.filter((t) => t.type === 'string').map((t) => stringValue(t) ?? '');
      const layout = parts.length ? isoLayoutArches(parts.join('/').replace(/\/+/g, '/')) : undefined;
      if (layout) {
        this.mark(toks);
        return { then: layout, else: minus(layout), known: true, distro: false };
      }
    }
    if (exists) {
      const file = exists[2] as string;
      const then = OTHER_RELEASE_FILE.test(file) ? new Set<ArchName>() : file === '/etc/debian_version' ? ALL() : undefined;
      return then ? { then, else: minus(then), known: true, distro: true } : UNKNOWN();
    }
    return this.valueTest(toks);
  }

  private valueTest(toks: Token[]): TestResult {
    // src.startswith('arm') / src.startswith(('x86', 'i686'))
    const sw = affixCall(toks);
    if (sw > 0 && this.sources.isSource(toks.slice(0, sw - 1))) {
      const args = this.strings(toks.slice(sw + 2, -1));
      if (!args) return UNKNOWN();
      this.mark(toks);
      const how = toks[sw]?.text === 'startswith' ? 'prefix' : 'substring';
      let then = new Set<ArchName>();
      args.values.forEach((v, i) => {
        const t = args.toks[i] as Token;
        this.model.patterns.push({ start: t.offset, end: t.offset + t.text.length, pattern: v, how, kind: this.sources.kindOf(toks.slice(0, sw - 1)) });
        then = union(then, archesMatchingFragment(v, how));
      });
      return { then, else: minus(then), known: true, distro: false };
    }
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (t.type === 'open') depth++;
      if (t.type === 'close') depth--;
      if (depth !== 0) continue;
      let op: string | undefined;
      let width = 1;
      if (t.type === 'op' && (t.text === '==' || t.text === '!=')) op = t.text;
      else if (t.type === 'name' && t.text === 'in') op = 'in';
      else if (t.type === 'name' && t.text === 'not' && toks[i + 1]?.text === 'in') {
        op = 'not in';
        width = 2;
      } else if (t.type === 'name' && t.text === 'is') op = toks[i + 1]?.text === 'not' ? '!=' : '==';
      if (!op) continue;
      const left = toks.slice(0, i);
      const right = toks.slice(i + width + (t.text === 'is' && toks[i + 1]?.text === 'not' ? 1 : 0));
      let set: Set<ArchName> | undefined;
      if (this.sources.isSource(left)) {
        const r = this.strings(right);
        if (r) set = r.values.map(archesNamedBy).reduce(union);
        // platform.machine() says aarch64, never arm64: a test no value of the source matches is dead
        const ck = this.sources.certainKind(left);
        if (r && ck && r.values.every((v) => archesWithValue(v, ck).length === 0 && otherSpellingArches(v, ck).length > 0)) {
          r.toks.forEach((t, i) => {
            const v = r.values[i] as string;
            this.model.dead.push({ start: t.offset, end: t.offset + t.text.length, literal: v, kind: ck, meant: otherSpellingArches(v, ck) });
          });
          set = new Set();
        }
      } else if (this.sources.isSource(right)) {
        const l = this.strings(left);
        if (l && op.endsWith('in') && l.values.length === 1) {
          // 'arm' in machine: a substring test
          const tok = l.toks[0] as Token;
          this.model.patterns.push({ start: tok.offset, end: tok.offset + tok.text.length, pattern: l.values[0] as string, how: 'substring', kind: this.sources.kindOf(right) });
          set = archesMatchingFragment(l.values[0] as string, 'substring');
        } else if (l && !op.endsWith('in')) set = l.values.map(archesNamedBy).reduce(union);
      }
      if (!set) {
        const distroSide = this.sources.isDistroSource(left) ? right : this.sources.isDistroSource(right) ? left : undefined;
        const lits = distroSide ? this.strings(distroSide) : undefined;
        const sets = lits?.values.map(distroSet);
        if (sets?.length && sets.every((x) => x !== undefined)) {
          const d = (sets as Set<ArchName>[]).reduce(union);
          const negated = op === '!=' || op === 'not in';
          return { then: negated ? minus(d) : d, else: negated ? d : minus(d), known: true, distro: true };
        }
      }
      if (!set) {
        // `'amd64' in sys.version`, `name == 'arm64'`: an arch test on something this reader
        // does not follow; it narrows nothing, but its literal is the test, not a hardcoded arch
        for (const side of [left, right]) {
          const lits = this.strings(side);
          if (lits && lits.values.every((v) => this.spellsArch(v))) for (const t of lits.toks) this.model.tests.push([t.offset, t.offset + t.text.length]);
        }
        return UNKNOWN();
      }
      this.mark(toks);
      const negated = op === '!=' || op === 'not in';
      return { then: negated ? minus(set) : set, else: negated ? set : minus(set), known: true, distro: false };
    }
    return UNKNOWN();
  }
}

/** The texts of tokens `from` up to `to` joined without blanks (`platform.machine()`): no slice of the array. */
function dotted(toks: readonly Token[], from = 0, to = toks.length): string {
  let s = '';
  for (let i = from; i < to; i++) s += (toks[i] as Token).text;
  return s;
}

/** True when a name token `word` stands at bracket depth 0 in `toks`. */
function hasWordAtDepth0(toks: readonly Token[], word: string): boolean {
  let depth = 0;
  for (const t of toks) {
    if (t.type === 'open') depth++;
    else if (t.type === 'close') depth--;
    else if (depth === 0 && t.type === 'name' && t.text === word) return true;
  }
  return false;
}

/** The index of the first `startswith`/`endswith` name after a `.`, or -1. */
function affixCall(toks: readonly Token[]): number {
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.type === 'name' && (t.text === 'startswith' || t.text === 'endswith') && (toks[i - 1] as Token).text === '.') return i;
  }
  return -1;
}

/** The index (into the store's `code`) of the line's first `=` operator token, or -1. */
function assignAt(line: Line): number {
  const st = line.store;
  for (let k = line.from; k < line.to; k++) {
    const i = st.code[k] as number;
    if (st.type(i) === PY_OP && st.is(i, '=')) return k;
  }
  return -1;
}

const DEBIAN_SPELLING = /dpkg|DEB_(?:HOST|BUILD)_ARCH\b|TARGETARCH/;
/** arch, self.arch, arch.lower(), arch.strip().lower(): a name that may hold an arch value. */
const SOURCE_NAME = /^([A-Za-z_][\w.]*?)((?:\.(?:lower|strip|rstrip|decode|upper)\(\))*)$/;
/** get_arch(), self.get_arch().lower(): a call of a function that may return one. */
const SOURCE_FUNC = /^([A-Za-z_][\w.]*)\([^()]*\)(?:\.(?:lower|strip|rstrip|decode)\(\))*$/;
/** dist, dist.lower(), dist[0]: a name that may hold a distribution's name. */
const DISTRO_NAME = /^([A-Za-z_][\w.]*?)(?:\.(?:lower|strip)\(\))*(?:\[0\])?$/;

/** What the source tests' regexes read in a text, read once (the names they look up grow between passes). */
class TextShape {
  /** SOURCE_CALL matches. */
  readonly call: boolean;
  /** The name of a SOURCE_NAME text. */
  readonly name: string | undefined;
  /** That name, without `self.`, says it holds an arch. */
  readonly archNamed: boolean;
  /** The function of a SOURCE_FUNC text, without `self.`. */
  readonly func: string | undefined;
  readonly distroCall: boolean;
  /** The name of a DISTRO_NAME text. */
  readonly distroName: string | undefined;

  constructor(s: string) {
    this.call = s !== '' && SOURCE_CALL.test(s);
    // SOURCE_NAME, SOURCE_FUNC and DISTRO_NAME start with `[A-Za-z_]`: a string, a number or a
    // bracket (most values) is none of them, read without the three regexes
    const c = s.charCodeAt(0);
    const named = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const m = named ? SOURCE_NAME.exec(s) : null;
    this.name = m ? (m[1] as string) : undefined;
    this.archNamed = !!m && ARCH_NAMED.test((m[1] as string).replace(/^self\./, ''));
    const f = named ? SOURCE_FUNC.exec(s) : null;
    this.func = f ? (f[1] as string).replace(/^self\./, '') : undefined;
    this.distroCall = DISTRO_CALL.test(s);
    const d = named ? DISTRO_NAME.exec(s) : null;
    this.distroName = d ? (d[1] as string) : undefined;
  }
}

/** Names (and functions) of one file that hold an arch value, a distribution name, or what a value certainly spells. */
class ArchSources {
  readonly names = new Map<string, 'arch' | 'gnuCpu'>();
  readonly funcs = new Set<string>();
  /** What a value certainly spells (read from the call, not guessed from a name): dead tests need it. */
  readonly certainNames = new Map<string, ArchValueKind>();
  readonly distroNames = new Set<string>();

  kindOf(toks: Token[]): 'arch' | 'gnuCpu' {
    return this.kindOfText(dotted(toks));
  }

  kindOfText(s: string): 'arch' | 'gnuCpu' {
    if (DEBIAN_SPELLING.test(s)) return 'arch';
    const name = /^([A-Za-z_][\w.]*)/.exec(s)?.[1];
    return (name && this.names.get(name)) || 'gnuCpu';
  }

  /** isSource of the tokens whose texts join to `s` ('' for none). */
  isSourceText(s: string): boolean {
    if (!s) return false;
    if (SOURCE_CALL.test(s)) return true;
    // arch, self.arch, arch.lower(), arch.strip().lower(), get_arch()
    const m = SOURCE_NAME.exec(s);
    if (m && (this.names.has(m[1] as string) || ARCH_NAMED.test((m[1] as string).replace(/^self\./, '')))) return true;
    const f = SOURCE_FUNC.exec(s);
    return !!f && this.funcs.has((f[1] as string).replace(/^self\./, ''));
  }

  /** isSourceText of the text of a shape. */
  isSourceShape(sh: TextShape): boolean {
    return sh.call || (sh.name !== undefined && (this.names.has(sh.name) || sh.archNamed)) || (sh.func !== undefined && this.funcs.has(sh.func));
  }

  /** isDistroSourceText of the text of a shape. */
  isDistroSourceShape(sh: TextShape): boolean {
    return sh.distroCall || (sh.distroName !== undefined && this.distroNames.has(sh.distroName));
  }

  isSource(toks: Token[]): boolean {
    return toks.length > 0 && this.isSourceText(dotted(toks));
  }

  certainKind(toks: Token[]): ArchValueKind | undefined {
    return this.certainKindText(dotted(toks));
  }

  certainKindText(s: string): ArchValueKind | undefined {
    if (/^(?:platform\.machine\(\)|(?:os|platform)\.uname\(\)(?:\.machine|\[4\]))(?:\.(?:lower|strip)\(\))*$/.test(s)) return 'gnuCpu';
    if (/check_output\(\[?['"]uname['"],\s*['"]-m['"]/.test(s)) return 'gnuCpu';
    if (/check_output\(\[?['"]dpkg['"],\s*['"]--print-architecture['"]/.test(s)) return 'arch';
    const m = /^([A-Za-z_][\w.]*?)(?:\.(?:lower|strip|rstrip|decode)\(\))*$/.exec(s);
    return m ? this.certainNames.get(m[1] as string) : undefined;
  }

  isDistroSource(toks: Token[]): boolean {
    return this.isDistroSourceText(dotted(toks));
  }

  isDistroSourceText(s: string): boolean {
    if (DISTRO_CALL.test(s)) return true;
    const m = DISTRO_NAME.exec(s);
    return !!m && this.distroNames.has(m[1] as string);
  }
}

/**
 * One statement the source passes read: an assignment (`lhs = rhs`, the left side read only
 * when the right is a source: most are not), or a `def` with the values its body returns (`func`
 * set). Read from the lines once; the two passes only look names up.
 */
class SourceStep {
  constructor(
    /** The assignment's line and its `=` (an index into the store's `code`). */
    readonly line: Line | undefined,
    readonly eq: number,
    readonly rhs: string,
    readonly rhsShape: TextShape | undefined,
    readonly func: string,
    readonly returns: readonly TextShape[],
  ) {}

  get lhs(): string {
    const line = this.line as Line;
    return line.store.dotted(line.from, this.eq);
  }
}

const NO_RETURNS: readonly TextShape[] = [];

/** The shape of a text, one per text of a file (`None`, `[]`, `''` recur). */
function shapeOf(shapes: Map<string, TextShape>, s: string): TextShape {
  let shape = shapes.get(s);
  if (!shape) shapes.set(s, (shape = new TextShape(s)));
  return shape;
}

/** The assignments and functions of the lines, in order (a `def f(a=1):` is both, the assignment first). */
function sourceSteps(lines: readonly Line[]): SourceStep[] {
  const steps: SourceStep[] = [];
  const shapes = new Map<string, TextShape>();
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as Line;
    const st = line.store;
    const eq = assignAt(line);
    if (eq > line.from) {
      const rhs = st.dotted(eq + 1, line.to);
      steps.push(new SourceStep(line, eq, rhs, shapeOf(shapes, rhs), '', NO_RETURNS));
    }
    if (line.startsWith('def') && line.to - line.from > 1 && st.type(st.code[line.from + 1] as number) === PY_NAME) {
      steps.push(new SourceStep(undefined, -1, '', undefined, st.textOf(st.code[line.from + 1] as number), returnsOf(lines, li, shapes)));
    }
  }
  return steps;
}

/** The values the body of the `def` on line `li` returns. */
function returnsOf(lines: readonly Line[], li: number, shapes: Map<string, TextShape>): TextShape[] {
  const indent = (lines[li] as Line).indent;
  const out: TextShape[] = [];
  for (let k = li + 1; k < lines.length && (lines[k] as Line).indent > indent; k++) {
    const b = lines[k] as Line;
    if (b.startsWith('return')) out.push(shapeOf(shapes, b.store.dotted(b.from + 1, b.to)));
  }
  return out;
}

/** One pass over the steps: names assigned an arch value, functions returning one. */
function collectSources(steps: readonly SourceStep[], src: ArchSources): void {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as SourceStep;
    if (step.func) {
      // a function whose body returns an arch value is a source
      for (let r = 0; r < step.returns.length; r++) if (src.isSourceShape(step.returns[r] as TextShape)) src.funcs.add(step.func);
    } else collectAssignment(step, src);
  }
}

function collectAssignment(step: SourceStep, src: ArchSources): void {
  const rhs = step.rhs;
  const shape = step.rhsShape as TextShape;
  if (src.isSourceShape(shape)) {
    const ck = src.certainKindText(rhs);
    for (const target of step.lhs.split(',')) {
      src.names.set(target.trim(), src.kindOfText(rhs));
      if (ck) src.certainNames.set(target.trim(), ck);
    }
  }
  if (src.isDistroSourceShape(shape)) src.distroNames.add(step.lhs.trim());
}

/** The end of the block a line heads (the last deeper-indented line after it). */
function blockEnd(lines: readonly PyLine[], li: number): number {
  const line = lines[li] as PyLine;
  let end = line.end;
  for (let k = li + 1; k < lines.length && (lines[k] as PyLine).indent > line.indent; k++) end = (lines[k] as PyLine).end;
  return end;
}

/** The colon ending a compound statement header, at bracket depth 0 (an index into the store's `code`), or -1. */
function headerColon(line: Line): number {
  const st = line.store;
  let depth = 0;
  for (let k = line.from; k < line.to; k++) {
    const i = st.code[k] as number;
    const type = st.type(i);
    if (type === PY_OPEN) depth++;
    else if (type === PY_CLOSE) depth--;
    else if (depth === 0 && type === PY_OP && st.text.charCodeAt(st.start(i)) === 58 && !st.is(i, ':=')) return k;
  }
  return -1;
}

/**
 * A string token among code tokens `from` up to `to`. A test without one is unknown and marks
 * nothing: every arch the reader knows is read from a literal (compared, a prefix, a file name).
 */
function hasString(st: PyTokens, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (st.type(st.code[k] as number) === PY_STRING) return true;
  return false;
}

function addRegion(model: PythonModel, start: number, end: number, arches: Set<ArchName>): void {
  if (end > start) model.regions.push({ start, end, arches, positive: arches.size < ARCH_NAMES.length / 2, subject: 'host' });
}

/** The guards of the `if` / `elif` / `else` chain the line `li` starts. */
function ifChain(lines: readonly Line[], li: number, reader: ConditionReader, model: PythonModel): void {
  const line = lines[li] as Line;
  let remaining: Set<ArchName> = ANY;
  let known = false;
  // a chain of distribution tests only: a branch every arch reaches is no guard (no region)
  let distroOnly = true;
  for (let k = li; k < lines.length; ) {
    const l = lines[k] as Line;
    // the head read from the scan: a line after the chain makes no token objects
    const head = l.startsWith('elif') ? 'elif' : l.startsWith('else') ? 'else' : undefined;
    if (k !== li && (l.indent !== line.indent || head === undefined)) break;
    const colon = headerColon(l);
    if (colon < 0) break;
    const end = blockEnd(lines, k);
    const bodyStart = l.store.start(l.store.code[colon] as number) + 1;
    let arches: Set<ArchName> | undefined;
    if (head === 'else') {
      if (known) arches = remaining;
    } else {
      // the line's tokens made only for a test that may be known
      const r = hasString(l.store, l.from + 1, colon) ? reader.read(l.tokens.slice(1, colon - l.from)) : UNKNOWN_RESULT;
      if (r.known) {
        known = true;
        distroOnly &&= !!r.distro;
        arches = inter(r.then, remaining);
        remaining = inter(remaining, r.else);
      } else if (known) {
        // an unknown test after arch tests: its branch is reached by what is left
        arches = remaining;
      }
    }
    if (arches && !(distroOnly && arches.size === ARCH_NAMES.length)) addRegion(model, bodyStart, end, arches);
    k++;
    while (k < lines.length && (lines[k] as PyLine).indent > line.indent) k++;
  }
}

/** Conditional expressions of a line: `'amd64' if platform.machine() == 'x86_64' else 'arm64'`. */
function conditionalExpressions(toks: readonly Token[], reader: ConditionReader, model: PythonModel): void {
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.type !== 'name' || t.text !== 'if') continue;
    let depth = 0;
    let elseAt = -1;
    let stop = toks.length;
    for (let j = i + 1; j < toks.length; j++) {
      const u = toks[j] as Token;
      if (u.type === 'open') depth++;
      else if (u.type === 'close') {
        if (depth === 0) {
          stop = j;
          break;
        }
        depth--;
      } else if (depth === 0 && u.type === 'name' && u.text === 'else' && elseAt < 0) elseAt = j;
      else if (depth === 0 && u.type === 'op' && u.text === ',') {
        stop = j;
        break;
      }
    }
    if (elseAt < 0) continue;
    const r = reader.read(toks.slice(i + 1, elseAt));
    if (!r.known) continue;
    // the value before `if`: back to the nearest `=`, `(`, `,`, `return` at this depth
    let from = i - 1;
    depth = 0;
    for (; from > 0; from--) {
      const u = toks[from - 1] as Token;
      if (u.type === 'close') depth++;
      else if (u.type === 'open') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && ((u.type === 'op' && /^(=|,|:|\+=)$/.test(u.text)) || (u.type === 'name' && u.text === 'return'))) break;
    }
    const thenStart = (toks[from] as Token).offset;
    addRegion(model, thenStart, t.offset, r.then);
    const last = toks[stop - 1] as Token;
    addRegion(model, (toks[elseAt] as Token).offset, last.offset + last.text.length, r.else);
  }
}

/** A name token `if` after the line's first token: where a conditional expression may be. */
function hasInnerIf(line: Line): boolean {
  const st = line.store;
  for (let k = line.from + 1; k < line.to; k++) {
    const i = st.code[k] as number;
    if (st.type(i) === PY_NAME && st.is(i, 'if')) return true;
  }
  return false;
}

/** Parses a Python file: tokens, logical lines, bracket groups, and its arch guards. */
export function parsePython(text: string): PythonModel {
  const model = logicalLines(text, scanPython(text));
  const lines = model.lines;

  const src = new ArchSources();
  const steps = sourceSteps(lines);
  collectSources(steps, src);
  collectSources(steps, src);

  const reader = new ConditionReader(src, model);
  for (let li = 0; li < lines.length; li++) {
    if ((lines[li] as Line).startsWith('if')) ifChain(lines, li, reader, model);
  }
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as Line;
    if (hasInnerIf(line) && hasString(line.store, line.from, line.to)) conditionalExpressions(line.tokens, reader, model);
  }
  return model;
}
