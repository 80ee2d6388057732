/**
 * The packages a Dockerfile installs: the names after `apt-get install` / `apt install` in its
 * RUN lines (DESIGN §5: judged by the archive data like any list entry).
 */
import type { ArchLookup } from './archdb/lookup.js';
import { ARCH_NAMES, type ArchName } from './arch.js';
import type { GuardMap } from './guards.js';

/** One package name a RUN line installs, with its place in the file. */
export interface DockerInstall {
  name: string;
  start: number;
  end: number;
}

const PKG_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/**
 * The names each `apt-get install` / `apt install` installs, across `\` continuations, up to the
 * end of the command (`&&`, `;`, `|`, a line that does not continue). Options and names with a
 * variable are skipped; a `name=version` pin counts as its name; a comment line inside the
 * continuation (Docker drops it) is skipped, and a commented-out command installs nothing.
 */
/** `apt install` / `apt-get -y install`: where a Dockerfile installs packages. */
export const APT_INSTALL = /\bapt(?:-get)?((?:[ \t]+-[-\w=]+)*)[ \t]+install\b/g;

export function dockerInstalls(text: string): DockerInstall[] {
  const out: DockerInstall[] = [];
  for (const m of text.matchAll(APT_INSTALL)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (text.slice(lineStart, m.index).includes('#')) continue;
    let i = m.index + m[0].length;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === ' ' || c === '\t') { i++; continue; }
      if (c === '\\' && /^\\[ \t]*\r?\n/.test(text.slice(i, i + 4))) {
        i = text.indexOf('\n', i) + 1;
        // comment lines inside a continuation are dropped by Docker
        while (/^[ \t]*#/.test(text.slice(i, text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i)))) {
          const nl = text.indexOf('\n', i);
          if (nl < 0) return out;
          i = nl + 1;
        }
        continue;
      }
      if (c === '\n' || c === '\r' || c === '&' || c === ';' || c === '|' || c === ')' || c === '#') break;
      let j = i;
      while (j < text.length && !/[\s;&|)\\]/.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      const name = word.replace(/(?<!=)=.*$/, '').replace(/:(?:amd64|arm64|i386|any|all)$/, '');
      if (!word.startsWith('-') && PKG_NAME.test(name)) out.push({ name, start: i, end: i + name.length });
      i = j === i ? j + 1 : j;
    }
  }
  return out;
}

/** An install some configured arch cannot have, the arches that lack it, and the curated hardware reason if any. */
export interface LackingInstall extends DockerInstall {
  lacks: ArchName[];
  /** The curated list's reason when it names the package x86 hardware tooling without a counterpart. */
  hardware?: string;
}

/**
 * The installs of an image that is x86-only as a whole: every unguarded package a reaching arch
 * lacks (`reach` tells which configured arches reach each name), when at least one of them is x86
 * hardware tooling the curated list names without a counterpart (pcm, accel-config, opae). Empty
 * otherwise: a package the archive alone restricts (syslinux-utils, an older suite's debos) is a
 * line to guard or replace in an image every arch builds, not a verdict on the image.
 */
export function x86ImageInstalls(text: string, lookup: ArchLookup, reach: (offset: number) => readonly ArchName[]): LackingInstall[] {
  const out: LackingInstall[] = [];
  for (const p of dockerInstalls(text)) {
    const lacks = reach(p.start).filter((a) => lookup.missingOn(p.name, a));
    if (!lacks.length) continue;
    const c = lookup.curated(p.name);
    out.push({ ...p, lacks, ...(c && !c.content && !c.alternative ? { hardware: c.reason } : {}) });
  }
  return out.some((p) => p.hardware) ? out : [];
}

/** The configured arches reaching `offset` by the file's own guards, leaving out an x86-only image's whole-file scope. */
export function reachInImage(guards: GuardMap, offset: number): ArchName[] {
  let all: ArchName[] = [...ARCH_NAMES];
  for (const r of guards.regionsAt(offset)) if (!r.image) all = all.filter((a) => r.arches.has(a));
  return guards.architectures.filter((a) => all.includes(a));
}
