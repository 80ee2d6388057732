/**
 * What a file's lint read of the other files: the engine lints each file through a recording
 * view of the project, so the fixer knows which files to lint again when a fix changes or
 * creates one (DESIGN §7) — from what was read, not from a table of which kind reads which.
 *
 * Kits that cache a value computed from the project (an index of its paths, a scope per source
 * dir) cache it with `projectMemo`: every file that uses the cached value then depends on what
 * computing it read, as if it had read those files itself.
 */
import type { SourceFile } from './source.js';
import type { ProjectView } from './types.js';

/** What one lint read: the paths asked for (whether they exist or not), and whether it listed every path. */
export interface ProjectReads {
  paths: Set<string>;
  all: boolean;
}

const RECORDING = Symbol('debarch-lint recording view');

interface Recording {
  /** The view every recording view over it reads from, and the key of `projectMemo`'s caches. */
  root: ProjectView;
  /** Adds reads to this view's record and to the records of the views it was made over. */
  note(paths: readonly string[], all: boolean): void;
  /** The memos whose reads are in this view's record already (a record only grows). */
  noted: WeakSet<object>;
}

type RecordingView = ProjectView & { [RECORDING]: Recording };

const recordingOf = (view: ProjectView): Recording | undefined => (view as Partial<RecordingView>)[RECORDING];

/** The plain view under any recording views. */
export const rootView = (view: ProjectView): ProjectView => recordingOf(view)?.root ?? view;

/**
 * A view that reads `project` and records into `reads` each path asked for and each listing of
 * every path. Made over another recording view (a patch's hunk linted inside the patch's lint),
 * it records into that view's record too.
 */
export function recordingView(project: ProjectView, reads: ProjectReads): ProjectView {
  const parent = recordingOf(project);
  const root = rootView(project);
  const note = (paths: readonly string[], all: boolean): void => {
    for (const p of paths) reads.paths.add(p);
    if (all) reads.all = true;
    parent?.note(paths, all);
  };
  const view: RecordingView = {
    paths: () => {
      note([], true);
      return root.paths();
    },
    get: (p: string) => {
      reads.paths.add(p);
      parent?.note([p], false);
      return root.get(p);
    },
    [RECORDING]: { root, note, noted: new WeakSet() },
  };
  // Files that are not linted (binaries) are never changed by a fix: reading them is no dependency.
  if (root.binary) view.binary = root.binary.bind(root);
  if (root.unlinted) view.unlinted = root.unlinted.bind(root);
  return view;
}

interface Memo {
  value: unknown;
  paths: readonly string[];
  all: boolean;
}

const memos = new WeakMap<ProjectView, Map<symbol, Map<string, Memo>>>();

/**
 * `compute(view)` once per project view, `table` and `key`; `compute` must read the project
 * through the view it is given. Every caller — the first and those served from the cache —
 * records what computing it read, so the value's dependencies are never lost to the cache.
 */
export function projectMemo<T>(project: ProjectView, table: symbol, key: string, compute: (project: ProjectView) => T): T {
  // the same question through the same view again (a list asks per entry): its reads are noted already
  if (last !== undefined && last.project === project && last.table === table && last.key === key) return last.value as T;
  const root = rootView(project);
  let tables = memos.get(root);
  if (!tables) memos.set(root, (tables = new Map()));
  let byKey = tables.get(table);
  if (!byKey) tables.set(table, (byKey = new Map()));
  let memo = byKey.get(key);
  if (!memo) {
    const reads: ProjectReads = { paths: new Set(), all: false };
    const value = compute(recordingView(root, reads));
    memo = { value, paths: [...reads.paths], all: reads.all };
    byKey.set(key, memo);
  }
  // once per view and memo: a list asks for the tree's packages once per entry, and their reads
  // are every control file of the tree
  const recording = recordingOf(project);
  if (recording && !recording.noted.has(memo)) {
    recording.noted.add(memo);
    recording.note(memo.paths, memo.all);
  }
  last = { project, table, key, value: memo.value };
  return memo.value as T;
}

/** The last question projectMemo answered, and through which view (one view kept alive at most). */
let last: { project: ProjectView; table: symbol; key: string; value: unknown } | undefined;

/**
 * False when the file surely does not hold `ascii` (a string of ASCII characters): its bytes are
 * searched while it is not decoded (a neighbour read for one question is often never decoded),
 * its text once it is. UTF-8 never puts an ASCII byte inside another character, and a decoder
 * keeps every ASCII byte of an invalid sequence, so the answer is the text's either way.
 */
export function fileIncludes(file: SourceFile, ascii: string): boolean {
  const bytes = file.undecodedBytes;
  if (!bytes) return file.text.includes(ascii);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ascii, 0, 'latin1');
}
