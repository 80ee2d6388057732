/**
 * Arch guards in shell text: `case "$(dpkg-architecture -qDEB_HOST_ARCH)" in amd64) … ;; esac`,
 * `if [ "$(uname -m)" = x86_64 ]; then … else … fi`, `[ "$ARCH" = aarch64 ] && …`, also through
 * a variable assigned from one of those (or set per arch in such a guard: `x86_64) ARCH=amd64 ;;`).
 * Used for make recipe lines, shell files, kickstart sections and Dockerfile RUN lines.
 * The scanner is deliberately small: it reads words, quotes, substitutions and operators, and
 * never fails (what it does not understand simply guards nothing).
 */
import { ARCHES, archesWithValue, spellings, type ArchName, type ArchValueKind } from './arch.js';
import { complement, type GuardRegion } from './guards.js';
import { archCommand, archVariable, type VarSubject } from './make-expr.js';

interface ShWord {
  type: 'word' | 'op' | 'nl';
  text: string;
  start: number;
  end: number;
}

/** Tokenizes shell text into words and control operators. `$$` (make's escape) counts as `$`. */
function shellWords(text: string): ShWord[] {
  const out: ShWord[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      out.push({ type: 'nl', text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (text.slice(i, i + 3) === ';;&') {
      out.push({ type: 'op', text: ';;&', start: i, end: i + 3 });
      i += 3;
      continue;
    }
    if (two === ';;' || two === ';&' || two === '&&' || two === '||') {
      out.push({ type: 'op', text: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (';&|()'.includes(c)) {
      out.push({ type: 'op', text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    const start = i;
    while (i < n) {
      const d = text[i] as string;
      if (/[\s;&|()]/.test(d)) break;
      if (d === '\\') {
        i += 2;
        continue;
      }
      if (d === "'") {
        const close = text.indexOf(d, i + 1);
        i = close < 0 ? n : close + 1;
        continue;
      }
      if (d === '"' || d === '`') {
        // backslash escapes and `$(…)`/`${…}` inside (which may hold quotes: "${1//\"/}")
        let k = i + 1;
        while (k < n && text[k] !== d) {
          if (text[k] === '\\') k += 2;
          else if (d === '"' && text[k] === '$' && (text[k + 1] === '(' || text[k + 1] === '{')) {
            const close = closeOf(text, k + 1);
            k = close < 0 ? n : close + 1;
          } else k++;
        }
        i = Math.min(n, k + 1);
        continue;
      }
      if (d === '$' && (text[i + 1] === '(' || text[i + 1] === '{' || (text[i + 1] === '$' && (text[i + 2] === '(' || text[i + 2] === '{')))) {
        const open = text[i + 1] === '$' ? i + 2 : i + 1;
        const close = closeOf(text, open);
        i = close < 0 ? n : close + 1;
        continue;
      }
      i++;
    }
    out.push({ type: 'word', text: text.slice(start, i), start, end: i });
  }
  return out;
}

function closeOf(s: string, open: number): number {
  const o = s[open];
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') i++;
    else if (ch === "'" && o === '(') {
      const q = s.indexOf("'", i + 1);
      if (q < 0) return -1;
      i = q;
    } else if (ch === '"') {
      // a double-quoted string may hold quotes of the other kind and its own $(…)
      let k = i + 1;
      while (k < s.length && s[k] !== '"') {
        if (s[k] === '\\') k += 2;
        else if (s[k] === '$' && (s[k + 1] === '(' || s[k + 1] === '{')) {
          const close = closeOf(s, k + 1);
          if (close < 0) return -1;
          k = close + 1;
        } else k++;
      }
      i = k;
    } else if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i;
  }
  return -1;
}

const unquote = (w: string): string => w.replace(/^(["'])(.*)\1$/s, '$2').replace(/\$\$/g, '$');

export interface ArchSource {
  kind: ArchValueKind;
  subject: VarSubject;
}

/** What arch value a shell word expands to, if any. */
export function shellArchSource(word: string, vars: ReadonlyMap<string, ArchSource>): ArchSource | undefined {
  const w = unquote(word.trim());
  let m = /^\$\((.*)\)$/s.exec(w) ?? /^`(.*)`$/s.exec(w);
  if (m) {
    const inner = (m[1] as string).trim();
    // $(DEB_HOST_ARCH) in a make recipe is a make reference, not a command
    const av = archVariable(inner);
    if (av) return av;
    return archCommand(inner);
  }
  m = /^\$\{?(\w+)(?:\[[^\]]*\])?\}?$/.exec(w);
  if (m) {
    const name = m[1] as string;
    // Docker's automatic platform args hold the Debian/Go arch name
    if (name === 'TARGETARCH' || name === 'BUILDARCH') return { kind: 'arch', subject: name === 'TARGETARCH' ? 'host' : 'build' };
    return archVariable(name) ?? vars.get(name);
  }
  return undefined;
}

function globToRe(p: string): RegExp {
  let re = '';
  for (const c of p) {
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The arches whose value (any spelling) matches one of the glob patterns. */
export function archesMatching(patterns: readonly string[], kind: ArchValueKind): Set<ArchName> {
  const res = patterns.map((p) => globToRe(unquote(p)));
  return new Set(ARCHES.filter((a) => spellings(a, kind).some((v) => res.some((r) => r.test(v)))).map((a) => a.name));
}

/** A glob pattern in an arch test (`arm*)`, `[[ $ARCH == x86* ]]`): ambiguous-arch-match reads these. */
export interface ArchPattern {
  start: number;
  end: number;
  /** The pattern as written (quotes removed). */
  pattern: string;
  kind: ArchValueKind;
}

export interface ShellGuards {
  regions: GuardRegion[];
  /** Glob patterns used in arch tests. */
  patterns: ArchPattern[];
  /** Ranges that are arch tests themselves (their literals are the guard). */
  tests: [number, number][];
  /** Build-machine reads used in tests: they also raise build-arch-for-host. */
  buildTests: [number, number][];
}

/** Finds arch guards in `text`; offsets are shifted by `base`; `known` variables hold an arch from the start (grub's `grub_cpu`). */
export function findShellArchGuards(text: string, base = 0, known: ReadonlyMap<string, ArchSource> = new Map()): ShellGuards {
  const words = shellWords(text);
  const first = scanGuards(text, base, words, known);
  // A variable set to an arch spelling inside an arch guard (`x86_64) ARCH=amd64 ;;`) is an
  // arch source too: a second pass reads the tests on it.
  const derived = new Map<string, ArchSource>(known);
  for (const w of words) {
    const m = w.type === 'word' ? /^(\w+)=(["']?)([\w.-]+)\2$/.exec(w.text) : null;
    if (!m || derived.has(m[1] as string)) continue;
    const value = m[3] as string;
    const kind: ArchValueKind | undefined = archesWithValue(value, 'arch').length ? 'arch' : archesWithValue(value, 'gnuCpu').length ? 'gnuCpu' : undefined;
    const region = kind ? first.regions.find((r) => base + w.start >= r.start && base + w.start < r.end) : undefined;
    if (kind && region) derived.set(m[1] as string, { kind, subject: region.subject });
  }
  return derived.size > known.size ? scanGuards(text, base, words, derived) : first;
}

function scanGuards(text: string, base: number, words: ShWord[], known: ReadonlyMap<string, ArchSource>): ShellGuards {
  const vars = new Map<string, ArchSource>(known);
  const result: ShellGuards = { regions: [], patterns: [], tests: [], buildTests: [] };
  const at = (i: number): ShWord | undefined => words[i];
  const isSep = (w: ShWord | undefined): boolean => !w || w.type === 'nl' || (w.type === 'op' && (w.text === ';' || w.text === '&'));

  // Variables assigned from an arch source: ARCH=$(uname -m)
  for (const w of words) {
    const m = /^(\w+)=(.*)$/s.exec(w.type === 'word' ? w.text : '');
    if (m) {
      const src = shellArchSource(m[2] as string, vars);
      if (src) vars.set(m[1] as string, src);
    }
  }

  const region = (start: number, end: number, arches: Set<ArchName>, positive: boolean, subject: VarSubject): void => {
    result.regions.push({ start: base + start, end: base + end, arches, positive, subject });
  };

  /** Parses `[ A op B ]`, `[[ … ]]`, `test A op B` from index i; returns the arch set it selects. */
  const parseTest = (i: number): { arches: Set<ArchName>; subject: VarSubject; next: number } | undefined => {
    let j = i;
    let negate = false;
    if (at(j)?.text === '!') {
      negate = true;
      j++;
    }
    const open = at(j)?.text;
    if (open !== '[' && open !== '[[' && open !== 'test') return undefined;
    // clauses joined by -o/-a (and ||/&& inside [[ ]]): `[ "$A" = i686 -o "$A" = i386 ]`
    let arches: Set<ArchName> | undefined;
    let subject: VarSubject = 'host';
    let joiner: string | undefined;
    let k = j + 1;
    for (;;) {
      const a = at(k);
      const op = at(k + 1);
      const b = at(k + 2);
      if (!a || !op || !b || !['=', '==', '!='].includes(op.text)) return undefined;
      let src = shellArchSource(a.text, vars);
      let lit = b;
      if (!src) {
        src = shellArchSource(b.text, vars);
        lit = a;
      }
      if (!src || shellArchSource(lit.text, vars) || /\$/.test(lit.text)) return undefined;
      const pattern = open === '[[' ? unquote(lit.text) : unquote(lit.text).replace(/[*?]/g, '\\$&');
      if (open === '[[' && /[*?[]/.test(pattern)) result.patterns.push({ start: base + lit.start, end: base + lit.end, pattern, kind: src.kind });
      let clause = archesMatching([pattern], src.kind);
      if (op.text === '!=') clause = complement(clause);
      arches = !arches ? clause : joiner === '-o' || joiner === '||' ? new Set([...arches, ...clause]) : new Set([...arches].filter((x) => clause.has(x)));
      subject = src.subject;
      k += 3;
      const nxt = at(k)?.text;
      if (nxt === '-o' || nxt === '-a' || (open === '[[' && (nxt === '||' || nxt === '&&'))) {
        joiner = nxt;
        k++;
        continue;
      }
      break;
    }
    const close = open === 'test' ? undefined : at(k);
    if (open !== 'test' && close?.text !== (open === '[' ? ']' : ']]')) return undefined;
    if (negate) arches = complement(arches);
    const first = at(j + 1) as ShWord;
    const end = (close ?? (at(k - 1) as ShWord)).end;
    result.tests.push([base + first.start, base + end]);
    if (subject === 'build') result.buildTests.push([base + first.start, base + end]);
    return { arches, subject, next: open === 'test' ? k : k + 1 };
  };

  /** `[ A ] || [ B ]`, `[ A ] && [ B ]`: the union or intersection of what each test selects. */
  const parseCondition = (i: number): ReturnType<typeof parseTest> => {
    const t = parseTest(i);
    if (!t) return undefined;
    for (;;) {
      const op = at(t.next)?.text;
      const u = op === '||' || op === '&&' ? parseTest(t.next + 1) : undefined;
      if (!u) return t;
      t.arches = op === '||' ? new Set([...t.arches, ...u.arches]) : new Set([...t.arches].filter((a) => u.arches.has(a)));
      t.next = u.next;
    }
  };

  for (let i = 0; i < words.length; i++) {
    const w = words[i] as ShWord;
    if (w.type !== 'word') continue;
    if (w.text === 'case' && (i === 0 || isSep(at(i - 1)) || at(i - 1)?.text === 'then' || at(i - 1)?.text === 'do' || at(i - 1)?.text === '&&' || at(i - 1)?.text === '||')) {
      const subj = at(i + 1);
      const src = subj ? shellArchSource(subj.text, vars) : undefined;
      if (!src || !subj || at(i + 2)?.text !== 'in') continue;
      result.tests.push([base + subj.start, base + subj.end]);
      if (src.subject === 'build') result.buildTests.push([base + subj.start, base + subj.end]);
      let taken = new Set<ArchName>();
      let fallthrough = new Set<ArchName>();
      let j = i + 3;
      while (j < words.length && at(j)?.text !== 'esac') {
        while (at(j)?.type === 'nl') j++;
        if (at(j)?.text === 'esac' || j >= words.length) break;
        if (at(j)?.text === '(') j++;
        const patterns: string[] = [];
        const patStart = at(j)?.start ?? 0;
        while (j < words.length && at(j)?.text !== ')') {
          const p = at(j) as ShWord;
          if (p.type === 'word') {
            patterns.push(p.text);
            const u = unquote(p.text);
            if (/[*?[]/.test(u) && u !== '*') result.patterns.push({ start: base + p.start, end: base + p.end, pattern: u, kind: src.kind });
          }
          j++;
        }
        const paren = at(j);
        if (!paren) break;
        result.tests.push([base + patStart, base + paren.end]);
        const matched = archesMatching(patterns, src.kind);
        // `;&` falls through: the previous arm's arches run this body too
        const arm = new Set([...[...matched].filter((a) => !taken.has(a)), ...fallthrough]);
        taken = new Set([...taken, ...matched]);
        // body: up to ;; at this nesting level, or esac
        let depth = 0;
        let k = j + 1;
        for (; k < words.length; k++) {
          const t = at(k) as ShWord;
          if (t.text === 'case') depth++;
          else if (t.text === 'esac') {
            if (depth === 0) break;
            depth--;
          } else if ((t.text === ';;' || t.text === ';&' || t.text === ';;&') && depth === 0) break;
        }
        const bodyEnd = at(k)?.start ?? text.length;
        const positive = !patterns.some((p) => unquote(p) === '*');
        region(paren.end, bodyEnd, arm, positive, src.subject);
        fallthrough = at(k)?.text === ';&' ? arm : new Set();
        j = at(k)?.text === ';;' || at(k)?.text === ';&' || at(k)?.text === ';;&' ? k + 1 : k;
      }
      continue;
    }
    if ((w.text === 'if' || w.text === 'elif') && (i === 0 || isSep(at(i - 1)) || ['then', 'do', 'else', '&&', '||'].includes(at(i - 1)?.text ?? ''))) {
      if (w.text === 'elif') continue; // handled with its if
      // Walk the if … fi chain at this level.
      let remaining: Set<ArchName> | undefined = new Set(ARCHES.map((a) => a.name));
      let subject: VarSubject = 'host';
      let j = i;
      let branchArches: Set<ArchName> | undefined;
      let branchPositive = true;
      let bodyStart = -1;
      let depth = 0;
      for (; j < words.length; j++) {
        const t = at(j) as ShWord;
        const prevSep = j === i || isSep(at(j - 1)) || ['then', 'do', 'else', '&&', '||'].includes(at(j - 1)?.text ?? '');
        if (t.type !== 'word' || !prevSep) continue;
        if (t.text === 'if' && j !== i) {
          depth++;
          continue;
        }
        if (t.text === 'fi') {
          if (depth > 0) {
            depth--;
            continue;
          }
          if (bodyStart >= 0 && branchArches) region(bodyStart, t.start, branchArches, branchPositive, subject);
          break;
        }
        if (depth > 0) continue;
        if (j === i || t.text === 'elif') {
          if (bodyStart >= 0 && branchArches) region(bodyStart, t.start, branchArches, branchPositive, subject);
          const test = parseCondition(j + 1);
          if (test && remaining) {
            subject = test.subject;
            branchArches = new Set([...test.arches].filter((a) => remaining?.has(a)));
            branchPositive = test.arches.size < ARCHES.length / 2;
            remaining = new Set([...remaining].filter((a) => !test.arches.has(a)));
          } else {
            branchArches = undefined;
            remaining = undefined;
          }
          bodyStart = -1;
          continue;
        }
        if (t.text === 'then') {
          bodyStart = t.end;
          continue;
        }
        if (t.text === 'else') {
          if (bodyStart >= 0 && branchArches) region(bodyStart, t.start, branchArches, branchPositive, subject);
          branchArches = remaining;
          branchPositive = false;
          bodyStart = t.end;
        }
      }
      continue;
    }
    // [ A = B ] && cmd   /   [ A = B ] || cmd
    // a test anywhere else (`if ! is_atomic || [ "$(uname -m)" = s390x ]`) is still a test: its literal is the guard
    if ((w.text === '[' || w.text === '[[') && ['||', '&&', '!', 'while', 'until'].includes(at(i - 1)?.text ?? '')) {
      parseTest(i);
      continue;
    }
    if ((w.text === '[' || w.text === '[[' || w.text === 'test') && (i === 0 || isSep(at(i - 1)))) {
      const test = parseTest(i);
      if (!test) continue;
      const op = at(test.next);
      if (op?.type !== 'op' || (op.text !== '&&' && op.text !== '||')) continue;
      let k = test.next + 1;
      while (k < words.length && !isSep(at(k)) && at(k)?.text !== ';;') k++;
      const end = at(k)?.start ?? text.length;
      const arches = op.text === '&&' ? test.arches : complement(test.arches);
      region(op.end, end, arches, op.text === '&&', test.subject);
    }
  }
  return result;
}
