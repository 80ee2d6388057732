/**
 * The archive lookup for a suite and a config's curated changes, built once per combination.
 * The data ships as JSON modules (data/archdb.json, data/curated.json), so the engine reads no
 * file at run time.
 */
import archdbJson from '../../data/archdb.json' with { type: 'json' };
import curatedJson from '../../data/curated.json' with { type: 'json' };
import type { ArchDb } from './generate.js';
import { createArchLookup, type ArchLookup, type CuratedEntry } from './lookup.js';

export { createArchLookup, declarationToArches } from './lookup.js';
export type { ArchLookup, ArchOnlyPackage, ArchOnlyReason, CuratedEntry } from './lookup.js';

export const ARCHDB = archdbJson as unknown as ArchDb;
export const CURATED: readonly CuratedEntry[] = (curatedJson as unknown as { entries: CuratedEntry[] }).entries;

const cache = new Map<string, ArchLookup>();

/** The lookup for `suite` with the config's `curated.add` / `curated.remove` applied. */
export function archLookup(suite: string, curated: { add?: readonly CuratedEntry[]; remove?: readonly string[] } = {}): ArchLookup {
  const key = `${suite}\u0000${JSON.stringify(curated)}`;
  let l = cache.get(key);
  if (!l) {
    l = createArchLookup(ARCHDB, CURATED, suite, curated);
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
  return m && m[1] && m[1] in ARCHDB.suites ? m[1] : configured;
}
