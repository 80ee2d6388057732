/**
 * Reaching-set semantics (DESIGN §2), table-driven: which lines of a debian/rules are reached
 * by which arches, and so which literals are findings.
 */
import { describe, expect, it } from 'vitest';
import { parseMake } from '../src/models/make.js';
import { findShellArchGuards } from '../src/shell-guards.js';
import type { ArchName } from '../src/arch.js';
import { GuardMap } from '../src/guards.js';

const ARCHES: ArchName[] = ['amd64', 'arm64'];

/** The configured arches reaching the line that contains `marker`. */
function reachOf(text: string, marker: string, arches = ARCHES): string[] {
  const m = parseMake(text, arches);
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`no ${marker}`);
  return m.guards.reachAt(at).configured;
}

describe('make conditionals', () => {
  it.each([
    ['ifeq ($(DEB_HOST_ARCH),amd64)\nMARK\nendif\n', ['amd64']],
    ['ifeq ($(DEB_HOST_ARCH),amd64)\nelse\nMARK\nendif\n', ['arm64']],
    ['ifneq ($(DEB_HOST_ARCH),amd64)\nMARK\nendif\n', ['arm64']],
    ['ifeq ($(DEB_HOST_ARCH), amd64)\nMARK\nendif\n', ['amd64']],
    ['ifeq "$(DEB_HOST_ARCH)" "arm64"\nMARK\nendif\n', ['arm64']],
    ["ifeq '$(DEB_HOST_ARCH)' 'arm64'\nMARK\nendif\n", ['arm64']],
    ['ifneq (,$(filter amd64 i386,$(DEB_HOST_ARCH)))\nMARK\nendif\n', ['amd64']],
    ['ifeq (,$(filter amd64 i386,$(DEB_HOST_ARCH)))\nMARK\nendif\n', ['arm64']],
    ['ifeq ($(DEB_HOST_ARCH_CPU),arm64)\nMARK\nendif\n', ['arm64']],
    ['ifeq ($(DEB_HOST_GNU_CPU),x86_64)\nMARK\nendif\n', ['amd64']],
    ['ifeq ($(DEB_HOST_MULTIARCH),aarch64-linux-gnu)\nMARK\nendif\n', ['arm64']],
    ['ifneq (,$(findstring 64,$(DEB_HOST_ARCH)))\nMARK\nendif\n', ['amd64', 'arm64']],
    ['ifeq ($(DEB_HOST_ARCH),amd64)\nelse ifeq ($(DEB_HOST_ARCH),arm64)\nMARK\nendif\n', ['arm64']],
    ['ifeq ($(DEB_HOST_ARCH),amd64)\nelse ifeq ($(DEB_HOST_ARCH),arm64)\nelse\nMARK\nendif\n', []],
    ['ifeq ($(DEB_HOST_ARCH),amd64)\nifeq ($(DEB_HOST_ARCH),arm64)\nMARK\nendif\nendif\n', []],
    ['ifdef FOO\nMARK\nendif\n', ['amd64', 'arm64']],
    ['A := $(shell dpkg-architecture -qDEB_HOST_ARCH)\nifeq ($(A),arm64)\nMARK\nendif\n', ['arm64']],
    ['M := $(shell uname -m)\nifeq ($(M),x86_64)\nMARK\nendif\n', ['amd64']],
    ['ifeq ($(DEB_BUILD_ARCH),amd64)\nMARK\nendif\n', ['amd64']],
    ['ifeq ($(FLAVOR),rt)\nMARK\nendif\n', ['amd64', 'arm64']],
    ['ifeq ($(DEB_HOST_ARCH),amd64)\nX=1\nendif\nMARK\n', ['amd64', 'arm64']],
  ])('%j reaches %j', (text, want) => {
    expect(reachOf(text, 'MARK')).toEqual(want);
  });

  it('keeps the configured set: i386 in a three-arch tree', () => {
    expect(reachOf('ifeq ($(DEB_HOST_ARCH),amd64)\nelse\nMARK\nendif\n', 'MARK', ['amd64', 'arm64', 'i386'])).toEqual(['arm64', 'i386']);
  });

  it('marks build-machine tests', () => {
    const m = parseMake('ifeq ($(DEB_BUILD_ARCH),amd64)\nX=1\nendif\nifeq ($(DEB_HOST_ARCH),amd64)\nendif\n', ARCHES);
    expect(m.buildTests).toHaveLength(1);
  });
});

describe('shell guards in recipes', () => {
  const reach = (sh: string, marker: string): string[] => {
    const g = findShellArchGuards(sh);
    const at = sh.indexOf(marker);
    let all = ['amd64', 'arm64'];
    for (const r of g.regions) if (at >= r.start && at < r.end) all = all.filter((a) => r.arches.has(a as ArchName));
    return all;
  };
  it.each([
    ['case "$$(dpkg-architecture -qDEB_HOST_ARCH)" in amd64) MARK ;; arm64) y ;; esac', ['amd64']],
    ['case "$(DEB_HOST_ARCH)" in amd64) x ;; *) MARK ;; esac', ['arm64']],
    ['case `uname -m` in x86_64|i?86) x ;; aarch64) MARK ;; esac', ['arm64']],
    // uname -m says aarch64 on arm64: `arm*` catches only 32-bit arm
    ['case "$$(uname -m)" in arm*) MARK ;; esac', []],
    ['if [ "$$(uname -m)" = "x86_64" ]; then MARK; fi', ['amd64']],
    ['if [ "$$(uname -m)" = "x86_64" ]; then x; else MARK; fi', ['arm64']],
    ['if [ "$$(uname -m)" != "x86_64" ]; then MARK; fi', ['arm64']],
    ['if [[ "$(DEB_HOST_ARCH)" == arm* ]]; then MARK; fi', ['arm64']],
    ['if test "$${ARCH}" = amd64; then MARK; fi', ['amd64', 'arm64']],
    ['ARCH=$$(dpkg --print-architecture); if [ "$$ARCH" = arm64 ]; then MARK; fi', ['arm64']],
    ['[ "$(DEB_HOST_ARCH)" = amd64 ] && MARK', ['amd64']],
    ['[ "$(DEB_HOST_ARCH)" = amd64 ] || MARK', ['arm64']],
    ['if [ "$$(uname -m)" = x86_64 ]; then a; elif [ "$$(uname -m)" = aarch64 ]; then MARK; fi', ['arm64']],
    ['if [ -f x ]; then MARK; fi', ['amd64', 'arm64']],
    // distribution tests: the CentOS branch is reached by no Debian build, what follows a Debian test by none
    ['if [ -f /etc/redhat-release ]; then MARK; fi', []],
    ['if [ -f /etc/redhat-release ]; then x; else MARK; fi', ['amd64', 'arm64']],
    ['if grep -q Debian /etc/os-release; then x; elif grep -q CentOS /etc/os-release; then MARK; fi', []],
    ['OS=$(. /etc/os-release; echo $ID); case "$OS" in centos|rhel) MARK ;; esac', []],
    ['OS=$(. /etc/os-release; echo $ID); case "$OS" in debian) x ;; *) MARK ;; esac', []],
    ['OS=$(. /etc/os-release; echo $VERSION_CODENAME); case "$OS" in centos) MARK ;; esac', ['amd64', 'arm64']],
    // the ISO's own layout
    ['if [ -f "$ISO/isolinux/isolinux.bin" ]; then MARK; fi', ['amd64']],
    ['if [ -e "$ISO/EFI/BOOT/BOOTAA64.EFI" ]; then MARK; fi', ['arm64']],
    ['if [ -d "$ISO/isolinux" ]; then x; else MARK; fi', ['arm64']],
    // mixed and grouped clauses, regex matches
    ['if [[ $$OS == debian && "$$(uname -m)" == x86_64 ]]; then MARK; fi', ['amd64']],
    ['if [[ ( $$OS == debian && "$$(uname -m)" == x86_64 ) || $$X == y ]]; then MARK; fi', ['amd64', 'arm64']],
    ['if [[ $$(uname -m) =~ ^(aarch64|arm64)$$ ]]; then MARK; fi', ['arm64']],
    // a dead test (uname -m never says amd64) reaches nothing
    ['if [ "$$(uname -m)" = amd64 ]; then MARK; fi', []],
    // a name test: the value compared is one arch's thing (make's per-arch target, a package, an EFI binary)
    ['if [ "$@" = "install/grub-efi-amd64" ]; then MARK; fi', ['amd64']],
    ['if [ "$@" = "install/grub-efi-amd64" ]; then x; else MARK; fi', ['amd64', 'arm64']],
    ['if [ "$@" != "install/grub-efi-arm64" ]; then MARK; else x; fi', ['amd64', 'arm64']],
    ['if [ "$@" != "install/grub-efi-arm64" ]; then x; else MARK; fi', ['arm64']],
    ['[ "$$(basename $$f)" = grubx64.efi ] && MARK', ['amd64']],
    ['[ "$$(basename $$f)" = grubx64.efi ] || MARK', ['amd64', 'arm64']],
    ['case "$$pkg" in grub-efi-arm64) MARK ;; esac', ['arm64']],
    ['case "$$pkg" in grub-pc|grub-efi-amd64) MARK ;; esac', ['amd64', 'arm64']],
    ['case "$$pkg" in grub-efi-amd64) x ;; *) MARK ;; esac', ['amd64', 'arm64']],
    ['if [ "$$platform" = "x86_64-efi" ]; then MARK; fi', ['amd64']],
    // a variable set only to names without an arch holds something else; a grub-pc target names none
    ['pkg=grub-pc; if [ "$$pkg" = grub-efi-amd64 ]; then MARK; fi', ['amd64', 'arm64']],
    ['if [ "$@" = "install/grub-pc" ]; then MARK; fi', ['amd64', 'arm64']],
  ])('%s', (sh, want) => {
    expect(reach(sh, 'MARK')).toEqual(want);
  });

  it.each([
    ['if [ "$$(uname -m)" = amd64 ]; then x; fi', ['amd64']],
    ['case "$$(dpkg --print-architecture)" in aarch64) x ;; esac', ['aarch64']],
    ['case "$$(uname -m)" in x86_64|amd64) x ;; esac', []],
    ['if [ "$$(dpkg --print-architecture)" = amd64 ]; then x; fi', []],
  ])('dead arch tests in %s', (sh, want) => {
    expect(findShellArchGuards(sh).dead.map((d) => d.literal)).toEqual(want);
  });
});

describe('GuardMap.hasRegions', () => {
  it('is false until a region with a length is added, tests aside', () => {
    const g = new GuardMap(['amd64', 'arm64']);
    expect(g.hasRegions).toBe(false);
    g.addTest(0, 10);
    g.addRegion({ start: 5, end: 5, arches: new Set(['amd64']), positive: true, subject: 'host' });
    expect(g.hasRegions).toBe(false);
    g.addRegion({ start: 5000, end: 5010, arches: new Set(['amd64']), positive: true, subject: 'host' });
    expect(g.hasRegions).toBe(true);
    expect(g.regionsAt(5005)).toHaveLength(1);
  });
});
