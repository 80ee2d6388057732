/**
 * The prefilter (DESIGN §7 Speed): each rule declares what must occur in a file for it to
 * possibly report — a set of literals, tested case-insensitively, or `always` for some of its
 * kinds. The engine tests the union of every rule's literals for a file's kind in one pass over
 * the text and runs only the rules it triggered; a file that triggers nothing is never lexed.
 *
 * Triggers are generated from the tables and regexes the rules match (`requiredLiterals`): a
 * hand-written list would drift from them and lose findings.
 */
import type { AnyRule, FileKind, RuleTrigger, TriggerSpec } from '../types.js';
import type { SourceFile } from '../source.js';
import { ALL_KINDS } from '../types.js';
import { memoized } from './trigger-memo.js';
import { TermAutomaton } from './term-scan.js';

// ---------------------------------------------------------------------------------------------
// Literals a regex needs

/** A set of strings one of which every match contains; `undefined`: no such set is known. */
type Need = readonly string[] | undefined;

/** What a parsed piece of a regex is, for the analysis. */
type Piece =
  /** One literal character: lower-cased, and as written. */
  | { t: 'char'; c: string; o: string }
  /** Consumes one character of a class (`\d`, `[a-z]`, `.`): its source. */
  | { t: 'any'; src: string }
  /** Zero-width: an anchor (`^`, `$`), a word boundary (`\b`, `\B`), or a lookaround (no `z`). */
  | { t: 'zero'; z?: '^' | '$' | 'b' | 'B' }
  /** A group: alternatives of sequences. */
  | { t: 'alt'; alts: Piece[][] }
  /** A quantified piece. */
  | { t: 'rep'; min: number; of: Piece }
  /** A back-reference: consumes what it refers to (unknown here). */
  | { t: 'ref' };

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };

/** A small parser for the JavaScript regex syntax the rules use; unknown syntax parses as "any". */
class RegexReader {
  private i = 0;

  constructor(private readonly src: string) {}

  parse(): Piece[][] {
    const alts = this.alternatives();
    if (this.i < this.src.length) throw new Error(`unbalanced ')' in /${this.src}/`);
    return alts;
  }

  private alternatives(): Piece[][] {
    const alts: Piece[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Piece[] {
    const out: Piece[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      out.push(this.quantified(atom));
    }
    return out;
  }

  private quantified(atom: Piece): Piece {
    const s = this.src;
    let p = atom;
    for (;;) {
      const c = s[this.i];
      let min: number | undefined;
      if (c === '*' || c === '?') {
        min = 0;
        this.i++;
      } else if (c === '+') {
        min = 1;
        this.i++;
      } else if (c === '{') {
        const m = /^\{(\d+)(?:,(\d*))?\}/.exec(s.slice(this.i));
        if (!m) return p;
        min = Number(m[1]);
        this.i += m[0].length;
      } else return p;
      if (s[this.i] === '?') this.i++;
      p = { t: 'rep', min, of: p };
    }
  }

  private atom(): Piece {
    const s = this.src;
    const c = s[this.i] as string;
    if (c === '(') {
      this.i++;
      let zero = false;
      if (s.startsWith('?:', this.i)) this.i += 2;
      else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) {
        this.i += 2;
        zero = true;
      } else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) {
        this.i += 3;
        zero = true;
      } else if (s.startsWith('?<', this.i)) {
        this.i = s.indexOf('>', this.i) + 1;
      }
      const alts = this.alternatives();
      if (s[this.i] !== ')') throw new Error(`unbalanced '(' in /${s}/`);
      this.i++;
      return zero ? { t: 'zero' } : { t: 'alt', alts };
    }
    if (c === '[') {
      const from = this.i;
      this.i++;
      if (s[this.i] === '^') this.i++;
      if (s[this.i] === ']') this.i++;
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      this.i++;
      return { t: 'any', src: s.slice(from, this.i) };
    }
    if (c === '.') {
      this.i++;
      return { t: 'any', src: '.' };
    }
    if (c === '^' || c === '$') {
      this.i++;
      return { t: 'zero', z: c };
    }
    if (c === '\\') {
      const e = s[this.i + 1] as string;
      this.i += 2;
      if (e === 'b' || e === 'B') return { t: 'zero', z: e };
      if (/[dDwWsS]/.test(e)) return { t: 'any', src: `\\${e}` };
      if (/[1-9]/.test(e)) {
        while (/\d/.test(s[this.i] ?? '')) this.i++;
        return { t: 'ref' };
      }
      if (e === 'k') {
        this.i = s.indexOf('>', this.i) + 1;
        return { t: 'ref' };
      }
      if (e === 'x') {
        const hex = s.slice(this.i, this.i + 2);
        this.i += 2;
        const ch = String.fromCharCode(parseInt(hex, 16));
        return { t: 'char', c: ch.toLowerCase(), o: ch };
      }
      if (e === 'u') {
        const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/.exec(s.slice(this.i));
        if (!m) return { t: 'any', src: '.' };
        this.i += m[0].length;
        const ch = String.fromCodePoint(parseInt((m[1] ?? m[2]) as string, 16));
        return { t: 'char', c: ch.toLowerCase(), o: ch };
      }
      if (e === 'c' || e === 'p' || e === 'P') {
        if (e !== 'c' && s[this.i] === '{') this.i = s.indexOf('}', this.i) + 1;
        else this.i++;
        return { t: 'any', src: '.' };
      }
      const ch = SIMPLE_ESCAPES[e] ?? e;
      return { t: 'char', c: ch.toLowerCase(), o: ch };
    }
    this.i++;
    return { t: 'char', c: c.toLowerCase(), o: c };
  }
}

/** At most this many strings in a set built by spelling out a group's alternatives. */
const MAX_SPELLED = 64;

/** The exact strings a piece matches, when it is a finite set of literals (`(?:grub|boot)x64`). */
function spelled(p: Piece): string[] | undefined {
  if (p.t === 'char') return [p.c];
  if (p.t === 'zero') return [''];
  if (p.t === 'alt') {
    const out: string[] = [];
    for (const seq of p.alts) {
      let acc: string[] = [''];
      for (const q of seq) {
        const s = spelled(q);
        if (!s || acc.length * s.length > MAX_SPELLED) return undefined;
        acc = acc.flatMap((a) => s.map((b) => a + b));
      }
      out.push(...acc);
      if (out.length > MAX_SPELLED) return undefined;
    }
    return out;
  }
  return undefined;
}

/**
 * How selective a literal is likely to be: its length, a digit or punctuation counting for three
 * letters (`x86` is rarer in text than `arch`).
 */
const weight = (t: string): number => t.length + 2 * (t.match(/[^a-z]/g)?.length ?? 0);

/** The better of two needs: the one whose least selective string is more selective, then the smaller. */
function better(a: Need, b: Need): Need {
  if (!a) return b;
  if (!b) return a;
  const ma = Math.min(...a.map(weight));
  const mb = Math.min(...b.map(weight));
  if (ma !== mb) return ma > mb ? a : b;
  return a.length <= b.length ? a : b;
}

function needOfSequence(seq: readonly Piece[]): Need {
  let best: Need;
  // the strings the consecutive literal pieces read so far spell out exactly
  let run: string[] = [''];
  const flush = (): void => {
    if (run.some((r) => r !== '')) best = better(best, run.every((r) => r !== '') ? run : undefined);
    run = [''];
  };
  for (const p of seq) {
    if (p.t === 'zero') continue;
    const s = spelled(p);
    if (s && run.length * s.length <= MAX_SPELLED) {
      run = run.flatMap((a) => s.map((b) => a + b));
      continue;
    }
    flush();
    best = better(best, needOf(p));
  }
  flush();
  return best;
}

function needOf(p: Piece): Need {
  switch (p.t) {
    case 'char':
      return [p.c];
    case 'any':
    case 'zero':
    case 'ref':
      return undefined;
    case 'rep':
      return p.min > 0 ? needOf(p.of) : undefined;
    case 'alt': {
      const out: string[] = [];
      for (const seq of p.alts) {
        const n = needOfSequence(seq);
        if (!n || n.length === 0) return undefined;
        out.push(...n);
      }
      return out;
    }
  }
}

/**
 * Literals (lower-case) one of which every match of `re` contains, read from its source; case
 * is ignored, so a case-sensitive regex gets a trigger that is a little wider, never narrower.
 * Undefined when no such set can be told (`[^\s]+`): a rule matching it is `always`.
 */
export function requiredLiterals(re: RegExp | string): string[] | undefined {
  const src = typeof re === 'string' ? re : re.source;
  return memoized(`literals /${src}`, () => literalsOf(src));
}

function literalsOf(src: string): string[] | undefined {
  const need = needOf({ t: 'alt', alts: new RegexReader(src).parse() });
  return need ? minimalTerms(need) : undefined;
}

/**
 * Lower-cased, deduplicated, and without terms another term fires for: one whose text contains
 * a plain term's, or one with the same text that asks more of what stands next to it.
 */
export function minimalTerms(terms: Iterable<string>): string[] {
  const all = [...new Set([...terms].map((t) => t.toLowerCase()))].map(termParts).filter((t) => t.core !== '');
  all.sort((a, b) => a.term.length - b.term.length || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  const out: string[] = [];
  // the kept terms: the texts of the plain ones (one fires for any term containing it), and by text the others
  const plain: string[] = [];
  const bounded = new Map<string, TermParts[]>();
  for (const t of all) {
    if (plain.some((c) => t.core.includes(c))) continue;
    const same = bounded.get(t.core);
    if (same?.some((o) => (t.start || !o.start) && (t.end || !o.end))) continue;
    out.push(t.term);
    if (!t.start && !t.end) plain.push(t.core);
    else if (same) same.push(t);
    else bounded.set(t.core, [t]);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A trigger from tables and regexes: each part is a literal, a list of literals, or a regex
 * whose required literals are taken; `always` when some regex has none (or a part is undefined:
 * `requiredWords` found none).
 */
export function triggerFrom(...parts: (string | readonly string[] | RegExp | undefined)[]): TriggerSpec {
  const terms: string[] = [];
  for (const p of parts) {
    if (p === undefined) return 'always';
    if (typeof p === 'string') terms.push(p);
    else if (p instanceof RegExp) {
      const need = requiredLiterals(p);
      if (!need) return 'always';
      terms.push(...need);
    } else terms.push(...p);
  }
  return { literals: minimalTerms(terms) };
}

/**
 * For each literal `re` needs, its longest run of letters and digits: what a text must contain
 * when the rule matches `re` against strings it joined from pieces (`'base-' + codename + '.lst'`),
 * which no longer contain the whole literal. Undefined as for `requiredLiterals`.
 */
export function requiredWords(re: RegExp | string): string[] | undefined {
  const need = requiredLiterals(re);
  if (!need) return undefined;
  const words = need.map((t) => (t.match(/[a-z0-9]+/g) ?? []).sort((a, b) => b.length - a.length)[0]);
  return words.every((w) => w !== undefined) ? minimalTerms(words as string[]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Words with what stands next to them

/**
 * A term may say what stands next to it: `⟨` before it, the character before the term is no
 * ASCII letter or digit (or there is none: the start of the text); `⟩` after it, likewise for the
 * character after (`⟨arch⟩` fires on `$ARCH` and `target_arch`, not on `search` or `archive`). The
 * marks are not ASCII, so no literal term can contain them.
 */
export const WORD_START = '\u27e8';
export const WORD_END = '\u27e9';

/** A term's text, and whether it must start or end a word. */
interface TermParts {
  /** The term as written. */
  term: string;
  core: string;
  start: boolean;
  end: boolean;
}

function termParts(term: string): TermParts {
  const start = term.startsWith(WORD_START);
  const end = term.endsWith(WORD_END) && term.length > (start ? 1 : 0);
  return { term, core: term.slice(start ? 1 : 0, end ? -1 : undefined), start, end };
}

/**
 * What may stand next to a part of a match: characters (folded to lower case, ASCII), `EDGE` for
 * the start or end of the string matched, `NON_ASCII` for any character ≥ 128.
 */
type Adj = ReadonlySet<string>;
const EDGE = 'edge';
const NON_ASCII = 'non-ascii';
const ASCII = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const ANY: Adj = new Set([...ASCII.map((c) => c.toLowerCase()), EDGE, NON_ASCII]);
const NON_WORD: Adj = new Set([...ASCII.filter((c) => !/\w/.test(c)), EDGE, NON_ASCII]);
const WORD: Adj = new Set(ASCII.filter((c) => /\w/.test(c)).map((c) => c.toLowerCase()));
const union = (a: Adj, b: Adj): Adj => (b.size === 0 ? a : a.size === 0 ? b : new Set([...a, ...b]));

/** The characters a class (`[/{}]`, `\s`, `.`) matches, folded; any non-ASCII one when it may match one. */
function classAdj(src: string, flags: string): Adj {
  const re = new RegExp(`^${src}$`, flags.replace(/[gy]/g, ''));
  const out = new Set(ASCII.filter((c) => re.test(c)).map((c) => c.toLowerCase()));
  if (/\^|\\[WSDsup]|\\x|[^\x00-\x7f]/.test(src) || src === '.' || ['\u00e9', '\u00a0', '\u2028', '\u4e00'].some((c) => re.test(c))) out.add(NON_ASCII);
  return out;
}

/** Reads what may stand before (or after) a run of literal pieces, from the pieces around it. */
class Adjacency {
  constructor(private readonly flags: string) {}

  /**
   * What may end (`back`) or start a match of `p`, and whether it always consumes (or anchors)
   * so that nothing further out can be next to the run.
   */
  private edge(p: Piece, back: boolean): { adj: Adj; stop: boolean } {
    switch (p.t) {
      case 'char':
        return { adj: new Set([p.c]), stop: true };
      case 'any':
        return { adj: classAdj(p.src, this.flags), stop: true };
      case 'ref':
        return { adj: ANY, stop: true };
      case 'zero':
        // a word boundary inside a group says nothing of its neighbours here; an anchor does
        if (p.z === '^' || p.z === '$') return { adj: new Set(this.flags.includes('m') ? [EDGE, '\n'] : [EDGE]), stop: true };
        return { adj: new Set(), stop: false };
      case 'rep': {
        const r = this.edge(p.of, back);
        return { adj: r.adj, stop: p.min > 0 && r.stop };
      }
      case 'alt': {
        let adj: Adj = new Set();
        let stop = true;
        for (const seq of p.alts) {
          const r = this.walk(seq, back ? seq.length - 1 : 0, back, undefined);
          adj = union(adj, r.adj);
          stop &&= r.stop;
        }
        return { adj, stop };
      }
    }
  }

  /** From `seq[from]` outwards (backwards when `back`); `word`: whether the run's own next character is a word character. */
  private walk(seq: readonly Piece[], from: number, back: boolean, word: boolean | undefined): { adj: Adj; stop: boolean } {
    let adj: Adj = new Set();
    let touching = word !== undefined;
    for (let k = from; k >= 0 && k < seq.length; k += back ? -1 : 1) {
      const p = seq[k] as Piece;
      if (touching && p.t === 'zero' && (p.z === 'b' || p.z === 'B')) {
        // `\bword`: what is next to the word is not a word character (`\B`: it is one)
        return { adj: union(adj, (p.z === 'b') === word ? NON_WORD : WORD), stop: true };
      }
      const r = this.edge(p, back);
      if (p.t !== 'zero' || r.stop) touching = false;
      adj = union(adj, r.adj);
      if (r.stop) return { adj, stop: true };
    }
    return { adj, stop: false };
  }

  /** What may stand before `seq[at]` (after `seq[at - 1]` when `back` is false), `outer` past the sequence's edge. */
  around(seq: readonly Piece[], at: number, back: boolean, outer: Adj, word: boolean | undefined): Adj {
    const r = this.walk(seq, back ? at - 1 : at, back, word);
    return r.stop ? r.adj : union(r.adj, outer);
  }
}

/**
 * How the text a regex is matched against was cut from the file, for `requiredWordGroups`:
 * - `split`: the rule joined tokens or words (python tokens without the blanks between them, a
 *   shell word with `$VAR` made `{}`): what stands next to a word there stands next to it in the
 *   file only as far as "not a letter or digit" goes.
 * - `string`: the rule joined python string values (`'base-' + codename + '.yaml'`): a word may
 *   also start or end a value, next to its quote (and a `*` or `{}` the rule drops at the end).
 */
export type WordContext = 'split' | 'string';

function widen(adj: Adj, after: boolean, context: WordContext): Adj {
  if (context === 'split') return union(adj, new Set([NON_ASCII]));
  const out = new Set([...adj, "'", '"', ...(after ? ['*', '{', '\n', '\r'] : [])]);
  out.delete(EDGE);
  return out;
}

/** At most this many characters before a word are spelled out as terms (`.lst`, `'lst`, `"lst`). */
const MAX_BEFORE = 6;

/** The terms one of which a text has where `word` stands between `before` and `after`. */
function wordTerms(word: string, before: Adj, after: Adj): string[] {
  const alnum = (a: Adj): boolean => [...a].some((c) => /^[a-z0-9]$/.test(c));
  const end = alnum(after) ? '' : WORD_END;
  if (alnum(before)) return [word + end];
  if (before.has(NON_ASCII) || before.has(EDGE) || before.size > MAX_BEFORE) return [WORD_START + word + end];
  return [...before].sort().map((c) => c + word + end);
}

/** A word shorter than this is left out of a group that has a longer one. */
const MIN_WORD = 3;

/** At most this many groups from one alternative of a regex (the words past it are left out: wider). */
const MAX_GROUPS = 64;

/**
 * The words (runs of letters and digits) every match of `re` has, with what stands next to
 * them: per alternative of the regex, the groups of terms one of which must occur in full (a
 * word next to one of a few characters is spelled out with each: `.lst`, `'lst`, `"lst`).
 * What a text must contain when the rule matches `re` against strings it joined from pieces
 * (`context`), which no longer contain the whole literal; a word is never split. Undefined when
 * some alternative needs no word.
 */
export function requiredWordGroups(re: RegExp, context: WordContext): string[][] | undefined {
  return memoized(`words ${context} ${re.flags}/${re.source}`, () => wordGroupsOf(re, context));
}

function wordGroupsOf(re: RegExp, context: WordContext): string[][] | undefined {
  const adjacency = new Adjacency(re.flags);
  const out: string[][] = [];
  for (const seq of new RegexReader(re.source).parse()) {
    let groups: string[][] = [[]];
    const addRun = (strings: readonly string[], start: number, end: number): void => {
      const alts: string[][] = [];
      for (const s of strings) {
        const before = adjacency.around(seq, start, true, ANY, /^\w/.test(s));
        const after = adjacency.around(seq, end, false, ANY, /\w$/.test(s));
        let combos: string[][] = [[]];
        for (const m of s.matchAll(/[a-z0-9]+/g)) {
          const i = m.index;
          const j = i + m[0].length;
          const b = widen(i > 0 ? new Set([s[i - 1] as string]) : before, false, context);
          const a = widen(j < s.length ? new Set([s[j] as string]) : after, true, context);
          combos = combos.flatMap((c) => wordTerms(m[0], b, a).map((t) => [...c, t]));
        }
        alts.push(...combos);
      }
      if (alts.some((a) => a.length === 0) || groups.length * alts.length > MAX_GROUPS) return;
      groups = groups.flatMap((g) => alts.map((a) => [...g, ...a]));
    };
    // a run of literal pieces: its strings, its first piece and the piece after its last
    let run: string[] = [''];
    let start = -1;
    let end = -1;
    seq.forEach((p, k) => {
      if (p.t === 'zero') return;
      const s = spelled(p);
      if (s && run.length * s.length <= MAX_SPELLED) {
        if (start < 0) start = k;
        end = k + 1;
        run = run.flatMap((a) => s.map((b) => a + b));
        return;
      }
      if (start >= 0) addRun(run, start, end);
      run = [''];
      start = -1;
    });
    if (start >= 0) addRun(run, start, end);
    if (groups.some((g) => g.length === 0)) return undefined;
    // a short word beside a longer one (`m` of `uname -m`, `os` of `os.uname()`) tells little and hits
    // often, each hit a step off the scan's fast path: leave it out (wider)
    out.push(...groups.map((g) => (g.some((t) => termParts(t).core.length >= MIN_WORD) ? g.filter((t) => termParts(t).core.length >= MIN_WORD) : g)));
  }
  return out;
}

/** One trigger per kind: `common` for each of `kinds`, some kinds overridden. */
export function triggerByKind(kinds: readonly FileKind[], common: TriggerSpec, overrides: Partial<Record<FileKind, TriggerSpec>> = {}): Partial<Record<FileKind, TriggerSpec>> {
  const all = [...new Set([...kinds, ...(Object.keys(overrides) as FileKind[])])];
  return Object.fromEntries(all.map((k) => [k, overrides[k] ?? common]));
}

/** A trigger that fires when every term of one group occurs (or one of `literals`). */
export function triggerAllOf(groups: readonly (readonly string[] | undefined)[], literals: readonly string[] = []): TriggerSpec {
  if (groups.some((g) => g === undefined)) return 'always';
  const seen = new Set<string>();
  const allOf: string[][] = [];
  for (const g of groups as (readonly string[])[]) {
    const terms = [...new Set(g.map((t) => t.toLowerCase()))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const key = terms.join('\u0000');
    if (terms.length === 0) return 'always';
    if (seen.has(key)) continue;
    seen.add(key);
    allOf.push(terms);
  }
  return { literals: minimalTerms(literals), allOf };
}

/** A trigger that fires where one of `specs` fires. */
export function triggerUnion(...specs: TriggerSpec[]): TriggerSpec {
  const literals: string[] = [];
  const allOf: (readonly string[])[] = [];
  for (const t of specs) {
    if (t === 'always') return 'always';
    literals.push(...t.literals);
    allOf.push(...(t.allOf ?? []));
  }
  return allOf.length ? triggerAllOf(allOf, literals) : { literals: minimalTerms(literals) };
}

/** The trigger a rule declares for one kind (a rule that declares none is `always`). */
export function triggerFor(rule: AnyRule, kind: FileKind): TriggerSpec {
  const t: RuleTrigger | undefined = rule.trigger;
  if (t === undefined || t === 'always' || 'literals' in t) return t ?? 'always';
  return (t as Partial<Record<FileKind, TriggerSpec>>)[kind] ?? 'always';
}

/** Characters tried for a class, in order, when spelling examples. */
const CLASS_CANDIDATES = ['a', 'x', '4', '1', '-', '_', '.', ' ', 'b', 'z', 'Q'];

/**
 * Strings built from `re`'s source that `re` should match: every alternative of every group,
 * optional parts left out, a class spelled by its first fitting character. For tests: callers
 * keep those `re` really matches (lookarounds are not taken into account here).
 */
export function regexExamples(re: RegExp, max = 500): string[] {
  const ofSeq = (seq: readonly Piece[]): string[] => {
    let acc: string[] = [''];
    for (const p of seq) {
      const e = ofPiece(p);
      acc = acc.flatMap((a) => e.map((b) => a + b)).slice(0, max);
    }
    return acc;
  };
  const ofPiece = (p: Piece): string[] => {
    switch (p.t) {
      case 'char':
        return [p.o];
      case 'zero':
      case 'ref':
        return [''];
      case 'any': {
        const cls = new RegExp(`^${p.src}$`);
        return [CLASS_CANDIDATES.find((c) => cls.test(c)) ?? ''];
      }
      case 'rep':
        return p.min === 0 ? [''] : ofPiece(p.of).map((x) => x.repeat(p.min));
      case 'alt':
        return p.alts.flatMap(ofSeq).slice(0, max);
    }
  };
  return [...new Set(new RegexReader(re.source).parse().flatMap(ofSeq))].slice(0, max);
}

/** What one kind's rules need: the rules always run, and the automaton over the others' terms. */
interface KindTriggers {
  always: readonly AnyRule[];
  /** Rules that run when one of their terms (or all of one group) occurs. */
  literal: readonly AnyRule[];
  automaton: TermAutomaton;
  /** Per term, the slots it fills: an index into `literal`, or `literal.length` for "a hunk may trigger". */
  slotsOf: readonly (readonly number[])[];
  /** Per term, the all-of groups it is part of: [group index, bit]. */
  groupsOf: readonly (readonly (readonly [number, number])[])[];
  /** Per all-of group, the slot it fills and the mask of all its bits. */
  groups: readonly { slot: number; full: number }[];
  /** For a patch: the kinds whose `always` rules its hunks would run. */
  alwaysEmbedded: ReadonlySet<FileKind>;
  /** The rules that apply to the kind, in the index's order, each with its slot (-1: always). */
  order: readonly (readonly [AnyRule, number])[];
  /** The answer when no term occurs. */
  none: Triggered;
}

/** The rules the prefilter lets run on a file. */
export interface Triggered {
  /** The rules to run (in the order given to the index). */
  rules: readonly AnyRule[];
  /** Rules that apply to the kind but were skipped: they could not have reported. */
  skipped: readonly AnyRule[];
  /** For a patch: some hunk may trigger a rule of its own kind (the patch must be read). */
  embedded: boolean;
}

/** `+++ b/debian/control\t…` → `debian/control` (as the patch model reads a target). */
function patchTarget(line: string): string {
  const rest = line.slice(4);
  const tab = rest.indexOf('\t');
  let p = (tab < 0 ? rest : rest.slice(0, tab)).trim();
  if (p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1);
  return p.replace(/^[ab]\//, '').replace(/^[^/]+\.(?:orig|new)\//, '');
}

/**
 * The few string methods `patchTargetKinds` uses, over UTF-8 bytes: searched as Latin-1 (one
 * character a byte, a copy without decoding; the needles are ASCII), offsets are byte offsets,
 * and a slice (one line, cut at \n) is decoded as the whole text would decode it there (an
 * ASCII byte is never part of an invalid sequence's U+FFFD).
 */
class ByteText {
  private readonly latin1: string;
  readonly length: number;

  constructor(private readonly bytes: Uint8Array) {
    this.latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    this.length = bytes.byteLength;
  }

  startsWith(ascii: string): boolean {
    return this.latin1.startsWith(ascii);
  }

  indexOf(ascii: string, from?: number): number {
    return this.latin1.indexOf(ascii, from);
  }

  charCodeAt(at: number): number {
    return this.latin1.charCodeAt(at);
  }

  slice(from: number, to: number): string {
    const line = this.latin1.slice(from, to);
    return /[\u0080-\u00ff]/.test(line) ? LINE_DECODER.decode(this.bytes.subarray(from, to)) : line;
  }
}

const LINE_DECODER = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The union of every rule's trigger, per kind, built once per rule list. `test` reads a text
 * once and tells which rules may report on it. A patch's hunks are linted as the kinds of their
 * targets, so a patch is tested with every kind's terms too, and its file headers are read for
 * targets of a kind some rule is `always` for.
 */
export class TriggerIndex {
  /** By kind, and for a patch by the kinds of its hunks' targets too (`patch rules shell`). */
  private readonly byKind = new Map<string, KindTriggers>();

  /** `classify` names the kind of a patch's target path (the engine passes the kind registry's). */
  constructor(readonly rules: readonly AnyRule[], private readonly classify: (path: string) => FileKind | undefined) {}

  private kindTriggers(kind: FileKind, embeddedKinds: readonly FileKind[] = []): KindTriggers {
    const key = embeddedKinds.length === 0 ? kind : [kind, ...embeddedKinds].join(' ');
    let k = this.byKind.get(key);
    if (k) return k;
    const always: AnyRule[] = [];
    const literal: AnyRule[] = [];
    const termIds = new Map<string, number>();
    const slotsOf: number[][] = [];
    const groupsOf: [number, number][][] = [];
    const groups: { slot: number; full: number }[] = [];
    const term = (t: string): number => {
      const lower = t.toLowerCase();
      let id = termIds.get(lower);
      if (id === undefined) {
        id = termIds.size;
        termIds.set(lower, id);
        slotsOf.push([]);
        groupsOf.push([]);
      }
      return id;
    };
    const add = (t: string, slot: number): void => {
      const list = slotsOf[term(t)] as number[];
      if (!list.includes(slot)) list.push(slot);
    };
    const addGroup = (words: readonly string[], slot: number): void => {
      if (words.length > 30) throw new Error('an all-of trigger group has at most 30 words');
      const g = groups.length;
      groups.push({ slot, full: (1 << words.length) - 1 });
      words.forEach((w, bit) => (groupsOf[term(w)] as [number, number][]).push([g, bit]));
    };
    for (const r of this.rules) {
      if (!r.appliesTo.includes(kind)) continue;
      const t = triggerFor(r, kind);
      if (t === 'always') always.push(r);
      else {
        for (const x of t.literals) add(x, literal.length);
        for (const g of t.allOf ?? []) addGroup(g, literal.length);
        literal.push(r);
      }
    }
    const alwaysEmbedded = new Set<FileKind>();
    if (kind === 'patch') {
      // A hunk is linted as its target's kind: a term of that kind makes it trigger (a word of
      // an all-of group stands for its group: wider, never narrower).
      for (const other of embeddedKinds) {
        if (other === 'patch') continue;
        for (const r of this.rules) {
          if (!r.appliesTo.includes(other)) continue;
          const t = triggerFor(r, other);
          if (t === 'always') alwaysEmbedded.add(other);
          else for (const x of [...t.literals, ...(t.allOf ?? []).map((g) => g[0] as string)]) add(x, literal.length);
        }
      }
    }
    const order: [AnyRule, number][] = [];
    for (const r of this.rules) if (r.appliesTo.includes(kind)) order.push([r, literal.indexOf(r)]);
    const none: Triggered = Object.freeze({ rules: Object.freeze([...always]), skipped: Object.freeze([...literal]), embedded: alwaysEmbedded.size > 0 });
    k = { always, literal, automaton: new TermAutomaton([...termIds.keys()].map(termParts)), slotsOf, groupsOf, groups, alwaysEmbedded, order, none };
    this.byKind.set(key, k);
    return k;
  }

  /** The rules of `kind` that `text` triggers, in the index's rule order. */
  test(kind: FileKind, text: string): Triggered {
    const k = this.kindTriggers(kind, kind === 'patch' ? this.patchTargetKinds(text) : []);
    return this.answer(k, kind, (found) => k.automaton.scan(text, found));
  }

  /**
   * As `test`, over a text's UTF-8 bytes without its BOM (not decoded: the same answer,
   * test/term-scan.test.ts).
   */
  testBytes(kind: FileKind, bytes: Uint8Array): Triggered {
    const k = this.kindTriggers(kind, kind === 'patch' ? this.patchTargetKinds(new ByteText(bytes)) : []);
    return this.answer(k, kind, (found) => k.automaton.scanBytes(bytes, found));
  }

  /** As `test`, over a file's text, or its bytes while it is not decoded (decoding it only when the text is needed). */
  testFile(kind: FileKind, file: SourceFile): Triggered {
    const bytes = file.undecodedBytes;
    return bytes ? this.testBytes(kind, bytes) : this.test(kind, file.text);
  }

  private answer(k: KindTriggers, kind: FileKind, scan: (found: (term: number) => boolean) => void): Triggered {
    const slots = k.literal.length + (kind === 'patch' ? 1 : 0);
    if (slots === 0) return k.none;
    let hit: Uint8Array | undefined;
    let bits: Int32Array | undefined;
    let left = slots;
    scan((t) => {
      hit ??= new Uint8Array(slots);
      for (const slot of k.slotsOf[t] as number[]) {
        if (hit[slot]) continue;
        hit[slot] = 1;
        left--;
      }
      for (const [g, bit] of k.groupsOf[t] as [number, number][]) {
        bits ??= new Int32Array(k.groups.length);
        bits[g] = (bits[g] as number) | (1 << bit);
        const group = k.groups[g] as { slot: number; full: number };
        if (bits[g] === group.full && !hit[group.slot]) {
          hit[group.slot] = 1;
          left--;
        }
      }
      return left === 0;
    });
    if (!hit) return k.none;
    const embedded = kind === 'patch' && (hit[k.literal.length] === 1 || k.alwaysEmbedded.size > 0);
    const rules: AnyRule[] = [];
    const skipped: AnyRule[] = [];
    for (const [r, slot] of k.order) (slot < 0 || hit[slot] ? rules : skipped).push(r);
    return { rules, skipped, embedded };
  }

  /**
   * The kinds of a patch's targets, from its `+++ `/`--- ` file headers (a superset of the
   * targets the patch model reads: a removed line starting `-- ` counts too), sorted.
   */
  private patchTargetKinds(text: string | ByteText): FileKind[] {
    const kinds = new Set<FileKind>();
    for (const head of ['+++ ', '--- ']) {
      // each line (the patch lexer's: cut at \n) that starts with the header
      for (let at = text.startsWith(head) ? 0 : text.indexOf(`\n${head}`); at >= 0; at = text.indexOf(`\n${head}`, at + 1)) {
        const start = text.charCodeAt(at) === 10 ? at + 1 : at;
        const nl = text.indexOf('\n', start);
        const target = this.classify(patchTarget(text.slice(start, nl < 0 ? text.length : nl)));
        if (target) kinds.add(target);
      }
    }
    return ALL_KINDS.filter((k) => kinds.has(k));
  }

  /** The rules `always` for `kind`. */
  alwaysRules(kind: FileKind): readonly AnyRule[] {
    return this.kindTriggers(kind).always;
  }
}

const indexes = new WeakMap<readonly AnyRule[], TriggerIndex>();

/** The trigger index of a rule list (built once per list). */
export function triggerIndex(rules: readonly AnyRule[], classify: (path: string) => FileKind | undefined): TriggerIndex {
  let i = indexes.get(rules);
  if (!i) {
    i = new TriggerIndex(rules, classify);
    indexes.set(rules, i);
  }
  return i;
}
