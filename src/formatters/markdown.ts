/**
 * `--format markdown`: the porting report (DESIGN §8), an mdast tree serialised with
 * mdast-util-to-markdown and its GFM tables (cells escaped by the serialiser, never glued
 * strings). Loaded only for this format (./load.ts).
 *   - a summary; per project: findings by rule and severity, and what `--fix` and
 *     `--fix --unsafe` would change;
 *   - the package table: one row per source dir a `debian_pkg_dirs*` list names (std and rt), its
 *     source package, and its arm64 status: x86-only > excluded in the arm64 twin > blocked >
 *     needs fixes > no findings;
 *   - the image table: the container images the tree names, where, and what the tree says of
 *     their arch. No registry is queried.
 * Everything is ordered by UTF-16 code unit, so the reports of successive runs diff.
 */
import path from 'node:path';
import type { Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { archLookup, suiteForPath } from '../archdb/index.js';
import type { Finding, Severity } from '../types.js';
import { reportFacts, type ReportFacts } from './report-facts.js';
import type { Formatter, FormatOptions, LintReport } from './types.js';
import { allFindings, plural, summarize } from './types.js';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const DEFAULT_SUITE = 'bullseye';

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value });
const cell = (...children: PhrasingContent[]): TableCell => ({ type: 'tableCell', children });
const row = (cells: (string | PhrasingContent[])[]): TableRow => ({ type: 'tableRow', children: cells.map((c) => (typeof c === 'string' ? cell(text(c)) : cell(...c))) });
const table = (head: string[], rows: (string | PhrasingContent[])[][], numeric: readonly number[] = []): Table => ({
  type: 'table',
  align: head.map((_, i) => (numeric.includes(i) ? 'right' : null)),
  children: [row(head), ...rows.map(row)],
});
const heading = (depth: 1 | 2 | 3, value: string): RootContent => ({ type: 'heading', depth, children: [text(value)] });
const para = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });

/** The facts of every linted file: kept by the run (`report.facts`), else computed from `report.sources`. */
function factsOf(report: LintReport): Map<string, ReportFacts> {
  const out = new Map<string, ReportFacts>();
  for (const r of report.results) {
    const kept = report.facts?.get(r.path);
    const src = kept ? undefined : report.sources?.get(r.path);
    const f = kept ?? (src ? reportFacts(r.path, r.kind, src.text) : undefined);
    if (f) out.set(r.path, f);
  }
  return out;
}

// ---------------------------------------------------------------- projects

interface Group {
  name: string;
  findings: Finding[];
  files: number;
}

/** The findings by project: the deepest project holding each file (FormatOptions.projects), else one group. */
function groups(report: LintReport, options: FormatOptions): Group[] {
  const projects = [...(options.projects ?? [])].sort((a, b) => b.path.length - a.path.length);
  const cwd = options.cwd ?? process.cwd();
  const of = (p: string): string => {
    if (!projects.length) return '.';
    const abs = path.resolve(cwd, p);
    const hit = projects.find((q) => abs === q.path || abs.startsWith(q.path + path.sep));
    return hit ? hit.relpath || hit.name : '(outside every project)';
  };
  const by = new Map<string, Group>();
  const get = (name: string): Group => {
    let g = by.get(name);
    if (!g) by.set(name, (g = { name, findings: [], files: 0 }));
    return g;
  };
  for (const p of options.projects ?? []) get(p.relpath || p.name);
  for (const r of report.results) {
    const g = get(of(r.path));
    g.files++;
    g.findings.push(...r.findings);
  }
  return [...by.values()].sort((a, b) => byCodeUnit(a.name, b.name));
}

/**
 * What `--fix` (the findings' `fix`) and `--fix --unsafe` (`fix`, else the first suggestion, as
 * the fixer takes them) would change, counted on this run's findings: one fix per finding, the
 * files its edits touch. Fixes a later pass enables are not counted, nor is an overlap the fixer
 * would drop.
 */
export function fixCounts(findings: readonly Finding[]): { safe: { fixes: number; files: number }; unsafe: { fixes: number; files: number } } {
  const safeFiles = new Set<string>();
  const unsafeFiles = new Set<string>();
  let safe = 0;
  let unsafe = 0;
  for (const f of findings) {
    const taken = f.fix ?? f.suggestions?.[0];
    if (!taken) continue;
    unsafe++;
    for (const e of taken.edits) unsafeFiles.add(e.path ?? f.path);
    if (f.fix) {
      safe++;
      for (const e of f.fix.edits) safeFiles.add(e.path ?? f.path);
    }
  }
  return { safe: { fixes: safe, files: safeFiles.size }, unsafe: { fixes: unsafe, files: unsafeFiles.size } };
}

function fixSentence(counts: ReturnType<typeof fixCounts>): PhrasingContent[] {
  return [
    code('--fix'),
    text(` would apply ${plural(counts.safe.fixes, 'fix').replace(/fixs$/, 'fixes')} in ${plural(counts.safe.files, 'file')}; `),
    code('--fix --unsafe'),
    text(` ${counts.unsafe.fixes} in ${plural(counts.unsafe.files, 'file')}.`),
  ];
}

function projectSection(g: Group): RootContent[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of g.findings) {
    const key = `${f.ruleId}\u0000${f.severity}`;
    byRule.set(key, [...(byRule.get(key) ?? []), f]);
  }
  const keys = [...byRule.keys()].sort((a, b) => {
    const [ra, sa] = a.split('\u0000') as [string, Severity];
    const [rb, sb] = b.split('\u0000') as [string, Severity];
    return byCodeUnit(ra, rb) || SEVERITIES.indexOf(sa) - SEVERITIES.indexOf(sb);
  });
  const counts = fixCounts(g.findings);
  const out: RootContent[] = [
    heading(3, g.name),
    para(
      text(`${plural(g.files, 'file')}, ${plural(g.findings.length, 'finding')}. `),
      ...fixSentence(counts),
    ),
  ];
  if (keys.length) {
    out.push(
      table(
        ['Rule', 'Severity', 'Findings', '--fix', '--fix --unsafe'],
        keys.map((k) => {
          const fs = byRule.get(k) as Finding[];
          const [rule, sev] = k.split('\u0000') as [string, string];
          const c = fixCounts(fs);
          return [[code(rule)], sev, String(fs.length), String(c.safe.fixes), String(c.unsafe.fixes)];
        }),
        [2, 3, 4],
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------- packages

export interface PackageRow {
  dir: string;
  flavour: 'std' | 'rt';
  source: string;
  status: 'x86-only' | 'excluded' | 'blocked' | 'needs fixes' | 'no findings';
  detail: string;
  rules: string[];
}

const ARM64_TWIN = /^(.*?)(?:_std)?_arm64$/;

/** One row per source dir a `debian_pkg_dirs*` list names, by flavour. */
export function packageRows(report: LintReport, facts: ReadonlyMap<string, ReportFacts>): PackageRow[] {
  const lists = [...facts].filter(([, f]) => f.listDirs).map(([p, f]) => ({ path: p, dirs: f.listDirs as string[] }));
  const listed = new Map(lists.map((l) => [l.path, new Set(l.dirs)]));
  const rows = new Map<string, { dir: string; flavour: 'std' | 'rt'; suite: string; excludedBy?: string }>();
  for (const l of lists) {
    const slash = l.path.lastIndexOf('/');
    const folder = l.path.slice(0, slash + 1);
    const name = l.path.slice(slash + 1);
    const flavour = /(?:^|_)rt(?:_|$)/.test(name) ? 'rt' : 'std';
    const twin = ARM64_TWIN.exec(name);
    const twinOf = twin ? undefined : [`${folder}${name}_arm64`, `${folder}${name}_std_arm64`].find((t) => listed.has(t));
    for (const d of l.dirs) {
      const dir = `${folder}${d}`;
      const key = `${dir}\u0000${flavour}`;
      const prior = rows.get(key);
      const excludedBy = twinOf && !(listed.get(twinOf) as Set<string>).has(d) ? twinOf : undefined;
      if (!prior) rows.set(key, { dir, flavour, suite: suiteForPath(l.path, DEFAULT_SUITE), excludedBy });
      else if (!twin) prior.excludedBy = excludedBy;
    }
  }
  const controls = [...facts].filter(([, f]) => f.control).map(([p, f]) => ({ path: p, control: f.control as NonNullable<ReportFacts['control']> }));
  const results = report.results;
  const out: PackageRow[] = [];
  for (const r of rows.values()) {
    const under = (p: string): boolean => p.startsWith(`${r.dir}/`);
    const mine = controls.filter((c) => under(c.path) && /^\/debian\/(?:[a-z]+\/)?(?:deb_folder\/)?control$/.test(c.path.slice(r.dir.length))).sort((a, b) => byCodeUnit(a.path, b.path));
    // the suite's own packaging first (debian/bullseye/deb_folder/control), then debian/control
    const control = mine.find((c) => c.path.includes(`/debian/${r.suite}/`)) ?? mine.find((c) => c.path === `${r.dir}/debian/control`) ?? mine[0];
    const source = control?.control.source;
    const findings = results.filter((x) => under(x.path)).flatMap((x) => x.findings);
    const rules = [...new Set(findings.map((f) => f.ruleId))].sort(byCodeUnit);
    const base = { dir: r.dir, flavour: r.flavour, source: control ? (source ?? 'no Source: field') : 'no control', rules };
    const lookup = archLookup(r.suite);
    const curatedDir = lookup.dir(r.dir);
    const bySource = source ? lookup.curated(source) ?? lookup.package(source) : undefined;
    const x86 = curatedDir && !curatedDir.arches.includes('arm64')
      ? `curated: ${curatedDir.reason}`
      : bySource && 'reason' in bySource && !bySource.content && !bySource.arches.includes('arm64')
        ? `curated: ${bySource.reason}`
        : bySource && 'origin' in bySource && !bySource.content && !bySource.availableOn.includes('arm64')
          ? `archive (${r.suite}): ${bySource.source} declares ${bySource.declared.join(' ')}`
          : undefined;
    if (x86) {
      out.push({ ...base, status: 'x86-only', detail: x86 });
      continue;
    }
    if (r.excludedBy) {
      out.push({ ...base, status: 'excluded', detail: `excluded in ${r.excludedBy}` });
      continue;
    }
    const blockers = findings.filter((f) => {
      if (f.fix || f.suggestions?.length) return false;
      if (f.ruleId === 'arch-in-download-url') return true;
      if (f.ruleId !== 'arch-only-dependency') return false;
      const c = controls.find((x) => x.path === f.path)?.control;
      return !!c?.buildDepends.some(([a, b]) => f.line >= a && f.line <= b);
    });
    if (blockers.length) {
      // what blocks it, as the message names it: the quoted name it starts with, else the first parenthesised one
      const names = [...new Set(blockers.map((f) => `${/^'([^']+)'/.exec(f.message)?.[1] ?? /\(([^()]+)\)/.exec(f.message)?.[1] ?? f.path} (${f.ruleId})`))].sort(byCodeUnit);
      out.push({ ...base, status: 'blocked', detail: `blocked by ${names.join(', ')}` });
      continue;
    }
    if (findings.length) {
      const safe = findings.filter((f) => f.fix).length;
      const unsafe = findings.filter((f) => !f.fix && f.suggestions?.length).length;
      out.push({ ...base, status: 'needs fixes', detail: `needs fixes (${plural(findings.length, 'finding')}, ${safe} fixable${unsafe ? `, ${unsafe} more with --unsafe` : ''})` });
      continue;
    }
    out.push({ ...base, status: 'no findings', detail: 'no findings' });
  }
  return out.sort((a, b) => byCodeUnit(a.dir, b.dir) || byCodeUnit(a.flavour, b.flavour));
}

// ---------------------------------------------------------------- images

export interface ImageRow {
  image: string;
  uses: string[];
  arch: string[];
}

/**
 * `registry/repo:tag` with Docker's defaults made explicit (`debian` → `docker.io/library/debian:latest`);
 * a name with a template or variable in it (`{{ registry }}/x`, `${IMG}`) stays as written.
 */
export function normalizeImage(raw: string): string {
  if (/[{}$%<>]/.test(raw)) return raw;
  let name = raw;
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const parts = name.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (/[.:]/.test(parts[0] as string) || parts[0] === 'localhost')) registry = parts.shift() as string;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  return `${registry}/${parts.join('/')}${tag || !digest ? `:${tag || 'latest'}` : ''}${digest}`;
}

const ARCH_SUFFIX = /(?:^|[-_.])(?:amd64|x86_64|x86-64|i386|i686)(?=$|[-_.:@/])/;

/** The images named in the tree, deduplicated by normalised name. */
export function imageRows(facts: ReadonlyMap<string, ReportFacts>): ImageRow[] {
  const by = new Map<string, { uses: Set<string>; pinned: boolean }>();
  for (const [p, f] of facts) {
    for (const use of f.images ?? []) {
      const key = normalizeImage(use.name);
      let e = by.get(key);
      if (!e) by.set(key, (e = { uses: new Set(), pinned: false }));
      e.uses.add(`${p}:${use.line}`);
      if (f.pinnedAmd64) e.pinned = true;
    }
  }
  const usesOrder = (a: string, b: string): number => {
    const [pa, la] = [a.slice(0, a.lastIndexOf(':')), Number(a.slice(a.lastIndexOf(':') + 1))];
    const [pb, lb] = [b.slice(0, b.lastIndexOf(':')), Number(b.slice(b.lastIndexOf(':') + 1))];
    return byCodeUnit(pa, pb) || la - lb;
  };
  return [...by]
    .sort((a, b) => byCodeUnit(a[0], b[0]))
    .map(([image, e]) => {
      const repo = image.replace(/^[^/]*\//, '');
      const arch: string[] = [];
      if (/(?:^|\/)(?:amd64|i386)\//.test(repo) || repo.split('/').some((c) => ARCH_SUFFIX.test(c))) arch.push('needs a multi-arch image');
      if (e.pinned) arch.push('pinned by a node selector');
      return { image, uses: [...e.uses].sort(usesOrder), arch: arch.length ? arch : ['unknown'] };
    });
}

// ---------------------------------------------------------------- the report

const STATUS_ORDER: PackageRow['status'][] = ['x86-only', 'excluded', 'blocked', 'needs fixes', 'no findings'];

export function markdownTree(report: LintReport, options: FormatOptions): Root {
  const facts = factsOf(report);
  const s = summarize(report);
  const packages = packageRows(report, facts);
  const images = imageRows(facts);
  const counts = fixCounts(allFindings(report));
  const statusCount = (st: PackageRow['status']) => packages.filter((p) => p.status === st).length;
  const imageCount = (what: string) => images.filter((i) => i.arch.includes(what)).length;
  const children: RootContent[] = [
    heading(1, `Porting report${options.version ? ` (debarch-lint ${options.version})` : ''}`),
    heading(2, 'Summary'),
    {
      type: 'list',
      ordered: false,
      spread: false,
      children: [
        [text(`${plural(s.files, 'file')} linted: ${plural(s.findings, 'finding')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')}), ${plural(s.problems, 'problem')}, ${plural(s.crashes, 'crash').replace(/crashs$/, 'crashes')}.`)],
        [...fixSentence(counts), text(' (one fix per finding of this run)')],
        [text(`${plural(packages.length, 'package row')}: ${STATUS_ORDER.map((st) => `${statusCount(st)} ${st}`).join(', ')}.`)],
        [text(`${plural(images.length, 'image')}: ${imageCount('needs a multi-arch image')} need a multi-arch image, ${imageCount('pinned by a node selector')} pinned by a node selector, ${imageCount('unknown')} unknown.`)],
      ].map((t) => ({ type: 'listItem', spread: false, children: [para(...t)] })),
    },
    heading(2, 'Projects'),
    ...groups(report, options).flatMap(projectSection),
    heading(2, 'Packages'),
    packages.length
      ? table(
          ['Source dir', 'Source package', 'Flavour', 'arm64', 'Rules'],
          packages.map((p) => [[code(p.dir)], p.source, p.flavour, p.detail, p.rules.length ? p.rules.flatMap((r, i) => (i ? [text(', '), code(r)] : [code(r)])) : '']),
        )
      : para(text('No debian_pkg_dirs list among the linted files.')),
    heading(2, 'Container images'),
    images.length
      ? table(
          ['Image', 'Used in', 'arm64'],
          images.map((i) => [[code(i.image)], i.uses.join(', '), i.arch.join('; ')]),
        )
      : para(text('No container image named among the linted files.')),
  ];
  return { type: 'root', children };
}

export const markdown: Formatter = (report, options) => toMarkdown(markdownTree(report, options), { extensions: [gfmToMarkdown()] });
