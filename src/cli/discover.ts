/**
 * Finding the files to lint: fast-glob over each path, `.gitignore` files honoured (the
 * `ignore` matcher, per folder, up to the git top), config `ignore` globs, symlinks followed
 * only to files inside the linted root, loops and escapes reported, never followed.
 */
import ignore, { type Ignore } from 'ignore';
import fs from 'node:fs';
import path from 'node:path';
import { SNIFF_BYTES, classify, classifyByContent, mightSniff, type KindSupport } from '../kinds/index.js';
import type { FileProblem } from '../types.js';

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
}

export const toPosix = (p: string): string => p.split(path.sep).join('/');

export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return toPosix(rel === '' ? '.' : rel);
}

function gitTop(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

class GitIgnores {
  private readonly byDir = new Map<string, Ignore | null>();

  private load(dir: string): Ignore | null {
    if (this.byDir.has(dir)) return this.byDir.get(dir) as Ignore | null;
    let ig: Ignore | null = null;
    try {
      const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
      ig = ignore().add(text);
    } catch {
      ig = null;
    }
    this.byDir.set(dir, ig);
    return ig;
  }

  /**
   * True when the .gitignore files between `top` and the file's folder ignore it, as git
   * reads them: a deeper file's `!pattern` re-includes what a shallower one ignored, but
   * nothing under an ignored folder can be re-included.
   */
  ignored(abs: string, top: string): boolean {
    let dir = path.dirname(abs);
    const chain: string[] = [];
    for (;;) {
      chain.push(dir);
      if (dir === top || path.dirname(dir) === dir) break;
      dir = path.dirname(dir);
    }
    let ignored = false;
    for (const d of chain.reverse()) {
      const ig = this.load(d);
      if (!ig) continue;
      const rel = toPosix(path.relative(d, abs));
      if (!rel || rel.startsWith('..')) continue;
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) if (ig.ignores(`${parts.slice(0, i).join('/')}/`)) return true;
      const t = ig.test(rel);
      if (t.ignored) ignored = true;
      else if (t.unignored) ignored = false;
    }
    return ignored;
  }
}

/**
 * The kind a file's first bytes say it is (a shebang, a kickstart section), for files no path
 * rule claims: never for empty files, files over `maxSize` (they are not read at all) or
 * binary ones (a NUL byte), and at most SNIFF_BYTES are read.
 */
export function sniffKind(real: string, display: string, maxSize: number): KindSupport | undefined {
  let fd: number | undefined;
  try {
    const st = fs.statSync(real);
    if (!st.isFile() || st.size === 0 || st.size > maxSize) return undefined;
    fd = fs.openSync(real, 'r');
    const buf = Buffer.alloc(Math.min(SNIFF_BYTES, st.size));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    if (head.includes(0)) return undefined;
    return classifyByContent(display, head.toString('utf8'));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
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
}

/**
 * `isIgnored(abs)` applies config `ignore` globs (the CLI knows which config owns a file).
 */
export async function discover(
  cwd: string,
  paths: readonly string[],
  isIgnored: (abs: string) => boolean,
  maxFileSize = 5 * 1024 * 1024,
): Promise<DiscoverResult> {
  const files: Candidate[] = [];
  const problems: FileProblem[] = [];
  const others = new Map<string, string>();
  const seenReal = new Set<string>();
  const gitignores = new GitIgnores();

  const consider = (abs: string, root: string, explicit: boolean, isLink: boolean): void => {
    const display = displayPath(cwd, abs);
    let kind = classify(display) ?? classify(toPosix(abs));
    const notAKind = (): void => {
      if (explicit) problems.push({ path: display, level: 'notice', message: 'not a file kind debarch-lint reads (see README: file kinds); skipped' });
    };
    // A regular file of no kind: kept by name (symlinks are not, they may lead out of the tree).
    const other = (): void => {
      if (!isLink && !isIgnored(abs)) others.set(display, abs);
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
    if (seenReal.has(real)) return;
    seenReal.add(real);
    if (isIgnored(abs)) {
      if (explicit) problems.push({ path: display, level: 'notice', message: 'ignored by the configuration; skipped' });
      return;
    }
    kind ??= sniffKind(real, display, maxFileSize);
    if (!kind) return other();
    files.push({ abs, real, display, kind, root });
  };

  for (const p of paths) {
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
      } else consider(abs, root, true, false);
      continue;
    }
    const top = gitTop(abs) ?? abs;
    // loaded for a folder only: naming one file (a pre-commit hook, an editor) never walks
    const fg = (await import('fast-glob')).default;
    const entries = await fg('**/*', {
      cwd: abs,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      suppressErrors: true,
      ignore: ['**/.git/**', '**/node_modules/**'],
    });
    entries.sort((a, b) => a.path.localeCompare(b.path));
    for (const e of entries) {
      const dirent = e.dirent;
      if (dirent.isDirectory()) continue;
      const entryAbs = path.join(abs, e.path);
      if (gitignores.ignored(entryAbs, top)) continue;
      if (dirent.isSymbolicLink()) consider(entryAbs, root, false, true);
      else if (dirent.isFile()) consider(entryAbs, root, false, false);
    }
  }
  return { files, problems, others };
}
