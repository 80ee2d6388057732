/**
 * Reading a unified diff (what `git diff` prints, or `diff -u`) into the lines each file gained.
 * Pure: text in, data out. Hunk bodies are read by their line counts, so a removed line that
 * reads `--- x` or an added one that reads `+++ y` is never taken for a file header.
 */

/** One file of a diff, as the new side sees it. */
export interface DiffFile {
  /** Path before the change (prefix stripped), or null for a new file. */
  oldPath: string | null;
  /** Path after the change (prefix stripped), or null for a deleted file. */
  newPath: string | null;
  /** 1-based line numbers of the new side that are added or modified (`+` lines), ascending. */
  addedLines: number[];
  /** The file did not exist before (`new file mode`, `--- /dev/null`, or a hunk `-0,0`). */
  isNew: boolean;
  /** Renamed or copied from `oldPath`. */
  isRename: boolean;
  binary: boolean;
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };

/**
 * Undoes git's C-style quoting of a path (`"caf\303\251 \"x\""`): octal escapes are bytes of
 * UTF-8. A path that is not quoted is returned as it is.
 */
export function unquoteGitPath(s: string): string {
  if (!(s.length >= 2 && s.startsWith('"') && s.endsWith('"'))) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    const octal = /^[0-3][0-7]{2}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else if (next in C_ESCAPES) {
      bytes.push(C_ESCAPES[next] as number);
      i += 1;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The name on a `---`/`+++` line: unquoted, without the tab and timestamp `diff -u` appends. */
function headerName(rest: string): string {
  const r = rest.replace(/\r$/, '');
  if (r.startsWith('"')) {
    // the closing quote: the first unescaped `"` after the opening one
    for (let i = 1; i < r.length; i++) {
      if (r[i] === '\\') {
        i++;
        continue;
      }
      if (r[i] === '"') return unquoteGitPath(r.slice(0, i + 1));
    }
    return r;
  }
  const tab = r.indexOf('\t');
  return tab >= 0 ? r.slice(0, tab) : r.replace(/(?<!\s)\s+$/, '');
}

/** Drops the first `strip` path components (`patch -p1`), as `git apply` does by default. */
function stripPrefix(p: string, strip: number): string {
  let out = p;
  for (let i = 0; i < strip; i++) {
    const slash = out.indexOf('/');
    if (slash < 0) return out;
    out = out.slice(slash + 1);
  }
  return out;
}

/** The two names of `diff --git a/x b/x` when they are the same path (a new empty file, a mode change). */
function gitHeaderPath(rest: string, strip: number): string | null {
  const r = rest.replace(/\r$/, '');
  if (r.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*"|\S.*)$/.exec(r);
    return m ? stripPrefix(unquoteGitPath(m[2] as string), strip) : null;
  }
  // `a/P b/P`: both halves name the same path, so the split is in the middle
  const n = (r.length - 1) / 2;
  if (Number.isInteger(n) && r[n] === ' ') {
    const a = stripPrefix(r.slice(0, n), strip);
    const b = stripPrefix(r.slice(n + 1), strip);
    if (a === b) return b;
  }
  const m = /^(\S+) (\S+)$/.exec(r);
  return m ? stripPrefix(m[2] as string, strip) : null;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export interface ParseDiffOptions {
  /** Leading path components to drop from `---`/`+++` names (default 1: git's `a/` and `b/`). */
  strip?: number;
}

/** Parses a unified diff; files with no `+` lines (deletions, pure renames) are included too. */
export function parseUnifiedDiff(text: string, options: ParseDiffOptions = {}): DiffFile[] {
  const strip = options.strip ?? 1;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const files: DiffFile[] = [];
  let cur: DiffFile | null = null;
  /** Inside a `diff --git` block, before its hunks: extended header lines may follow. */
  let gitHeader = false;
  const start = (): DiffFile => {
    cur = { oldPath: null, newPath: null, addedLines: [], isNew: false, isRename: false, binary: false };
    files.push(cur);
    return cur;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('diff --git ')) {
      const f = start();
      const p = gitHeaderPath(line.slice('diff --git '.length), strip);
      f.oldPath = p;
      f.newPath = p;
      gitHeader = true;
      continue;
    }
    if (gitHeader && cur) {
      const f: DiffFile = cur;
      const h = line.replace(/\r$/, '');
      if (h.startsWith('new file mode')) {
        f.isNew = true;
        f.oldPath = null;
        continue;
      }
      if (h.startsWith('deleted file mode')) {
        f.newPath = null;
        continue;
      }
      const rename = /^(rename|copy) (from|to) (.*)$/.exec(h);
      if (rename) {
        f.isRename = true;
        // these names carry no a/ b/ prefix
        if (rename[2] === 'from') f.oldPath = unquoteGitPath(rename[3] as string);
        else f.newPath = unquoteGitPath(rename[3] as string);
        continue;
      }
      if (h.startsWith('Binary files ') || h === 'GIT binary patch') {
        f.binary = true;
        continue;
      }
      if (/^(old mode|new mode|similarity index|dissimilarity index|index) /.test(h)) continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ') && HUNK.test(lines[i + 2] ?? '')) {
      // a `---` line opens a new file unless a `diff --git` header already did
      const f: DiffFile = gitHeader && cur ? cur : start();
      gitHeader = false;
      const oldName = headerName(line.slice(4));
      const newName = headerName((lines[i + 1] as string).slice(4));
      if (oldName === '/dev/null' || isEpochHeader(line)) {
        f.oldPath = null;
        f.isNew = true;
      } else if (!f.isRename) f.oldPath = stripPrefix(oldName, strip);
      if (newName === '/dev/null') f.newPath = null;
      else if (!f.isRename) f.newPath = stripPrefix(newName, strip);
      i += 1;
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk && cur) {
      const f: DiffFile = cur;
      gitHeader = false;
      let oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      let newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      let newLine = Number(hunk[3]);
      while ((oldLeft > 0 || newLeft > 0) && i + 1 < lines.length) {
        const body = lines[i + 1] as string;
        const c = body[0];
        if (c === '+') {
          f.addedLines.push(newLine++);
          newLeft--;
        } else if (c === '-') {
          oldLeft--;
        } else if (c === ' ' || body === '' || body === '\r') {
          // some tools strip the blank of an empty context line
          newLine++;
          oldLeft--;
          newLeft--;
        } else if (c === '\\') {
          // "\ No newline at end of file"
        } else {
          break;
        }
        i++;
      }
      // a trailing "\ No newline" after the last counted line
      if (lines[i + 1]?.startsWith('\\')) i++;
      continue;
    }
  }
  for (const f of files) f.addedLines = [...new Set(f.addedLines)].sort((a, b) => a - b);
  return files;
}

/** `--- name\t1970-01-01 00:00:00 +0000`: how `diff -N` marks a file that did not exist. */
function isEpochHeader(line: string): boolean {
  return /^--- .*\t1970-01-01[ T]00:00:00/.test(line);
}
