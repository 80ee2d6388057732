/**
 * Finding the files to lint: one synchronous walk per path, `.gitignore` files honoured as the
 * walk goes (the `ignore` matcher, per folder, up to the git top; the repository's
 * `info/exclude` below them), an ignored folder skipped whole without testing what is inside,
 * config `ignore` globs, symlinks followed only to files inside the linted root, loops and
 * escapes reported, never followed. Paths are sorted by UTF-16 code unit (never by locale).
 *
 * Why no `git ls-files`: on the 15 StarlingX repos it takes longer (spawn + output, and an
 * lstat per path to tell links from files) than this walk, and a second matcher (git's beside
 * the `ignore` package) would make the file list depend on which path ran. A test compares this
 * walk with `git ls-files -co --exclude-standard` on generated trees.
 */
import ignore, { type Ignore } from 'ignore';
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { SNIFF_BYTES, classify, classifyByContent, mightSniff, type KindSupport } from '../kinds/index.js';
import { CONFIG_FILE } from '../config/file-name.js';
import { byCodeUnit } from '../order.js';
import type { FileProblem } from '../types.js';
import { isFixTemp } from './fix-temp.js';
import { compileNameGlobs } from './name-globs.js';

export interface Candidate {
  /** Absolute path as found (may be a symlink). */
  abs: string;
  /** Absolute path of the file that is read and written (symlinks resolved). */
  real: string;
  /** POSIX path relative to the working directory, for output. */
  display: string;
  kind: KindSupport;
  /** The root it was found under (realpath), for symlink checks. */
  root: string;
  /**
   * Set when discovery already opened the file (to sniff its kind) and checked what the read
   * phase's probe checks: a regular file within the size limit, and whether its first
   * BINARY_PROBE bytes hold a NUL. The read phase does not open it again to probe.
   */
  probed?: 'text' | 'binary';
}

/** How many bytes of a file decide whether it is binary (a NUL byte among them). */
export const BINARY_PROBE = 8192;

export const toPosix = (p: string): string => (path.sep === '/' ? p : p.split(path.sep).join('/'));

export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return toPosix(rel === '' ? '.' : rel);
}

export { byCodeUnit };

/**
 * Flags for opening a file found by discovery: never block (a FIFO swapped in after discovery
 * would hang a read) and never follow a symlink in the last component (a file replaced by a
 * link after discovery could lead out of the linted root). Windows has neither flag.
 */
export const OPEN_FOUND_FILE = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

/** Names never walked into nor listed, whatever their type (fast-glob's `**\/.git/**` did the same). */
const NEVER_WALKED = new Set(['.git', 'node_modules']);

/**
 * A file's name as bytes, for a name that is not valid UTF-8: valid characters kept, every other
 * byte as `\xNN`, so a notice can name it.
 */
export function escapeFileName(name: Buffer): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const b = name[i] as number;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const seq = len ? name.subarray(i, i + len) : undefined;
    if (seq && seq.length === len && isUtf8(seq)) {
      out += seq.toString('utf8');
      i += len;
    } else {
      out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}

/** Case-insensitive only where git is by default (core.ignorecase on macOS and Windows). */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * One file of gitignore patterns, relative to its folder, kept in the shape that tests fastest.
 * Without `!` patterns a path is ignored when any pattern matches it, so the patterns can be
 * split: bare names (no slash but a trailing one, no `**`), which only ever match a path's last
 * part and are tested by the name alone (`ignore` caches by name, and names repeat), and path
 * patterns, tested only for paths whose first part one of them starts with. With `!` the order
 * matters: all patterns stay in one matcher.
 */
type IgnoreSource =
  | {
      /** POSIX path of the source's folder from the walk's top ('' for the top). */
      base: string;
      negates: false;
      /** Names a plain literal line (`build`, `.tox`) ignores, files and folders alike. */
      literal: ReadonlySet<string>;
      /** Names a plain literal line with a trailing slash (`build/`) ignores: folders only. */
      literalDirs: ReadonlySet<string>;
      /** The tails of `*<tail>` lines (`*.pyc`): a name ending so is ignored, a file or a folder. */
      tails: readonly string[];
      /** The same with a trailing slash (`*.d/`): folders only. */
      tailDirs: readonly string[];
      /** The other bare-name lines compiled (name-globs.ts), when all are simple: files and folders alike. */
      nameGlobs: RegExp | undefined;
      /** The same for the lines with a trailing slash: folders only. */
      dirGlobs: RegExp | undefined;
      /** The other bare-name lines, when one is not simple: the package tests them. */
      names: Ignore | undefined;
      paths: Ignore | undefined;
      /** The literal first parts of the path patterns; undefined when one starts with a wildcard. */
      firsts: ReadonlySet<string> | undefined;
    }
  | { base: string; negates: true; all: Ignore; byName: boolean };

/** A .gitignore line that is a plain name (letters, digits, `_.-`, not dots alone), maybe with a trailing slash. */
const LITERAL_LINE = /^(?!\.+\/?$)([\w.-]+)(\/?)$/;
/** A .gitignore line that is `*` and a plain tail (`*.pyc`, `*.d/`). */
const TAIL_LINE = /^\*([\w.-]+)(\/?)$/;

/**
 * Matchers by their lines: repositories share most of their .gitignore, and a matcher caches
 * what it said of each name, so the same lines in another repository test each name once.
 */
const matchers = new Map<string, Ignore>();

function matcher(lines: readonly string[]): Ignore {
  const text = lines.join('\n');
  let m = matchers.get(text);
  if (!m) matchers.set(text, (m = ignore({ ignorecase: IGNORE_CASE }).add(text)));
  return m;
}

function source(text: string, base: string): IgnoreSource {
  const names: string[] = [];
  const literal = new Set<string>();
  const literalDirs = new Set<string>();
  const tails: string[] = [];
  const tailDirs: string[] = [];
  const paths: string[] = [];
  let firsts: Set<string> | undefined = new Set<string>();
  let negates = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('!')) negates = true;
    // git drops trailing spaces (unless escaped) before it looks for the trailing slash
    const p = trimUnescapedSpaces(line.replace(/^!/, '')).replace(/\/$/, '');
    if (!p.includes('/') && !p.includes('**')) {
      // a plain name matches itself only, tested by a set (the matcher would run every line)
      const lit = IGNORE_CASE ? null : LITERAL_LINE.exec(line);
      const tail = IGNORE_CASE || lit ? null : TAIL_LINE.exec(line);
      if (lit) (lit[2] ? literalDirs : literal).add(lit[1] as string);
      // `*` matches any run of characters but a slash, none too: `*<tail>` is a name's ending
      else if (tail) (tail[2] ? tailDirs : tails).push(tail[1] as string);
      else names.push(line);
      continue;
    }
    paths.push(line);
    const first = p.replace(/^\//, '').split('/')[0] as string;
    if (IGNORE_CASE || first === '' || /[*?[\\]/.test(first)) firsts = undefined;
    else firsts?.add(first);
  }
  if (negates) return { base, negates, all: ignore({ ignorecase: IGNORE_CASE }).add(text), byName: paths.length === 0 };
  const nameGlobs = names.length ? compileNameGlobs(names.filter((n) => !n.endsWith('/')), IGNORE_CASE) : undefined;
  const dirGlobs = names.length ? compileNameGlobs(names.filter((n) => n.endsWith('/')).map((n) => n.slice(0, -1)), IGNORE_CASE) : undefined;
  const compiled = nameGlobs !== undefined && dirGlobs !== undefined;
  return {
    base, negates, literal, literalDirs, tails, tailDirs,
    nameGlobs: compiled ? nameGlobs : undefined,
    dirGlobs: compiled ? dirGlobs : undefined,
    names: names.length && !compiled ? matcher(names) : undefined,
    paths: paths.length ? matcher(paths) : undefined,
    firsts,
  };
}

/** The `info/exclude` of the repository whose `.git` (a folder, or a file naming one) sits in `dir`. */
function infoExclude(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  try {
    let gitDir = dotGit;
    if (!fs.statSync(dotGit).isDirectory()) {
      // a worktree or submodule: ".git" is a file saying "gitdir: <path>"
      const m = /^gitdir: (.+?)\r?$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (!m) return undefined;
      gitDir = path.resolve(dir, m[1] as string);
      // a linked worktree shares info/ with the main repository (its commondir)
      const common = path.join(gitDir, 'commondir');
      if (fs.existsSync(common)) gitDir = path.resolve(gitDir, fs.readFileSync(common, 'utf8').trim());
    }
    return fs.readFileSync(path.join(gitDir, 'info', 'exclude'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The pattern sources a folder adds for what lies below it: its repository's `info/exclude`
 * when it holds a `.git` (lower precedence, so first), then its `.gitignore`.
 */
function sourcesOf(dir: string, base: string, hasGit: boolean, hasGitignore: boolean): IgnoreSource[] {
  const out: IgnoreSource[] = [];
  const exclude = hasGit ? infoExclude(dir) : undefined;
  if (exclude !== undefined) out.push(source(exclude, base));
  if (hasGitignore) {
    try {
      out.push(source(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), base));
    } catch {
      // a .gitignore that is a folder, a broken link or unreadable: no patterns
    }
  }
  return out;
}

/*
 * The tests below are asked only about paths whose folders no source ignores (an ignored folder
 * is never walked into), so what a source says of a path is what its patterns say of the path
 * itself, which for a bare-name pattern is what it says of the path's last part.
 */

/** `rel` (POSIX, from the top) as seen from the source's folder. */
const relIn = (s: IgnoreSource, rel: string): string => (s.base === '' ? rel : rel.slice(s.base.length + 1));

/** Whether a source without `!` ignores the path (`slash`: '/' for a folder). */
function plainIgnores(s: Extract<IgnoreSource, { negates: false }>, rel: string, name: string, slash: string): boolean {
  if (s.literal.has(name) || (slash !== '' && s.literalDirs.has(name))) return true;
  for (const t of s.tails) if (name.endsWith(t)) return true;
  if (slash !== '') for (const t of s.tailDirs) if (name.endsWith(t)) return true;
  if (s.nameGlobs) {
    if (s.nameGlobs.test(name) || (slash !== '' && s.dirGlobs?.test(name))) return true;
  } else if (s.names?.ignores(name + slash)) return true;
  if (!s.paths) return false;
  const r = relIn(s, rel);
  if (s.firsts) {
    const cut = r.indexOf('/');
    if (!s.firsts.has(cut < 0 ? r : r.slice(0, cut))) return false;
  }
  return s.paths.ignores(r + slash);
}

/**
 * True when a folder is ignored: some source above it ignores it. Nothing inside an ignored
 * folder is listed, whatever a deeper .gitignore says (git does not read those either). A
 * deeper .gitignore that names the folder itself with `!` does not bring it back here, where git
 * would look inside: the one known difference from git.
 */
function folderIgnored(chain: readonly IgnoreSource[], rel: string, name: string): boolean {
  for (const s of chain) {
    if (s.negates ? s.all.ignores(`${s.byName ? name : relIn(s, rel)}/`) : plainIgnores(s, rel, name, '/')) return true;
  }
  return false;
}

/** True when a file is ignored: the deepest source that says anything about it decides. */
function fileIgnored(chain: readonly IgnoreSource[], rel: string, name: string): boolean {
  for (let i = chain.length - 1; i >= 0; i--) {
    const s = chain[i] as IgnoreSource;
    if (!s.negates) {
      if (plainIgnores(s, rel, name, '')) return true;
      continue;
    }
    const t = s.all.test(s.byName ? name : relIn(s, rel));
    if (t.ignored) return true;
    if (t.unignored) return false;
  }
  return false;
}

/** A bare name glob of a config `ignore` line (`**\/` optional): no slash, no `**`, no escapes. */
const NAME_LINE = /^(?:\*\*\/)?([\w.*?-]+)$/;
/** `**\/<name>/**`: everything inside any folder of that name (not the folder itself). */
const INSIDE_LINE = /^\*\*\/([\w.*?-]+)\/\*\*$/;

/**
 * A config's `ignore` globs, answering exactly as `ignore().add(patterns).ignores(rel)` does, but
 * deciding each folder once. The `ignore` package tests a path's folders (cached) and then the
 * whole path against every pattern; discovery asks about every file, and the whole-path tests
 * were most of discovery's cost. When every line is a bare name or `**\/<name>/**` (the default
 * globs are) and none negates, a file is ignored when its folder is (the package's own verdict
 * on `dir/`, or a folder on the way has a `**\/<name>/**` name) or its name matches a bare name:
 * the package's patterns without a slash match only a path's last part (tested by one compiled
 * regex, name-globs.ts). Any other line: the package decides alone.
 */
export class ConfigIgnore {
  private readonly all: Ignore;
  /** Undefined when some line is neither shape: `all` decides every path. */
  private readonly fast: { names: RegExp; insides: RegExp; folders: Map<string, boolean> } | undefined;

  constructor(patterns: readonly string[]) {
    this.all = ignore().add([...patterns]);
    const names: string[] = [];
    const insides: string[] = [];
    let fast = true;
    for (const line of patterns) {
      const inside = INSIDE_LINE.exec(line);
      const m = inside ?? NAME_LINE.exec(line);
      const x = m?.[1];
      if (x === undefined || x.includes('**') || /^\.+$/.test(x)) {
        fast = false;
        break;
      }
      (inside ? insides : names).push(x);
    }
    // the package's default is case-insensitive, and so is the compiled test
    const compiled = fast ? compileNameGlobs(names, true) : undefined;
    const inside = fast ? compileNameGlobs(insides, true) : undefined;
    this.fast = compiled && inside ? { names: compiled, insides: inside, folders: new Map() } : undefined;
  }

  /** `rel`: POSIX, relative to the config's folder, not empty, not above it. */
  ignores(rel: string): boolean {
    if (!this.fast) return this.all.ignores(rel);
    const cut = rel.lastIndexOf('/');
    if (cut >= 0 && this.folderIgnored(rel.slice(0, cut))) return true;
    return this.fast.names.test(cut < 0 ? rel : rel.slice(cut + 1));
  }

  /**
   * Whether everything in folder `dir` is ignored: a bare name matches it (a folder a pattern
   * ignores takes its contents along), a `**\/<name>/**` names it, or so for a folder above.
   */
  private folderIgnored(dir: string): boolean {
    const fast = this.fast as NonNullable<ConfigIgnore['fast']>;
    let v = fast.folders.get(dir);
    if (v === undefined) {
      const cut = dir.lastIndexOf('/');
      const name = dir.slice(cut + 1);
      v = fast.names.test(name) || fast.insides.test(name) || (cut >= 0 && this.folderIgnored(dir.slice(0, cut)));
      fast.folders.set(dir, v);
    }
    return v;
  }
}

/** A file or symlink the walk found, not ignored by git's patterns. */
export interface TreeEntry {
  abs: string;
  /** POSIX path from the walked root. */
  rel: string;
  isLink: boolean;
}

/** A name the walk could not turn into a path (not valid UTF-8), for a notice. */
export interface BadName {
  /** Absolute path of its folder. */
  dir: string;
  /** The name with its invalid bytes escaped. */
  escaped: string;
  /** The name as Node decodes it (invalid bytes as U+FFFD), for ignore tests only. */
  lossy: string;
  isDir: boolean;
}

function gitTop(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** What the walk needs of a folder entry (a Dirent, or one rebuilt from a byte name). */
interface Named {
  name: string;
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * A folder's entries read again as bytes, when some name did not decode: the names that are
 * valid UTF-8 (a real U+FFFD among them) come back as entries; the others, unless git's
 * patterns ignore them, become bad names for a notice (they cannot be named by a string path).
 */
function splitBadNames(dir: string, prefix: string, sources: readonly IgnoreSource[], badNames: BadName[]): Named[] {
  let raw: fs.Dirent<Buffer>[];
  try {
    raw = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch {
    return [];
  }
  const out: Named[] = [];
  for (const e of raw) {
    const lossy = e.name.toString('utf8');
    if (isUtf8(e.name)) {
      out.push({ name: lossy, isDirectory: () => e.isDirectory(), isFile: () => e.isFile(), isSymbolicLink: () => e.isSymbolicLink() });
      continue;
    }
    const isDir = e.isDirectory();
    if (!isDir && !e.isFile() && !e.isSymbolicLink()) continue;
    const ignored = isDir ? folderIgnored(sources, prefix + lossy, lossy) : fileIgnored(sources, prefix + lossy, lossy);
    if (!ignored) badNames.push({ dir, escaped: escapeFileName(e.name), lossy, isDir });
  }
  return out;
}

/**
 * Every file and symlink under `root` that the .gitignore files (and `info/exclude`) from the
 * git top down do not ignore, sorted by path (UTF-16 code units). Each folder is decided once:
 * an ignored one is never read. Symlinks are listed, never followed; folders that cannot be
 * read are skipped silently (as fast-glob's walk did before); FIFOs, sockets and devices are
 * left out; names that are not valid UTF-8 are returned apart.
 */
export function walkTree(root: string): TreeListing {
  const top = gitTop(root) ?? root;
  const found: TreeEntry[] = [];
  const badNames: BadName[] = [];
  const noConfig = new Set<string>();

  // the sources of the folders from the top down to the root's parent, and whether they ignore
  // the root or a folder on the way (the .gitignore above a linted sub folder still applies)
  const down: string[] = [];
  for (let d = root; ; d = path.dirname(d)) {
    down.unshift(d);
    if (d === top || path.dirname(d) === d) break;
  }
  let chain: IgnoreSource[] = [];
  for (const d of down.slice(0, -1)) {
    const rel = d === top ? '' : toPosix(path.relative(top, d));
    if (rel !== '' && folderIgnored(chain, rel, path.basename(d))) return { entries: [], badNames };
    chain = chain.concat(sourcesOf(d, rel, fs.existsSync(path.join(d, '.git')), true));
  }
  const rootRel = root === top ? '' : toPosix(path.relative(top, root));
  /** Where a path from the top becomes one from the root. */
  const cut = rootRel === '' ? 0 : rootRel.length + 1;
  if (rootRel !== '' && folderIgnored(chain, rootRel, path.basename(root))) return { entries: [], badNames };

  const walk = (dir: string, rel: string, above: readonly IgnoreSource[]): void => {
    let dirents: Named[];
    try {
      dirents = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const prefix = rel === '' ? '' : `${rel}/`;
    // `dir` is absolute and normalised, a name has no separator: no path.join per entry
    const inDir = dir.endsWith(path.sep) ? dir : dir + path.sep;
    // the folder's own listing says whether it has a .git or a .gitignore: no failed opens
    let hasGit = false;
    let hasGitignore = false;
    let hasConfig = false;
    let undecodable = false;
    for (const e of dirents) {
      if (e.name === '.git') hasGit = true;
      else if (e.name === '.gitignore') hasGitignore = true;
      else if (e.name === CONFIG_FILE) hasConfig = true;
      else if (e.name.includes('\uFFFD')) undecodable = true;
    }
    if (!hasConfig) noConfig.add(dir);
    const own = hasGit || hasGitignore ? sourcesOf(dir, rel, hasGit, hasGitignore) : [];
    const sources = own.length ? above.concat(own) : above;
    if (undecodable) dirents = splitBadNames(dir, prefix, sources, badNames);
    const folders: string[] = [];
    for (const e of dirents) {
      if (NEVER_WALKED.has(e.name)) continue;
      const childRel = prefix + e.name;
      if (e.isDirectory()) {
        if (!folderIgnored(sources, childRel, e.name)) folders.push(e.name);
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (!fileIgnored(sources, childRel, e.name)) found.push({ abs: inDir + e.name, rel: childRel.slice(cut), isLink: e.isSymbolicLink() });
      }
    }
    for (const name of folders) walk(inDir + name, prefix + name, sources);
  };
  walk(root, rootRel, chain);
  found.sort((a, b) => byCodeUnit(a.rel, b.rel));
  badNames.sort((a, b) => byCodeUnit(a.dir, b.dir) || byCodeUnit(a.escaped, b.escaped));
  return { entries: found, badNames, noConfig };
}

/** One buffer for every sniff: the head is decoded (copied) before the next file is read. */
const sniffBuffer = Buffer.alloc(BINARY_PROBE);

/**
 * The kind a file's first bytes say it is (a shebang, a kickstart section), for files no path
 * rule claims: never for empty files, files over `maxSize` (they are not read at all) or
 * binary ones (a NUL byte), and SNIFF_BYTES decide. A file that has a kind is read on, through
 * the same descriptor, up to BINARY_PROBE bytes: what the read phase's probe would find
 * (`probed`), so that it is not opened again before the lint.
 */
export function sniffKind(real: string, display: string, maxSize: number): { kind: KindSupport; probed: 'text' | 'binary' } | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(real, OPEN_FOUND_FILE);
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size === 0 || st.size > maxSize) return undefined;
    const n = fs.readSync(fd, sniffBuffer, 0, Math.min(SNIFF_BYTES, st.size), 0);
    const head = sniffBuffer.subarray(0, n);
    if (head.includes(0)) return undefined;
    const kind = classifyByContent(display, head.toString('utf8'));
    if (!kind) return undefined;
    // the probe reads BINARY_PROBE bytes whatever the size said: so does this
    const more = n < SNIFF_BYTES ? 0 : fs.readSync(fd, sniffBuffer, n, BINARY_PROBE - n, n);
    return { kind, probed: sniffBuffer.subarray(n, n + more).includes(0) ? 'binary' : 'text' };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Reads a file discovery found, through one descriptor (what is checked is what is read): a
 * file that changed between discovery and now is named in an error, never read through a
 * symlink that replaced it, never waited on (a FIFO). Errors fail the run (exit 2): what was
 * printed would not cover the tree as it is, so it must not pass silently; a rerun lints it.
 */
export function readFound(c: Pick<Candidate, 'real' | 'display'>, maxSize: number): { bytes: Buffer } | { problem: FileProblem } {
  return openFound(c, maxSize, (fd, size) => ({ bytes: readAll(fd, size) }));
}

/**
 * The whole file, as `readFileSync(fd)` reads it, without the second fstat it makes: `size` is
 * the one openFound took. A file that says 0 bytes (procfs and the like) is read to its end.
 */
function readAll(fd: number, size: number): Buffer {
  // above 2 GiB readFileSync says ERR_FS_FILE_TOO_LARGE: its error, not a RangeError here
  if (size === 0 || size > 0x7fffffff) return fs.readFileSync(fd);
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  while (pos < size) {
    const n = fs.readSync(fd, buf, pos, size - pos, null);
    if (n === 0) break;
    pos += n;
  }
  return pos < size ? buf.subarray(0, pos) : buf;
}

/**
 * What reading a found file would give, without keeping its text (the lint reads it again): the
 * same checks as readFound, and the first `probe.length` bytes (binary detection) in `probe`.
 * A file of at most `wholeUpTo` bytes (and not empty: procfs says 0 for what it has) is read
 * whole instead, into a buffer of its own, exactly as readFound reads it (`whole`): the probe
 * reads that much anyway, and the lint may take these bytes rather than open the file again.
 */
export function probeFound(
  c: Pick<Candidate, 'real' | 'display'>,
  maxSize: number,
  probe: Buffer,
  wholeUpTo = 0,
): { bytes: Buffer; whole?: true } | { problem: FileProblem } {
  return openFound(c, maxSize, (fd, size) =>
    size > 0 && size <= wholeUpTo && size <= probe.length
      ? { bytes: readAll(fd, size), whole: true }
      : { bytes: probe.subarray(0, fs.readSync(fd, probe, 0, probe.length, 0)) },
  );
}

function openFound<R extends { bytes: Buffer }>(c: Pick<Candidate, 'real' | 'display'>, maxSize: number, read: (fd: number, size: number) => R): R | { problem: FileProblem } {
  const fail = (message: string): { problem: FileProblem } => ({ problem: { path: c.display, level: 'error', message } });
  const cannot = (e: unknown): { problem: FileProblem } => {
    const err = e as NodeJS.ErrnoException;
    // Node's message already starts with the code ("EACCES: permission denied, open …")
    return fail(`cannot read: ${err.code && !err.message.startsWith(err.code) ? `${err.code}: ${err.message}` : err.message}`);
  };
  let fd: number;
  try {
    fd = fs.openSync(c.real, OPEN_FOUND_FILE);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail('disappeared after it was found (deleted or renamed while debarch-lint ran); not linted: run again');
    if (code === 'ELOOP') return fail('became a symbolic link after it was found; not followed, not linted: run again');
    if (code === 'ENXIO') return fail('is no longer a regular file (now a socket); not linted: run again');
    return cannot(e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return fail('became a folder after it was found; not linted: run again');
    if (!st.isFile()) return fail('is no longer a regular file (now a FIFO or device); not linted: run again');
    if (st.size > maxSize) {
      return { problem: { path: c.display, level: 'notice', message: `larger than ${maxSize} bytes (${st.size}); skipped (see --max-file-size)` } };
    }
    return read(fd, st.size);
  } catch (e) {
    return cannot(e);
  } finally {
    fs.closeSync(fd);
  }
}

export interface DiscoverResult {
  files: Candidate[];
  problems: FileProblem[];
  /**
   * Files of the tree that are not linted because they are no kind debarch-lint reads
   * (committed binaries among them): display path → real path. Never read here; the CLI reads
   * the header of those the packaging names (ProjectView.binary).
   */
  others: Map<string, string>;
  /** Temp and backup files of `--fix` runs (`.<name>.debarch-lint-<pid>-<n>.tmp`): never linted. */
  leftovers: string[];
}

/** What a walk found under a root. */
export interface TreeListing {
  entries: TreeEntry[];
  badNames: BadName[];
  /** Folders the walk listed that hold no config file: the config lookup needs no look of its own there. */
  noConfig?: ReadonlySet<string>;
}

/** Lists a folder's files as the walk does; a test swaps in `git ls-files` to compare. */
export type TreeLister = (root: string) => TreeListing;

/**
 * Whether the config's `ignore` globs leave a file out; `noConfig` (when the walk says) names
 * folders known to hold no config file.
 */
export type IgnoreTest = (abs: string, noConfig?: ReadonlySet<string>) => boolean;

/**
 * `isIgnored(abs, noConfig)` applies config `ignore` globs (the CLI knows which config owns a file).
 */
export async function discover(
  cwd: string,
  paths: readonly string[],
  isIgnored: IgnoreTest,
  maxFileSize = 5 * 1024 * 1024,
  listTree: TreeLister = walkTree,
): Promise<DiscoverResult> {
  const files: Candidate[] = [];
  const problems: FileProblem[] = [];
  const others = new Map<string, string>();
  const leftovers: string[] = [];
  const seenReal = new Set<string>();

  /** The walk's folders without a config file, for the root being considered. */
  let walked: ReadonlySet<string> | undefined;
  const consider = (abs: string, root: string, explicit: boolean, isLink: boolean, display = displayPath(cwd, abs)): void => {
    /** The config's verdict, asked once (a sniffed file of no kind would ask twice). */
    let ignored: boolean | undefined;
    let kind = classify(display) ?? classify(toPosix(abs));
    const notAKind = (): void => {
      if (explicit) problems.push({ path: display, level: 'notice', message: 'not a file kind debarch-lint reads (see README: file kinds); skipped' });
    };
    // A regular file of no kind: kept by name (symlinks are not, they may lead out of the tree).
    const other = (): void => {
      if (!isLink && !(ignored ??= isIgnored(abs, walked))) others.set(display, abs);
      notAKind();
    };
    if (!kind && !mightSniff(display)) return other();
    let real = abs;
    if (isLink) {
      try {
        real = fs.realpathSync(abs);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        problems.push({
          path: display,
          level: 'notice',
          message: code === 'ELOOP' ? 'symbolic link loop; skipped' : 'broken symbolic link; skipped',
        });
        return;
      }
      const rel = path.relative(root, real);
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        problems.push({ path: display, level: 'notice', message: `symbolic link to ${real}, outside the linted tree; skipped` });
        return;
      }
      try {
        if (!fs.statSync(real).isFile()) return;
      } catch {
        return;
      }
    }
    if ((ignored ??= isIgnored(abs, walked))) {
      if (explicit) problems.push({ path: display, level: 'notice', message: 'ignored by the configuration; skipped' });
      return;
    }
    if (seenReal.has(real)) return;
    let probed: Candidate['probed'];
    if (!kind) {
      const sniffed = sniffKind(real, display, maxFileSize);
      if (!sniffed) return other();
      ({ kind, probed } = sniffed);
    }
    // only a linted file claims its content: a link with a kind's name to a file of no kind
    // (`Makefile -> Makefile.common`) lints it
    seenReal.add(real);
    files.push({ abs, real, display, kind, root, probed });
  };

  for (const p of paths) {
    walked = undefined;
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      problems.push({ path: toPosix(p), level: 'error', message: 'no such file or directory' });
      continue;
    }
    let root: string;
    try {
      root = fs.realpathSync(st.isDirectory() ? abs : path.dirname(abs));
    } catch {
      problems.push({ path: toPosix(p), level: 'error', message: 'cannot resolve this path' });
      continue;
    }
    if (!st.isDirectory()) {
      if (st.isSymbolicLink()) {
        let target: fs.Stats | undefined;
        try {
          target = fs.statSync(abs);
        } catch {
          target = undefined;
        }
        if (target?.isDirectory()) {
          problems.push({ path: toPosix(p), level: 'notice', message: 'symbolic link to a folder; not followed (name the folder itself)' });
          continue;
        }
        // `root` is the link's folder with symlinks resolved, like the `real` it is compared to:
        // the unresolved folder would put every target "outside" when the path runs through a link
        consider(abs, root, true, true);
      } else if (st.isFile()) consider(abs, root, true, false);
      // a FIFO would block the read, a device or socket is no source file
      else problems.push({ path: toPosix(p), level: 'notice', message: 'not a regular file (a FIFO, socket or device); skipped' });
      continue;
    }
    const { entries, badNames, noConfig } = listTree(abs);
    walked = noConfig;
    for (const bad of badNames) {
      const lossyAbs = path.join(bad.dir, bad.lossy);
      if (isIgnored(lossyAbs, noConfig)) continue;
      const display = `${displayPath(cwd, bad.dir)}/${bad.escaped}`.replace(/^\.\//, '');
      if (bad.isDir) {
        problems.push({ path: display, level: 'notice', message: 'folder name is not valid UTF-8 (bytes shown as \\xNN); nothing in it is linted' });
      } else if (classify(displayPath(cwd, lossyAbs)) || mightSniff(displayPath(cwd, lossyAbs))) {
        problems.push({ path: display, level: 'notice', message: 'file name is not valid UTF-8 (bytes shown as \\xNN); skipped' });
      }
    }
    // below the working directory a display path is the root's and the entry's (path.relative per
    // file costs more than the rest of the walk)
    const rootDisplay = displayPath(cwd, abs);
    const under = rootDisplay !== '..' && !rootDisplay.startsWith('../') && !path.isAbsolute(rootDisplay);
    const display = (e: TreeEntry): string | undefined => (!under ? undefined : rootDisplay === '.' ? e.rel : `${rootDisplay}/${e.rel}`);
    // files before symlinks: a file and a link to it are linted once, as the file under its own
    // name and kind, whichever sorts first (a file that is ignored or of no kind claims nothing)
    const start = files.length;
    const kept = entries.filter((e) => {
      // the entry's name is the end of its path from the root (path.basename per entry costs more)
      if (!isFixTemp(e.rel.slice(e.rel.lastIndexOf('/') + 1))) return true;
      leftovers.push(e.abs);
      return false;
    });
    for (const e of kept) if (!e.isLink) consider(e.abs, root, false, false, display(e));
    for (const e of kept) if (e.isLink) consider(e.abs, root, false, true, display(e));
    files.push(...files.splice(start).sort((a, b) => byCodeUnit(a.display, b.display)));
  }
  // the matchers' caches are kept no longer than one discovery
  matchers.clear();
  return { files, problems, others, leftovers };
}

/** A .gitignore line without its trailing spaces, except one escaped with a backslash (a scan: a regex would be quadratic on a line of spaces). */
function trimUnescapedSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ' ' && s[end - 2] !== '\\') end--;
  return s.slice(0, end);
}
