/**
 * A small evaluator for make expressions, enough to decide what an arch test means:
 * `$(filter amd64 i386,$(DEB_HOST_ARCH))`, `$(findstring arm,$(DEB_HOST_ARCH))`,
 * `$(shell dpkg-architecture -qDEB_HOST_ARCH)`, `$(strip …)`, variables assigned from those.
 * Evaluating for each arch in turn tells which arches take which branch. Nothing runs.
 */
import { ARCHES, spellings, type ArchFacts, type ArchValueKind } from './arch.js';

export type ExprNode = string | RefNode;
export interface RefNode {
  /** The function name (`filter`, `shell` …) or undefined for a variable reference. */
  fn?: string;
  /** For a variable reference: the name, possibly computed. */
  name: ExprNode[];
  args: ExprNode[][];
}

const FUNCTIONS = new Set([
  'filter', 'filter-out', 'findstring', 'strip', 'subst', 'patsubst', 'firstword', 'lastword',
  'shell', 'if', 'or', 'and', 'words', 'word', 'sort', 'addprefix', 'addsuffix', 'call', 'foreach',
  'wildcard', 'dir', 'notdir', 'basename', 'suffix', 'join', 'value', 'origin', 'flavor', 'eval',
  'error', 'warning', 'info', 'abspath', 'realpath', 'file',
]);

/**
 * How deep references may nest (`$(if $(filter …,$(…)),…)`): deeper text stays literal, and
 * `tooDeep` is told. Every level reads its text again, and the reader and evaluator recurse: a
 * hostile 10,000-deep expression would take seconds and then overflow the stack.
 */
export const MAX_EXPR_DEPTH = 100;

/** Parses make text into literal pieces and references. Unbalanced text stays literal. */
export function parseMakeExpr(s: string, tooDeep?: () => void): ExprNode[] {
  return parseSeq(s, 0, s.length, { depth: 0, tooDeep }).nodes;
}

interface ParseState {
  depth: number;
  tooDeep: (() => void) | undefined;
}

function parseSeq(s: string, from: number, to: number, st: ParseState): { nodes: ExprNode[] } {
  const nodes: ExprNode[] = [];
  let lit = '';
  let i = from;
  while (i < to) {
    const c = s[i];
    if (c === '$' && i + 1 < to) {
      const n = s[i + 1] as string;
      if (n === '$') {
        lit += '$';
        i += 2;
        continue;
      }
      if (n === '(' || n === '{') {
        if (st.depth >= MAX_EXPR_DEPTH) {
          st.tooDeep?.();
          lit += s.slice(i, to);
          break;
        }
        const close = matchingClose(s, i + 1, to);
        if (close < 0) {
          lit += s.slice(i, to);
          break;
        }
        if (lit) nodes.push(lit);
        lit = '';
        st.depth++;
        nodes.push(parseRef(s, i + 2, close, st));
        st.depth--;
        i = close + 1;
        continue;
      }
      if (lit) nodes.push(lit);
      lit = '';
      nodes.push({ name: [n], args: [] });
      i += 2;
      continue;
    }
    lit += c;
    i++;
  }
  if (lit) nodes.push(lit);
  return { nodes };
}

/** Index of the bracket closing the one at `open`, counting nesting of both kinds. */
export function matchingClose(s: string, open: number, to = s.length): number {
  const want = s[open] === '(' ? ')' : '}';
  const other = s[open];
  let depth = 0;
  for (let i = open; i < to; i++) {
    const c = s[i];
    if (c === other) depth++;
    else if (c === want) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseRef(s: string, from: number, to: number, st: ParseState): RefNode {
  const m = /^([a-z-]+)[ \t]/.exec(s.slice(from, to));
  if (m && FUNCTIONS.has(m[1] as string)) {
    const fn = m[1] as string;
    const argStart = from + m[0].length;
    const args: ExprNode[][] = [];
    let depth = 0;
    let last = argStart;
    const splitAll = fn !== 'shell';
    for (let i = argStart; i < to; i++) {
      const c = s[i];
      if (c === '(' || c === '{') depth++;
      else if (c === ')' || c === '}') depth--;
      else if (c === ',' && depth === 0 && splitAll) {
        args.push(parseSeq(s, last, i, st).nodes);
        last = i + 1;
      }
    }
    args.push(parseSeq(s, last, to, st).nodes);
    return { fn, name: [], args };
  }
  return { name: parseSeq(s, from, to, st).nodes, args: [] };
}

export type VarSubject = 'host' | 'build';

/** The standard variables whose value depends on the arch (dpkg-architecture(1)). */
export function archVariable(name: string): { kind: ArchValueKind; subject: VarSubject } | undefined {
  const m = /^DEB_(HOST|BUILD)_(ARCH|ARCH_CPU|GNU_CPU|GNU_TYPE|MULTIARCH)$/.exec(name);
  if (!m) return undefined;
  const kinds: Record<string, ArchValueKind> = {
    ARCH: 'arch', ARCH_CPU: 'cpu', GNU_CPU: 'gnuCpu', GNU_TYPE: 'gnuType', MULTIARCH: 'multiarch',
  };
  return { kind: kinds[m[2] as string] as ArchValueKind, subject: m[1] === 'HOST' ? 'host' : 'build' };
}

export function archValue(arch: ArchFacts, kind: ArchValueKind): string {
  switch (kind) {
    case 'arch': return arch.name;
    case 'cpu': return arch.cpu;
    case 'gnuCpu': return arch.gnuCpu;
    case 'gnuType': return arch.gnuType;
    case 'multiarch': return arch.multiarch;
    case 'grubCpu': return spellings(arch, 'grubCpu')[0] as string;
  }
}

/** What an arch-reading shell command prints: `uname -m`, `dpkg --print-architecture` … */
export function archCommand(cmd: string): { kind: ArchValueKind; subject: VarSubject } | undefined {
  const c = cmd.trim().replace(/\s+/g, ' ').replace(/ 2>\s?\/dev\/null$/, '');
  if (/^uname -m$|^uname --machine$|^arch$|^uname -p$/.test(c)) return { kind: 'gnuCpu', subject: 'build' };
  if (/^dpkg --print-architecture$/.test(c)) return { kind: 'arch', subject: 'build' };
  const q = /^dpkg-architecture (?:-q ?|--query )(\w+)$/.exec(c);
  if (q) return archVariable(q[1] as string);
  return undefined;
}

export interface EvalEnv {
  arch: ArchFacts;
  /** File-level variables assigned from arch-dependent expressions. */
  aliases: ReadonlyMap<string, ExprNode[]>;
  /** Filled with the subjects the expression read. */
  touched: Set<VarSubject>;
  depth?: number;
}

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

function patternToRe(p: string): RegExp {
  const i = p.indexOf('%');
  const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return i < 0 ? new RegExp(`^${esc(p)}$`) : new RegExp(`^${esc(p.slice(0, i))}.*${esc(p.slice(i + 1))}$`);
}

/** Evaluates for one arch; undefined when the expression reads something unknown. */
export function evaluate(nodes: readonly ExprNode[], env: EvalEnv): string | undefined {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') {
      out += n;
      continue;
    }
    const v = evalRef(n, env);
    if (v === undefined) return undefined;
    out += v;
  }
  return out;
}

function evalRef(n: RefNode, env: EvalEnv): string | undefined {
  const arg = (i: number): string | undefined => evaluate(n.args[i] ?? [], env);
  switch (n.fn) {
    case undefined: {
      const name = evaluate(n.name, env);
      if (name === undefined) return undefined;
      const av = archVariable(name.trim());
      if (av) {
        env.touched.add(av.subject);
        return archValue(env.arch, av.kind);
      }
      const alias = env.aliases.get(name.trim());
      if (alias && (env.depth ?? 0) < 8) return evaluate(alias, { ...env, depth: (env.depth ?? 0) + 1 });
      return undefined;
    }
    case 'shell': {
      const cmd = arg(0);
      if (cmd === undefined) return undefined;
      const ac = archCommand(cmd);
      if (!ac) return undefined;
      env.touched.add(ac.subject);
      return archValue(env.arch, ac.kind);
    }
    case 'strip': {
      const a = arg(0);
      return a === undefined ? undefined : words(a).join(' ');
    }
    case 'filter':
    case 'filter-out': {
      const pats = arg(0);
      const text = arg(1);
      if (pats === undefined || text === undefined) return undefined;
      const res = words(pats).map(patternToRe);
      const keep = n.fn === 'filter';
      return words(text).filter((w) => res.some((r) => r.test(w)) === keep).join(' ');
    }
    case 'findstring': {
      const find = arg(0);
      const text = arg(1);
      if (find === undefined || text === undefined) return undefined;
      return text.includes(find) ? find : '';
    }
    case 'subst': {
      const [from, to, text] = [arg(0), arg(1), arg(2)];
      if (from === undefined || to === undefined || text === undefined) return undefined;
      return from === '' ? text : text.split(from).join(to);
    }
    case 'patsubst': {
      const [pat, rep, text] = [arg(0), arg(1), arg(2)];
      if (pat === undefined || rep === undefined || text === undefined) return undefined;
      const re = patternToRe(pat);
      const pi = pat.indexOf('%');
      return words(text)
        .map((w) => {
          if (!re.test(w)) return w;
          if (pi < 0) return rep;
          const stem = w.slice(pi, w.length - (pat.length - pi - 1));
          return rep.replace('%', stem);
        })
        .join(' ');
    }
    case 'firstword': {
      const a = arg(0);
      return a === undefined ? undefined : (words(a)[0] ?? '');
    }
    case 'lastword': {
      const a = arg(0);
      return a === undefined ? undefined : (words(a).at(-1) ?? '');
    }
    default:
      return undefined;
  }
}

/**
 * For each known arch, the value of `nodes`, or undefined when some arch cannot be evaluated.
 * `subjects` tells whether it read the host or the build machine.
 */
export function evaluatePerArch(
  nodes: readonly ExprNode[],
  aliases: ReadonlyMap<string, ExprNode[]>,
): { values: Map<ArchFacts['name'], string>; subjects: Set<VarSubject> } | undefined {
  const values = new Map<ArchFacts['name'], string>();
  const subjects = new Set<VarSubject>();
  for (const arch of ARCHES) {
    const v = evaluate(nodes, { arch, aliases, touched: subjects });
    if (v === undefined) return undefined;
    values.set(arch.name, v);
  }
  return { values, subjects };
}
