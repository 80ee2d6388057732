/**
 * The command line's words: one table of options (OPTIONS) that both the parser and `--help`
 * read, parsed with `node:util` parseArgs. No option library is loaded: a pre-commit hook that
 * lints one file pays for nothing it does not use. A new option is one line in the table (and
 * the field it fills in run.ts's Options).
 */
import { parseArgs } from 'node:util';
import { ARCH_NAMES } from '../arch.js';
import { CONFIG_FILE, SUITES } from '../config/index.js';
import { DEFAULT_MAX_COMMENTS } from '../formatters/types.js';
import { FORMAT_NAMES } from '../formatters/load.js';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export interface OptionSpec {
  /** The long name, `--name`. */
  name: string;
  /** One letter, `-x`. */
  short?: string;
  /** `number` values are parsed with Number(): a word that is no number gives NaN, for the caller to reject with its own words. */
  type: 'boolean' | 'string' | 'number';
  /** May be given more than once; the values are collected in order. */
  multiple?: boolean;
  choices?: readonly string[];
  default?: boolean | string | number;
  /** A string option that `--no-NAME` sets to false (booleans always take `--no-`). */
  negatable?: boolean;
  /** The value's name in `--help` (`FILE`, `REV`). */
  value?: string;
  describe: string;
}

/** Every option of the lint command, in `--help` order. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: 'fix', type: 'boolean', default: false, describe: 'apply safe fixes in place' },
  { name: 'fix-dry-run', type: 'boolean', default: false, describe: 'print the fixes as a git-apply-able diff; change nothing' },
  { name: 'unsafe', type: 'boolean', default: false, describe: 'with --fix/--fix-dry-run: also apply suggestions' },
  { name: 'format', short: 'f', type: 'string', value: 'NAME', choices: FORMAT_NAMES, describe: 'output format (default: stylish on a TTY, gcc otherwise)' },
  { name: 'output-file', short: 'o', type: 'string', value: 'FILE', describe: 'write the report to FILE instead of stdout' },
  { name: 'rule', type: 'string', multiple: true, value: 'ID', describe: 'run only these rules (repeat or comma-separate)' },
  { name: 'disable', type: 'string', multiple: true, value: 'ID', describe: 'do not run these rules (repeat or comma-separate)' },
  { name: 'architectures', type: 'string', value: 'LIST', describe: `the arches the tree must build on, comma-separated (${ARCH_NAMES.join(', ')})` },
  { name: 'suite', type: 'string', value: 'NAME', choices: SUITES, describe: 'Debian suite of the archive data' },
  { name: 'config', short: 'c', type: 'string', value: 'FILE', negatable: true, describe: `use this config file instead of the nearest ${CONFIG_FILE} (--no-config: none)` },
  { name: 'print-config', type: 'boolean', default: false, describe: 'print the settings for the first path and exit' },
  { name: 'fail-level', type: 'string', value: 'LEVEL', choices: ['error', 'warning', 'info'], default: 'warning', describe: 'lowest severity that fails the run' },
  { name: 'max-warnings', type: 'number', value: 'N', default: -1, describe: 'fail when there are more warnings than this (-1: no limit)' },
  { name: 'quiet', short: 'q', type: 'boolean', default: false, describe: 'report errors only' },
  { name: 'color', type: 'boolean', describe: 'force colour on or off (NO_COLOR is honoured)' },
  { name: 'stdin', type: 'boolean', default: false, describe: 'lint text from standard input' },
  { name: 'stdin-filename', type: 'string', value: 'PATH', describe: 'the path the standard input stands for (decides its kind)' },
  { name: 'max-file-size', type: 'number', value: 'BYTES', default: DEFAULT_MAX_FILE_SIZE, describe: 'skip (and report) files larger than this many bytes' },
  { name: 'changed-since', type: 'string', value: 'REV', describe: 'report only what the change since REV (its merge base with HEAD) added, uncommitted edits included' },
  { name: 'diff', type: 'string', value: 'FILE', describe: 'report only what this unified diff (a file, or - for standard input) adds' },
  { name: 'baseline', type: 'string', value: 'FILE', describe: 'hide the findings recorded in this baseline file' },
  { name: 'update-baseline', type: 'boolean', default: false, describe: 'record the current findings in the --baseline file' },
  { name: 'ignore-directives', type: 'boolean', default: false, describe: 'ignore inline debarch-lint directive comments' },
  { name: 'docs-url', type: 'string', value: 'URL', describe: 'sarif, zuul, gerrit: base URL where docs/rules/ is published, for help links (config: docsUrl); without it help is inline or `debarch-lint explain <rule>`' },
  { name: 'max-comments', type: 'number', value: 'N', default: DEFAULT_MAX_COMMENTS, describe: 'zuul, gerrit: inline comments at most; the rest are summarised' },
  { name: 'vote', type: 'string', value: 'LABEL', describe: 'gerrit: vote -1 or +1 on this label (e.g. Verified)' },
  { name: 'robot-comments', type: 'boolean', default: false, describe: 'gerrit: robot_comments instead of comments (servers before 3.10)' },
  { name: 'jobs', short: 'j', type: 'number', value: 'N', describe: 'lint in N threads (default: 1 on 1-2 cores, else the cores, at most 4; 1 for --stdin and small trees)' },
  { name: 'workspace', type: 'string', value: 'DIR', describe: 'lint the repo-tool workspace (or the git repositories) under DIR, each project as its own repository' },
  { name: 'projects', type: 'string', multiple: true, value: 'GLOB', describe: 'workspace: only the projects whose name or path matches (repeat or comma-separate)' },
  { name: 'groups', type: 'string', multiple: true, value: 'G', describe: "workspace: only the manifest's projects in these groups (-G excludes; default: default)" },
  { name: 'commit', type: 'boolean', default: false, describe: 'with --fix/--fix-dry-run: one git commit per rule per repository (dry run: each message and diff)' },
  { name: 'signoff', type: 'boolean', default: false, describe: 'with --commit: add a Signed-off-by trailer' },
  { name: 'no-verify', type: 'boolean', default: false, describe: 'with --commit: skip the pre-commit and commit-msg hooks' },
  { name: 'help', short: 'h', type: 'boolean', describe: 'show this help' },
  { name: 'version', type: 'boolean', describe: 'show the version' },
];

export const COMMANDS: readonly { usage: string; describe: string }[] = [
  { usage: 'rules', describe: 'list the rules' },
  { usage: 'explain <rule>', describe: "show a rule's documentation" },
];

/** A word on the command line that cannot be read; the CLI exits 2 and points to --help. */
export class ArgsError extends Error {}

export interface CommandLine {
  /** Option values by long name, defaults filled in: booleans, strings (arrays for `multiple`), numbers, or false for `--no-NAME`. */
  values: Record<string, unknown>;
  positionals: string[];
}

/** `--name`, or `-x, --name` when it has a short form. */
const flag = (o: OptionSpec): string => `${o.short ? `-${o.short}, ` : ''}--${o.name}`;

/** A word after an option that is another option, not its value (`--format --fix`); `-`, `-1` are values. */
const looksLikeOption = (w: string, byShort: ReadonlyMap<string, OptionSpec>): boolean =>
  w.startsWith('--') ? w.length > 2 : /^-[A-Za-z]/.test(w) && byShort.has(w[1] as string);

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** The option a mistyped name most likely meant, if one is close. */
function closest(name: string, options: readonly OptionSpec[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const o of options) {
    const d = editDistance(name, o.name);
    if (d <= Math.max(2, Math.floor(o.name.length / 4)) && (!best || d < best.d)) best = { name: o.name, d };
  }
  return best && `--${best.name}`;
}

/**
 * Reads `argv` against `options`. Every problem is reported at once (an ArgsError with one
 * line each): an unknown option, a missing value, a value that is not one of the choices, a
 * value given to a switch.
 */
export function parseCommandLine(argv: readonly string[], options: readonly OptionSpec[] = OPTIONS): CommandLine {
  const byName = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short).map((o) => [o.short as string, o]));
  /** Problems with the index of the word they are about: reported in the order of the words. */
  const problems: { at: number; text: string }[] = [];
  // `--format --fix`, `--config` last: the option has no value. parseArgs would take the next
  // word whatever it is; say so instead, and read that word as the option it is.
  const words: string[] = [];
  /** The index in argv of each word. */
  const at: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i] as string;
    if (w === '--') {
      for (let j = i; j < argv.length; j++) at.push(j);
      words.push(...argv.slice(i));
      break;
    }
    const spec = w.startsWith('--') ? byName.get(w.slice(2)) : /^-[A-Za-z]$/.test(w) ? byShort.get(w[1] as string) : undefined;
    const next = argv[i + 1];
    if (spec && spec.type !== 'boolean' && (next === undefined || looksLikeOption(next, byShort))) {
      problems.push({ at: i, text: `${flag(spec)} needs a value${spec.value ? ` (${spec.value})` : ''}` });
      continue;
    }
    at.push(i);
    words.push(w);
  }
  const { tokens } = parseArgs({
    args: words,
    // every value is read as a string here and checked below, with this CLI's own words
    options: Object.fromEntries(
      options.map((o) => [o.name, { type: o.type === 'boolean' ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}) }] as const),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, unknown> = {};
  for (const o of options) if (o.default !== undefined) values[o.name] = o.default;
  const positionals: string[] = [];

  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    const problem = (text: string): void => void problems.push({ at: at[t.index] ?? t.index, text });
    const negated = t.rawName.startsWith('--no-') ? byName.get(t.name.slice(3)) : undefined;
    const spec = byName.get(t.name) ?? (negated && (negated.type === 'boolean' || negated.negatable) ? negated : undefined);
    if (!spec) {
      const hint = t.rawName.startsWith('--') ? closest(t.name, options) : undefined;
      problem(`unknown option '${t.rawName}'${hint ? ` (did you mean ${hint}?)` : ''}`);
      continue;
    }
    if (spec === negated) {
      if (t.value !== undefined) problem(`${t.rawName} takes no value`);
      else values[spec.name] = false;
      continue;
    }
    if (spec.type === 'boolean') {
      // `--fix=false`, as other CLIs accept; any other value is a mistake
      if (t.value === undefined || t.value === 'true') values[spec.name] = true;
      else if (t.value === 'false') values[spec.name] = false;
      else problem(`${flag(spec)} takes no value (got '${t.value}')`);
      continue;
    }
    const value = t.value;
    if (value === undefined) {
      problem(`${flag(spec)} needs a value${spec.value ? ` (${spec.value})` : ''}`);
      continue;
    }
    if (spec.choices && !spec.choices.includes(value)) {
      problem(`${flag(spec)}: '${value}' is not one of ${spec.choices.join(', ')}`);
      continue;
    }
    const v = spec.type === 'number' ? (value.trim() === '' ? Number.NaN : Number(value)) : value;
    if (spec.multiple) values[spec.name] = [...((values[spec.name] as unknown[] | undefined) ?? []), v];
    else values[spec.name] = v;
  }
  if (problems.length > 0) throw new ArgsError(problems.sort((a, b) => a.at - b.at).map((p) => p.text).join('\n'));
  return { values, positionals };
}

/** Wraps `text` to `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** `--help`, generated from the tables. */
export function helpText(options: readonly OptionSpec[] = OPTIONS, width = 100): string {
  const left = (o: OptionSpec): string => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
  const col = Math.max(...options.map((o) => left(o).length), ...COMMANDS.map((c) => c.usage.length)) + 4;
  const describe = (o: OptionSpec): string[] => {
    const extra = [
      o.choices ? `one of: ${o.choices.join(', ')}` : '',
      o.default !== undefined && o.default !== false ? `default: ${String(o.default)}` : '',
    ].filter(Boolean);
    // choices and default on a line of their own, so that a list is never cut
    return extra.length ? [o.describe, `[${extra.join('; ')}]`] : [o.describe];
  };
  const row = (l: string, d: readonly string[]): string => `  ${l.padEnd(col - 2)}${d.map((p) => wrap(p, col, width)).join(`\n${' '.repeat(col)}`)}`;
  return [
    'Usage: debarch-lint [options] [paths..]',
    ...COMMANDS.map((c) => `       debarch-lint ${c.usage}`),
    '',
    'Finds what stops a Debian-packaged tree from building and booting on another CPU architecture,',
    'and fixes what it can safely. Paths default to the current folder.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => row(c.usage, [c.describe])),
    '',
    'Options:',
    ...options.map((o) => row(left(o), describe(o))),
    '',
    'Exit codes: 0 nothing at or above --fail-level (and within --max-warnings); 1 findings;',
    '2 usage, configuration or internal error.',
  ].join('\n');
}
