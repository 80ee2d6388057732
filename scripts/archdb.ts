/**
 * `npm run archdb`: downloads the Packages and Sources indices of bullseye, bookworm and trixie
 * (with -updates and -security) for amd64, arm64 and i386 through apt-get into a private
 * folder — its own lists, cache and sources list; nothing under /etc/apt changes — and writes
 * data/archdb.json (DESIGN §5).
 *
 *   node dist/scripts/archdb.js [--cache DIR] [--offline] [--out FILE]
 *
 * `--offline` builds from what the cache already holds. The mirror is the one this machine's
 * /etc/apt/sources.list(.d) uses for Debian (deb.debian.org when none is configured).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import {
  ARCHDB_FORMAT, INDEXED_ARCHES, generateSuite, serializeArchDb, type ArchDb, type IndexedArch, type SuiteIndices,
} from '../src/archdb/generate.js';
import { parseDeb822 } from '../src/models/deb822.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUITES = ['bullseye', 'bookworm', 'trixie'];
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The Debian mirror this machine's apt uses: [archive, security]. */
function configuredMirrors(): [string, string] {
  let archive: string | undefined;
  let security: string | undefined;
  const texts: string[] = [];
  for (const f of ['/etc/apt/sources.list', ...listDir('/etc/apt/sources.list.d').map((f) => `/etc/apt/sources.list.d/${f}`)]) {
    if (/\.(list|sources)$/.test(f) || f === '/etc/apt/sources.list') texts.push(readOr(f));
  }
  for (const text of texts) {
    const uris = [
      ...[...text.matchAll(/^\s*deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1] as string),
      ...parseDeb822(text).paragraphs.flatMap((p) => {
        const f = p.get('URIs');
        return f ? text.slice(f.valueStart, f.end).trim().split(/\s+/) : [];
      }),
    ];
    for (const u of uris) {
      if (/\/debian-security\/?$/.test(u)) security ??= u.replace(/\/$/, '');
      else if (/\/debian\/?$/.test(u)) archive ??= u.replace(/\/$/, '');
    }
  }
  archive ??= 'http://deb.debian.org/debian';
  security ??= archive.replace(/\/debian$/, '/debian-security');
  return [archive, security];
}

function listDir(d: string): string[] {
  try {
    return fs.readdirSync(d).sort();
  } catch {
    return [];
  }
}

function readOr(f: string): string {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Runs apt-get update on a private folder. A dist whose index for one arch fails to download
 * (a mirror mid-sync) is dropped whole by apt, so such dists are fetched again without that
 * arch; the indices that could not be had are returned, and recorded in the data.
 */
function download(cache: string): string[] {
  const [archive, security] = configuredMirrors();
  const skipped = new Map<string, Set<string>>();
  const sourcesList = (): string => {
    const lines: string[] = [];
    for (const s of SUITES) {
      const comps = s === 'bullseye' ? 'main contrib non-free' : 'main contrib non-free non-free-firmware';
      for (const [mirror, dist] of [[archive, s], [archive, `${s}-updates`], [security, `${s}-security`]] as const) {
        const skip = skipped.get(dist);
        const arches = skip ? `arch=${INDEXED_ARCHES.filter((a) => !skip.has(a)).join(',')} ` : '';
        lines.push(`deb [${arches}signed-by=${KEYRING}] ${mirror} ${dist} ${comps}`);
        lines.push(`deb-src [signed-by=${KEYRING}] ${mirror} ${dist} ${comps}`);
      }
    }
    return lines.join('\n') + '\n';
  };
  fs.mkdirSync(path.join(cache, 'lists/partial'), { recursive: true });
  fs.mkdirSync(path.join(cache, 'cache/archives/partial'), { recursive: true });
  const opts = [
    `Dir::State::Lists=${path.join(cache, 'lists')}`,
    `Dir::Etc::SourceList=${path.join(cache, 'sources.list')}`,
    'Dir::Etc::SourceParts=/dev/null',
    'Dir::Etc::Parts=/dev/null',
    'Dir::Etc::PreferencesParts=/dev/null',
    `Dir::Cache=${path.join(cache, 'cache')}`,
    'Dir::State::status=/dev/null',
    'APT::Architecture=amd64',
    ...INDEXED_ARCHES.map((a) => `APT::Architectures::=${a}`),
    'Acquire::Languages=none',
    'Acquire::GzipIndexes=false',
    'Acquire::Retries=3',
    'APT::Sandbox::User=root',
    'Debug::NoLocking=1',
  ];
  console.error(`apt-get update from ${archive} and ${security} into ${cache}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    fs.writeFileSync(path.join(cache, 'sources.list'), sourcesList());
    const r = spawnSync('apt-get', ['update', ...opts.flatMap((o) => ['-o', o])], { encoding: 'utf8' });
    process.stderr.write(r.stderr ?? '');
    if (r.status === 0) break;
    let more = false;
    for (const m of (r.stderr ?? '').matchAll(/Failed to fetch \S+\/dists\/([^/\s]+)\/[^/\s]+\/binary-([a-z0-9]+)\//g)) {
      const set = skipped.get(m[1] as string) ?? new Set<string>();
      if (!set.has(m[2] as string)) more = true;
      set.add(m[2] as string);
      skipped.set(m[1] as string, set);
    }
    if (!more) {
      console.error('apt-get update failed (above); building from the indices the folder holds');
      break;
    }
  }
  return [...skipped].flatMap(([dist, arches]) => [...arches].map((a) => `${dist}/binary-${a}`)).sort();
}

/** Reads the apt lists folder into per-suite indices; lists what is missing. */
function readLists(listsDir: string): { indices: Map<string, SuiteIndices>; missing: string[] } {
  const indices = new Map<string, SuiteIndices>(SUITES.map((s) => [s, { dates: {}, packages: [], sources: [] }]));
  const seen = new Set<string>();
  for (const f of listDir(listsDir)) {
    const m = /_dists_([a-z]+)(-updates|-security)?_(?:(InRelease|Release)|([a-z-]+)_(?:binary-([a-z0-9]+)_Packages|source_Sources))$/.exec(f);
    if (!m) continue;
    const suite = m[1] as string;
    const s = indices.get(suite);
    if (!s) continue;
    const dist = suite + (m[2] ?? '');
    const text = fs.readFileSync(path.join(listsDir, f), 'utf8');
    if (m[3]) {
      const date = /^Date:\s*(.+)$/m.exec(text)?.[1]?.trim();
      if (date) s.dates[dist] = date;
    } else if (m[5]) {
      const arch = m[5] as IndexedArch;
      if (!(INDEXED_ARCHES as readonly string[]).includes(arch)) continue;
      s.packages.push({ dist, arch, text });
      seen.add(`${dist}/${m[4]}/binary-${arch}`);
    } else {
      s.sources.push(text);
      seen.add(`${dist}/${m[4]}/source`);
    }
  }
  const missing: string[] = [];
  for (const suite of SUITES) {
    for (const dist of [suite, `${suite}-updates`, `${suite}-security`]) {
      for (const part of [...INDEXED_ARCHES.map((a) => `binary-${a}`), 'source']) {
        if (!seen.has(`${dist}/main/${part}`)) missing.push(`${dist}/main/${part}`);
      }
    }
  }
  return { indices, missing };
}

function main(): void {
  const cache = path.resolve(arg('--cache') ?? path.join(ROOT, '.cache/archdb'));
  const out = path.resolve(arg('--out') ?? path.join(ROOT, 'data/archdb.json'));
  if (!process.argv.includes('--offline')) download(cache);
  const { indices, missing } = readLists(path.join(cache, 'lists'));
  if (missing.length) console.error(`missing indices (recorded as "incomplete" in the data): ${missing.join(', ')}`);
  for (const [suite, input] of indices) {
    input.incomplete = missing.filter((m) => m.startsWith(`${suite}/`) || m.startsWith(`${suite}-`))
      .filter((m) => m.includes('/binary-')).map((m) => m.replace('/main/', '/'));
  }
  const db: ArchDb = { format: ARCHDB_FORMAT, arches: INDEXED_ARCHES, suites: {} };
  for (const [suite, input] of indices) {
    if (input.packages.length === 0) {
      console.error(`${suite}: no Packages index; left out`);
      continue;
    }
    db.suites[suite] = generateSuite(input);
  }
  const text = serializeArchDb(db);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  for (const [suite, s] of Object.entries(db.suites)) {
    const one = serializeArchDb({ ...db, suites: { [suite]: s } });
    console.error(
      `${suite}: ${Object.keys(s.packages).length} packages, ${one.length} bytes, ${zlib.gzipSync(one, { level: 9 }).length} gzipped; ` +
        Object.entries(s.dates).map(([d, t]) => `${d} ${t}`).join('; '),
    );
  }
  console.error(`wrote ${path.relative(process.cwd(), out)}: ${text.length} bytes, ${zlib.gzipSync(text, { level: 9 }).length} gzipped`);
}

main();
