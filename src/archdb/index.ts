/**
 * The archive lookup for a suite and a config's curated changes, built once per combination.
 * The curated list (data/curated.json, small, read for every file's source dir) ships as a JSON
 * module. The archive data (data/archdb.json, ~750 KB, ~17 ms to parse) is required the first
 * time a rule asks about a package: a run that never does — one debian/rules in a pre-commit
 * hook — never parses it. Its path is relative to this module in src/ (tests), in dist/src/
 * (tsc emits data/*.json beside) and in the bundle (dist/src/cli/*.mjs, the same depth).
 */
import { createRequire } from 'node:module';
import curatedJson from '../../data/curated.json' with { type: 'json' };
import type { ArchDb } from './generate.js';
import { createArchLookup, type ArchLookup, type CuratedEntry } from './lookup.js';

export { createArchLookup, declarationToArches } from './lookup.js';
export type { ArchLookup, ArchOnlyPackage, ArchOnlyReason, CuratedEntry } from './lookup.js';

const requireData = createRequire(import.meta.url);
let archDb: ArchDb | undefined;

/** The archive data (data/archdb.json), parsed on first use. */
export function loadArchDb(): ArchDb {
  return (archDb ??= requireData('../../data/archdb.json') as ArchDb);
}

/**
 * The suites the archive data indexes, known without parsing it (a test holds this list to
 * the data's keys).
 */
export const ARCHDB_SUITES: readonly string[] = ['bookworm', 'bullseye', 'trixie'];
export const CURATED: readonly CuratedEntry[] = (curatedJson as unknown as { entries: CuratedEntry[] }).entries;

const cache = new Map<string, ArchLookup>();

/** The lookup for `suite` with the config's `curated.add` / `curated.remove` applied. */
export function archLookup(suite: string, curated: { add?: readonly CuratedEntry[]; remove?: readonly string[] } = {}): ArchLookup {
  const key = `${suite}\u0000${JSON.stringify(curated)}`;
  let l = cache.get(key);
  if (!l) {
    l = createArchLookup(loadArchDb, CURATED, suite, curated);
    cache.set(key, l);
  }
  return l;
}

/**
 * The suite a file is built against: StarlingX keeps per-codename packaging in
 * `debian/<codename>/deb_folder/` and per-codename lists, which win over the configured suite.
 */
export function suiteForPath(path: string, configured: string): string {
  const m =
    /(?:^|\/)debian\/([a-z]+)\/deb_folder\//.exec(path) ??
    // StarlingX lists per codename: debian_trixie_pkg_dirs_std, debian_trixie_iso_image_std.inc,
    // debian-bullseye-image.inc, config/debian/trixie/common/base-trixie.lst
    /(?:^|\/)debian[_-]([a-z]+)[_-](?:pkg_dirs|iso_image|image)[^/]*$/.exec(path) ??
    /(?:^|\/)config\/debian\/([a-z]+)\/[^/]+\/[^/]+\.lst$/.exec(path) ??
    // and Dockerfiles per codename: debian/trixie/docker/Dockerfile, debian/trixie/dockerfiles/stx-builder.Dockerfile
    /(?:^|\/)debian\/([a-z]+)\/(?:docker\/|dockerfiles\/)?[^/]*Dockerfile[^/]*$/.exec(path);
  return m && m[1] && ARCHDB_SUITES.includes(m[1]) ? m[1] : configured;
}
