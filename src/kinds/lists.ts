/**
 * The list kinds (DESIGN §3): `pkg-dirs` (StarlingX `debian_pkg_dirs*`, both layouts, and the
 * retired `centos_pkg_dirs*`), `pkg-list` (`*.lst`, `*_iso_image*.inc`, `debian-image*.inc`,
 * `debian-<codename>-image*.inc`), `wheel-list` (`*wheels*.cfg` of the wheel build) and `series` (quilt). One entry a line, `#` comment lines.
 * Whether a list is for one arch (its name or folder says so, or a twin replaces it on an arch)
 * depends on its path and its siblings, so the list rules work that out (src/list-kit.ts); the
 * guard map of a list file has no regions.
 */
import type { ArchName } from '../arch.js';
import { GuardMap } from '../guards.js';
import type { Token } from '../lexers/token.js';
import { parseList } from '../models/list.js';
import type { FileKind } from '../types.js';
import type { KindSupport, ParsedFile } from './index.js';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
/** The folder a path's last part is in ('' for none): what `p.split('/')` has second to last, without the array (classify runs on every file). */
const parentDir = (p: string): string => {
  const cut = p.lastIndexOf('/');
  return cut <= 0 ? '' : p.slice(p.lastIndexOf('/', cut - 1) + 1, cut);
};

/** `debian_pkg_dirs`, `debian_pkg_dirs_rt`, `debian_bullseye_pkg_dirs_std`, `…_arm64`, `centos_pkg_dirs*`. */
export const PKG_DIRS_FILE = /^(?:debian|centos)_(?:[a-z]+_)?pkg_dirs(?:_[A-Za-z0-9_.-]+)?$/;
/** `*.lst`, `debian_iso_image.inc`, `debian_trixie_iso_image_std.inc`, `debian-image.inc`, `debian-bullseye-image.inc`. */
export const PKG_LIST_FILE = /^[^/]+\.lst$|^[^/]*_iso_image[^/]*\.inc$|^debian-(?:[a-z]+-)?image[^/]*\.inc$/;

/**
 * A Python wheel list of the wheel build (`stable-wheels.cfg`, `dev-wheels-py2.cfg`): one wheel a
 * line, `name|source type|url|…` fields, `#` comment lines. The name is the file the build must
 * produce or download, so its platform tag (`linux_x86_64`) names the arch it is built for.
 */
export const WHEEL_LIST_FILE = /^[^/]*wheels[^/]*\.cfg$/;

const LIST_TRAILING = 'a `#` after an entry is part of the entry for the build tools; put `# debarch-lint disable-next-line …` on a line of its own above';

function parseListFile(kind: FileKind, text: string, architectures: readonly ArchName[]): ParsedFile {
  const flavour = kind === 'series' ? 'series' : 'list';
  const model = parseList(text, flavour);
  return {
    kind,
    guards: new GuardMap(architectures),
    comments: model.comments,
    problems: [],
    disableLineProblem(comment: Token): string | undefined {
      const line = model.lineAt(comment.offset);
      if (!line || line.kind !== 'entry') return 'there is nothing on this line to disable; use `disable-next-line`';
      // dpkg-source drops a series comment that follows a blank; a list line keeps it as data
      return flavour === 'series' ? undefined : LIST_TRAILING;
    },
    statementAt(offset: number): [number, number] {
      const line = model.lineAt(offset);
      return line ? [line.start, line.end] : [offset, offset];
    },
  };
}

export const LIST_KINDS: readonly KindSupport[] = [
  {
    kind: 'pkg-dirs',
    matches: (p) => PKG_DIRS_FILE.test(base(p)),
    parse: (text, arches) => parseListFile('pkg-dirs', text, arches),
  },
  {
    kind: 'pkg-list',
    matches: (p) => PKG_LIST_FILE.test(base(p)),
    parse: (text, arches) => parseListFile('pkg-list', text, arches),
  },
  {
    kind: 'wheel-list',
    matches: (p) => WHEEL_LIST_FILE.test(base(p)),
    parse: (text, arches) => parseListFile('wheel-list', text, arches),
  },
  {
    kind: 'series',
    // the name first: it rules out almost every file without cutting out the folder
    matches: (p) => /^series(?:_[A-Za-z0-9_.-]+)?$/.test(base(p)) && (parentDir(p) === 'patches' || parentDir(p) === 'deb_patches'),
    parse: (text, arches) => parseListFile('series', text, arches),
  },
];
