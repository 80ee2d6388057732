/**
 * The boot config model: comments and arch guards. GRUB scripts test the firmware's cpu with
 * `if [ "${grub_cpu}" = "x86_64" ]; then … else … fi`: read with the shell guard reader, with
 * `grub_cpu` known to hold GRUB's cpu name (x86_64, i386, arm64 …). Syslinux configs and
 * libvirt XML have no conditionals.
 */
import type { ArchName } from '../arch.js';
import { GuardMap } from '../guards.js';
import { isXml, tokenizeBootcfg } from '../lexers/bootcfg.js';
import type { Token } from '../lexers/token.js';
import { findShellArchGuards, type ArchSource } from '../shell-guards.js';

export interface BootcfgModel {
  tokens: Token[];
  comments: Token[];
  guards: GuardMap;
  xml: boolean;
}

const GRUB_VARS: ReadonlyMap<string, ArchSource> = new Map([['grub_cpu', { kind: 'grubCpu', subject: 'host' }]]);

export function parseBootcfg(text: string, architectures: readonly ArchName[]): BootcfgModel {
  const tokens = tokenizeBootcfg(text);
  const guards = new GuardMap(architectures);
  const xml = isXml(text);
  if (!xml && /\bgrub_cpu\b/.test(text)) {
    const g = findShellArchGuards(text, 0, GRUB_VARS);
    for (const r of g.regions) guards.addRegion(r);
    for (const [s, e] of g.tests) guards.addTest(s, e);
  }
  return { tokens, comments: tokens.filter((t) => t.type === 'comment'), guards, xml };
}
