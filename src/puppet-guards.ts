/**
 * Puppet manifests and ERB/EPP templates read for arch guards (DESIGN §2): selectors
 * (`$facts['os']['architecture'] ? { 'amd64' => …, default => … }`), `case … { 'amd64': {…} }`,
 * `if`/`elsif`/`else`/`unless` on arch facts (`==`, `!=`, `in [...]`, `=~ /…/`), and in ERB the
 * Ruby forms (`<% if @architecture == 'amd64' -%>`, `case`/`when`, `unless`, `end`).
 *
 * Facter's vocabulary on Debian is uneven, so tests are evaluated against what Facter really
 * says there: `architecture` (`$::architecture`, `$facts['os']['architecture']`) is `amd64` on
 * x86-64 (Debian renames x86_64) but `aarch64` on arm64 (uname -m, unrenamed); `hardwaremodel`
 * (`$facts['os']['hardware']`) is uname -m: `x86_64`, `aarch64`. `processors.isa` is `uname -p`
 * (`unknown` on Debian) and guards nothing. A value no arch's Facter says (`$::architecture ==
 * 'arm64'`) is a dead test: its branch is reached by no arch, and the value is recorded so
 * ambiguous-arch-match can report it when nothing else in the same construct covers that arch.
 *
 * In template text, dnsmasq `dhcp-boot=tag:…` lines are narrowed by the client arches their
 * tags match (`dhcp-match=set:bios,option:client-arch,0`: x86 BIOS; RFC 4578 arch types).
 * What the reader does not understand guards nothing; it never throws.
 */
import { ARCH_NAMES, type ArchName } from './arch.js';
import type { GuardRegion } from './guards.js';
import { PUPPET_COMMENT_TYPES, tokenizePuppet, tokenizeTemplate } from './lexers/puppet.js';
import type { Token } from './lexers/token.js';
import { archesMatchingFragment, archesNamedBy } from './python-guards.js';

/** Which Facter fact a test reads. */
export type ArchFact = 'architecture' | 'hardwaremodel';
/** Facts a test may read: the arch facts, and the OS (a RedHat branch is reached by no Debian build). */
type GuardFact = ArchFact | 'osfamily' | 'osname';
const isArchFact = (f: GuardFact): f is ArchFact => f === 'architecture' || f === 'hardwaremodel';

/** What Facter says on Debian, per arch (first: the value; the rest: spellings read as the same arch). */
const FACTER: Record<ArchFact, Partial<Record<ArchName, string[]>>> = {
  // facter lib/facts/debian/os/architecture.rb: uname -m, x86_64 renamed amd64, i[3456]86 renamed i386.
  // `x86_64` is read as amd64 too: portable manifests list both (it is what Facter says on Red Hat).
  architecture: {
    amd64: ['amd64', 'x86_64'], arm64: ['aarch64'], i386: ['i386'], armhf: ['armv7l'], armel: ['armv5tel'],
    ppc64el: ['ppc64le'], s390x: ['s390x'], riscv64: ['riscv64'], mips64el: ['mips64'], loong64: ['loongarch64'],
  },
  hardwaremodel: {
    amd64: ['x86_64'], arm64: ['aarch64'], i386: ['i686', 'i586', 'i486', 'i386'], armhf: ['armv7l'], armel: ['armv5tel'],
    ppc64el: ['ppc64le'], s390x: ['s390x'], riscv64: ['riscv64'], mips64el: ['mips64'], loong64: ['loongarch64'],
  },
};

/** The value Facter reports for `fact` on `arch` (Debian). */
export function facterSays(fact: ArchFact, arch: ArchName): string | undefined {
  return FACTER[fact][arch]?.[0];
}

/** How a fact is written in a message. */
export const FACT_SPELLING: Record<ArchFact, string> = {
  architecture: "$facts['os']['architecture']",
  hardwaremodel: "$facts['os']['hardware']",
};

/** A test value (string or regex) that no arch's Facter value matches, though it names an arch. */
export interface DeadValue {
  start: number;
  end: number;
  value: string;
  regex: boolean;
  fact: ArchFact;
  /** The arches the value names (`arm64` names arm64), none of which it matches. */
  names: ArchName[];
  /** The arches the rest of its construct (if-chain, case, selector) matches. */
  covered: ReadonlySet<ArchName>;
}

export interface PuppetModel {
  tokens: Token[];
  comments: Token[];
  template: boolean;
  regions: GuardRegion[];
  tests: [number, number][];
  dead: DeadValue[];
  /** Bracket groups `[…]`, `{…}`: [start, end) (a hash or array naming every arch is a mapping). */
  groups: [number, number][];
  /** Spans whose literals are data or code: strings, words, heredocs, template text. */
  literalSpans: [number, number][];
  /** String tokens just after `=` or `=>`, where an expression (a selector) may stand instead. */
  valueStrings: Token[];
}

const SKIP = new Set(['ws', 'newline', 'comment', 'blockComment', 'textComment', 'text', 'literalOpen', 'commentOpen', 'tagOpen', 'tagClose']);
const ALL = (): Set<ArchName> => new Set(ARCH_NAMES);
const inter = (a: ReadonlySet<ArchName>, b: ReadonlySet<ArchName>): Set<ArchName> => new Set([...a].filter((x) => b.has(x)));
const union = (a: ReadonlySet<ArchName>, b: ReadonlySet<ArchName>): Set<ArchName> => new Set([...a, ...b]);
const minus = (a: ReadonlySet<ArchName>): Set<ArchName> => new Set(ARCH_NAMES.filter((x) => !a.has(x)));
const end = (t: Token): number => t.offset + t.text.length;

/** The text of a quoted string without interpolation, or undefined. */
function stringValue(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.type === 'sqstring' && /^'.*'$/s.test(t.text)) return t.text.slice(1, -1).replace(/\\(['\\])/g, '$1');
  if (t.type === 'dqstring' && /^".*"$/s.test(t.text) && !/[$#]\{|\$[A-Za-z:]/.test(t.text)) return t.text.slice(1, -1);
  return undefined;
}

/** Arches whose Facter value for `fact` equals `value` (Puppet's `==` ignores case) or matches the regex. */
function matching(fact: GuardFact, value: string, regex: boolean): Set<ArchName> | undefined {
  let re: RegExp | undefined;
  if (regex) {
    try {
      re = new RegExp(value);
    } catch {
      return undefined;
    }
  }
  // A Debian build says osfamily `Debian`, os name `Debian`, on every arch; any other value on none.
  if (!isArchFact(fact)) return (re ? re.test('Debian') : value.toLowerCase() === 'debian') ? ALL() : new Set();
  const out = new Set<ArchName>();
  for (const a of ARCH_NAMES) {
    const says = FACTER[fact][a] ?? [];
    if (says.some((s) => (re ? re.test(s) : s === value.toLowerCase()))) out.add(a);
  }
  return out;
}

/** Arches a test value names: the string itself, or the words of a regex. */
function named(value: string, regex: boolean): Set<ArchName> {
  if (!regex) return archesNamedBy(value);
  let out = new Set<ArchName>();
  for (const w of value.match(/[A-Za-z0-9_]+/g) ?? []) out = union(out, archesNamedBy(w));
  return out;
}

/** Legacy top-scope facts (`$::architecture`, `@osfamily`, `$facts['hardwaremodel']`). */
const LEGACY_FACTS: Record<string, GuardFact | undefined> = {
  architecture: 'architecture', hardwaremodel: 'hardwaremodel', osfamily: 'osfamily', operatingsystem: 'osname',
};
/** Structured facts under `os` (`$facts['os']['architecture']`). */
const OS_FACTS: Record<string, GuardFact | undefined> = {
  architecture: 'architecture', hardware: 'hardwaremodel', family: 'osfamily', name: 'osname',
};

/** Arches a regex seems to mean: each word of 3+ letters that starts an arch's spelling (`arm` → arm64, armhf, armel). */
function hinted(source: string): Set<ArchName> {
  const out = new Set<ArchName>();
  for (const w of source.match(/[A-Za-z][A-Za-z0-9_]{2,}/g) ?? []) for (const a of archesMatchingFragment(w, 'prefix')) out.add(a);
  return out;
}

interface Cond {
  then: Set<ArchName>;
  else: Set<ArchName>;
  known: boolean;
}
const UNKNOWN = (): Cond => ({ then: ALL(), else: ALL(), known: false });

/** One guard construct (an if-chain, a case, a selector): what its values match, which are dead. */
class Construct {
  matched = new Set<ArchName>();
  readonly candidates: Omit<DeadValue, 'covered'>[] = [];

  constructor(private readonly model: PuppetModel) {}

  /** The arches a value of `fact` matches; records dead candidates. */
  value(fact: GuardFact, tok: Token): Set<ArchName> | undefined {
    const regex = tok.type === 'regex';
    const raw = regex ? tok.text.slice(1, -1) : stringValue(tok) ?? (tok.type === 'word' ? tok.text : undefined);
    if (raw === undefined) return undefined;
    const set = matching(fact, raw, regex);
    if (!set || !isArchFact(fact)) return set;
    this.matched = union(this.matched, set);
    const names = named(raw, regex);
    if (set.size === 0 && names.size > 0) this.candidates.push({ start: tok.offset, end: end(tok), value: raw, regex, fact, names: [...names] });
    else if (regex) {
      // `/arm/` reads as "any ARM" but misses arm64, whose Facter value is aarch64.
      const missed = [...hinted(raw)].filter((a) => !set.has(a));
      if (set.size > 0 && missed.length) this.candidates.push({ start: tok.offset, end: end(tok), value: raw, regex, fact, names: missed });
    }
    return set;
  }

  close(): void {
    for (const c of this.candidates) this.model.dead.push({ ...c, covered: this.matched });
  }
}

/** Reads Puppet (manifest, EPP) and Ruby (ERB) code tokens for arch facts and tests. */
class Reader {
  /** Variables assigned from an arch fact: `$arch = $facts['os']['architecture']`. */
  readonly aliases = new Map<string, GuardFact>();
  readonly match: number[];

  constructor(private readonly toks: Token[], private readonly model: PuppetModel, private readonly ruby: boolean) {
    this.match = new Array<number>(toks.length).fill(-1);
    const stack: number[] = [];
    toks.forEach((t, i) => {
      if (t.type === 'open') stack.push(i);
      else if (t.type === 'close') {
        const o = stack.pop();
        if (o !== undefined) {
          this.match[o] = i;
          this.match[i] = o;
          if (t.text !== ')') model.groups.push([(toks[o] as Token).offset, end(t)]);
        }
      }
    });
  }

  private t(i: number): Token | undefined {
    return this.toks[i];
  }

  private is(i: number, type: string, text?: string): boolean {
    const t = this.toks[i];
    return !!t && t.type === type && (text === undefined || t.text === text);
  }

  /** The index chain `['os']['architecture']` from i: keys and the index after it. */
  private keys(i: number): { keys: string[]; next: number } {
    const keys: string[] = [];
    let j = i;
    while (this.is(j, 'open', '[') && this.match[j] === j + 2) {
      const k = stringValue(this.t(j + 1));
      if (k === undefined) break;
      keys.push(k.replace(/^::/, ''));
      j += 3;
    }
    return { keys, next: j };
  }

  /** An arch fact expression starting at token i: which fact, and the index after it. */
  fact(i: number): { fact: GuardFact; next: number } | undefined {
    const t = this.t(i);
    if (!t) return undefined;
    const byName = (name: string): GuardFact | undefined => (Object.hasOwn(LEGACY_FACTS, name) ? LEGACY_FACTS[name] : undefined);
    const byKeys = (keys: string[]): GuardFact | undefined => {
      const k = keys[0] === 'facts' ? keys.slice(1) : keys;
      if (k.length === 1) return byName(k[0] as string);
      if (k.length === 2 && k[0] === 'os' && Object.hasOwn(OS_FACTS, k[1] as string)) return OS_FACTS[k[1] as string];
      return undefined;
    };
    if (t.type === 'variable' || t.type === 'ivar') {
      const name = t.text.replace(/^[$@]+(?:::)?/, '');
      const { keys, next } = this.keys(i + 1);
      if (keys.length === 0) {
        const f = byName(name) ?? this.aliases.get(name);
        return f ? { fact: f, next } : undefined;
      }
      const f = name === 'facts' || name === 'os' ? byKeys(name === 'os' ? ['os', ...keys] : keys) : undefined;
      return f ? { fact: f, next } : undefined;
    }
    if (t.type === 'word' && this.ruby) {
      // scope['::architecture'], scope['facts']['os']['architecture'], scope.lookupvar('::architecture')
      if (t.text === 'scope') {
        const { keys, next } = this.keys(i + 1);
        const f = keys.length ? byKeys(keys) : undefined;
        if (f) return { fact: f, next };
        if (this.is(i + 1, 'op', '.') && this.is(i + 2, 'word', 'lookupvar') && this.is(i + 3, 'open', '(') && this.match[i + 3] === i + 5) {
          const v = stringValue(this.t(i + 4));
          const g = v ? byName(v.replace(/^::/, '')) : undefined;
          if (g) return { fact: g, next: i + 6 };
        }
        return undefined;
      }
      const f = this.aliases.get(t.text);
      if (f && !this.is(i + 1, 'op', '=')) return { fact: f, next: i + 1 };
    }
    return undefined;
  }

  /** Records `$arch = <fact>` (Puppet) and `arch = <fact>` (Ruby) aliases, before any test reads them. */
  findAliases(): void {
    for (let i = 0; i + 2 < this.toks.length; i++) {
      const t = this.toks[i] as Token;
      if (!(t.type === 'variable' || (this.ruby && t.type === 'word')) || !this.is(i + 1, 'op', '=')) continue;
      const f = this.fact(i + 2);
      const after = this.t(f?.next ?? 0);
      // Only a plain assignment: `$arch = $facts['os']['architecture']` and nothing more on it.
      if (f && (!after || !['op'].includes(after.type) || [';', ','].includes(after.text))) {
        this.aliases.set(t.text.replace(/^\$(?:::)?/, ''), f.fact);
      }
    }
  }

  private valueToks(i: number, j: number): Token[] | undefined {
    // A single value, or an array of values [ 'a', 'b' ]
    if (j - i === 1) return [this.t(i) as Token];
    if (this.is(i, 'open', '[') && this.match[i] === j - 1) {
      const vals: Token[] = [];
      for (let k = i + 1; k < j - 1; k++) {
        if (this.is(k, 'op', ',')) continue;
        vals.push(this.t(k) as Token);
      }
      return vals;
    }
    return undefined;
  }

  private mark(i: number, j: number): void {
    const a = this.t(i);
    const b = this.t(j - 1);
    if (a && b) this.model.tests.push([a.offset, end(b)]);
  }

  /** Splits [i, j) at depth-0 tokens matching `pred`. */
  private split(i: number, j: number, pred: (t: Token) => boolean): [number, number][] {
    const out: [number, number][] = [];
    let s = i;
    for (let k = i; k < j; k++) {
      const t = this.t(k) as Token;
      if (t.type === 'open' && (this.match[k] as number) > k) {
        k = this.match[k] as number;
        continue;
      }
      if (pred(t)) {
        out.push([s, k]);
        s = k + 1;
      }
    }
    out.push([s, j]);
    return out;
  }

  /** Reads the condition [i, j) as an arch test. */
  cond(i: number, j: number, c: Construct): Cond {
    if (i >= j) return UNKNOWN();
    const ors = this.split(i, j, (t) => (t.type === 'word' && t.text === 'or') || (t.type === 'op' && t.text === '||'));
    if (ors.length > 1) {
      const rs = ors.map(([a, b]) => this.cond(a, b, c));
      return { then: rs.map((r) => r.then).reduce(union), else: rs.map((r) => r.else).reduce(inter), known: rs.some((r) => r.known) };
    }
    const ands = this.split(i, j, (t) => (t.type === 'word' && t.text === 'and') || (t.type === 'op' && t.text === '&&'));
    if (ands.length > 1) {
      const rs = ands.map(([a, b]) => this.cond(a, b, c));
      return { then: rs.map((r) => r.then).reduce(inter), else: rs.map((r) => r.else).reduce(union), known: rs.some((r) => r.known) };
    }
    if (this.is(i, 'op', '!') || this.is(i, 'word', 'not')) {
      const r = this.cond(i + 1, j, c);
      return { then: r.else, else: r.then, known: r.known };
    }
    if (this.is(i, 'open', '(') && this.match[i] === j - 1) return this.cond(i + 1, j - 1, c);
    return this.comparison(i, j, c);
  }

  private comparison(i: number, j: number, c: Construct): Cond {
    // Ruby: ['amd64', 'x86_64'].include?(@architecture)
    if (this.ruby && this.is(i, 'open', '[')) {
      const close = this.match[i] as number;
      if (close > i && this.is(close + 1, 'op', '.') && this.is(close + 2, 'word', 'include') && this.is(close + 3, 'op', '?') && this.is(close + 4, 'open', '(')) {
        const f = this.fact(close + 5);
        if (f && f.next === (this.match[close + 4] as number) && f.next === j - 1) return this.test(f.fact, 'in', i, close + 1, i, j, c);
      }
      return UNKNOWN();
    }
    let f = this.fact(i);
    if (f) {
      const op = this.t(f.next);
      if (!op) return UNKNOWN();
      const how = op.type === 'word' && op.text === 'in' ? 'in' : op.type === 'op' && ['==', '!=', '=~', '!~'].includes(op.text) ? op.text : undefined;
      if (!how) return UNKNOWN();
      return this.test(f.fact, how, f.next + 1, j, i, j, c);
    }
    // 'amd64' == $::architecture
    const opAt = i + 1;
    const op = this.t(opAt);
    if (op?.type === 'op' && (op.text === '==' || op.text === '!=')) {
      f = this.fact(opAt + 1);
      if (f && f.next === j) return this.test(f.fact, op.text, i, opAt, i, j, c);
    }
    return UNKNOWN();
  }

  /** A test of `fact` against the values in [vi, vj); [ti, tj) is the whole test. */
  private test(fact: GuardFact, how: string, vi: number, vj: number, ti: number, tj: number, c: Construct): Cond {
    const vals = this.valueToks(vi, vj);
    if (!vals || vals.length === 0) return UNKNOWN();
    if ((how === '=~' || how === '!~') !== vals.every((v) => v.type === 'regex')) return UNKNOWN();
    let set = new Set<ArchName>();
    for (const v of vals) {
      const s = c.value(fact, v);
      if (!s) return UNKNOWN();
      set = union(set, s);
    }
    this.mark(ti, tj);
    const neg = how === '!=' || how === '!~';
    return { then: neg ? minus(set) : set, else: neg ? set : minus(set), known: true };
  }

  private region(start: number, stop: number, arches: ReadonlySet<ArchName>, positive: boolean): void {
    // A branch every arch reaches (`if $facts['os']['family'] == 'Debian'`) narrows nothing.
    if (stop > start && arches.size < ARCH_NAMES.length) this.model.regions.push({ start, end: stop, arches, positive, subject: 'host' });
  }

  /** The index of the first depth-0 `{` in [i, …), or -1. */
  private braceFrom(i: number): number {
    for (let k = i; k < this.toks.length; k++) {
      const t = this.toks[k] as Token;
      if (t.type === 'open' && t.text === '{') return k;
      if (t.type === 'open' && (this.match[k] as number) > k) k = this.match[k] as number;
      if (t.type === 'close') return -1;
    }
    return -1;
  }

  /** Puppet syntax (manifests, EPP): if/elsif/else/unless, case, selectors. */
  walkPuppet(): void {
    for (let i = 0; i < this.toks.length; i++) {
      const t = this.toks[i] as Token;
      if (t.type === 'word' && (t.text === 'if' || t.text === 'unless')) this.ifChain(i);
      else if (t.type === 'word' && t.text === 'case') this.puppetCase(i);
      else if (t.type === 'op' && t.text === '?' && this.is(i + 1, 'open', '{')) this.selector(i);
    }
  }

  private ifChain(i: number): void {
    const c = new Construct(this.model);
    let remaining = ALL();
    let k = i;
    let negate = this.is(i, 'word', 'unless');
    for (;;) {
      const open = this.braceFrom(k + 1);
      const close = open >= 0 ? (this.match[open] as number) : -1;
      if (close < 0) break;
      const r = this.cond(k + 1, open, c);
      const thenSet = negate ? r.else : r.then;
      const elseSet = negate ? r.then : r.else;
      if (r.known) this.region((this.t(open) as Token).offset, end(this.t(close) as Token), inter(thenSet, remaining), true);
      remaining = r.known ? inter(remaining, elseSet) : remaining;
      const known = r.known;
      negate = false;
      if (this.is(close + 1, 'word', 'elsif')) {
        k = close + 1;
        continue;
      }
      const eclose = this.is(close + 1, 'word', 'else') && this.is(close + 2, 'open', '{') ? (this.match[close + 2] as number) : -1;
      if (eclose > close + 2) {
        if (known || remaining.size < ARCH_NAMES.length) this.region((this.t(close + 2) as Token).offset, end(this.t(eclose) as Token), remaining, false);
      }
      break;
    }
    c.close();
  }

  private puppetCase(i: number): void {
    const f = this.fact(i + 1);
    if (!f || !this.is(f.next, 'open', '{')) return;
    const open = f.next;
    const close = this.match[open] as number;
    if (close < open) return;
    const c = new Construct(this.model);
    let remaining = ALL();
    let k = open + 1;
    while (k < close) {
      // options … ':' '{' body '}'
      let colon = k;
      while (colon < close && !this.is(colon, 'op', ':')) colon++;
      if (colon >= close || !this.is(colon + 1, 'open', '{')) break;
      const body = colon + 1;
      const bodyClose = this.match[body] as number;
      // An unclosed body (a patch hunk's fragment): nothing more to read here.
      if (bodyClose <= body) break;
      let set: Set<ArchName> | undefined = new Set();
      let isDefault = false;
      for (const [a, b] of this.split(k, colon, (t) => t.type === 'op' && t.text === ',')) {
        if (b - a === 1 && this.is(a, 'word', 'default')) {
          isDefault = true;
          continue;
        }
        const vals = this.valueToks(a, b);
        for (const v of vals ?? []) {
          const s: Set<ArchName> | undefined = set ? c.value(f.fact, v) : undefined;
          set = s && set ? union(set, s) : undefined;
        }
        if (!vals) set = undefined;
      }
      if (set) this.mark(k, colon);
      const reach = isDefault ? remaining : set ? inter(set, remaining) : ALL();
      if (isDefault || set) this.region((this.t(body) as Token).offset, end(this.t(bodyClose) as Token), reach, !isDefault);
      if (set) remaining = inter(remaining, minus(set));
      k = bodyClose + 1;
    }
    c.close();
  }

  private selector(q: number): void {
    // Find the fact expression that ends right before `?`.
    let f: { fact: GuardFact; next: number } | undefined;
    for (let s = Math.max(0, q - 10); s < q && !f; s++) {
      const g = this.fact(s);
      if (g && g.next === q) f = g;
    }
    if (!f) return;
    const open = q + 1;
    const close = this.match[open] as number;
    if (close < open) return;
    const c = new Construct(this.model);
    let remaining = ALL();
    for (const [a, b] of this.split(open + 1, close, (t) => t.type === 'op' && t.text === ',')) {
      let arrow = a;
      while (arrow < b && !this.is(arrow, 'op', '=>')) arrow++;
      if (arrow >= b || arrow + 1 >= b) continue;
      let set: Set<ArchName> | undefined;
      const isDefault = arrow - a === 1 && this.is(a, 'word', 'default');
      if (!isDefault) {
        const vals = this.valueToks(a, arrow);
        set = new Set();
        for (const v of vals ?? []) {
          const s: Set<ArchName> | undefined = set ? c.value(f.fact, v) : undefined;
          set = s && set ? union(set, s) : undefined;
        }
        if (!vals) set = undefined;
        if (set) this.mark(a, arrow);
      }
      const start = (this.t(arrow + 1) as Token).offset;
      const stop = end(this.t(b - 1) as Token);
      if (isDefault) this.region(start, stop, remaining, false);
      else if (set) this.region(start, stop, inter(set, remaining), true);
      if (set) remaining = inter(remaining, minus(set));
    }
    c.close();
  }

  /** Ruby syntax (ERB): if/elsif/else/unless/case/when … end, one statement per tag or line. */
  walkRuby(all: Token[]): void {
    // Statement starts: after a tag opens, a newline, `;`, `then`.
    const starts = new Set<number>();
    let prevSep = true;
    let ci = 0;
    for (const t of all) {
      if (['tagOpen', 'newline'].includes(t.type) || (t.type === 'op' && t.text === ';')) {
        prevSep = true;
        continue;
      }
      if (SKIP.has(t.type)) continue;
      if (prevSep) starts.add(ci);
      prevSep = t.type === 'word' && t.text === 'then';
      ci++;
    }
    // Where each statement's condition ends (the next separator): by offsets of separators.
    const seps = all.filter((t) => ['tagClose', 'newline'].includes(t.type) || (t.type === 'op' && t.text === ';')).map((t) => t.offset);
    const condEnd = (i: number): number => {
      const from = (this.t(i) as Token).offset;
      const sep = seps.find((o) => o > from) ?? Infinity;
      let k = i + 1;
      while (k < this.toks.length && (this.t(k) as Token).offset < sep && !this.is(k, 'word', 'then')) k++;
      return k;
    };
    interface Frame {
      kind: 'if' | 'case' | 'other';
      c?: Construct;
      fact?: GuardFact;
      remaining: Set<ArchName>;
      /** The open branch: its start offset and arches. */
      branch?: { start: number; arches: Set<ArchName>; positive: boolean };
    }
    const stack: Frame[] = [];
    const closeBranch = (fr: Frame, at: number): void => {
      if (fr.branch) this.region(fr.branch.start, at, fr.branch.arches, fr.branch.positive);
      fr.branch = undefined;
    };
    const OPENERS = new Set(['while', 'until', 'for', 'begin', 'def', 'class', 'module']);
    for (let i = 0; i < this.toks.length; i++) {
      const t = this.toks[i] as Token;
      if (t.type !== 'word') continue;
      const first = starts.has(i);
      const top = stack[stack.length - 1];
      if ((t.text === 'if' || t.text === 'unless') && first) {
        const c = new Construct(this.model);
        const e = condEnd(i);
        const r = this.cond(i + 1, e, c);
        const thenSet = t.text === 'unless' ? r.else : r.then;
        const elseSet = t.text === 'unless' ? r.then : r.else;
        const start = end(this.t(e - 1) as Token);
        stack.push({ kind: 'if', c, remaining: r.known ? elseSet : ALL(), ...(r.known ? { branch: { start, arches: thenSet, positive: true } } : {}) });
      } else if (t.text === 'elsif' && top?.kind === 'if' && top.c) {
        closeBranch(top, t.offset);
        const e = condEnd(i);
        const r = this.cond(i + 1, e, top.c);
        if (r.known) top.branch = { start: end(this.t(e - 1) as Token), arches: inter(r.then, top.remaining), positive: true };
        if (r.known) top.remaining = inter(top.remaining, r.else);
      } else if (t.text === 'else' && top && top.kind !== 'other') {
        closeBranch(top, t.offset);
        if (top.remaining.size < ARCH_NAMES.length) top.branch = { start: end(t), arches: top.remaining, positive: false };
      } else if (t.text === 'case' && first) {
        const f = this.fact(i + 1);
        stack.push({ kind: 'case', remaining: ALL(), ...(f ? { fact: f.fact, c: new Construct(this.model) } : {}) });
      } else if (t.text === 'when' && top?.kind === 'case') {
        closeBranch(top, t.offset);
        const e = condEnd(i);
        if (!top.fact || !top.c) continue;
        let set: Set<ArchName> | undefined = new Set();
        for (const [a, b] of this.split(i + 1, e, (x) => x.type === 'op' && x.text === ',')) {
          const s: Set<ArchName> | undefined = b - a === 1 && set ? top.c.value(top.fact, this.t(a) as Token) : undefined;
          set = s && set ? union(set, s) : undefined;
        }
        if (set) {
          this.mark(i + 1, e);
          top.branch = { start: end(this.t(e - 1) as Token), arches: inter(set, top.remaining), positive: true };
          top.remaining = inter(top.remaining, minus(set));
        }
      } else if (t.text === 'end' && top) {
        closeBranch(top, t.offset);
        top.c?.close();
        stack.pop();
      } else if ((OPENERS.has(t.text) && first) || t.text === 'do') {
        stack.push({ kind: 'other', remaining: ALL() });
      }
    }
    for (const fr of stack) fr.c?.close();
  }
}

/** dnsmasq: `dhcp-match=set:TAG,option:client-arch,N` (RFC 4578 arch types) and the lines using `tag:TAG`. */
const CLIENT_ARCH: Record<string, ArchName[]> = {
  0: ['amd64', 'i386'], 6: ['i386'], 7: ['amd64'], 9: ['amd64'], 10: ['armhf', 'armel'], 11: ['arm64'],
  2: [], 3: [], 1: [], 4: [], 5: [], 8: [],
};

function dhcpClientRegions(text: string, model: PuppetModel): void {
  const tags = new Map<string, Set<ArchName>>();
  for (const m of text.matchAll(/^[ \t]*dhcp-match=set:([\w-]+),option:client-arch,(\d+)[ \t]*$/gm)) {
    const arches = CLIENT_ARCH[m[2] as string];
    const tag = m[1] as string;
    if (!arches) tags.set(tag, ALL());
    else tags.set(tag, union(tags.get(tag) ?? new Set(), new Set(arches)));
  }
  if (tags.size === 0) return;
  for (const m of text.matchAll(/^[ \t]*dhcp-(?:boot|option)=((?:tag:[\w-]+,)+)[^\r\n]*/gm)) {
    let set = ALL();
    for (const t of (m[1] as string).matchAll(/tag:([\w-]+)/g)) {
      const s = tags.get(t[1] as string);
      if (s) set = inter(set, s);
    }
    if (set.size < ARCH_NAMES.length) model.regions.push({ start: m.index, end: m.index + m[0].length, arches: set, positive: true, subject: 'host' });
  }
}

/** Reads a manifest (`template` false) or an ERB/EPP template: tokens, comments and arch guards. */
export function parsePuppet(text: string, flavour: 'manifest' | 'erb' | 'epp'): PuppetModel {
  const template = flavour !== 'manifest';
  const tokens = template ? tokenizeTemplate(text) : tokenizePuppet(text);
  const model: PuppetModel = {
    tokens,
    comments: [],
    template,
    regions: [],
    tests: [],
    dead: [],
    groups: [],
    literalSpans: [],
    valueStrings: [],
  };
  // one pass over the tokens: comments, code tokens, literal spans, and strings assigned (`=`, `=>`)
  const code: Token[] = [];
  let prev: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const type = t.type;
    if (PUPPET_COMMENT_TYPES.includes(type)) model.comments.push(t);
    if (type === 'sqstring' || type === 'dqstring' || type === 'heredoc' || type === 'word' || type === 'text') model.literalSpans.push([t.offset, end(t)]);
    if (SKIP.has(type)) continue;
    if ((type === 'sqstring' || type === 'dqstring') && prev?.type === 'op' && (prev.text === '=' || prev.text === '=>')) model.valueStrings.push(t);
    code.push(t);
    prev = t;
  }
  const reader = new Reader(code, model, flavour === 'erb');
  reader.findAliases();
  if (flavour === 'erb') reader.walkRuby(tokens);
  else reader.walkPuppet();
  if (template) dhcpClientRegions(text, model);
  return model;
}
