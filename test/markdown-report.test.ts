/**
 * `--format markdown`, the porting report: parsed back with a real GFM parser, its tables'
 * cells checked on a generated tree (std and rt lists, an arm64 twin leaving a dir out, a
 * curated x86-only dir, a blocked dir, a clean dir, a dir with no control; Dockerfile ARG
 * defaults, yaml image and repository + tag, shell pulls, a node selector, a Jinja name with a `|`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Heading, Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { normalizeImage } from '../src/formatters/markdown.js';
import { reportFacts } from '../src/formatters/report-facts.js';
import { cli, tempDir, writeTree } from './helpers.js';

const TREE: Record<string, string> = {
  'repo/debian_pkg_dirs': 'clean\nblocked\nkernel-modules/qat\nnocontrol\nexcluded\nfixme\n',
  'repo/debian_pkg_dirs_rt': 'clean\n',
  'repo/debian_pkg_dirs_arm64': 'clean\nblocked\nnocontrol\nfixme\n',
  'repo/clean/debian/control': 'Source: clean-src\nBuild-Depends: debhelper-compat (= 13)\n\nPackage: clean\nArchitecture: any\n',
  'repo/excluded/debian/control': 'Source: excluded-src\n\nPackage: excluded\nArchitecture: any\n',
  'repo/kernel-modules/qat/debian/control': 'Source: qat-src\n\nPackage: qat\nArchitecture: amd64\n',
  'repo/fixme/debian/control': 'Source: fixme-src\n\nPackage: fixme\nArchitecture: amd64\n',
  'repo/fixme/debian/rules': '#!/usr/bin/make -f\nDEB_HOST_ARCH := amd64\n%:\n\tdh $@\n',
  'repo/blocked/debian/control': 'Source: blocked-src\n\nPackage: blocked\nArchitecture: any\n',
  'repo/blocked/debian/all/meta_data.yaml':
    'debname: kata\ndebver: 3.1.3\ndl_path:\n  name: kata-static-3.1.3-x86_64.tar.xz\n  url: https://example.org/kata-static-3.1.3-x86_64.tar.xz\n  md5sum: 0123456789abcdef0123456789abcdef\n',
  'repo/nocontrol/README': 'no packaging here\n',
  'other/Dockerfile': 'ARG BASE=debian:bullseye\nFROM ${BASE} AS build\nFROM build\nFROM amd64/alpine:3.18\n',
  'other/values.yaml': 'image:\n  repository: quay.io/org/app\n  tag: "1.2"\nhelper:\n  image: "{{ images.app | default(\'busybox\') }}"\n',
  'other/deploy.yaml': 'spec:\n  nodeSelector:\n    kubernetes.io/arch: amd64\n  containers:\n    - name: p\n      image: registry.k8s.io/pause:3.9\n',
  'other/build.sh': '#!/bin/sh\ndocker pull nginx\npodman run --rm -v /a:/b \\\n  ubuntu:22.04 true\n',
};

let dir: string;
let report: string;
let tree: Root;

beforeAll(async () => {
  dir = tempDir('debarch-lint-report-');
  writeTree(dir, TREE);
  // two projects (their git tops: a `.git` is all the stand-in looks for)
  fs.mkdirSync(path.join(dir, 'repo', '.git'));
  fs.mkdirSync(path.join(dir, 'other', '.git'));
  const r = await cli(dir, ['--format', 'markdown', '.']);
  expect(r.code).toBe(1);
  report = r.stdout;
  tree = fromMarkdown(report, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const textOf = (n: unknown): string => {
  const node = n as { value?: string; children?: unknown[] };
  return node.value ?? (node.children ?? []).map(textOf).join('');
};

/** The rows (cell texts) of the first table after the heading called `title`. */
function tableAfter(title: string): string[][] {
  const nodes = tree.children;
  const at = nodes.findIndex((n: RootContent) => n.type === 'heading' && textOf(n as Heading) === title);
  expect(at).toBeGreaterThanOrEqual(0);
  const t = nodes.slice(at + 1).find((n) => n.type === 'table') as Table;
  return t.children.map((r) => r.children.map(textOf));
}

describe('--format markdown', () => {
  it('has one package row per listed dir and flavour, with its source and arm64 status', () => {
    const rows = tableAfter('Packages');
    expect(rows[0]).toEqual(['Source dir', 'Source package', 'Flavour', 'arm64', 'Rules']);
    const body = rows.slice(1);
    expect(body.map((r) => `${r[0]} ${r[2]}`)).toEqual([
      'repo/blocked std',
      'repo/clean rt',
      'repo/clean std',
      'repo/excluded std',
      'repo/fixme std',
      'repo/kernel-modules/qat std',
      'repo/nocontrol std',
    ]);
    const by = new Map(body.map((r) => [`${r[0]} ${r[2]}`, r]));
    expect(by.get('repo/blocked std')?.[1]).toBe('blocked-src');
    expect(by.get('repo/blocked std')?.[3]).toBe('blocked by kata-static-3.1.3-x86_64.tar.xz (arch-in-download-url)');
    expect(by.get('repo/clean rt')?.slice(1)).toEqual(['clean-src', 'rt', 'no findings', '']);
    expect(by.get('repo/excluded std')?.[3]).toBe('excluded in repo/debian_pkg_dirs_arm64');
    expect(by.get('repo/fixme std')?.slice(3)).toEqual(['needs fixes (2 findings, 1 fixable, 1 more with --unsafe)', 'control-architecture, hardcoded-arch']);
    // x86-only wins over the twin leaving it out
    expect(by.get('repo/kernel-modules/qat std')?.[3]).toMatch(/^curated: .*QAT/);
    expect(by.get('repo/nocontrol std')?.[1]).toBe('no control');
  });

  it('lists every image once, normalised, with where it is used and its arch hint', () => {
    const rows = tableAfter('Container images');
    expect(rows).toEqual([
      ['Image', 'Used in', 'arm64'],
      ['docker.io/amd64/alpine:3.18', 'other/Dockerfile:4', 'needs a multi-arch image'],
      ['docker.io/library/debian:bullseye', 'other/Dockerfile:2', 'unknown'],
      ['docker.io/library/nginx:latest', 'other/build.sh:2', 'unknown'],
      ['docker.io/library/ubuntu:22.04', 'other/build.sh:3', 'unknown'],
      ['quay.io/org/app:1.2', 'other/values.yaml:2', 'unknown'],
      ['registry.k8s.io/pause:3.9', 'other/deploy.yaml:6', 'pinned by a node selector'],
      // the `|` of a Jinja filter stays inside its cell
      ["{{ images.app | default('busybox') }}", 'other/values.yaml:5', 'unknown'],
    ]);
  });

  it('groups findings by project, with what --fix and --fix --unsafe would apply', () => {
    expect(tableAfter('repo')).toEqual([
      ['Rule', 'Severity', 'Findings', '--fix', '--fix --unsafe'],
      ['arch-in-download-url', 'warning', '1', '0', '0'],
      ['arch-list-drift', 'warning', '1', '0', '1'],
      ['control-architecture', 'warning', '1', '1', '1'],
      ['hardcoded-arch', 'warning', '1', '0', '1'],
    ]);
    expect(tableAfter('other').slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['container-image-arch', 'warning', '1'],
      ['container-image-arch', 'info', '1'],
    ]);
    expect(report).toContain('`--fix` would apply 1 fix in 1 file; `--fix --unsafe` 4 in 4 files.');
    expect(report).toContain('7 package rows: 1 x86-only, 1 excluded, 1 blocked, 1 needs fixes, 3 no findings.');
  });

  it('is the same report run after run', async () => {
    const again = await cli(dir, ['--format', 'markdown', '.']);
    expect(again.stdout).toBe(report);
  });
});

describe('report facts', () => {
  it('normalises image names as Docker does, and leaves templates as written', () => {
    expect(normalizeImage('debian')).toBe('docker.io/library/debian:latest');
    expect(normalizeImage('index.docker.io/library/debian:12')).toBe('docker.io/library/debian:12');
    expect(normalizeImage('localhost:5000/x/y')).toBe('localhost:5000/x/y:latest');
    expect(normalizeImage('alpine@sha256:abc')).toBe('docker.io/library/alpine@sha256:abc');
    expect(normalizeImage('{{ registry }}/pause:3.9')).toBe('{{ registry }}/pause:3.9');
  });

  it('finds ARG-substituted FROMs, leaving stages and scratch out', () => {
    const f = reportFacts('Dockerfile', 'dockerfile', 'ARG V=12\nARG IMG\nFROM debian:${V} AS a\nFROM a\nFROM scratch\nFROM ${IMG:-ubuntu}\nFROM --platform=linux/arm64 b:1\n');
    expect(f.images).toEqual([
      { name: 'debian:12', line: 3 },
      { name: 'ubuntu', line: 6 },
      { name: 'b:1', line: 7 },
    ]);
  });

  it('skips options and option variables before the image of a shell docker run', () => {
    const f = reportFacts('x.sh', 'shell', 'docker run $tty_opt --name n -e A=1 img:1 cmd\n# docker pull commented\nsudo crictl pull reg.io/a/b:2\n');
    expect(f.images).toEqual([
      { name: 'img:1', line: 1 },
      { name: 'reg.io/a/b:2', line: 3 },
    ]);
  });

  it('leaves chart repositories and null images out of yaml', () => {
    expect(reportFacts('Chart.yaml', 'yaml', 'dependencies:\n  - repository: https://charts.example.org\n').images).toBeUndefined();
    expect(reportFacts('v.yaml', 'yaml', 'image: null\nx:\n  repository: file://../x\n').images).toBeUndefined();
  });
});

describe('progress during a run', () => {
  const ERASE = '\r\u001b[2K';

  it('draws files done / total and the project on a TTY stderr, and erases it before the output and at exit', async () => {
    // both streams in one log, to see what comes before what
    const log: ['out' | 'err', string][] = [];
    const io = { ...memoryIO(dir, { tty: true, env: {} }) };
    io.stdout = { isTTY: true, write: (s) => void log.push(['out', String(s)]) };
    io.stderr = { isTTY: true, write: (s) => void log.push(['err', String(s)]) };
    expect(await run(['--format', 'gcc', '.'], io)).toBe(1);
    const err = log.filter(([w]) => w === 'err').map(([, s]) => s).join('');
    expect(err).toMatch(/debarch-lint: \d+\/14 files \u00b7 (?:reading|linting) (?:repo|other)/);
    const firstOut = log.findIndex(([w]) => w === 'out');
    expect(firstOut).toBeGreaterThan(0);
    // the first output is a finding (gcc streams file by file in path order)
    expect(log[firstOut]?.[1]).toMatch(/^\S+:\d+:\d+: (?:error|warning|info): .*\[[a-z0-9-]+\]\n/);
    // the line drawn last before the output is erased first
    expect(log[firstOut - 1]).toEqual(['err', ERASE]);
    expect(log.filter(([w]) => w === 'out').map(([, s]) => s).join('')).not.toContain('\u001b');
  });

  it.each<Record<string, string>>([{ CI: 'true' }, { TERM: 'dumb' }])('is silent with %o', async (env) => {
    const r = await cli(dir, ['--format', 'gcc', '.'], { tty: true, env });
    expect(r.stderr).toBe('');
  });

  it('is silent with --quiet and when stderr is not a TTY', async () => {
    expect((await cli(dir, ['--format', 'gcc', '--quiet', '.'], { tty: true, env: {} })).stderr).toBe('');
    expect((await cli(dir, ['--format', 'gcc', '.'], { env: {} })).stderr).toBe('');
  });
});
