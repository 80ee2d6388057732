/**
 * `npm run bench:hostile`: hostile input, timed. For every rule and every kind it applies to, a
 * file of one 1 MiB line built to make regular expressions backtrack (long runs of what patterns
 * repeat, near-misses such as `OVMF…` without `.fd`, `x86_64-` over and over, nested quotes and
 * `$(`), one line per attack; and for every kind a one-line file of exactly 5 MiB (the default
 * --max-file-size: linted, not skipped) holding all the attacks, run through every rule.
 * Budget: 2 s per 1 MiB line, 10 s per 5 MiB file; anything over is printed OVER and the exit
 * code is 1. Each kind runs in a worker thread that is ended after a minute without news
 * (DEBARCH_HOSTILE_TIMEOUT=seconds), so a catastrophic pattern shows as a timeout, not a hang.
 *
 * `-- --quick`: one attack line (all attacks mixed) per rule and kind instead of each one.
 * `-- --kind K` / `-- --rule R` (repeatable): only those.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { memoryIO } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { RULES } from '../rules/index.js';
import type { FileKind } from '../src/types.js';

const MiB = 1024 * 1024;
const LINE_BUDGET = 2;
const FILE_BUDGET = 10;
/** A case with no news for this long is ended (`DEBARCH_HOSTILE_TIMEOUT`, seconds). */
const STALL_MS = Number(process.env.DEBARCH_HOSTILE_TIMEOUT ?? 60) * 1000;

/** Where a file of each kind lives, and what puts a line where that kind's rules read it. */
const KIND_FILES: Partial<Record<FileKind, { path: string; before: string; after?: string }>> = {
  rules: { path: 'debian/rules', before: '#!/usr/bin/make -f\nX := ' , after: '\nall:\n\techo $(X)\n' },
  makefile: { path: 'Makefile', before: 'all:\n\t' },
  control: { path: 'debian/control', before: 'Source: x\n\nPackage: x\nArchitecture: amd64\nDepends: ' },
  debhelper: { path: 'debian/x.install', before: '' },
  series: { path: 'debian/patches/series', before: '' },
  patch: { path: 'debian/patches/x.patch', before: '--- a/x.sh\n+++ b/x.sh\n@@ -1,1 +1,1 @@\n-a\n+' },
  'pkg-dirs': { path: 'debian_pkg_dirs', before: '' },
  'pkg-list': { path: 'base-bullseye.lst', before: '' },
  'wheel-list': { path: 'x-wheels.cfg', before: '' },
  shell: { path: 'x.sh', before: '' },
  python: { path: 'x.py', before: '' },
  yaml: { path: 'x.yaml', before: 'key: ' },
  dockerfile: { path: 'Dockerfile', before: 'RUN ' },
  bootcfg: { path: 'grub.cfg', before: '' },
  puppet: { path: 'x.pp', before: '' },
};

/** Words that wake every rule (their triggers), kept short and free of `#` (a comment would hide the rest). */
const DECOYS =
  'amd64 x86_64 i386 OVMF_CODE.fd console=ttyS0 qemu-system-x86_64 pc-q35 isolinux.cfg syslinux grub-pc -msse4.2 -m64 ' +
  '$(DEB_BUILD_ARCH) uname -m dpkg --print-architecture bzImage vmlinuz grubx64.efi shimx64.efi lib64 kubernetes.io/arch ' +
  'registry.k8s.io/pause-amd64:3.9 https://x/y_amd64.deb ';

/** The attacks: each fills `n` characters (cut to size by the caller). */
const ATTACKS: Record<string, (n: number) => string> = {
  blanks: (n) => `echo a${' \t'.repeat(n / 2)}x`,
  words: (n) => `${'a_b.c-d'.repeat(n / 7)}!`,
  'near-miss': (n) => ['OVMF', 'x86_64-', 'amd64_', 'arch_', 'ttyS', 'qemu-system-x86', 'DEB_HOST_', 'syslinux-', '-march=', 'lib64/', 'efi_'].map((w) => w.repeat(n / 11 / w.length)).join(' '),
  runs: (n) => ['$', '/', '#', '>', '[', '{', '(', '=', '*', ';', ')', '-', '.', '\\', '@', ',', ':', '"', "'", '|', '%', '+', '?', '<'].map((c) => `${c.repeat(n / 24)}x `).join(''),
  nesting: (n) => ['$(', '"(', '${', "'`", '"$(', '((', '[[', '{{', '{%', '@(', '<%', '`'].map((w) => w.repeat(n / 12 / w.length)).join(' x '),
  alternation: (n) => ['a>', '_%s', '-f ', '--', 'a=b ', 'in (', '== ', 'x86_64 ', 'amd64,', 'echo ', 'rm -rf ', 'ifeq (', '\\ ', 'OVMF.', 'a:b ', '_{}'].map((w) => w.repeat(n / 16 / w.length)).join(''),
};
const attack = (name: string, n: number): string => {
  const s = name === 'mixed' ? Object.keys(ATTACKS).map((k) => (ATTACKS[k] as (n: number) => string)(n / 6)).join('') : (ATTACKS[name] as (n: number) => string)(n);
  return s.length >= n ? s.slice(0, n) : s + 'x'.repeat(n - s.length);
};

/** One line of `bytes` UTF-8 bytes (all ASCII): the kind's lead-in, the decoys, the attack. */
function hostileFile(kind: FileKind, name: string, bytes: number): string {
  const k = KIND_FILES[kind] as { path: string; before: string; after?: string };
  const fixed = k.before.length + DECOYS.length + (k.after ?? '').length;
  return k.before + DECOYS + attack(name, bytes - fixed) + (k.after ?? '');
}

interface Case {
  kind: FileKind;
  rule?: string;
  attack: string;
  bytes: number;
}
interface Result extends Case {
  seconds: number;
  exit: number;
  note?: string;
}

async function runCase(c: Case, dir: string): Promise<Result> {
  const k = KIND_FILES[c.kind] as { path: string };
  const text = hostileFile(c.kind, c.attack, c.bytes);
  const file = path.join(dir, k.path);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const io = memoryIO(dir);
  const args = [k.path, '--no-config', '--format', 'json', ...(c.rule ? ['--rule', c.rule] : [])];
  const t0 = performance.now();
  const exit = await run(args, io);
  const seconds = (performance.now() - t0) / 1000;
  fs.rmSync(file);
  let note: string | undefined;
  try {
    const out = JSON.parse(io.out()) as { errors?: { message: string }[]; summary?: { crashes?: number; files?: number } };
    if (out.summary?.files === 0) note = 'not linted';
    if (out.summary?.crashes) note = `${out.summary.crashes} crash(es)`;
    if (out.errors?.length) note = (out.errors[0] as { message: string }).message.slice(0, 60);
  } catch {
    note = `no JSON (${io.err().slice(0, 60)})`;
  }
  return { ...c, seconds, exit, ...(note ? { note } : {}) };
}

if (!isMainThread) {
  const { cases } = workerData as { cases: Case[] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debarch-hostile-'));
  try {
    for (const c of cases) {
      parentPort?.postMessage({ start: c });
      parentPort?.postMessage({ done: await runCase(c, dir) });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
} else {
  const args = process.argv.slice(2);
  const pick = (flag: string): string[] => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
  const quick = args.includes('--quick');
  const onlyKinds = pick('--kind');
  const onlyRules = pick('--rule');
  const kinds = (Object.keys(KIND_FILES) as FileKind[]).filter((k) => !onlyKinds.length || onlyKinds.includes(k));
  const attacks = quick ? ['mixed'] : Object.keys(ATTACKS);
  const byKind = new Map<FileKind, Case[]>();
  for (const kind of kinds) {
    const cases: Case[] = [];
    for (const rule of RULES) {
      if (!rule.appliesTo.includes(kind) || (onlyRules.length && !onlyRules.includes(rule.id))) continue;
      for (const a of attacks) cases.push({ kind, rule: rule.id, attack: a, bytes: MiB });
    }
    if (!onlyRules.length) cases.push({ kind, attack: 'mixed', bytes: 5 * MiB });
    byKind.set(kind, cases);
  }
  const self = fileURLToPath(import.meta.url);
  const results: Result[] = [];
  /** Runs a kind's cases in a worker; a case with no news for STALL_MS is ended and the rest go on. */
  const runKind = (cases: Case[]): Promise<void> =>
    new Promise((resolve) => {
      if (!cases.length) return resolve();
      const w = new Worker(self, { workerData: { cases } });
      let current: Case | undefined;
      let left = [...cases];
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (current) results.push({ ...current, seconds: STALL_MS / 1000, exit: -1, note: 'TIMEOUT: ended' });
          left = left.slice(1);
          void w.terminate().then(() => runKind(left).then(resolve));
        }, STALL_MS);
      };
      w.on('message', (m: { start?: Case; done?: Result }) => {
        if (m.start) {
          current = m.start;
          arm();
        }
        if (m.done) {
          results.push(m.done);
          left = left.slice(1);
          current = undefined;
          process.stderr.write('.');
        }
      });
      w.on('error', (e) => {
        if (current) results.push({ ...current, seconds: 0, exit: -1, note: `worker error: ${String(e).slice(0, 60)}` });
        left = left.slice(1);
        clearTimeout(timer);
        void runKind(left).then(resolve);
      });
      w.on('exit', () => {
        clearTimeout(timer);
        if (!left.length) resolve();
      });
    });
  const t0 = performance.now();
  for (const cases of byKind.values()) await runKind(cases);
  process.stderr.write('\n');

  // per rule and kind, the worst attack; then the 5 MiB files
  const over = (r: Result): boolean => r.exit < 0 || r.seconds > (r.bytes > MiB ? FILE_BUDGET : LINE_BUDGET);
  const worst = new Map<string, Result>();
  for (const r of results.filter((x) => x.bytes === MiB)) {
    const key = `${r.rule}\t${r.kind}`;
    const w = worst.get(key);
    if (!w || r.seconds > w.seconds || (r.note && !w.note)) worst.set(key, r);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const fmt = (r: Result): string => `${r.seconds.toFixed(2).padStart(7)} s  ${over(r) ? 'OVER' : 'ok  '}  ${r.attack}${r.note ? `  (${r.note})` : ''}`;
  console.log(`1 MiB hostile line per rule and kind (worst of ${attacks.length} attack${attacks.length > 1 ? 's' : ''}; budget ${LINE_BUDGET} s)`);
  for (const key of [...worst.keys()].sort(cmp)) {
    const r = worst.get(key) as Result;
    console.log(`  ${(r.rule ?? '').padEnd(28)} ${r.kind.padEnd(11)} ${fmt(r)}`);
  }
  const files = results.filter((x) => x.bytes > MiB).sort((a, b) => cmp(a.kind, b.kind));
  if (files.length) {
    console.log(`5 MiB one-line file per kind, every rule (budget ${FILE_BUDGET} s)`);
    for (const r of files) console.log(`  ${r.kind.padEnd(11)} ${fmt(r)}`);
  }
  const lines = results.filter((x) => x.bytes === MiB).sort((a, b) => b.seconds - a.seconds);
  if (lines[0]) console.log(`slowest 1 MiB line: ${lines[0].rule} on ${lines[0].kind} (${lines[0].attack}) ${lines[0].seconds.toFixed(2)} s`);
  const bad = results.filter(over);
  console.log(`${results.length} runs in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${bad.length} over budget`);
  if (bad.length) process.exitCode = 1;
}
