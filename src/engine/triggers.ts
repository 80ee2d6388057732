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
import { ALL_KINDS } from '../types.js';
import { memoized } from './trigger-memo.js';

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

// ---------------------------------------------------------------------------------------------
// One pass over a text: an Aho-Corasick automaton over ASCII, case folded

/**
 * A dense automaton over the terms (lower-case ASCII): `next[state << 7 | c]`, negated (`~t`)
 * when some term ends at `t`; upper-case letters are folded as they are read, any character
 * ≥ 128 restarts it (no term has one).
 */
class TermAutomaton {
  private readonly next: Int32Array;
  /** Per state, the indexes of the terms that end there. */
  private readonly ends: (readonly number[] | undefined)[];

  /** Per term: the length of its text, and whether it must start (1) or end (2) a word. */
  private readonly lengths: Int32Array;
  private readonly bounds: Uint8Array;

  constructor(readonly terms: readonly string[]) {
    // the trie: child[state << 7 | c], -1 for none
    let child = new Int32Array(128 * 64).fill(-1);
    let n = 1;
    const ends: number[][] = [[]];
    /** Per state, the characters it has a child on (lower case ASCII: upper-case ones are never reached). */
    const kids: number[][] = [[]];
    this.lengths = new Int32Array(terms.length);
    this.bounds = new Uint8Array(terms.length);
    terms.forEach((t, ti) => {
      const { core: term, start, end } = termParts(t);
      this.lengths[ti] = term.length;
      this.bounds[ti] = (start ? 1 : 0) | (end ? 2 : 0);
      let s = 0;
      for (let k = 0; k < term.length; k++) {
        const c = term.charCodeAt(k);
        if (c >= 128) throw new Error(`trigger term '${term}' is not ASCII`);
        let u = child[(s << 7) | c] as number;
        if (u < 0) {
          if ((n + 1) << 7 > child.length) {
            const grown = new Int32Array(child.length * 2).fill(-1);
            grown.set(child);
            child = grown;
          }
          u = n++;
          ends.push([]);
          kids.push([]);
          child[(s << 7) | c] = u;
          if (!(c >= 65 && c <= 90)) (kids[s] as number[]).push(c);
        }
        s = u;
      }
      (ends[s] as number[]).push(ti);
    });
    // Breadth first, each state's row is its failure state's row (done before it: shallower) with
    // its own children written over it. Rows hold the transitions already folded (A-Z as a-z) and
    // marked (`~t` into a state where a term ends), so a row is copied whole, natively.
    const next = new Int32Array(n << 7);
    const fail = new Int32Array(n);
    const queue = new Int32Array(n);
    let tail = 0;
    /** Writes the transition of state `s` on `c` (lower case) into `t`, marked, and on its upper case. */
    const set = (s: number, c: number, t: number): void => {
      const v = (ends[t] as number[]).length ? ~t : t;
      next[(s << 7) | c] = v;
      if (c >= 97 && c <= 122) next[(s << 7) | (c - 32)] = v;
    };
    /** Enqueues `t`, reached from a state whose failure state steps to `f` on the same character. */
    const enqueue = (t: number, f: number): void => {
      fail[t] = f;
      // ends are merged as a state is enqueued: its failure state, shallower, was enqueued before it
      for (const e of ends[f] as number[]) (ends[t] as number[]).push(e);
      queue[tail++] = t;
    };
    for (const c of kids[0] as number[]) enqueue(child[c] as number, 0);
    for (const c of kids[0] as number[]) set(0, c, child[c] as number);
    for (let q = 0; q < tail; q++) {
      const s = queue[q] as number;
      const f = fail[s] as number;
      next.copyWithin(s << 7, f << 7, (f + 1) << 7);
      for (const c of kids[s] as number[]) {
        const t = child[(s << 7) | c] as number;
        const to = next[(f << 7) | c] as number;
        enqueue(t, to < 0 ? ~to : to);
        set(s, c, t);
      }
    }
    this.next = next;
    this.ends = ends.map((e) => (e.length ? [...new Set(e)] : undefined));
  }

  /**
   * Calls `found` with each term index that occurs in `text`, at most once each; stops early
   * when `found` returns true (nothing more to learn).
   */
  scan(text: string, found: (term: number) => boolean): void {
    if (this.terms.length === 0) return;
    const next = this.next;
    let seen: Uint8Array | undefined;
    let s = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      s = c < 128 ? (next[(s << 7) | c] as number) : 0;
      if (s >= 0) continue;
      s = ~s;
      seen ??= new Uint8Array(this.terms.length);
      for (const t of this.ends[s] as number[]) {
        if (seen[t]) continue;
        const b = this.bounds[t] as number;
        if (b !== 0 && ((b & 1 && isWordChar(text.charCodeAt(i - (this.lengths[t] as number)))) || (b & 2 && isWordChar(text.charCodeAt(i + 1))))) continue;
        seen[t] = 1;
        if (found(t)) return;
      }
    }
  }
}

/** An ASCII letter or digit (NaN, past either end of the text, is none). */
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

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
    const key = [kind, ...embeddedKinds].join(' ');
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
    k = { always, literal, automaton: new TermAutomaton([...termIds.keys()]), slotsOf, groupsOf, groups, alwaysEmbedded };
    this.byKind.set(key, k);
    return k;
  }

  /** The rules of `kind` that `text` triggers, in the index's rule order. */
  test(kind: FileKind, text: string): Triggered {
    const k = this.kindTriggers(kind, kind === 'patch' ? this.patchTargetKinds(text) : []);
    const slots = k.literal.length + (kind === 'patch' ? 1 : 0);
    const hit = new Uint8Array(slots);
    const bits = new Int32Array(k.groups.length);
    let left = slots;
    const fill = (slot: number): void => {
      if (hit[slot]) return;
      hit[slot] = 1;
      left--;
    };
    if (left > 0) {
      k.automaton.scan(text, (t) => {
        for (const slot of k.slotsOf[t] as number[]) fill(slot);
        for (const [g, bit] of k.groupsOf[t] as [number, number][]) {
          bits[g] = (bits[g] as number) | (1 << bit);
          const group = k.groups[g] as { slot: number; full: number };
          if (bits[g] === group.full) fill(group.slot);
        }
        return left === 0;
      });
    }
    const embedded = kind === 'patch' && (hit[k.literal.length] === 1 || k.alwaysEmbedded.size > 0);
    const on = new Set<AnyRule>(k.always);
    k.literal.forEach((r, i) => {
      if (hit[i]) on.add(r);
    });
    const rules: AnyRule[] = [];
    const skipped: AnyRule[] = [];
    for (const r of this.rules) {
      if (!r.appliesTo.includes(kind)) continue;
      if (on.has(r)) rules.push(r);
      else skipped.push(r);
    }
    return { rules, skipped, embedded };
  }

  /**
   * The kinds of a patch's targets, from its `+++ `/`--- ` file headers (a superset of the
   * targets the patch model reads: a removed line starting `-- ` counts too), sorted.
   */
  private patchTargetKinds(text: string): FileKind[] {
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
