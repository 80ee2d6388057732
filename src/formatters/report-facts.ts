/**
 * What the porting report (`--format markdown`, ./markdown.ts) needs to know of one linted file,
 * computed from its text alone: the dirs a `debian_pkg_dirs*` list names, a control's source
 * name and where its `Build-Depends*` fields are, the container images a Dockerfile, yaml or
 * shell file names, and whether a yaml pins its pods to amd64. A per-file summary, small and
 * serialisable, so that the engine (or a worker) can compute it while the text is at hand and
 * the report does not need every text of the run (`LintReport.facts`).
 */
import { parseList } from '../models/list.js';

export interface ImageUse {
  /** The image as written (quotes dropped, ARG defaults substituted). */
  name: string;
  /** 1-based line. */
  line: number;
}

export interface ReportFacts {
  /** A `debian_pkg_dirs*` list: its live entries (dirs relative to the list's folder). */
  listDirs?: string[];
  /** A debian control: `Source:` (undefined when it has none), binary names and their `Architecture:`. */
  control?: { source?: string; binaries: { name: string; arches: string[] }[]; buildDepends: [number, number][] };
  /** Container images named (Dockerfile `FROM`, yaml `image:`/`repository:`+`tag:`, shell `docker pull|run`). */
  images?: ImageUse[];
  /** A yaml whose node selector pins to amd64 (`kubernetes.io/arch: amd64`). */
  pinnedAmd64?: boolean;
}

/** `debian_pkg_dirs`, `debian_pkg_dirs_rt`, `debian_bullseye_pkg_dirs_std`, `…_arm64` (not the retired centos lists). */
export const DEBIAN_PKG_DIRS = /^debian_(?:[a-z]+_)?pkg_dirs(?:_[A-Za-z0-9_.-]+)?$/;

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The facts of one file (its path, `FileResult.kind` and text); empty when the report needs nothing of it. */
export function reportFacts(path: string, kind: string, text: string): ReportFacts {
  switch (kind) {
    case 'pkg-dirs':
      return DEBIAN_PKG_DIRS.test(baseName(path)) ? { listDirs: parseList(text, 'list').entries.map((l) => trimSlashes(l.words[0]?.text ?? '')).filter(Boolean) } : {};
    case 'control':
      return { control: controlFacts(text) };
    case 'dockerfile': {
      const images = dockerfileImages(text);
      return images.length ? { images } : {};
    }
    case 'yaml': {
      const images = yamlImages(path, text);
      const pinned = /^[ \t]*(?:-[ \t]+)?["']?(?:beta\.)?kubernetes\.io\/arch["']?[ \t]*:[ \t]*["']?amd64\b/m.test(text);
      return { ...(images.length ? { images } : {}), ...(pinned ? { pinnedAmd64: true } : {}) };
    }
    case 'shell': {
      const images = shellImages(text);
      return images.length ? { images } : {};
    }
    default:
      return {};
  }
}

function controlFacts(text: string): NonNullable<ReportFacts['control']> {
  const lines = text.split(/\r?\n/);
  let source: string | undefined;
  const binaries: { name: string; arches: string[] }[] = [];
  const buildDepends: [number, number][] = [];
  let field = '';
  let fieldStart = 0;
  const close = (end: number) => {
    if (/^build-depends/i.test(field)) buildDepends.push([fieldStart, end]);
    field = '';
  };
  lines.forEach((l, i) => {
    const n = i + 1;
    if (/^[ \t]/.test(l) && field) return;
    close(n - 1);
    const m = /^([A-Za-z0-9-]+):[ \t]*(?![ \t])(.*)$/.exec(l);
    if (!m) return;
    field = m[1] as string;
    fieldStart = n;
    const key = field.toLowerCase();
    const value = (m[2] as string).trim();
    if (key === 'source' && source === undefined) source = value.split(/\s/)[0];
    else if (key === 'package') binaries.push({ name: value, arches: [] });
    else if (key === 'architecture' && binaries.length) (binaries[binaries.length - 1] as { arches: string[] }).arches = value.split(/\s+/).filter(Boolean);
  });
  close(lines.length);
  return { ...(source ? { source } : {}), binaries, buildDepends };
}

const unquote = (s: string): string => s.replace(/^(["'])(.*)\1$/, '$2');

/** Dockerfile `FROM`s, with `ARG` defaults substituted; stage names and `scratch` left out. */
function dockerfileImages(text: string): ImageUse[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const out: ImageUse[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let l = lines[i] as string;
    while (/\\[ \t]*$/.test(l) && i + 1 < lines.length) l = l.replace(/\\[ \t]*$/, ' ') + (lines[++i] as string);
    const arg = /^[ \t]*ARG[ \t]+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(l);
    if (arg) {
      if (arg[2] !== undefined && !args.has(arg[1] as string)) args.set(arg[1] as string, unquote(arg[2]));
      continue;
    }
    const from = /^[ \t]*FROM[ \t]+(?![ \t])(.*)$/i.exec(l);
    if (!from) continue;
    const words = (from[1] as string).trim().split(/[ \t]+/).filter((w) => !w.startsWith('--'));
    const raw = words[0];
    if (!raw) continue;
    const name = unquote(raw).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a?: string, dflt?: string, b?: string) => {
      const v = args.get((a ?? b) as string);
      return v !== undefined && v !== '' ? v : dflt !== undefined ? dflt : all;
    });
    const isStage = name.toLowerCase() === 'scratch' || stages.has(name.toLowerCase());
    if (words[1]?.toLowerCase() === 'as' && words[2]) stages.add(words[2].toLowerCase());
    if (!isStage) out.push({ name, line });
  }
  return out;
}

/** A yaml scalar that can be an image name: not a block, alias or flow mapping (a Jinja `{{ }}` is), not a URL, not null. */
const isImageValue = (v: string): boolean => !!v && !/^[|>&*!]/.test(v) && !/^\{(?!\{)/.test(v) && !v.includes('://') && !/^(?:null|~|true|false)$/i.test(v);

const yamlValue = (v: string): string => unquote(withoutComment(v).trim());

/** A yaml value without its trailing `# comment` (a blank, then `#`): a scan, linear on any line. */
function withoutComment(v: string): string {
  const hash = v.search(/[ \t]#/);
  if (hash < 0) return v;
  let start = hash;
  while (start > 0 && (v[start - 1] === ' ' || v[start - 1] === '\t')) start--;
  return v.slice(0, start);
}

/** A path without its trailing slashes. */
function trimSlashes(p: string): string {
  let end = p.length;
  while (end > 0 && p[end - 1] === '/') end--;
  return p.slice(0, end);
}

/** yaml `image: NAME` and `repository: R` + sibling `tag: T` (helm values); chart repositories (`://`) left out. */
function yamlImages(path: string, text: string): ImageUse[] {
  if (/(?:^|\/)(?:Chart|requirements)\.ya?ml$/.test(path)) return [];
  const lines = text.split(/\r?\n/);
  const indentOf = (l: string): number => /^[ \t]*(?:-[ \t]+)?/.exec(l)?.[0].length ?? 0;
  const out: ImageUse[] = [];
  lines.forEach((l, i) => {
    const img = /^([ \t]*(?:-[ \t]+)?)["']?image["']?[ \t]*:[ \t]*(?![ \t])(.*)$/.exec(l);
    if (img) {
      const v = yamlValue(img[2] as string);
      if (isImageValue(v)) out.push({ name: v, line: i + 1 });
      return;
    }
    const repo = /^([ \t]*(?:-[ \t]+)?)["']?repository["']?[ \t]*:[ \t]*(?![ \t])(.*)$/.exec(l);
    if (!repo) return;
    const v = yamlValue(repo[2] as string);
    if (!isImageValue(v)) return;
    // the siblings: the lines of the same mapping (same indent), up and down to a shallower line
    const ind = indentOf(l);
    let tag: string | undefined;
    for (const step of [-1, 1]) {
      for (let j = i + step; j >= 0 && j < lines.length && tag === undefined; j += step) {
        const s = lines[j] as string;
        if (!s.trim() || /^[ \t]*#/.test(s)) continue;
        const si = /^[ \t]*/.exec(s)?.[0].length ?? 0;
        if (si < ind) break;
        if (si > ind) continue;
        const t = /^[ \t]*["']?tag["']?[ \t]*:[ \t]*(?![ \t])(.*)$/.exec(s);
        if (t) tag = yamlValue(t[1] as string);
        if (step === -1 && /^[ \t]*-[ \t]/.test(s)) break;
      }
    }
    out.push({ name: tag ? `${v}:${tag}` : v, line: i + 1 });
  });
  return out;
}

/** `docker|podman|crictl pull|run` options that take a separate value. */
const VALUE_FLAGS = new Set([
  '-v', '--volume', '-e', '--env', '-p', '--publish', '--name', '--network', '--net', '--entrypoint', '-w', '--workdir', '-u', '--user',
  '-h', '--hostname', '-l', '--label', '--env-file', '--add-host', '--device', '--cap-add', '--cap-drop', '--security-opt', '--restart',
  '--log-driver', '--log-opt', '--ulimit', '--mount', '--platform', '--pid', '--ipc', '--dns', '-m', '--memory', '--cpus', '--tmpfs',
  '--creds', '--authfile', '--runtime', '--shm-size', '--stop-signal', '--cidfile', '--group-add', '--ip', '--link', '--volumes-from', '-a', '--attach',
]);

/** Shell `docker|podman|crictl pull|run … IMAGE`. */
function shellImages(text: string): ImageUse[] {
  const out: ImageUse[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let l = lines[i] as string;
    if (/^[ \t]*#/.test(l)) continue;
    while (/\\$/.test(l) && i + 1 < lines.length) l = l.slice(0, -1) + ' ' + (lines[++i] as string);
    const re = /(?:^|[\s;&|(`])(?:sudo[ \t]+)?(?:docker|podman|crictl)[ \t]+(?:image[ \t]+)?(pull|run)\b([^;&|)`]*)/g;
    for (let m = re.exec(l); m; m = re.exec(l)) {
      const words = (m[2] as string).trim().split(/[ \t]+/).filter(Boolean);
      for (let k = 0; k < words.length; k++) {
        const w = words[k] as string;
        if (w.startsWith('-')) {
          if (!w.includes('=') && VALUE_FLAGS.has(w)) k++;
          continue;
        }
        const name = unquote(w);
        // `docker run $tty_opt ${RUN_ARGS[@]} IMAGE`: a variable of options, not the image
        if (/^\$\{?[A-Za-z_]*(?:opt|arg|flag|param)[A-Za-z_]*(?:\[[@*]\])?\}?$/i.test(name)) continue;
        if (name && !name.startsWith('#')) out.push({ name, line });
        break;
      }
    }
  }
  return out;
}
