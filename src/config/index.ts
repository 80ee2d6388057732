/**
 * `.debarch-lint.json`: data only, validated up front, every problem reported at once.
 * The nearest file to a linted file wins (no cascading); `overrides` are glob-keyed.
 */
import picomatch from 'picomatch';
import { ARCH_NAMES, isArchName, type ArchName } from '../arch.js';
import type { CuratedEntry } from '../archdb/lookup.js';
import type { AnyRule, RuleOptions, Severity, SeveritySetting } from '../types.js';

export { CONFIG_FILE } from './file-name.js';
export const SUITES = ['bullseye', 'bookworm', 'trixie'] as const;
export type Suite = (typeof SUITES)[number];

export type RuleSetting = SeveritySetting | [SeveritySetting, RuleOptions];

export interface OverrideConfig {
  architectures?: ArchName[];
  rules?: Record<string, RuleSetting>;
  placeholder?: string;
  checkComments?: boolean;
}

export interface Config extends OverrideConfig {
  suite?: Suite;
  overrides?: Record<string, OverrideConfig>;
  ignore?: string[];
  curated?: { add?: CuratedEntry[]; remove?: string[] };
  /** Base URL where the rule pages (docs/rules/) are published: help links point there (`--docs-url` wins). */
  docsUrl?: string;
}

/** What the engine needs for one file. */
export interface ResolvedConfig {
  architectures: ArchName[];
  suite: Suite;
  placeholder: string | undefined;
  /**
   * Where the placeholder was set (`placeholder`, `overrides["deb_folder/**"].placeholder`): only
   * the config names one; debarch-lint never infers it from `@…@` tokens in the tree.
   */
  placeholderFrom?: string;
  checkComments: boolean;
  /** Config `curated`: entries added to and names or dirs dropped from the curated arch-only list. */
  curated: { add: CuratedEntry[]; remove: string[] };
  /** Per rule: its severity, its options (defaults merged with the config), and the options the config set explicitly. */
  rules: Map<string, { severity: SeveritySetting; options: RuleOptions; explicit?: RuleOptions }>;
}

export const DEFAULT_ARCHITECTURES: ArchName[] = ['amd64', 'arm64'];
/** StarlingX's retired CentOS build, and OpenStack devstack plugins (a developer's environment, never the platform's build, image or boot): ignored unless a config says otherwise. */
/** `*-centos.*` is the CentOS twin of a script (`update-iso-centos.sh` beside `update-iso.sh`): never run by a Debian build. */
export const DEFAULT_IGNORE = ['**/centos/**', '**/devstack/**', '**/centos_pkg_dirs*', '**/*.spec', '**/*-centos.*'];

export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const SEVERITY_SETTINGS = ['error', 'warning', 'info', 'off'];
const TOP_KEYS = ['$schema', 'architectures', 'suite', 'rules', 'overrides', 'ignore', 'curated', 'placeholder', 'checkComments', 'docsUrl'];
const OVERRIDE_KEYS = ['architectures', 'rules', 'placeholder', 'checkComments'];

const typeOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

function checkArchitectures(v: unknown, where: string, problems: string[]): void {
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(`${where}: must be a non-empty array of Debian architecture names (${ARCH_NAMES.join(', ')})`);
    return;
  }
  for (const a of v) {
    if (typeof a !== 'string' || !isArchName(a)) {
      problems.push(`${where}: unknown architecture ${JSON.stringify(a)}; known: ${ARCH_NAMES.join(', ')}`);
    }
  }
}

function checkRules(v: unknown, where: string, rules: readonly AnyRule[], problems: string[]): void {
  if (typeOf(v) !== 'object') {
    problems.push(`${where}: must be an object of rule id to severity or [severity, options]`);
    return;
  }
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const [id, setting] of Object.entries(v as Record<string, unknown>)) {
    const rule = byId.get(id);
    if (!rule) {
      problems.push(`${where}.${id}: unknown rule; valid rules: ${[...byId.keys()].join(', ')}`);
      continue;
    }
    const [sev, options] = Array.isArray(setting) ? setting : [setting, undefined];
    if (typeof sev !== 'string' || !SEVERITY_SETTINGS.includes(sev)) {
      problems.push(`${where}.${id}: severity must be one of ${SEVERITY_SETTINGS.join(', ')}, not ${JSON.stringify(sev)}`);
    }
    if (Array.isArray(setting) && setting.length > 2) problems.push(`${where}.${id}: expected [severity, options]`);
    if (options === undefined) continue;
    if (typeOf(options) !== 'object') {
      problems.push(`${where}.${id}: options must be an object`);
      continue;
    }
    const defaults = rule.defaultOptions as RuleOptions;
    for (const [k, val] of Object.entries(options as RuleOptions)) {
      if (!(k in defaults)) {
        const valid = Object.keys(defaults);
        problems.push(`${where}.${id}: unknown option "${k}"; ${valid.length ? `valid options: ${valid.join(', ')}` : 'this rule has no options'}`);
      } else if (typeOf(val) !== typeOf(defaults[k])) {
        problems.push(`${where}.${id}.${k}: must be ${typeOf(defaults[k])}, not ${typeOf(val)}`);
      }
    }
  }
}

function checkOverride(v: Record<string, unknown>, where: string, rules: readonly AnyRule[], problems: string[], keys: string[]): void {
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) problems.push(`${where}: unknown key "${k}"; valid keys: ${keys.join(', ')}`);
  }
  if (v.architectures !== undefined) checkArchitectures(v.architectures, `${where}.architectures`, problems);
  if (v.rules !== undefined) checkRules(v.rules, `${where}.rules`, rules, problems);
  if (v.placeholder !== undefined && typeof v.placeholder !== 'string') problems.push(`${where}.placeholder: must be a string`);
  if (v.checkComments !== undefined && typeof v.checkComments !== 'boolean') problems.push(`${where}.checkComments: must be true or false`);
}

const CURATED_KEYS = ['name', 'dir', 'arches', 'reason', 'source', 'suites', 'alternative', 'content'];

function checkCuratedEntry(e: unknown, where: string, problems: string[]): void {
  if (typeOf(e) !== 'object') {
    problems.push(`${where}: must be an object {name or dir, arches, reason}`);
    return;
  }
  const v = e as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!CURATED_KEYS.includes(k)) problems.push(`${where}: unknown key "${k}"; valid keys: ${CURATED_KEYS.join(', ')}`);
  if ((typeof v.name !== 'string') === (typeof v.dir !== 'string')) problems.push(`${where}: needs exactly one of "name" (a package, * globs) or "dir" (a source dir)`);
  if (!Array.isArray(v.arches) || v.arches.length === 0 || v.arches.some((a) => typeof a !== 'string')) {
    problems.push(`${where}.arches: must be a non-empty array of the Debian arches it builds on (e.g. ["amd64"])`);
  }
  if (typeof v.reason !== 'string' || !v.reason.trim()) problems.push(`${where}.reason: must say why (a non-empty string)`);
  for (const k of ['source', 'alternative']) if (v[k] !== undefined && typeof v[k] !== 'string') problems.push(`${where}.${k}: must be a string`);
  if (v.content !== undefined && v.content !== 'x86') problems.push(`${where}.content: must be "x86" (an Architecture: all package whose content is for x86)`);
  if (v.suites !== undefined && (!Array.isArray(v.suites) || v.suites.some((x) => !(SUITES as readonly unknown[]).includes(x)))) {
    problems.push(`${where}.suites: must be an array of ${SUITES.join(', ')}`);
  }
}

/** Parses and validates a config file's text. Throws ConfigError listing every problem. */
export function parseConfig(text: string, source: string, rules: readonly AnyRule[]): Config {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(source, [`not valid JSON: ${(e as Error).message}`]);
  }
  return validateConfig(json, source, rules);
}

export function validateConfig(json: unknown, source: string, rules: readonly AnyRule[]): Config {
  const problems: string[] = [];
  if (typeOf(json) !== 'object') throw new ConfigError(source, ['the configuration must be a JSON object']);
  const v = json as Record<string, unknown>;
  checkOverride(v, '(top)', rules, problems, TOP_KEYS);
  if (v.suite !== undefined && !(SUITES as readonly unknown[]).includes(v.suite)) {
    problems.push(`suite: must be one of ${SUITES.join(', ')}, not ${JSON.stringify(v.suite)}`);
  }
  if (v.ignore !== undefined && (!Array.isArray(v.ignore) || v.ignore.some((g) => typeof g !== 'string'))) {
    problems.push('ignore: must be an array of glob strings');
  }
  if (v.docsUrl !== undefined && (typeof v.docsUrl !== 'string' || !/^https?:\/\/[^\s/]+/.test(v.docsUrl))) {
    problems.push('docsUrl: must be an http(s) URL, the base where docs/rules/*.md are published');
  }
  if (v.overrides !== undefined) {
    if (typeOf(v.overrides) !== 'object') problems.push('overrides: must be an object keyed by glob');
    else {
      for (const [glob, o] of Object.entries(v.overrides as Record<string, unknown>)) {
        if (typeOf(o) !== 'object') problems.push(`overrides["${glob}"]: must be an object`);
        else checkOverride(o as Record<string, unknown>, `overrides["${glob}"]`, rules, problems, OVERRIDE_KEYS);
      }
    }
  }
  if (v.curated !== undefined) {
    const c = v.curated as Record<string, unknown>;
    if (typeOf(c) !== 'object') problems.push('curated: must be an object with "add" and/or "remove"');
    else {
      for (const k of Object.keys(c)) if (k !== 'add' && k !== 'remove') problems.push(`curated: unknown key "${k}"; valid keys: add, remove`);
      if (c.add !== undefined && !Array.isArray(c.add)) problems.push('curated.add: must be an array');
      else if (Array.isArray(c.add)) c.add.forEach((e, i) => checkCuratedEntry(e, `curated.add[${i}]`, problems));
      if (c.remove !== undefined && (!Array.isArray(c.remove) || c.remove.some((x) => typeof x !== 'string'))) {
        problems.push('curated.remove: must be an array of names');
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  return v as Config;
}

/** Command-line settings that override every config file. */
export interface CliSettings {
  architectures?: ArchName[];
  suite?: Suite;
  /** Only these rules run. */
  only?: string[];
  /** These rules do not run. */
  disable?: string[];
}

function applyRules(target: ResolvedConfig['rules'], rules: Record<string, RuleSetting> | undefined, byId: Map<string, AnyRule>): void {
  for (const [id, setting] of Object.entries(rules ?? {})) {
    const rule = byId.get(id);
    if (!rule) continue;
    const prev = target.get(id);
    const [sev, opts] = Array.isArray(setting) ? setting : [setting, undefined];
    target.set(id, {
      severity: sev,
      options: { ...(prev?.options ?? rule.defaultOptions), ...(opts ?? {}) },
      explicit: { ...(prev?.explicit ?? {}), ...(opts ?? {}) },
    });
  }
}

/**
 * The settings for one file: defaults, then the config, then the overrides whose glob matches
 * `relPath` (relative to the config's folder), then the command line.
 */
export function resolveConfig(
  config: Config | undefined,
  relPath: string,
  rules: readonly AnyRule[],
  cli: CliSettings = {},
): ResolvedConfig {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const resolved: ResolvedConfig = {
    architectures: [...DEFAULT_ARCHITECTURES],
    suite: config?.suite ?? 'bullseye',
    placeholder: undefined,
    checkComments: false,
    curated: { add: [...(config?.curated?.add ?? [])], remove: [...(config?.curated?.remove ?? [])] },
    rules: new Map(rules.map((r) => [r.id, { severity: r.severity as Severity | 'off', options: { ...r.defaultOptions } }])),
  };
  const layers: [OverrideConfig, string][] = [];
  if (config) layers.push([config, 'placeholder']);
  for (const [glob, o] of Object.entries(config?.overrides ?? {})) {
    if (picomatch(glob, { dot: true, matchBase: !glob.includes('/') })(relPath)) layers.push([o, `overrides[${JSON.stringify(glob)}].placeholder`]);
  }
  for (const [l, key] of layers) {
    if (l.architectures) resolved.architectures = [...l.architectures];
    if (l.placeholder !== undefined) {
      resolved.placeholder = l.placeholder;
      resolved.placeholderFrom = key;
    }
    if (l.checkComments !== undefined) resolved.checkComments = l.checkComments;
    applyRules(resolved.rules, l.rules, byId);
  }
  if (cli.architectures) resolved.architectures = [...cli.architectures];
  if (cli.suite) resolved.suite = cli.suite;
  for (const [id, r] of resolved.rules) {
    if ((cli.only && !cli.only.includes(id)) || cli.disable?.includes(id)) resolved.rules.set(id, { ...r, severity: 'off' });
    else if (cli.only?.includes(id) && r.severity === 'off') {
      resolved.rules.set(id, { ...r, severity: (byId.get(id) as AnyRule).severity });
    }
  }
  return resolved;
}
