/**
 * REFERENCE ONLY (test/python-model.test.ts): src/python-guards.ts as it was before it was split
 * into small functions for speed (main 8faba33). The split must give exactly these models.
 */
/**
 * Python build scripts read as logical lines with their blocks, and the arch guards in them:
 * `if platform.machine() == 'x86_64':` / `elif` / `else`, `if arch in ('aarch64', 'arm64'):`
 * where `arch` was assigned from `platform.machine()`, `os.uname().machine`, a subprocess
 * running `dpkg --print-architecture` or `uname -m`, `os.environ['DEB_HOST_ARCH']`, or a
 * function returning one of those. Blocks are found by indentation. What the reader does not
 * understand guards nothing (it never throws).
 */
import { ARCHES, ARCH_NAMES, archesWithValue, scanArchLiterals, type ArchName, type ArchValueKind } from '../../src/arch.js';
import { isoLayoutArches, otherSpellingArches, type DeadArchTest } from '../../src/shell-guards.js';
import type { GuardRegion } from '../../src/guards.js';
import { tokenizePython } from '../../src/lexers/python.js';
import type { Token } from '../../src/lexers/token.js';

export interface PyLine {
  start: number;
  /** End of the logical line (before its final newline). */
  end: number;
  /** Width of the leading blank (a tab counts to the next multiple of 8). */
  indent: number;
  /** Code tokens: no blanks, comments, newlines or continuations. */
  tokens: Token[];
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
  tokens: Token[];
  comments: Token[];
  lines: PyLine[];
  groups: PyGroup[];
  regions: GuardRegion[];
  tests: [number, number][];
  patterns: PyArchPattern[];
  /** String tokens that are whole statements (docstrings): prose, not data. */
  docstrings: Token[];
  /** Arch tests that can never match (`platform.machine() == 'arm64'`). */
  dead: DeadArchTest[];
}

const ALL = (): Set<ArchName> => new Set(ARCH_NAMES);

/** Every spelling an arch goes by, lower-cased: Debian name, cpu, GNU cpu, aliases, GOARCH. */
const SPELLINGS: [ArchName, string[]][] = ARCHES.map((a) => [
  a.name,
  [...new Set([a.name, a.cpu, a.gnuCpu, a.goArch, ...a.aliases].map((x) => x.toLowerCase()))],
]);

/** Arches an exact value names, in any spelling (Python scripts mix uname, dpkg and Go names). */
export function archesNamedBy(value: string): Set<ArchName> {
  const v = value.toLowerCase();
  return new Set(SPELLINGS.filter(([, s]) => s.includes(v)).map(([n]) => n));
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

/** Cuts tokens into logical lines (brackets and backslashes join physical lines). */
function logicalLines(tokens: Token[], text: string): { lines: PyLine[]; groups: PyGroup[]; docstrings: Token[] } {
  const lines: PyLine[] = [];
  const groups: PyGroup[] = [];
  const docstrings: Token[] = [];
  const stack: number[] = [];
  let cur: Token[] = [];
  let lineStart = 0;
  const flush = (end: number): void => {
    if (cur.length) {
      const first = cur[0] as Token;
      const ls = text.lastIndexOf('\n', first.offset - 1) + 1;
      let indent = 0;
      // by code point (a surrogate pair is one column), without a copy of the line
      for (let i = ls; i < first.offset; i++) {
        const c = text.charCodeAt(i);
        if (c === 9) indent += 8 - (indent % 8);
        else if (!(c >= 0xdc00 && c <= 0xdfff && i > ls && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) indent++;
      }
      lines.push({ start: first.offset, end, indent, tokens: cur });
      if (cur.length === 1 && first.type === 'string') docstrings.push(first);
    }
    cur = [];
  };
  for (const t of tokens) {
    if (t.type === 'newline') {
      if (stack.length === 0) {
        flush(t.offset);
        lineStart = t.offset + t.text.length;
      }
      continue;
    }
    if (t.type === 'ws' || t.type === 'comment' || t.type === 'continuation') continue;
    if (t.type === 'open') stack.push(t.offset);
    else if (t.type === 'close') {
      const o = stack.pop();
      if (o !== undefined) groups.push({ start: o, end: t.offset + 1 });
    } else if (t.type === 'op' && t.text.includes(';') && stack.length === 0) {
      // `a = 1; b = 2`: a statement ends at `;`
      flush(t.offset);
      continue;
    }
    cur.push(t);
  }
  void lineStart;
  flush(text.length);
  return { lines, groups, docstrings };
}

interface TestResult {
  then: Set<ArchName>;
  else: Set<ArchName>;
  known: boolean;
  /** Only distribution tests (and unknowns): a branch every arch reaches is no guard. */
  distro?: boolean;
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

const UNKNOWN = (): TestResult => ({ then: ALL(), else: ALL(), known: false });
const inter = (a: Set<ArchName>, b: Set<ArchName>): Set<ArchName> => new Set([...a].filter((x) => b.has(x)));
const union = (a: Set<ArchName>, b: Set<ArchName>): Set<ArchName> => new Set([...a, ...b]);
const minus = (a: Set<ArchName>): Set<ArchName> => new Set(ARCH_NAMES.filter((x) => !a.has(x)));

/** Reads python code tokens as arch tests. */
class ConditionReader {
  constructor(
    private readonly text: string,
    private readonly isSource: (toks: Token[]) => boolean,
    private readonly model: PythonModel,
    private readonly kindOf: (toks: Token[]) => 'arch' | 'gnuCpu',
    private readonly isDistroSource: (toks: Token[]) => boolean = () => false,
    private readonly certainKind: (toks: Token[]) => ArchValueKind | undefined = () => undefined,
  ) {}

  /** Splits `toks` at depth-0 name tokens equal to `word`. */
  private split(toks: Token[], word: string): Token[][] {
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
    // os.path.exists('/etc/redhat-release')
    const joined = toks.map((t) => t.text).join('');
    const exists = /^(?:os\.path\.(?:exists|isfile)|os\.access)\((['"])([^'"]+)\1(?:,[^()]*)?\)$/.exec(joined);
    // os.path.isdir(os.path.join(iso_dir, 'isolinux')): the ISO's own layout, a remastering tool's guard
    if (/^(?:os\.path\.(?:exists|isfile|isdir)|os\.access)\(/.test(joined)) {
      const parts = toks.filter((t) => t.type === 'string').map((t) => stringValue(t) ?? '');
      const layout = parts.length ? isoLayoutArches(parts.join('/').replace(/\/+/g, '/')) : undefined;
      if (layout) {
        this.mark(toks);
        return { then: layout, else: minus(layout), known: true };
      }
    }
    if (exists) {
      const file = exists[2] as string;
      const then = OTHER_RELEASE_FILE.test(file) ? new Set<ArchName>() : file === '/etc/debian_version' ? ALL() : undefined;
      return then ? { then, else: minus(then), known: true, distro: true } : UNKNOWN();
    }
    // src.startswith('arm') / src.startswith(('x86', 'i686'))
    const sw = toks.findIndex((t, i) => t.type === 'name' && (t.text === 'startswith' || t.text === 'endswith') && toks[i - 1]?.text === '.');
    if (sw > 0 && this.isSource(toks.slice(0, sw - 1))) {
      const args = this.strings(toks.slice(sw + 2, -1));
      if (!args) return UNKNOWN();
      this.mark(toks);
      const how = toks[sw]?.text === 'startswith' ? 'prefix' : 'substring';
      let then = new Set<ArchName>();
      args.values.forEach((v, i) => {
        const t = args.toks[i] as Token;
        this.model.patterns.push({ start: t.offset, end: t.offset + t.text.length, pattern: v, how, kind: this.kindOf(toks.slice(0, sw - 1)) });
        then = union(then, archesMatchingFragment(v, how));
      });
      return { then, else: minus(then), known: true };
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
      if (this.isSource(left)) {
        const r = this.strings(right);
        if (r) set = r.values.map(archesNamedBy).reduce(union);
        // platform.machine() says aarch64, never arm64: a test no value of the source matches is dead
        const ck = this.certainKind(left);
        if (r && ck && r.values.every((v) => archesWithValue(v, ck).length === 0 && otherSpellingArches(v, ck).length > 0)) {
          r.toks.forEach((t, i) => {
            const v = r.values[i] as string;
            this.model.dead.push({ start: t.offset, end: t.offset + t.text.length, literal: v, kind: ck, meant: otherSpellingArches(v, ck) });
          });
          set = new Set();
        }
      } else if (this.isSource(right)) {
        const l = this.strings(left);
        if (l && op.endsWith('in') && l.values.length === 1) {
          // 'arm' in machine: a substring test
          const tok = l.toks[0] as Token;
          this.model.patterns.push({ start: tok.offset, end: tok.offset + tok.text.length, pattern: l.values[0] as string, how: 'substring', kind: this.kindOf(right) });
          set = archesMatchingFragment(l.values[0] as string, 'substring');
        } else if (l && !op.endsWith('in')) set = l.values.map(archesNamedBy).reduce(union);
      }
      if (!set) {
        const distroSide = this.isDistroSource(left) ? right : this.isDistroSource(right) ? left : undefined;
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
          if (lits && lits.values.every((v) => archesNamedBy(v).size > 0 || scanArchLiterals(v).length > 0)) for (const t of lits.toks) this.model.tests.push([t.offset, t.offset + t.text.length]);
        }
        return UNKNOWN();
      }
      this.mark(toks);
      const negated = op === '!=' || op === 'not in';
      return { then: negated ? minus(set) : set, else: negated ? set : minus(set), known: true };
    }
    return UNKNOWN();
  }
}

/** Parses a Python file: tokens, logical lines, bracket groups, and its arch guards. */
export function parsePython(text: string): PythonModel {
  const tokens = tokenizePython(text);
  const { lines, groups, docstrings } = logicalLines(tokens, text);
  const model: PythonModel = { tokens, comments: tokens.filter((t) => t.type === 'comment'), lines, groups, regions: [], tests: [], patterns: [], docstrings, dead: [] };

  // Names (and functions) that hold an arch value.
  const sourceNames = new Map<string, 'arch' | 'gnuCpu'>();
  const DEBIAN_SPELLING = /dpkg|DEB_(?:HOST|BUILD)_ARCH\b|TARGETARCH/;
  const kindOf = (toks: Token[]): 'arch' | 'gnuCpu' => kindOfText(dotted(toks));
  const kindOfText = (s: string): 'arch' | 'gnuCpu' => {
    if (DEBIAN_SPELLING.test(s)) return 'arch';
    const name = /^([A-Za-z_][\w.]*)/.exec(s)?.[1];
    return (name && sourceNames.get(name)) || 'gnuCpu';
  };
  const sourceFuncs = new Set<string>();
  const dotted = (toks: Token[]): string => toks.map((t) => t.text).join('');
  /** isSource of the tokens whose texts join to `s` ('' for none). */
  const isSourceText = (s: string): boolean => {
    if (!s) return false;
    if (SOURCE_CALL.test(s)) return true;
    // arch, self.arch, arch.lower(), arch.strip().lower(), get_arch()
    const m = /^([A-Za-z_][\w.]*?)((?:\.(?:lower|strip|rstrip|decode|upper)\(\))*)$/.exec(s);
    if (m && (sourceNames.has(m[1] as string) || ARCH_NAMED.test((m[1] as string).replace(/^self\./, '')))) return true;
    const f = /^([A-Za-z_][\w.]*)\([^()]*\)(?:\.(?:lower|strip|rstrip|decode)\(\))*$/.exec(s);
    return !!f && sourceFuncs.has((f[1] as string).replace(/^self\./, ''));
  };
  const isSource = (toks: Token[]): boolean => toks.length > 0 && isSourceText(dotted(toks));
  // What a value certainly spells (read from the call, not guessed from a name): dead tests need it.
  const certainNames = new Map<string, ArchValueKind>();
  const certainKind = (toks: Token[]): ArchValueKind | undefined => certainKindText(dotted(toks));
  const certainKindText = (s: string): ArchValueKind | undefined => {
    if (/^(?:platform\.machine\(\)|(?:os|platform)\.uname\(\)(?:\.machine|\[4\]))(?:\.(?:lower|strip)\(\))*$/.test(s)) return 'gnuCpu';
    if (/check_output\(\[?['"]uname['"],\s*['"]-m['"]/.test(s)) return 'gnuCpu';
    if (/check_output\(\[?['"]dpkg['"],\s*['"]--print-architecture['"]/.test(s)) return 'arch';
    const m = /^([A-Za-z_][\w.]*?)(?:\.(?:lower|strip|rstrip|decode)\(\))*$/.exec(s);
    return m ? certainNames.get(m[1] as string) : undefined;
  };
  const distroNames = new Set<string>();
  const isDistroSource = (toks: Token[]): boolean => isDistroSourceText(dotted(toks));
  const isDistroSourceText = (s: string): boolean => {
    if (DISTRO_CALL.test(s)) return true;
    const m = /^([A-Za-z_][\w.]*?)(?:\.(?:lower|strip)\(\))*(?:\[0\])?$/.exec(s);
    return !!m && distroNames.has(m[1] as string);
  };
  // The texts both passes read, joined once: an assignment's two sides, a `return`'s value.
  const sides = new Map<number, [string, string]>();
  const returned = new Map<number, string>();
  const sidesOf = (li: number, toks: Token[], eq: number): [string, string] => {
    let v = sides.get(li);
    if (!v) sides.set(li, (v = [dotted(toks.slice(0, eq)), dotted(toks.slice(eq + 1))]));
    return v;
  };
  const returnedOf = (k: number, b: Token[]): string => {
    let v = returned.get(k);
    if (v === undefined) returned.set(k, (v = dotted(b.slice(1))));
    return v;
  };
  for (let pass = 0; pass < 2; pass++) {
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li] as PyLine;
      const toks = line.tokens;
      const eq = toks.findIndex((t) => t.type === 'op' && t.text === '=');
      if (eq > 0) {
        const [lhs, rhs] = sidesOf(li, toks, eq);
        if (isSourceText(rhs)) {
          const ck = certainKindText(rhs);
          for (const target of lhs.split(',')) {
            sourceNames.set(target.trim(), kindOfText(rhs));
            if (ck) certainNames.set(target.trim(), ck);
          }
        }
        if (isDistroSourceText(rhs)) distroNames.add(lhs.trim());
      }
      if (toks[0]?.text === 'def' && toks[1]?.type === 'name') {
        // a function whose body returns an arch value is a source
        for (let k = li + 1; k < lines.length && (lines[k] as PyLine).indent > line.indent; k++) {
          const b = (lines[k] as PyLine).tokens;
          if (b[0]?.text === 'return' && isSourceText(returnedOf(k, b))) sourceFuncs.add(toks[1].text);
        }
      }
    }
  }

  const reader = new ConditionReader(text, isSource, model, kindOf, isDistroSource, certainKind);
  const blockEnd = (li: number): number => {
    const line = lines[li] as PyLine;
    let end = line.end;
    for (let k = li + 1; k < lines.length && (lines[k] as PyLine).indent > line.indent; k++) end = (lines[k] as PyLine).end;
    return end;
  };
  /** The colon ending a compound statement header, at bracket depth 0. */
  const headerColon = (toks: Token[]): number => {
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (t.type === 'open') depth++;
      else if (t.type === 'close') depth--;
      else if (depth === 0 && t.type === 'op' && t.text.startsWith(':') && t.text !== ':=') return i;
    }
    return -1;
  };
  const region = (start: number, end: number, arches: Set<ArchName>): void => {
    if (end > start) model.regions.push({ start, end, arches, positive: arches.size < ARCH_NAMES.length / 2, subject: 'host' });
  };
  const bodyStart = (line: PyLine, colon: number): number => {
    const c = line.tokens[colon] as Token;
    return c.offset + 1;
  };

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as PyLine;
    if (line.tokens[0]?.text !== 'if') continue;
    let remaining: Set<ArchName> = ALL();
    let known = false;
    // a chain of distribution tests only: a branch every arch reaches is no guard (no region)
    let distroOnly = true;
    const branch = (start: number, end: number, arches: Set<ArchName>): void => {
      if (!(distroOnly && arches.size === ARCH_NAMES.length)) region(start, end, arches);
    };
    for (let k = li; k < lines.length; ) {
      const l = lines[k] as PyLine;
      const head = l.tokens[0]?.text;
      if (k !== li && (l.indent !== line.indent || (head !== 'elif' && head !== 'else'))) break;
      const colon = headerColon(l.tokens);
      if (colon < 0) break;
      const end = blockEnd(k);
      if (head === 'else') {
        if (known) branch(bodyStart(l, colon), end, remaining);
      } else {
        const r = reader.read(l.tokens.slice(1, colon));
        if (r.known) {
          known = true;
          distroOnly &&= !!r.distro;
          branch(bodyStart(l, colon), end, inter(r.then, remaining));
          remaining = inter(remaining, r.else);
        } else if (known) {
          // an unknown test after arch tests: its branch is reached by what is left
          branch(bodyStart(l, colon), end, remaining);
        }
      }
      k++;
      while (k < lines.length && (lines[k] as PyLine).indent > line.indent) k++;
    }
  }

  // Conditional expressions: `'amd64' if platform.machine() == 'x86_64' else 'arm64'`
  for (const line of lines) {
    const toks = line.tokens;
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
      region(thenStart, t.offset, r.then);
      const last = toks[stop - 1] as Token;
      region((toks[elseAt] as Token).offset, last.offset + last.text.length, r.else);
    }
  }
  return model;
}
