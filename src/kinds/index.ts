/**
 * File kinds (DESIGN §3): which kind a path is, how it is parsed, where its comments are and
 * whether a trailing comment can carry a `disable-line` directive without changing data.
 * A new kind plugs in by adding a `KindSupport` here; the engine needs nothing else.
 */
import type { ArchName } from '../arch.js';
import { GuardMap } from '../guards.js';
import type { Token } from '../lexers/token.js';
import { parseMake, type MakeModel } from '../models/make.js';
import type { FileKind } from '../types.js';

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
}

export interface KindSupport {
  kind: FileKind;
  /** True when a POSIX path (relative) is of this kind. */
  matches(path: string): boolean;
  parse(text: string, architectures: readonly ArchName[]): ParsedFile;
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const parentDir = (p: string): string => {
  const parts = p.split('/');
  return parts.length >= 2 ? (parts[parts.length - 2] as string) : '';
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
];

/** Paths that are never read, whatever the config says (DESIGN §3). */
export function neverRead(path: string): boolean {
  return /(^|\/)debian\/(changelog|copyright)$/.test(path) || /(^|\/)deb_folder\/(changelog|copyright)$/.test(path);
}

export function classify(path: string): KindSupport | undefined {
  if (neverRead(path)) return undefined;
  return KINDS.find((k) => k.matches(path));
}

export function kindSupport(kind: FileKind): KindSupport | undefined {
  return KINDS.find((k) => k.kind === kind);
}
