/**
 * The shapes every part of debarch-lint shares: file kinds, findings, fixes, rules.
 * Rules import these and the rule kit (src/rule-kit.ts), nothing else.
 */
import type { SourceFile } from './source.js';
import type { Token } from './lexers/token.js';
import type { GuardMap } from './guards.js';
import type { ArchName } from './arch.js';
import type { MakeModel } from './models/make.js';
import type { ControlModel } from './models/control.js';
import type { ArchLookup } from './archdb/lookup.js';
import type { Directives } from './engine/directives.js';
import type { BinaryHeader } from './binary-header.js';

/** What a file is read as (DESIGN §3). New kinds are added here and in src/kinds/. */
export type FileKind =
  | 'rules'
  | 'makefile'
  | 'control'
  | 'debhelper'
  | 'series'
  | 'patch'
  | 'pkg-dirs'
  | 'pkg-list'
  | 'wheel-list'
  | 'shell'
  | 'python'
  | 'yaml'
  | 'dockerfile'
  | 'bootcfg'
  | 'puppet'
  | 'kconfig';

export const ALL_KINDS: readonly FileKind[] = [
  'rules', 'makefile', 'control', 'debhelper', 'series', 'patch', 'pkg-dirs', 'pkg-list',
  'wheel-list', 'shell', 'python', 'yaml', 'dockerfile', 'bootcfg', 'puppet', 'kconfig',
];

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export type SeveritySetting = Severity | 'off';

/** A half-open range of UTF-16 offsets into a file's text (BOM excluded). */
export type Range = readonly [start: number, end: number];

/** One text edit. `path` defaults to the file the finding is in; `create` makes a new file. */
export interface Edit {
  path?: string;
  range: Range;
  text: string;
  create?: boolean;
}

/** A fix is data: edits over the original text, applied whole or not at all. */
export interface Fix {
  description: string;
  edits: Edit[];
}

/**
 * Another place a finding depends on, for cross-file rules (a twin list, the control file a
 * rules line contradicts): changed-lines mode reports the finding there when the change
 * touched that place rather than the reported one. `path` is as in `ProjectView.paths()`.
 */
export interface RelatedLocation {
  path: string;
  range: Range;
}

/**
 * A related place as a finding carries it: the rule's `RelatedLocation` with 1-based
 * positions (for json, SARIF and stylish), and for the other lines of one file-level fix
 * (DESIGN §4) the message that line had, so changed-lines mode can report it there.
 */
export interface RelatedPlace extends RelatedLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message?: string;
}

/** What a rule hands to `ctx.report`. */
export interface Report {
  /** The offending range in the current file. */
  at: Range;
  message: string;
  /** Safe fix, applied by `--fix`. */
  fix?: Fix;
  /** Offered fixes, applied by `--fix --unsafe` (the first one). */
  suggest?: Fix[];
  /** Overrides the configured severity for this one finding (e.g. info in an `all` paragraph). */
  severity?: Severity;
  /** Other files' places this finding depends on (cross-file rules). */
  related?: RelatedLocation[];
  /**
   * The message when the engine merges the findings of one rule in one file that carry the
   * same file-level fix into one (DESIGN §4): `count` is how many places were merged.
   */
  summary?: (count: number) => string;
  /**
   * Names one file-level change that has no fix to share (a twin the porter makes by hand):
   * findings of one rule in one file with the same group merge as if they shared a fix.
   */
  group?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** POSIX path as the project knows the file (relative to the working directory). */
  path: string;
  range: Range;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fix?: Fix;
  suggestions?: Fix[];
  /**
   * Other places this finding depends on: other files' places (cross-file rules), and the
   * other lines of the same file-level fix (each with its own message).
   */
  related?: RelatedPlace[];
}

export type Fixability = 'fix' | 'suggest' | 'none';

export interface RuleDocs {
  /** Why it matters: what breaks on which arch. */
  rationale: string;
  /** A file the rule fires on. */
  bad: { path: string; text: string };
  /** The same file written portably: the rule is silent on it. */
  good: { path: string; text: string };
  /** Other files of the tree both examples are linted with (cross-file rules: a twin's generic list). */
  context?: { path: string; text: string }[];
}

export type RuleOptions = Record<string, unknown>;

/** Read-only view of the other files of the tree, for cross-file rules. */
export interface ProjectView {
  paths(): readonly string[];
  get(path: string): SourceFile | undefined;
  /**
   * The header facts of a file of the tree that is not linted (a committed binary), when the
   * CLI provides them: its format and machine (PE `Machine`, ELF `e_machine`). Undefined for
   * files that are not PE/ELF binaries, not in the tree, or when no reader is given.
   */
  binary?(path: string): BinaryHeader | undefined;
  /** Paths of the tree's files that are not linted (binaries among them), when the CLI provides them. */
  unlinted?(): readonly string[];
}

export interface RuleContext<O extends RuleOptions = RuleOptions> {
  readonly file: SourceFile;
  readonly kind: FileKind;
  readonly options: Readonly<O>;
  /**
   * The options a config file set explicitly for a rule (this one or another), defaults left
   * out: a rule that must tell "set on purpose" from "the default" reads them here.
   */
  readonly explicitOptions?: (ruleId: string) => Readonly<RuleOptions>;
  /** The arches the tree must build on (config `architectures`). */
  readonly architectures: readonly ArchName[];
  /** Which arches reach each offset (DESIGN §2). */
  readonly guards: GuardMap;
  readonly project: ProjectView;
  /** The `placeholder` setting, e.g. "@BUILD_ARCH@", or undefined. */
  readonly placeholder: string | undefined;
  /** Whether literals in comments count (config `checkComments`). */
  readonly checkComments: boolean;
  /** The parsed make model; defined for kinds `rules` and `makefile`. */
  /** Comment tokens of the file, whatever its kind (literals in them are not findings by default). */
  readonly comments: readonly Token[];
  readonly make: MakeModel | undefined;
  /** The parsed debian/control; defined for kind `control`. */
  readonly control: ControlModel | undefined;
  /**
   * What the Debian archive (config `suite`) and the curated list say about a package or a
   * source dir: arch-only or not, where, why, what instead (DESIGN §5).
   */
  readonly archive: ArchLookup;
  /** Directives of this file; used by the directive rules. */
  readonly directives: Directives;
  report(report: Report): void;
}

/**
 * What must occur in a file for a rule to possibly report there (DESIGN §7 Speed): literals,
 * matched case-insensitively anywhere in the text, or `always` (a finding that depends on other
 * files or on data looked up by name). Build it with the rule kit's `triggerFrom`, from the tables
 * and regexes the rule matches.
 */
export type TriggerSpec = 'always' | {
  readonly literals: readonly string[];
  /** Groups of literals that fire only together (every one of a group occurs). */
  readonly allOf?: readonly (readonly string[])[];
};

/** One trigger for every kind of a rule, or one per kind (a kind left out is `always`). */
export type RuleTrigger = TriggerSpec | Partial<Record<FileKind, TriggerSpec>>;

export interface Rule<O extends RuleOptions = RuleOptions> {
  id: string;
  description: string;
  appliesTo: readonly FileKind[];
  severity: Severity;
  fixable: Fixability;
  /** Defaults; also the option schema (each value's type is the type an option must have). */
  defaultOptions: O;
  /** Rules whose findings on an overlapping range this rule's finding replaces. */
  supersedes?: readonly string[];
  /** `after` rules run once every other rule has reported (directive bookkeeping). */
  phase?: 'normal' | 'after';
  /** What a file must contain for the rule to run on it; absent: `always`. */
  trigger?: RuleTrigger;
  docs: RuleDocs;
  check(ctx: RuleContext<O>): void;
}

/** Any rule, whatever its options. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;

/** A file that was not linted, or linted with a caveat (binary, unreadable, invalid UTF-8 …). */
export interface FileProblem {
  path: string;
  message: string;
  /** `error` problems make the run exit 2; `notice` ones are reported only. */
  level: 'error' | 'notice';
  line?: number;
}
