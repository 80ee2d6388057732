/**
 * twin-unaware-reader: build-tool code (python, shell) that reads a list or metadata file with
 * arch twins (DESIGN §6: `debian_pkg_dirs_arm64`, `debian_iso_image_arm64.inc`,
 * `base-bullseye_arm64.lst`, `dl_path_arm64`) by its generic name only, or globs over the
 * family (`{distro}_pkg_dirs*`, `base-<codename>*.lst`) and builds, downloads or parses what it
 * matches. Once a twin exists, such a reader builds the generic list on every arch (the twin is
 * dead), or worse, takes the twin for something else: discovery.py turns `debian_pkg_dirs_arm64`
 * into a build type `arm64`, the downloader fetches the arm64 twin's packages on amd64.
 *
 * Functions are the unit: a reader is silent when the same function (or a helper of the same
 * file it calls) appends `_<arch>` to a name or filters names ending in `_<arch>`. The rule
 * runs only where twins matter: a family with a twin in the linted trees (or one this run's
 * `--fix` creates: the fixer lints again with the created files in view), or everywhere when
 * the config sets `archLists: "twin"` explicitly (this rule's option or arch-only-list-entry's).
 */
import { ARCH_NAMES, fileIncludes, projectMemo, requiredWordGroups, scriptModel, triggerAllOf, type Rule, type RuleContext } from '../src/rule-kit.js';
import type { ProjectView } from '../src/types.js';

/** A token of the python lexer, as far as this rule reads it. */
interface Token {
  type: string;
  text: string;
  offset: number;
}

interface Family {
  id: string;
  /** The generic file as a porter knows it. */
  name: string;
  /** A path template (placeholders `{}` or dropped variables) that builds a path of this family. */
  template: RegExp;
  /** The base name of one of its twins (the arch last, before any extension). */
  twin: RegExp;
  /** What a glob's parser would mistake the twin for. */
  mistaken?: string;
  example: string;
}

const ARCH = `(?:${ARCH_NAMES.join('|')})`;

const FAMILIES: readonly Family[] = [
  {
    id: 'pkg-dirs', name: '`debian_pkg_dirs*`', template: /_pkg_dirs(?![a-z])/, twin: new RegExp(`^[a-z]+(?:_[a-z0-9]+)*_pkg_dirs(?:_[a-z0-9]+)*_${ARCH}$`),
    mistaken: 'a build type', example: 'debian_pkg_dirs_arm64',
  },
  { id: 'iso-image', name: '`*_iso_image*.inc`', template: /_iso_image/, twin: new RegExp(`_iso_image(?:_[a-z0-9]+)*_${ARCH}\\.inc$`), mistaken: 'a build type', example: 'debian_iso_image_arm64.inc' },
  { id: 'image-inc', name: '`<distro>-<codename>-image.inc`', template: /-image\.inc$/, twin: new RegExp(`^[a-z]+(?:-[a-z]+)?-image_${ARCH}\\.inc$`), example: 'debian-bullseye-image_arm64.inc' },
  { id: 'base-yaml', name: '`base-<codename>.yaml`', template: /(?:^|[/{}])base-[^/]*\.yaml$/, twin: new RegExp(`^base-(?:initramfs-)?[a-z]+_${ARCH}\\.yaml$`), example: 'base-bullseye_arm64.yaml' },
  { id: 'os-lst', name: '`os-<build-type>.lst`', template: /(?:^|[/{}])os-[^/]*\.lst$/, twin: new RegExp(`^os-[a-z0-9]+_${ARCH}\\.lst$`), mistaken: 'a build type', example: 'os-std_arm64.lst' },
  { id: 'base-lst', name: '`base-<codename>.lst`', template: /(?:^|[/{}])base-[^/]*\.lst$/, twin: new RegExp(`^base-[a-z]+_${ARCH}\\.lst$`), example: 'base-bullseye_arm64.lst' },
  // dpkg-source's own `debian/patches/series` has no twin (only StarlingX's tools read these)
  { id: 'series', name: '`patches/series`', template: /(?:^|[/{}])(?<!(?:^|\/)(?:debian|deb_folder)\/)(?:deb_)?patches\/series$/, twin: new RegExp(`/(?:debian/[a-z]+/patches|deb_patches)/series_${ARCH}$`), example: 'series_arm64' },
];

const META_KEYS = /^(dl_path|dl_files)$/;
const LOOKUP = '`<l>_<bt>_<arch>` → `<l>_<bt>` → (std only) `<l>_<arch>` → `<l>`';

/** What one function does with twinnable files. */
interface Use {
  family: Family | 'meta';
  start: number;
  end: number;
  glob: boolean;
  /** The literal text the porter sees (`{}/{}_pkg_dirs*`). */
  shown: string;
  /** A glob whose matches go into a lookup map keyed by name (`{basename(f): f for f in glob(…)}`). */
  lookupMap?: boolean;
}

interface Fn {
  name: string;
  /** Code of the function (strings kept): where the arch-variant tests look. */
  code: string;
  calls: Set<string>;
  uses: Use[];
  /** The family templates its `.split`/`.replace`/`re.*` calls take apart (parsing names). */
  parses: Set<string>;
}

/** `_` + an arch value: `'_' + arch`, f'{l}_{arch}', '%s_%s' % (l, arch), `.endswith('_' + …)`, `_${ARCH}`, `_$(dpkg-architecture …)`. */
const ARCH_VALUE = String.raw`(?:(?:[\w.]*[._])?arch(?:_\w+)?\b|[\w.]*(?:\[|\.get\()['"]\w*ARCH\w*['"]\]?\)?|platform\.machine\(\)|[\w.]*uname[\w.()]*)`;
/**
 * ARCH_VALUE somewhere in an argument list (a test only: what `[\w.]*` would add before it, `[^)\n]*`
 * takes, so the value's own prefix and optional tail are left out and nothing backtracks).
 */
const ARCH_VALUE_IN_ARGS = String.raw`[^)\n]*(?:arch(?:_\w+)?\b|(?:\[|\.get\()['"]\w*ARCH\w*['"]|platform\.machine\(\)|uname)`;
const CONSIDERS_ARCH = new RegExp(
  [
    String.raw`_['"]\s*\+\s*` + ARCH_VALUE,
    String.raw`_\{` + ARCH_VALUE + String.raw`\}`,
    // from the last `_%s` before the quote: the same test, and no run of `_%s` is read again and again
    String.raw`_%s(?:(?!_%s)[^'"])*['"]\s*%\s*(?!\s)\(?` + ARCH_VALUE_IN_ARGS,
    String.raw`_\{\}(?:(?!_\{\})[^'"])*['"]\s*\.format\(` + ARCH_VALUE_IN_ARGS,
    String.raw`endswith\(\s*(?:f?['"]_|['"]_['"]\s*\+)`,
    String.raw`_\$\{?(?:\w*_)?arch(?:_\w+)?\b`,
    String.raw`_\$\((?:dpkg-architecture|dpkg\s+--print-architecture|uname)`,
  ].join('|'),
  'i',
);

/** The source of a path expression as the porter reads it, on one line and cut short. */
function shownSource(text: string, start: number, end: number): string {
  const s = text.slice(start, end).replace(/(?<!\s)\s*\n\s*/g, ' ');
  return s.length > 70 ? `${s.slice(0, 67)}...` : s;
}

/** The text of a python string token without prefix and quotes (f-string fields kept as `{…}`). */
function stringValue(t: Token): string {
  const m = /^[rRbBuUfF]{0,2}('''|"""|'|")([^]*?)\1?$/.exec(t.text);
  return m ? (m[2] as string) : t.text;
}

const MESSAGE_CALL = /^(?:print|[\w.]*(?:logger|logging|log|LOG)\.\w+|[\w.]*\.(?:info|debug|warning|warn|error|critical|exception)|raise|assert|sys\.exit)$/;

/** The python functions (`def` blocks by indentation; module-level code is one more) and their uses. */
function pythonFunctions(ctx: RuleContext): Fn[] {
  const py = scriptModel(ctx)?.python;
  if (!py) return [];
  const text = ctx.file.text;
  const docstrings = new Set(py.docstrings.map((d) => d.offset));
  const fns: Fn[] = [];
  const module: Fn = { name: '<module>', code: '', calls: new Set(), uses: [], parses: new Set() };
  const open: { fn: Fn; indent: number }[] = [];
  for (const line of py.lines) {
    while (open.length && line.indent <= (open[open.length - 1] as { indent: number }).indent) open.pop();
    const toks = line.tokens;
    const first = toks[0];
    const isDef = first?.text === 'def' || (first?.text === 'async' && toks[1]?.text === 'def');
    const fn = open.length ? (open[open.length - 1] as { fn: Fn }).fn : module;
    if (isDef) {
      const name = toks[first?.text === 'def' ? 1 : 2]?.text ?? '?';
      const f: Fn = { name, code: '', calls: new Set(), uses: [], parses: new Set() };
      fns.push(f);
      open.push({ fn: f, indent: line.indent });
      continue;
    }
    fn.code += text.slice(line.start, line.end) + '\n';
    readPythonLine(text, toks, docstrings, fn);
  }
  return [...fns, module];
}

/** Reads one logical line: calls, key reads, and path templates built from its strings. */
function readPythonLine(text: string, toks: readonly Token[], docstrings: ReadonlySet<number>, fn: Fn): void {
  const head = toks.slice(0, toks.findIndex((t) => t.text === '(') + 1 || 1).map((t) => t.text).join('').replace(/\($/, '');
  if (MESSAGE_CALL.test(head)) return;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.type === 'name' && toks[i + 1]?.text === '(' && toks[i - 1]?.text !== '.' && toks[i - 1]?.text !== 'def') fn.calls.add(t.text);
    if (t.type === 'name' && toks[i + 1]?.text === '(' && toks[i - 1]?.text === '.' && toks[i - 2]?.text === 'self') fn.calls.add(t.text);
  }
  // strings joined by `+`, `%`, `.format`, `os.path.join`, `''.join([...])` make one template
  let piece: { text: string; start: number; end: number } | undefined;
  const pieces: { text: string; start: number; end: number; before: Token[] }[] = [];
  let before: Token[] = [];
  let gap: Token[] = [];
  const inJoin = /\bjoin\(/.test(toks.map((t) => t.text).join(''));
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.type !== 'string' || docstrings.has(t.offset)) {
      gap.push(t);
      continue;
    }
    const v = stringValue(t);
    const key = META_KEYS.exec(v);
    if (key) {
      const prev = toks[i - 1];
      const subscript = prev?.text === '[' && (toks[i - 2]?.type === 'name' || toks[i - 2]?.type === 'close' || toks[i - 2]?.type === 'string');
      const get = prev?.text === '(' && toks[i - 2]?.text === 'get' && toks[i - 3]?.text === '.';
      const member = toks[i + 1]?.text === 'in' || (toks[i + 1]?.text === 'not' && toks[i + 2]?.text === 'in');
      if (subscript || get || member) fn.uses.push({ family: 'meta', start: t.offset, end: t.offset + t.text.length, glob: false, shown: key[1] as string });
    }
    // `'base-' + codename + '.lst'`, `['os-', build_type, '.lst']` (a ''.join), `os.path.join(d, 'a', 'b')`
    const joined = piece && gap.length <= 3 && gap.every((g) => /^(?:\+|,|%|\w+|\.)$/.test(g.text)) &&
      (gap.some((g) => g.text === '+' || g.text === '%' || g.type === 'name') || (gap.length === 1 && inJoin));
    if (piece && joined) {
      piece.text += (gap.some((g) => g.text !== '+') ? '{}' : '') + v;
      piece.end = t.offset + t.text.length;
    } else {
      if (piece) pieces.push({ ...piece, before });
      before = gap;
      piece = { text: v, start: t.offset, end: t.offset + t.text.length };
    }
    gap = [];
  }
  if (piece) pieces.push({ ...piece, before });
  for (const p of pieces) {
    if (/\s/.test(p.text)) continue;
    const family = FAMILIES.find((f) => f.template.test(p.text.replace(/(?<!\*)\*+(?=\.|$)/, '').replace(/\{\}$/, '')) || f.template.test(p.text));
    if (!family) continue;
    const callee = p.before.map((g) => g.text).join('');
    // taking a name apart (`.split("_pkg_dirs_")`) is parsing, not building a path
    if (/(?:\.(?:split|rsplit|partition|rpartition|replace|startswith|endswith)|re\.\w+)\($/.test(callee)) {
      fn.parses.add(family.id);
      continue;
    }
    // `os.path.join(metadata, "patches/series")` where `metadata` is the deb_folder: dpkg-source's series, no twin
    const base = /\bjoin\(\s*([\w.]+)\s*,$/.exec(callee)?.[1];
    if (family.id === 'series' && base && new RegExp(`(?:^|\\s)${base.replace(/\./g, '\\.')}\\s*=[^\\n]*deb_folder`).test(fn.code)) continue;
    const glob = /[*?]/.test(p.text) || /\bi?glob\($/.test(callee);
    fn.uses.push({ family, start: p.start, end: p.end, glob, shown: shownSource(text, p.start, p.end), lookupMap: glob && isLookupMap(toks) });
  }
}

/**
 * A glob merged into a map keyed by name: a dict comprehension (`{os.path.basename(f): f for f in
 * glob(…)}`), or a loop over it that stores each match under a key (`lists[name] = f`), where
 * the reader then looks names up.
 */
function isLookupMap(toks: readonly Token[]): boolean {
  const code = toks.map((t) => t.text).join(' ');
  return /^(?:return |[\w.]+ (?:=|\|=) )?\{ .* : .* \bfor\b .*\}$/.test(code) || /\bdict \(/.test(code);
}

/** Shell functions (`name() {` … `}` at the start of a line) and top-level code, read as words with `$…` made `{}`. */
function shellFunctions(ctx: RuleContext): Fn[] {
  const text = ctx.file.text;
  const top: Fn = { name: '<script>', code: '', calls: new Set(), uses: [], parses: new Set() };
  const fns: Fn[] = [];
  let fn = top;
  const lineRe = /[^\n]*\n?/g;
  for (const m of text.matchAll(lineRe)) {
    if (!m[0]) break;
    const start = m.index ?? 0;
    const line = m[0].replace(/\r?\n$/, '');
    const def = /^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)(?:\s*\{)?\s*$/.exec(line) ?? /^\s*function\s+([A-Za-z_][\w-]*)(?:\s*\{)?\s*$/.exec(line);
    if (def) {
      fn = { name: def[1] as string, code: '', calls: new Set(), uses: [], parses: new Set() };
      fns.push(fn);
      continue;
    }
    if (/^\}/.test(line)) {
      fn = top;
      continue;
    }
    if (/^\s*#/.test(line) || /^\s*(?:echo|printf|log\w*|info|warn\w*|error|die)\b/.test(line)) continue;
    const code = line.replace(/\s#.*$/, '');
    fn.code += code + '\n';
    // a line that writes a list of the family (`… >> ./os-std.lst.new`) maintains the list by hand: it builds nothing
    const written = /(?:^|[^<>])>>?\s*(\S+)/.exec(code)?.[1] ?? '';
    if (FAMILIES.some((f) => f.template.test(written.replace(/\.(?:new|tmp|bak|orig)$/, '')))) continue;
    for (const w of code.matchAll(/\S+/g)) {
      const word = w[0];
      const shown = word.replace(/^[\w-]+=/, '').replace(/(?<![;)])[;)]+$/, '');
      const tpl = shown.replace(/\$\{[^}]*\}|\$\([^)]*\)|\$\w+/g, '{}').replace(/(?<![;)])[;)]+$/, '');
      const family = FAMILIES.find((f) => f.template.test(tpl.replace(/(?<!\*)\*+(?=\.|$)/, '')) || f.template.test(tpl));
      if (!family || /^[\w-]+=\{\}$/.test(tpl)) continue;
      const at = start + (w.index ?? 0);
      fn.uses.push({ family, start: at, end: at + word.length, glob: /[*?]/.test(tpl), shown });
    }
  }
  return [...fns, top];
}

/** Which families have a twin among the project's paths (cached per project view). */
const PATH_TWINS = Symbol('twin-unaware-reader twins by path');
function twinsByPath(view: ProjectView): Map<string, string> {
  return projectMemo(view, PATH_TWINS, '', (project) => {
    const out = new Map<string, string>();
    for (const p of project.paths()) {
      const name = p.slice(p.lastIndexOf('/') + 1);
      for (const f of FAMILIES) if (!out.has(f.id) && (f.twin.test(name) || (f.id === 'series' && f.twin.test(p)))) out.set(f.id, name);
    }
    return out;
  });
}

/** The first per-arch download key (`dl_path_arm64`) of the project's meta_data.yaml files (cached per project view). */
const META_TWIN = Symbol('twin-unaware-reader meta_data.yaml twin key');
const META_TWIN_KEY = new RegExp(`^\\s*(dl_path|dl_files)_${ARCH}\\s*:`, 'm');
function metaTwin(view: ProjectView): string | undefined {
  return projectMemo(view, META_TWIN, '', (project) => {
    for (const p of project.paths()) {
      if (p.slice(p.lastIndexOf('/') + 1) !== 'meta_data.yaml') continue;
      const file = project.get(p);
      // a file without `dl_path_`/`dl_files_` is not decoded
      if (!file || (!fileIncludes(file, 'dl_path_') && !fileIncludes(file, 'dl_files_'))) continue;
      const key = META_TWIN_KEY.exec(file.text);
      if (key) return key[0].trim().replace(/:$/, '');
    }
    return undefined;
  });
}

/** True when a function (or a helper of the same file it calls) appends `_<arch>` or filters on it. */
function considersArch(fn: Fn, byName: ReadonlyMap<string, Fn>, seen = new Set<Fn>()): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  if (CONSIDERS_ARCH.test(fn.code)) return true;
  return [...fn.calls].some((c) => {
    const h = byName.get(c);
    return !!h && considersArch(h, byName, seen);
  });
}

const rule: Rule<{ archLists: string }> = {
  id: 'twin-unaware-reader',
  description: 'Build-tool code that reads a list or metadata file with arch twins by its generic name only, or globs over the twins.',
  appliesTo: ['python', 'shell'],
  severity: 'warning',
  fixable: 'none',
  defaultOptions: { archLists: '' },
  // a reader builds a path of a family from python string values or a shell word (every word of its template is in one,
  // next to what stands next to it there, or to a quote), or reads a meta_data key
  trigger: {
    python: triggerAllOf(FAMILIES.flatMap((f) => requiredWordGroups(f.template, 'string') ?? [undefined]), ['dl_path', 'dl_files']),
    shell: triggerAllOf(FAMILIES.flatMap((f) => requiredWordGroups(f.template, 'split') ?? [undefined])),
  },
  docs: {
    rationale:
      'StarlingX ports keep per-arch lists as twins (DESIGN §6): `debian_pkg_dirs_arm64`, `debian_iso_image_arm64.inc`, ' +
      '`base-bullseye_arm64.lst`, `dl_path_arm64` in meta_data.yaml — the twin replaces the generic list on its arch. A build ' +
      'tool that opens only the generic name builds the x86 list on arm64 (the twin is dead); one that globs the family ' +
      '(`{distro}_pkg_dirs*`, `base-<codename>*.lst`) reads other arches\' twins too, and one that parses the names takes ' +
      'the twin for something else (`debian_pkg_dirs_arm64` becomes a build type `arm64`). A function is a reader when it builds ' +
      'such a path (string, `os.path.join`, `+`, `%`, f-string, `.format`, shell word) or reads `dl_path`/`dl_files`, and is ' +
      'silent when it, or a helper of the same file it calls, appends `_<arch>` (an `arch` parameter, `platform.machine()`, ' +
      '`dpkg-architecture`, `DEB_HOST_ARCH`) or filters names ending in `_<arch>`. A glob whose matches go only into a ' +
      'lookup map is harmless, and so is a shell line that writes a list of the family (`… > base-bullseye.lst.new`: ' +
      'maintaining the list by hand, not building from it). Series twins are StarlingX\'s own (`debian/<codename|all>/patches/series`, ' +
      '`deb_patches/series`): a path to dpkg-source\'s `debian/patches/series`, or a deb_folder\'s, has none. The rule runs only where twins matter: for a family with a twin in the linted trees (one ' +
      'this run\'s `--fix` creates counts), or for every family when the config sets `archLists: "twin"` explicitly (this ' +
      'rule\'s option or arch-only-list-entry\'s). Without twins the generic readers are right and it says nothing.',
    bad: {
      path: 'build-tools/discover.py',
      text: 'import glob\n\n\ndef build_types(proj_dir):\n    types = []\n    for f in glob.glob("{}/debian_pkg_dirs*".format(proj_dir)):\n        types.append(f.split("_pkg_dirs_")[-1])\n    return types\n',
    },
    good: {
      path: 'build-tools/discover.py',
      text: 'import os\n\n\ndef pkg_dirs_file(proj_dir, build_type, arch):\n    for name in ("debian_pkg_dirs_{}_{}".format(build_type, arch), "debian_pkg_dirs_" + build_type):\n        path = os.path.join(proj_dir, name)\n        if os.path.isfile(path):\n            return path\n    return None\n',
    },
    context: [{ path: 'config/debian_pkg_dirs_arm64', text: 'tools/collector\n' }],
  },
  check(ctx) {
    const explicit = ctx.options.archLists === 'twin' || ctx.explicitOptions?.('arch-only-list-entry').archLists === 'twin';
    // Only python code that names the `dl_path`/`dl_files` keys reads meta_data.yaml twins: the
    // other files need not read (and depend on, FileResult.dependsOn) every meta_data.yaml.
    const meta = ctx.kind === 'python' && /dl_path|dl_files/.test(ctx.file.text) ? metaTwin(ctx.project) : undefined;
    const twins = meta ? new Map([...twinsByPath(ctx.project), ['meta', meta]]) : twinsByPath(ctx.project);
    if (!explicit && twins.size === 0) return;
    const fns = ctx.kind === 'python' ? pythonFunctions(ctx) : shellFunctions(ctx);
    const byName = new Map(fns.map((f) => [f.name, f]));
    for (const fn of fns) {
      if (!fn.uses.length || considersArch(fn, byName)) continue;
      const reported = new Set<string>();
      // a loop over a glob that stores each match under a key (`lists[name] = f`) fills a lookup map
      const keyed = /^[^\S\n\r\u2028\u2029]*[\w.]+\[[^\]\n]+\]\s*=\s*[\w.]+\s*$/m.test(fn.code);
      for (const use of fn.uses) {
        if (use.lookupMap || (use.glob && keyed && /\bfor\s+\w+\s+in\b/.test(fn.code))) continue;
        const id = use.family === 'meta' ? 'meta' : use.family.id;
        if (reported.has(id) || (!explicit && !twins.has(id))) continue;
        reported.add(id);
        const where = fn.name.startsWith('<') ? 'this script' : `\`${fn.name}\``;
        const twin = twins.get(id);
        if (use.family === 'meta') {
          const example = twin ?? `${use.shown}_arm64`;
          ctx.report({
            at: [use.start, use.end],
            message: `${where} reads the meta_data key \`${use.shown}\` and never an arch-keyed twin (\`${example}\`, DESIGN §6): on that arch it downloads the generic file; read \`${use.shown}_<arch>\` first, then \`${use.shown}\``,
          });
          continue;
        }
        const f = use.family;
        const example = twin ?? f.example;
        // a glob's matches: parsed here or by a caller of this function in the same file
        const parsers = fns.filter((g) => g.parses.has(f.id) && (g === fn || g.calls.has(fn.name)));
        let what: string;
        if (use.glob && parsers.length && f.mistaken) {
          const suffix = /_([a-z0-9]+)(?:\.\w+)?$/.exec(example)?.[1] ?? 'arm64';
          what = `globs \`${use.shown}\` and takes each match's name apart (${parsers.map((g) => (g.name.startsWith('<') ? 'this script' : `\`${g.name}\``)).join(', ')}): the twin \`${example}\` would become ${f.mistaken} \`${suffix}\`, on every arch`;
        } else if (use.glob) {
          what = `globs \`${use.shown}\`: it reads every arch's twin (\`${example}\`) on every arch`;
        } else {
          what = `builds the path \`${use.shown}\` of ${f.name} and never looks up its arch twin (\`${example}\`): on that arch it reads the generic list`;
        }
        ctx.report({
          at: [use.start, use.end],
          message: `${where} ${what}; look twins up in the order ${LOOKUP} (DESIGN §6)${use.glob ? ', and keep names ending in `_<arch>` out of the glob' : ''}`,
        });
      }
    }
  },
};

export default rule;
