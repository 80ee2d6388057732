/**
 * A synthetic workspace for `npm run bench`: N git repositories shaped like StarlingX's — per
 * repo ~440 linted files in the real trees' mix of kinds (python 27%, yaml 22%, patch 22%, shell
 * 10%, debhelper 6%, series 3.5%, control 3%, rules 3%, the rest make files) beside ~280 files
 * of no kind (C, Markdown, JSON), about 10% of the linted files naming an arch or boot term (the
 * rest name none: the prefilter's case). Deterministic for a seed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The linted kinds and their share of the linted files (the real 15 repos' mix). */
export const KIND_MIX = {
  python: 0.27,
  yaml: 0.22,
  patch: 0.22,
  shell: 0.1,
  debhelper: 0.06,
  series: 0.035,
  control: 0.03,
  rules: 0.03,
  makefile: 0.035,
} as const;
export type BenchKind = keyof typeof KIND_MIX;

export const LINTED_PER_REPO = 440;
export const OTHERS_PER_REPO = 280;
export const TRIGGERING_SHARE = 0.1;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Words that name no arch, cpu, boot or machine term (no `arm` inside `alarm`, no digits).
const WORDS = 'alpha beta gamma delta value count total index entry record table field store queue token limit retry offset buffer stream parse render update remove insert select filter result status config option handle client server request response timeout logger'.split(' ');

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const words = (r: Rand, n: number): string => Array.from({ length: n }, () => pick(r, WORDS)).join(' ');
const ident = (r: Rand): string => `${pick(r, WORDS)}_${pick(r, WORDS)}`;

/** Lines of a kind's body, none of which names an arch or boot term, up to about `bytes`. */
function body(kind: BenchKind, r: Rand, bytes: number): string {
  const out: string[] = [];
  let size = 0;
  while (size < bytes) {
    let l: string;
    switch (kind) {
      case 'python':
        l = pick(r, [
          `def ${ident(r)}(${pick(r, WORDS)}, ${pick(r, WORDS)}=None):\n    """${words(r, 8)}."""\n    return ${pick(r, WORDS)}.get('${pick(r, WORDS)}')\n`,
          `    if ${pick(r, WORDS)} is None:\n        raise ValueError('${words(r, 5)}')\n`,
          `# ${words(r, 10)}\n`,
          `${ident(r).toUpperCase()} = '${words(r, 3)}'\n`,
        ]);
        break;
      case 'yaml':
        l = pick(r, [`${ident(r)}: ${pick(r, WORDS)}\n`, `  - name: ${ident(r)}\n    value: "${words(r, 3)}"\n`, `# ${words(r, 8)}\n`]);
        break;
      case 'patch':
        l = pick(r, [
          `@@ -1,3 +1,4 @@\n ${words(r, 4)}\n-${words(r, 5)}\n+${words(r, 5)}\n+${words(r, 3)}\n ${words(r, 4)}\n`,
          ` ${words(r, 7)}\n`,
        ]);
        break;
      case 'shell':
        l = pick(r, [`${ident(r).toUpperCase()}="${pick(r, WORDS)}"\n`, `if [ -n "$${ident(r).toUpperCase()}" ]; then\n    echo "${words(r, 5)}"\nfi\n`, `# ${words(r, 8)}\n`]);
        break;
      case 'debhelper':
        l = `usr/share/${pick(r, WORDS)}/${pick(r, WORDS)}.conf\n`;
        break;
      case 'series':
        l = `${String(out.length + 1).padStart(4, '0')}-${pick(r, WORDS)}-${pick(r, WORDS)}.patch\n`;
        break;
      case 'control':
        l = `\nPackage: ${pick(r, WORDS)}-${pick(r, WORDS)}\nArchitecture: any\nDepends: \${misc:Depends}, \${shlibs:Depends}\nDescription: ${words(r, 4)}\n ${words(r, 10)}\n`;
        break;
      case 'rules':
      case 'makefile':
        l = pick(r, [
          `override_dh_auto_${pick(r, ['build', 'install', 'test'])}:\n\t$(MAKE) -C src ${pick(r, WORDS)}\n`,
          `${ident(r).toUpperCase()} = ${pick(r, WORDS)}\n`,
          `# ${words(r, 8)}\n`,
        ]);
        break;
    }
    out.push(l);
    size += l.length;
  }
  return out.join('');
}

/** One line that names an arch or boot term, as the kind writes it. */
const TRIGGER: Record<BenchKind, string> = {
  python: "if platform.machine() == 'x86_64':\n    LIBDIR = '/usr/lib/x86_64-linux-gnu'\n",
  yaml: 'image: registry.local/tool:1.0-amd64\n',
  patch: '@@ -1,2 +1,2 @@\n-LIBDIR = /usr/lib\n+LIBDIR = /usr/lib/x86_64-linux-gnu\n',
  shell: 'ARCH=amd64\ncurl -LO "https://example.invalid/tool-linux-${ARCH}.tar.gz"\n',
  debhelper: 'usr/lib/x86_64-linux-gnu/*.so.*\n',
  series: '0099-x86-only-tuning.patch\n',
  control: '\nPackage: tool-firmware\nArchitecture: amd64\nDescription: firmware\n for x86 hosts\n',
  rules: 'LIBDIR = /usr/lib/x86_64-linux-gnu\nCFLAGS += -msse4.2\n',
  makefile: 'CFLAGS += -march=x86-64 -msse4.2\n',
};

/** Typical sizes in bytes (the real trees' means: python 10 KB, patch 5 KB, shell 5 KB, …). */
const SIZE: Record<BenchKind, number> = {
  python: 10_000, yaml: 2_800, patch: 5_000, shell: 4_800, debhelper: 120, series: 330, control: 1_200, rules: 1_100, makefile: 1_500,
};

export interface Workspace {
  repos: string[];
  files: number;
  linted: number;
  triggering: number;
  byKind: Record<BenchKind, number>;
}

/** The linted files of one repo as [relative path, kind], in the mix. */
function repoLayout(r: Rand): [string, BenchKind][] {
  const counts = Object.entries(KIND_MIX).map(([k, share]) => [k as BenchKind, Math.round(share * LINTED_PER_REPO)] as const);
  const packages = counts.find(([k]) => k === 'control')?.[1] ?? 13;
  const out: [string, BenchKind][] = [];
  for (const [kind, n] of counts) {
    for (let i = 0; i < n; i++) {
      const pkg = `pkg-${i % packages}`;
      const deb = `${pkg}/debian/deb_folder`;
      const p =
        kind === 'python' ? `${pkg}/src/${pick(r, WORDS)}/${ident(r)}_${i}.py`
        : kind === 'yaml' ? `${pkg}/config/${ident(r)}_${i}.yaml`
        : kind === 'patch' ? `${pkg}/debian/patches/${String(i).padStart(4, '0')}-${pick(r, WORDS)}.patch`
        : kind === 'shell' ? `${pkg}/scripts/${ident(r)}_${i}.sh`
        : kind === 'debhelper' ? `${deb}/${pkg}-${i}.${pick(r, ['install', 'dirs', 'links', 'docs'])}`
        : kind === 'series' ? `${pkg}/debian/patches/series_${i}`
        : kind === 'control' ? `${deb}/control`
        : kind === 'rules' ? `${deb}/rules`
        : `${pkg}/src/${ident(r)}_${i}.mk`;
      out.push([p, kind]);
    }
  }
  return out;
}

const OTHER_FILES: readonly [string, (r: Rand) => string][] = [
  ['c', (r) => `/* ${words(r, 8)} */\nstatic int ${ident(r)}(void) { return 0; }\n`.repeat(40)],
  ['md', (r) => `# ${words(r, 3)}\n\n${words(r, 60)}\n`.repeat(6)],
  ['json', (r) => `${JSON.stringify({ [pick(r, WORDS)]: words(r, 20) }, null, 2)}\n`.repeat(5)],
];

/** Writes `repos` git repositories under `dir` (r00, r01, …). */
export function generateWorkspace(dir: string, repos = 60, seed = 12): Workspace {
  const ws: Workspace = { repos: [], files: 0, linted: 0, triggering: 0, byKind: Object.fromEntries(Object.keys(KIND_MIX).map((k) => [k, 0])) as Record<BenchKind, number> };
  for (let n = 0; n < repos; n++) {
    const r = rng(seed * 1000 + n);
    const name = `r${String(n).padStart(2, '0')}`;
    const top = path.join(dir, name);
    fs.rmSync(top, { recursive: true, force: true });
    const put = (rel: string, text: string): void => {
      const abs = path.join(top, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
      ws.files++;
    };
    const seen = new Set<string>();
    for (const [rel, kind] of repoLayout(r)) {
      if (seen.has(rel)) continue;
      seen.add(rel);
      const triggering = r() < TRIGGERING_SHARE;
      const head = kind === 'rules' || kind === 'makefile' ? '#!/usr/bin/make -f\n' : kind === 'shell' ? '#!/bin/sh\n' : kind === 'control' ? 'Source: tool\nBuild-Depends: debhelper-compat (= 13)\n' : '';
      const text = body(kind, r, SIZE[kind] * (0.3 + 1.4 * r()));
      const cut = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
      put(rel, head + (triggering ? text.slice(0, cut) + TRIGGER[kind] + text.slice(cut) : text));
      ws.linted++;
      ws.byKind[kind]++;
      if (triggering) ws.triggering++;
    }
    for (let i = 0; i < OTHERS_PER_REPO; i++) {
      const [ext, make] = OTHER_FILES[i % OTHER_FILES.length] as (typeof OTHER_FILES)[number];
      put(`pkg-${i % 13}/${ext === 'md' ? 'doc' : 'src'}/${ident(r)}_${i}.${ext}`, make(r));
    }
    const git = (...args: string[]): void => {
      const g = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', ...args], { cwd: top, encoding: 'utf8' });
      if (g.status !== 0) throw new Error(`git ${args.join(' ')} in ${top}: ${g.stderr}`);
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'synthetic tree for npm run bench');
    ws.repos.push(name);
  }
  return ws;
}
