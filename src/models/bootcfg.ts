/**
 * The boot config model: comments and arch guards. GRUB scripts test the firmware's cpu with
 * `if [ "${grub_cpu}" = "x86_64" ]; then … else … fi`: read with the shell guard reader, with
 * `grub_cpu` known to hold GRUB's cpu name (x86_64, i386, arm64 …). Syslinux configs and
 * libvirt XML have no conditionals, but a syslinux-family menu (isolinux, pxelinux, extlinux
 * `label … kernel … append` stanzas) is read by the BIOS loader alone: x86 reaches it, nothing else.
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

/** GRUB script syntax: a menu holding it is GRUB's, whatever its folder (StarlingX keeps UEFI GRUB menus in pxelinux.cfg/). */
const GRUB_SYNTAX = /^[ \t]*(?:menuentry|submenu|insmod|search|set[ \t]+\w+=|if[ \t]|function[ \t])|\{[ \t]*$/m;
const SYSLINUX_LABEL = /^[ \t]*label[ \t]+\S/im;
const SYSLINUX_ENTRY = /^[ \t]*(?:kernel|linux|com32|localboot|config|append|ui)[ \t]+\S/im;

/**
 * True when `text` is a syslinux-family menu (isolinux.cfg, syslinux.cfg, a pxelinux.cfg
 * entry, a LAT `iso-syslinux-entry`): `label` stanzas with `kernel`/`append`/`com32` lines and no
 * GRUB syntax. Only the x86 BIOS loaders read it, so every line in it is reached by x86 alone.
 */
export function isSyslinuxMenu(text: string): boolean {
  return SYSLINUX_LABEL.test(text) && SYSLINUX_ENTRY.test(text) && !GRUB_SYNTAX.test(text);
}

/** The arches a BIOS boot menu is reached by. */
export const BIOS_ARCHES: ReadonlySet<ArchName> = new Set<ArchName>(['amd64', 'i386']);

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
  if (!xml && isSyslinuxMenu(text)) guards.addRegion({ start: 0, end: text.length, arches: BIOS_ARCHES, positive: true, subject: 'host' });
  return { tokens, comments: tokens.filter((t) => t.type === 'comment'), guards, xml };
}
