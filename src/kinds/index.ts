/**
 * File kinds (DESIGN §3): which kind a path is, how it is parsed, where its comments are and
 * whether a trailing comment can carry a `disable-line` directive without changing data.
 * A new kind plugs in by adding a `KindSupport` here; the engine needs nothing else.
 */
import type { ArchName } from '../arch.js';
import { archesMatching } from '../arch.js';
import { GuardMap } from '../guards.js';
import { lexDebhelperLines } from '../lexers/debhelper.js';
import type { Token } from '../lexers/token.js';
import { controlModel, parseControl, type ControlModel } from '../models/control.js';
import { parseMake, type MakeModel } from '../models/make.js';
import type { FileKind } from '../types.js';
import { LIST_KINDS } from './lists.js';
import { SCRIPT_KINDS } from './scripts.js';
import { BOOTCFG_KIND, KCONFIG_KIND, YAML_KIND, patchKind } from './boot.js';
import { PUPPET_KIND } from './puppet.js';

export interface ParsedFile {
  kind: FileKind;
  guards: GuardMap;
  /** Comment tokens, in order. */
  comments: Token[];
  /** Problems reading the file (unterminated define …): reported, and the file is not fixed. */
  problems: { offset: number; message: string }[];
  /** Why a `disable-line` directive in this comment would be wrong, if it would. */
  disableLineProblem(comment: Token): string | undefined;
  /** The [first, last] offsets of the statement that starts at or contains `offset`. */
  statementAt(offset: number): [number, number];
  make?: MakeModel;
  control?: ControlModel;
  /** Texts inside this file linted as another kind (a patch's hunks); findings map back through `toHost`. */
  embedded?: EmbeddedText[];
}

/** A text embedded in a file (a hunk's post-image), linted as the kind of its `target`. */
export interface EmbeddedText {
  target: string;
  kind: FileKind;
  text: string;
  /** The host range of [start, end) when it lies on one line the host may report and edit (a `+` line). */
  toHost(start: number, end: number): [number, number] | undefined;
  /**
   * An edit of `text` as an edit of the host, when it only touches lines the host may edit (a
   * patch's `+` lines, and whole lines inserted right after one): with `lines`, how many lines
   * it adds (negative: removes).
   */
  mapEdit(start: number, end: number, text: string): { range: [number, number]; text: string; lines: number } | undefined;
  /** The host edits that keep its own bookkeeping right after `lines` lines were added (hunk headers). */
  lineCountEdits(lines: number): { range: [number, number]; text: string }[];
}

export interface KindSupport {
  kind: FileKind;
  /** True when a POSIX path (relative) is of this kind. */
  matches(path: string): boolean;
  /**
   * True when a file no path rule claims is of this kind, judged from its first bytes (at most
   * `SNIFF_BYTES`): a shebang, a kickstart section. Used by discovery only.
   */
  sniff?(head: string, path: string): boolean;
  /** `path` (as the project knows the file) tells flavours of one kind apart (a Puppet template from a manifest). */
  parse(text: string, architectures: readonly ArchName[], path?: string): ParsedFile;
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
/** The folder a path's last part is in ('' for none): what `p.split('/')` has second to last, without the array (classify runs on every file). */
const parentDir = (p: string): string => {
  const cut = p.lastIndexOf('/');
  return cut <= 0 ? '' : p.slice(p.lastIndexOf('/', cut - 1) + 1, cut);
};

function parseMakeFile(kind: FileKind, text: string, architectures: readonly ArchName[]): ParsedFile {
  const make = parseMake(text, architectures);
  return {
    kind,
    guards: make.guards,
    comments: make.lines.flatMap((l) => l.comments),
    problems: make.problems,
    make,
    disableLineProblem(comment: Token): string | undefined {
      const line = make.lineAt(comment.offset);
      if (!line) return undefined;
      if (line.kind === 'comment' || line.kind === 'blank') return 'there is nothing on this line to disable; use `disable-next-line`';
      if (line.kind === 'assignment') {
        return 'in a make assignment the blank before `#` becomes part of the value; use `disable-next-line` on the line above';
      }
      if (line.kind === 'define-body') return 'a `#` inside `define` is part of the variable; use `disable-next-line`';
      return undefined;
    },
    statementAt(offset: number): [number, number] {
      const line = make.lineAt(offset);
      return line ? [line.start, line.end] : [offset, offset];
    },
  };
}

const DEB822_TRAILING = 'in deb822 a trailing `#` is part of the value; put `# debarch-lint disable-next-line …` on a line of its own above';

/**
 * debian/control: guards are the arches each binary paragraph's `Architecture:` allows and each
 * relation's own `[arch …]` list; only full-line `#` comments exist (and carry directives).
 */
function parseControlFile(text: string, architectures: readonly ArchName[], path?: string): ParsedFile {
  const control = path === undefined ? parseControl(text) : controlModel(path, text);
  const guards = new GuardMap(architectures);
  for (const p of control.paragraphs) {
    if (p.type === 'binary' && p.architecture && !p.architecture.includes('all')) {
      guards.addRegion({ start: p.paragraph.start, end: p.paragraph.end, arches: new Set(p.arches), positive: true, subject: 'host' });
    }
    for (const { relations } of p.relations.values()) {
      for (const r of relations) {
        for (const alt of r.alternatives) {
          if (!alt.archList) continue;
          const arches = new Set(archesMatching(alt.archList.terms));
          guards.addRegion({ start: alt.start, end: alt.end, arches, positive: !alt.archList.terms.some((t) => t.negated), subject: 'host' });
          guards.addTest(alt.archList.start, alt.archList.end);
        }
      }
    }
  }
  const lines = control.doc.lines;
  const lineAt = (offset: number) => lines.find((l) => offset >= l.start && offset < l.next);
  return {
    kind: 'control',
    guards,
    comments: control.doc.comments,
    problems: control.doc.problems,
    control,
    disableLineProblem: () => DEB822_TRAILING,
    statementAt(offset: number): [number, number] {
      const line = lineAt(offset);
      if (!line) return [offset, offset];
      if (line.kind === 'field') {
        const f = control.doc.paragraphs.flatMap((p) => p.fields).find((x) => x.start === line.start);
        if (f) return [f.start, f.end];
      }
      return [line.start, line.end];
    },
  };
}

function parseDebhelperFile(text: string, architectures: readonly ArchName[]): ParsedFile {
  const lines = lexDebhelperLines(text);
  return {
    kind: 'debhelper',
    guards: new GuardMap(architectures),
    comments: lines.filter((l) => l.comment).map((l) => l.tokens[0] as Token),
    problems: [],
    disableLineProblem: () => 'debhelper reads a trailing `#` as part of the entry; use `disable-next-line` on the line above',
    statementAt(offset: number): [number, number] {
      const l = lines.find((x) => offset >= x.start && offset < x.next);
      return l ? [l.start, l.end] : [offset, offset];
    },
  };
}

/** The debhelper files read as lists (DESIGN §2), and `compat` (read for the compat level). */
const DEBHELPER_FILE = /^(?:[a-z0-9][a-z0-9+.-]*\.)?(install|dirs|docs|examples|info|manpages|links|not-installed|clean|maintscript)$|^compat$/;
/** DEBHELPER_FILE's names, for classify's screen (test/classify.test.ts checks them against the regex). */
export const DEBHELPER_NAMES = ['install', 'dirs', 'docs', 'examples', 'info', 'manpages', 'links', 'not-installed', 'clean', 'maintscript'];
const inDebianDir = (p: string): boolean => parentDir(p) === 'debian' || parentDir(p) === 'deb_folder';

export const KINDS: readonly KindSupport[] = [
  {
    kind: 'rules',
    matches: (p) => base(p) === 'rules' && (parentDir(p) === 'debian' || parentDir(p) === 'deb_folder'),
    parse: (text, arches) => parseMakeFile('rules', text, arches),
  },
  {
    kind: 'makefile',
    matches: (p) => /^(GNUmakefile|[Mm]akefile)$/.test(base(p)) || /\.mk$/.test(base(p)),
    parse: (text, arches) => parseMakeFile('makefile', text, arches),
  },
  {
    kind: 'control',
    matches: (p) => base(p) === 'control' && inDebianDir(p),
    parse: (text, arches, path) => parseControlFile(text, arches, path),
  },
  {
    kind: 'debhelper',
    matches: (p) => DEBHELPER_FILE.test(base(p)) && inDebianDir(p),
    parse: (text, arches) => parseDebhelperFile(text, arches),
  },
  ...SCRIPT_KINDS,
  ...LIST_KINDS,
  YAML_KIND,
  // before bootcfg: a `grub.cfg.erb` is a template, whose guards are ERB tags
  PUPPET_KIND,
  BOOTCFG_KIND,
  KCONFIG_KIND,
  patchKind(classify),
];

/** Paths that are never read, whatever the config says (DESIGN §3). */
export function neverRead(path: string): boolean {
  // the name first: it rules out almost every path without a regex
  if (!path.endsWith('changelog') && !path.endsWith('copyright')) return false;
  return /(^|\/)debian\/(changelog|copyright)$/.test(path) || /(^|\/)deb_folder\/(changelog|copyright)$/.test(path);
}

/**
 * What a path's last part must show for a kind's `matches` to be worth asking (a necessary
 * condition, never a sufficient one): one of `names` exactly, an extension (after the last
 * dot, compared in lower case) among `exts`, a name starting with one of `prefixes` or holding
 * one of `contains`, or a path holding one of `pathContains`. A kind with no screen here is
 * asked about every path. test/classify.test.ts compares classify with asking every kind in
 * order, over generated names and the project's own tree.
 */
interface NameScreen {
  names?: readonly string[];
  exts?: readonly string[];
  prefixes?: readonly string[];
  contains?: readonly string[];
  pathContains?: readonly string[];
}

export const NAME_SCREENS: Partial<Record<FileKind, NameScreen>> = {
  rules: { names: ['rules'] },
  makefile: { names: ['GNUmakefile', 'Makefile', 'makefile'], exts: ['mk'] },
  control: { names: ['control'] },
  debhelper: { names: [...DEBHELPER_NAMES, 'compat'], exts: DEBHELPER_NAMES },
  // `.cfg`: kickstarts
  shell: { exts: ['sh', 'bash', 'cfg'] },
  python: { exts: ['py'] },
  dockerfile: { prefixes: ['Dockerfile'], exts: ['dockerfile'] },
  'pkg-dirs': { prefixes: ['debian_', 'centos_'] },
  'pkg-list': { exts: ['lst', 'inc'] },
  'wheel-list': { exts: ['cfg'] },
  series: { prefixes: ['series'] },
  yaml: { exts: ['yaml', 'yml', 'j2', 'jinja', 'jinja2'] },
  puppet: { exts: ['pp', 'erb', 'epp'] },
  // `grub.cfg.stx`: any extension after a grub name
  bootcfg: { exts: ['cfg', 'xml'], contains: ['grub'], pathContains: ['pxelinux.cfg/'] },
  kconfig: {},
  patch: { exts: ['patch', 'diff'] },
};

/** NAME_SCREENS as bit masks over KINDS' indexes: which kinds a name, an extension … leaves to ask. */
interface CompiledScreens {
  always: number;
  names: Map<string, number>;
  exts: Map<string, number>;
  prefixes: [string, number][];
  contains: [string, number][];
  pathContains: [string, number][];
}

let screens: CompiledScreens | undefined;

function compileScreens(): CompiledScreens {
  const c: CompiledScreens = { always: 0, names: new Map(), exts: new Map(), prefixes: [], contains: [], pathContains: [] };
  const add = (map: Map<string, number>, key: string, bit: number): void => void map.set(key, (map.get(key) ?? 0) | bit);
  const addList = (list: [string, number][], key: string, bit: number): void => {
    const at = list.find((x) => x[0] === key);
    if (at) at[1] |= bit;
    else list.push([key, bit]);
  };
  KINDS.forEach((k, i) => {
    const bit = 2 ** i;
    const s = NAME_SCREENS[k.kind];
    // a kind without a screen is asked about every path
    if (!s) return void (c.always |= bit);
    for (const n of s.names ?? []) add(c.names, n, bit);
    for (const e of s.exts ?? []) add(c.exts, e.toLowerCase(), bit);
    for (const x of s.prefixes ?? []) addList(c.prefixes, x, bit);
    for (const x of s.contains ?? []) addList(c.contains, x, bit);
    for (const x of s.pathContains ?? []) addList(c.pathContains, x, bit);
  });
  return c;
}

/**
 * The kind a path's name says it is: the first of KINDS whose `matches` says yes, asking only
 * the kinds its screen leaves (classify runs on every file of the tree).
 */
export function classify(path: string): KindSupport | undefined {
  if (neverRead(path)) return undefined;
  // one bit per kind in a 31-bit mask: past that, every kind is asked
  if (KINDS.length > 31) return KINDS.find((k) => k.matches(path));
  const c = (screens ??= compileScreens());
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  let mask = c.always | (c.names.get(name) ?? 0) | (dot < 0 ? 0 : (c.exts.get(name.slice(dot + 1).toLowerCase()) ?? 0));
  for (const [x, bit] of c.prefixes) if (name.startsWith(x)) mask |= bit;
  for (const [x, bit] of c.contains) if (name.includes(x)) mask |= bit;
  for (const [x, bit] of c.pathContains) if (path.includes(x)) mask |= bit;
  // lowest bit first: KINDS' order
  while (mask !== 0) {
    const low = mask & -mask;
    const k = KINDS[31 - Math.clz32(low)] as KindSupport;
    if (k.matches(path)) return k;
    mask ^= low;
  }
  return undefined;
}

/** How much of a file `sniff` sees. */
export const SNIFF_BYTES = 512;

/**
 * Names never worth opening to sniff: images, archives, binaries, documents, data, the sources
 * of other languages (a C, Go, Ruby or JavaScript file is never a shell or Python script) and
 * git's own files.
 */
const NOT_SNIFFED = /\.(?:c|h|cc|cpp|cxx|hh|hpp|go|rb|js|java|rs|gitignore|gitreview|gitattributes|png|jpe?g|gif|svg|ico|bmp|xpm|gz|tgz|xz|bz2|zst|zip|tar|jar|whl|rpm|deb|iso|img|qcow2|bin|efi|so|o|a|ko|pyc|pdf|ttf|woff2?|pem|crt|key|der|gpg|asc|sig|md|rst|txt|html?|css|json|xml|ya?ml|csv|lock|patch|diff|spec|ini|conf|service|socket|timer|desktop|po|mo|sum|sha\d*|md5)$/i;

/** True when discovery may read the first bytes of an unclaimed file to sniff its kind. */
export function mightSniff(path: string): boolean {
  return !neverRead(path) && !NOT_SNIFFED.test(path) && KINDS.some((k) => k.sniff);
}

/** The kind a file's first bytes say it is (a shebang …), for files `classify` does not claim. */
export function classifyByContent(path: string, head: string): KindSupport | undefined {
  if (neverRead(path)) return undefined;
  return KINDS.find((k) => k.sniff?.(head.slice(0, SNIFF_BYTES), path));
}

export function kindSupport(kind: FileKind): KindSupport | undefined {
  return KINDS.find((k) => k.kind === kind);
}
