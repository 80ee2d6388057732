/**
 * The pure lint engine: files and settings in, findings out. No file system, no process.
 */
import type { ResolvedConfig } from '../config/index.js';
import { classify, kindSupport, type EmbeddedText, type KindSupport, type ParsedFile } from '../kinds/index.js';
import { pathArches } from '../arch.js';
import { sourceDirScope } from '../control-kit.js';
import { x86ImageInstalls } from '../docker-kit.js';
import { byCodeUnit } from '../order.js';
import { SourceFile } from '../source.js';
import type {
  AnyRule, Edit, FileKind, FileProblem, Finding, Fix, ProjectView, Range, RelatedLocation, RelatedPlace, Report, RuleContext,
  Severity,
} from '../types.js';
import { archLookup, suiteForPath } from '../archdb/index.js';
import { parseDirectives, type Directives } from './directives.js';
import { triggerIndex } from './triggers.js';
import type { BinaryHeader } from '../binary-header.js';
import { recordingView, type ProjectReads } from '../project-view.js';

export interface LintTarget {
  file: SourceFile;
  kind: FileKind;
  config: ResolvedConfig;
}

export interface RuleCrash {
  ruleId: string;
  path: string;
  line: number;
  message: string;
}

export interface FileResult {
  path: string;
  kind: FileKind;
  findings: Finding[];
  problems: FileProblem[];
  crashes: RuleCrash[];
  /** False when the file must not be fixed (invalid UTF-8, unreadable structure). */
  fixable: boolean;
  /**
   * The paths this lint asked the project for (rules and the engine alike, existing or not),
   * sorted by UTF-16 code unit: a change to one of them, or its creation, may change these findings.
   */
  dependsOn: string[];
  /** True when this lint listed every path of the project: a file a fix creates may change these findings. */
  readsAll: boolean;
}

/** The context object rules see, plus the cursor the rule kit moves for crash reports. */
export interface EngineContext extends RuleContext {
  cursor: { offset: number };
}

const overlaps = (a: Range, b: Range): boolean =>
  a[0] < b[1] && b[0] < a[1] || (a[0] === a[1] && a[0] >= b[0] && a[0] < b[1]) || (b[0] === b[1] && b[0] >= a[0] && b[0] < a[1]);

export function parseFor(target: LintTarget): ParsedFile {
  return (kindSupport(target.kind) as KindSupport).parse(target.file.text, target.config.architectures, target.file.path);
}

export interface LintOptions {
  /**
   * Read no directive comments: nothing is suppressed, and the directive rules have nothing to
   * report (CI that must not trust inline suppressions).
   */
  ignoreDirectives?: boolean;
  /** The tree's files that are not linted and their header facts (ProjectView.binary), read by the CLI. */
  binaries?: BinaryFacts;
  /**
   * False: run every rule on every file, without testing the rules' triggers first (the CLI's
   * hidden `DEBARCH_LINT_NO_PREFILTER=1`; the output must be the same either way).
   */
  prefilter?: boolean;
  /** Called before each file is linted (the CLI's progress line). */
  onFile?: (path: string) => void;
}

/** Directives as if the file had none. */
const NO_DIRECTIVES: Directives = {
  list: [],
  invalid: [],
  ran: new Set<string>(),
  suppress: () => undefined,
  unused: () => [],
};

/** `dir/name_<arch>.ext` (`stx-lat-tool_arm64.Dockerfile`), or `dir/name_<arch>` without an extension. */
function twinPathOf(path: string, arch: string): string {
  const slash = path.lastIndexOf('/') + 1;
  const name = path.slice(slash);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${path.slice(0, slash)}${name.slice(0, dot)}_${arch}${name.slice(dot)}` : `${path}_${arch}`;
}

const kindOf = (path: string): FileKind | undefined => classify(path)?.kind;

/** The rules' ids and the rules by id, once per rule list (the same list lints every file). */
const ruleIndexes = new WeakMap<readonly AnyRule[], { ids: ReadonlySet<string>; byId: ReadonlyMap<string, AnyRule> }>();
function ruleIndex(rules: readonly AnyRule[]): { ids: ReadonlySet<string>; byId: ReadonlyMap<string, AnyRule> } {
  let index = ruleIndexes.get(rules);
  if (!index) ruleIndexes.set(rules, (index = { ids: new Set(rules.map((r) => r.id)), byId: new Map(rules.map((r) => [r.id, r])) }));
  return index;
}

export function lintFile(target: LintTarget, rules: readonly AnyRule[], view: ProjectView, options: LintOptions = {}): FileResult {
  const { file, kind, config } = target;
  // The prefilter (DESIGN §7): only rules whose trigger occurs in the text run; a file that
  // triggers none is not parsed at all (so a lexer problem in it goes unsaid: it has nothing to fix),
  // nor decoded when it was read from bytes (the prefilter scans those).
  const triggered = options.prefilter === false ? undefined : triggerIndex(rules, kindOf).testFile(kind, file);
  if (triggered && triggered.rules.length === 0 && !triggered.embedded) {
    const problems: FileProblem[] = file.validUtf8 ? [] : [{ path: file.path, level: 'notice', message: 'not valid UTF-8; linted, but not fixed' }];
    return { path: file.path, kind, findings: [], problems, crashes: [], fixable: file.validUtf8, dependsOn: [], readsAll: false };
  }
  const running = triggered ? triggered.rules : rules;
  // everything below, the engine's own reads included, reads the project through this view
  const reads: ProjectReads = { paths: new Set(), all: false };
  const project = recordingView(view, reads);
  const parsed = parseFor(target);
  // A file whose name or folder names an arch (`debian_pkg_dirs_arm64`, `x86/`) is that arch's
  // own: every line of it is reached by those arches only (DESIGN §2).
  const own = pathArches(file.path);
  if (own.length > 0) parsed.guards.addRegion({ start: 0, end: file.text.length, arches: new Set(own), positive: true, subject: 'host' });
  // A Dockerfile or image yaml with a `<name>_<arch>` twin beside it (`tool_arm64.Dockerfile`,
  // `base-bullseye_arm64.yaml`) is not read on that arch: the rest reach it.
  const twinned = kind === 'dockerfile' || kind === 'yaml' ? config.architectures.filter((a) => project.get(twinPathOf(file.path, a))) : [];
  if (own.length === 0 && twinned.length > 0) {
    parsed.guards.addRegion({ start: 0, end: file.text.length, arches: new Set(config.architectures.filter((a) => !twinned.includes(a))), positive: true, subject: 'host' });
  }
  // the archive facts of the file's suite, once per file (every rule's context holds the same lookup)
  const archive = archLookup(suiteForPath(file.path, config.suite), config.curated);
  // So is a file of a source dir only some arches build (curated x86-only, left out of a twin list).
  const dir = sourceDirScope(file.path, project, archive, config.architectures);
  if (dir.arches.length > 0 && config.architectures.some((a) => !dir.arches.includes(a))) {
    parsed.guards.addRegion({ start: 0, end: file.text.length, arches: new Set(dir.arches), positive: true, subject: 'host' });
  }
  // A Dockerfile whose image installs x86 hardware tooling (pcm, accel-config) is built by the
  // arches that have it only: the whole file is theirs (arch-only-list-entry reads the reach
  // inside it without this scope, for its image-level finding).
  if (kind === 'dockerfile') {
    const lacking = x86ImageInstalls(file.text, archive, (o) => parsed.guards.reachAt(o).configured);
    const builds = config.architectures.filter((a) => !lacking.some((h) => h.lacks.includes(a)));
    if (lacking.length > 0 && builds.length > 0) {
      parsed.guards.addRegion({ start: 0, end: file.text.length, arches: new Set(builds), positive: true, subject: 'host', image: true });
    }
  }
  const problems: FileProblem[] = parsed.problems.map((p) => ({
    path: file.path,
    level: 'notice',
    line: file.position(p.offset).line,
    message: `${p.message}; linted, but not fixed`,
  }));
  if (!file.validUtf8) {
    problems.push({ path: file.path, level: 'notice', message: 'not valid UTF-8; linted, but not fixed' });
  }
  const fixable = file.validUtf8 && parsed.problems.length === 0;
  const directives = options.ignoreDirectives
    ? { ...NO_DIRECTIVES, ran: new Set<string>() }
    : parseDirectives(file.text, parsed, ruleIndex(rules).ids);
  const crashes: RuleCrash[] = [];
  const findings: Finding[] = [];
  const byRule = ruleIndex(rules).byId;
  const ran = new Set<string>();

  const summaries = new Map<Finding, (count: number) => string>();
  const groups = new Map<Finding, string>();
  const place = (l: RelatedLocation): RelatedPlace => {
    const f = l.path === file.path ? file : project.get(l.path);
    const start = f?.position(l.range[0]) ?? { line: 1, column: 1 };
    const end = f?.position(l.range[1]) ?? start;
    return { path: l.path, range: l.range, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
  const makeFinding = (rule: AnyRule, severity: Severity, r: Report): Finding => {
    const start = file.position(r.at[0]);
    const end = file.position(r.at[1]);
    const f: Finding = {
      ruleId: rule.id,
      severity,
      path: file.path,
      range: [r.at[0], r.at[1]],
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      message: r.message,
    };
    if (r.fix) f.fix = r.fix;
    if (r.suggest && r.suggest.length > 0) f.suggestions = r.suggest;
    if (r.related && r.related.length > 0) f.related = r.related.map(place);
    if (r.summary) summaries.set(f, r.summary);
    if (r.group) groups.set(f, r.group);
    return f;
  };

  const runRule = (rule: AnyRule, sink: Finding[]): void => {
    const setting = config.rules.get(rule.id);
    if (!setting || setting.severity === 'off' || !rule.appliesTo.includes(kind)) return;
    const configured = setting.severity;
    ran.add(rule.id);
    const ctx: EngineContext = {
      file,
      kind,
      options: setting.options,
      explicitOptions: (id: string) => config.rules.get(id)?.explicit ?? {},
      architectures: config.architectures,
      guards: parsed.guards,
      project,
      placeholder: config.placeholder,
      checkComments: config.checkComments,
      comments: parsed.comments,
      make: parsed.make,
      control: parsed.control,
      archive,
      directives,
      cursor: { offset: 0 },
      report(r: Report) {
        const sev = r.severity && configured === rule.severity ? r.severity : configured;
        sink.push(makeFinding(rule, sev, r));
        ctx.cursor.offset = r.at[0];
      },
    };
    try {
      rule.check(ctx);
    } catch (e) {
      const err = e as Error;
      crashes.push({
        ruleId: rule.id,
        path: file.path,
        line: file.position(ctx.cursor.offset).line,
        message: `${err?.message ?? String(e)}`,
      });
    }
  };

  for (const rule of running) if (rule.phase !== 'after') runRule(rule, findings);
  // A rule the prefilter skipped ran in effect: it could not report here (unused-directive counts it).
  for (const rule of triggered?.skipped ?? []) {
    const setting = config.rules.get(rule.id);
    if (setting && setting.severity !== 'off' && rule.phase !== 'after') ran.add(rule.id);
  }

  // One range, one finding: the most specific rule wins.
  // Superseding findings are few and indexed by line, so this stays linear on big files.
  const superseders = new Map<number, Finding[]>();
  for (const g of findings) {
    if (!byRule.get(g.ruleId)?.supersedes?.length) continue;
    for (let l = g.line; l <= g.endLine; l++) superseders.set(l, [...(superseders.get(l) ?? []), g]);
  }
  const supersededBy = (f: Finding, g: Finding): boolean =>
    g !== f && (byRule.get(g.ruleId)?.supersedes ?? []).includes(f.ruleId) && overlaps(g.range, f.range);
  const kept = findings.filter((f) => {
    for (let l = f.line; l <= f.endLine; l++) if ((superseders.get(l) ?? []).some((g) => supersededBy(f, g))) return false;
    return true;
  });
  const seen = new Set<string>();
  const unique = kept.filter((f) => {
    const key = `${f.ruleId}\u0000${f.range[0]}\u0000${f.range[1]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const visible = mergeFileLevelFixes(unique.filter((f) => !directives.suppress(f)), summaries, groups);

  // The directive rules run last and count only the rules that ran.
  for (const id of ran) directives.ran.add(id);
  const after: Finding[] = [];
  for (const rule of running) if (rule.phase === 'after') runRule(rule, after);
  const all = [...visible, ...after];
  for (const emb of parsed.embedded ?? []) for (const f of lintEmbedded(file, emb, target.config, rules, project, options, crashes)) all.push(f);

  if (!fixable) {
    for (const f of all) {
      if (f.fix) {
        f.suggestions = [f.fix, ...(f.suggestions ?? [])];
        delete f.fix;
      }
    }
  }
  all.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || byCodeUnit(a.ruleId, b.ruleId));
  // default sort: by UTF-16 code unit
  return { path: file.path, kind, findings: all, problems, crashes, fixable, dependsOn: [...reads.paths].sort(), readsAll: reads.all };
}

/** Where the other places of a merged finding are, for one-line formats: `on this line`, `: lines 8, 9, 12 …`. */
function elsewhereIn(first: Finding, rest: readonly Finding[]): string {
  const lines = [...new Set(rest.map((f) => f.line))];
  if (lines.length === 1 && lines[0] === first.line) return ' on this line';
  return `: ${lines.length === 1 ? 'line' : 'lines'} ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ' …' : ''}`;
}

/**
 * One file-level fix, one finding (DESIGN §4): the findings of one rule in one file that carry
 * the same fix object (the twin of a list, one edit of many lines) or the same `group` (one
 * change the porter makes by hand), at the same severity, become one finding at the first
 * place, its message counting them (the rule's `summary`), and every other place a related
 * location that keeps its own message (changed-lines mode reports it there).
 */
export function mergeFileLevelFixes(
  findings: readonly Finding[],
  summaries: ReadonlyMap<Finding, (count: number) => string>,
  named: ReadonlyMap<Finding, string> = new Map(),
): Finding[] {
  const groups = new Map<Fix | string, Map<string, Finding[]>>();
  for (const f of findings) {
    const fix = f.fix ?? f.suggestions?.[0] ?? named.get(f);
    if (!fix) continue;
    const byRule = groups.get(fix) ?? new Map<string, Finding[]>();
    groups.set(fix, byRule);
    const key = `${f.ruleId}\u0000${f.severity}`;
    const group = byRule.get(key);
    if (group) group.push(f);
    else byRule.set(key, [f]);
  }
  const merged = new Map<Finding, Finding | null>();
  for (const byRule of groups.values()) {
    for (const group of byRule.values()) {
      if (group.length < 2) continue;
      group.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
      const [first, ...rest] = group as [Finding, ...Finding[]];
      const summary = summaries.get(first);
      const one: Finding = {
        ...first,
        message: summary ? summary(group.length) : `${first.message} (and ${rest.length} more like it${elsewhereIn(first, rest)})`,
        related: [
          ...(first.related ?? []),
          ...rest.flatMap((f): RelatedPlace[] => [
            { path: f.path, range: f.range, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, message: f.message },
            ...(f.related ?? []),
          ]),
        ],
      };
      merged.set(first, one);
      for (const f of rest) merged.set(f, null);
    }
  }
  if (merged.size === 0) return [...findings];
  return findings.flatMap((f) => {
    const m = merged.get(f);
    return m === undefined ? [f] : m === null ? [] : [m];
  });
}

/**
 * Lints a text embedded in `host` (a patch hunk's post-image) as its own kind and keeps the
 * findings that land on lines the host may report (a patch's `+` lines), at host offsets. A fix
 * survives as edits of those lines (lines it adds become `+` lines, and the hunk headers are
 * rewritten for the new line count); edits elsewhere (an added `include` in a file the patch does
 * not show) are dropped and the rest is offered as a suggestion.
 */
function lintEmbedded(
  host: SourceFile, emb: EmbeddedText, config: ResolvedConfig, rules: readonly AnyRule[], project: ProjectView,
  options: LintOptions, crashes: RuleCrash[],
): Finding[] {
  const file = new SourceFile(`${host.path}/${emb.target}`, emb.text);
  const sub = lintFile({ file, kind: emb.kind, config }, rules, project, options);
  for (const c of sub.crashes) crashes.push({ ...c, path: host.path, line: host.position(emb.toHost(0, 0)?.[0] ?? 0).line });
  const mapFix = (f: Fix): { fix: Fix; whole: boolean } | undefined => {
    const edits: Edit[] = [];
    let lines = 0;
    for (const e of f.edits) {
      const m = !e.create && (e.path === undefined || e.path === file.path) ? emb.mapEdit(e.range[0], e.range[1], e.text) : undefined;
      if (!m) continue;
      edits.push({ range: m.range, text: m.text });
      lines += m.lines;
    }
    if (edits.length === 0) return undefined;
    const whole = edits.length === f.edits.length;
    // A hunk that gains or loses lines gets its header (and the later hunks' headers) rewritten.
    if (lines !== 0) edits.push(...emb.lineCountEdits(lines));
    return { fix: { description: whole ? f.description : `${f.description} (only in the patch's lines: the patched file is not visible)`, edits }, whole };
  };
  const out: Finding[] = [];
  for (const f of sub.findings) {
    const at = emb.toHost(f.range[0], f.range[1]);
    if (!at) continue;
    const start = host.position(at[0]);
    const end = host.position(at[1]);
    const g: Finding = { ...f, path: host.path, range: at, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
    const related = (f.related ?? []).flatMap((l): RelatedPlace[] => {
      if (l.path !== file.path) return [l];
      const r = emb.toHost(l.range[0], l.range[1]);
      if (!r) return [];
      const a = host.position(r[0]);
      const b = host.position(r[1]);
      return [{ ...l, path: host.path, range: r, line: a.line, column: a.column, endLine: b.line, endColumn: b.column }];
    });
    if (related.length) g.related = related;
    else delete g.related;
    delete g.fix;
    delete g.suggestions;
    const fixed = f.fix ? mapFix(f.fix) : undefined;
    const suggestions = (f.suggestions ?? []).map(mapFix).filter((x) => x !== undefined).map((x) => x.fix);
    if (fixed?.whole) g.fix = fixed.fix;
    else if (fixed) suggestions.unshift(fixed.fix);
    if (suggestions.length) g.suggestions = suggestions;
    out.push(g);
  }
  return out;
}

/** A read-only project view over a map of files. */
/** What the CLI knows of the files it does not lint: their paths, and the header of a committed binary on demand. */
export interface BinaryFacts {
  paths: readonly string[];
  header(path: string): BinaryHeader | undefined;
}

export function projectView(files: ReadonlyMap<string, SourceFile>, binaries?: BinaryFacts): ProjectView {
  // one array per view, not a copy per call: kits scan it for every file that asks
  let list: readonly string[] | undefined;
  return {
    paths: () => (list ??= Object.freeze([...files.keys()])),
    get: (p: string) => files.get(p),
    ...(binaries ? { binary: (p: string) => binaries.header(p), unlinted: () => binaries.paths } : {}),
  };
}

/** Lints every target against the same project view. */
export function lintProject(targets: readonly LintTarget[], rules: readonly AnyRule[], options: LintOptions = {}): FileResult[] {
  const files = new Map(targets.map((t) => [t.file.path, t.file]));
  const view = projectView(files, options.binaries);
  return targets.map((t) => {
    options.onFile?.(t.file.path);
    return lintFile(t, rules, view, options);
  });
}
