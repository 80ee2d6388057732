import { describe, expect, it } from 'vitest';
import { ARCHES } from '../src/arch.js';
import { foreignEmulator, ownQemuDrops } from '../src/list-kit.js';
import { SourceFile } from '../src/source.js';
import type { ProjectView } from '../src/types.js';

const project = (files: Record<string, string>): ProjectView => {
  const map = new Map(Object.entries(files).map(([p, t]) => [p, new SourceFile(p, t)]));
  return { paths: () => [...map.keys()], get: (p) => map.get(p) };
};

describe('what the archive cannot say about emulators', () => {
  it('the naming table gives QEMU targets and Debian emulator packages (x86_64 ↔ aarch64)', () => {
    const by = Object.fromEntries(ARCHES.map((a) => [a.name, [a.qemuTarget, a.qemuPackage]]));
    expect(by.amd64).toEqual(['x86_64', 'qemu-system-x86']);
    expect(by.arm64).toEqual(['aarch64', 'qemu-system-arm']);
  });
  it('qemu-system-x86 in a list for arm64 needs qemu-system-arm, unless the list has it', () => {
    expect(foreignEmulator('qemu-system-x86', ['amd64', 'arm64'], new Set())?.needs).toEqual([{ arch: 'arm64', pkg: 'qemu-system-arm', target: 'aarch64' }]);
    expect(foreignEmulator('qemu-system-x86', ['amd64', 'arm64'], new Set(['qemu-system-arm']))).toBeUndefined();
    expect(foreignEmulator('qemu-system-x86', ['amd64'], new Set())).toBeUndefined();
    expect(foreignEmulator('qemu-utils', ['arm64'], new Set())).toBeUndefined();
  });
  it("a tree's own qemu that limits system_targets to x86, or drops the stanza, drops qemu-system-arm", () => {
    expect(ownQemuDrops(project({ 'virt/qemu/debian/deb_folder/rules': 'system_targets = i386 x86_64\n' }), 'qemu-system-arm')).toMatch(/limits system_targets to i386 x86_64/);
    expect(ownQemuDrops(project({ 'virt/qemu/debian/patches/0001.patch': '+system_targets = x86_64\n' }), 'qemu-system-arm')).toMatch(/limits/);
    expect(ownQemuDrops(project({ 'virt/qemu/debian/deb_folder/rules': 'system_targets = i386 x86_64 aarch64 arm\n' }), 'qemu-system-arm')).toBeUndefined();
    expect(ownQemuDrops(project({ 'virt/qemu/debian/deb_folder/rules': 'system_targets = $(TARGETS)\n' }), 'qemu-system-arm')).toBeUndefined();
    expect(ownQemuDrops(project({ 'tools/other/debian/rules': 'system_targets = x86_64\n' }), 'qemu-system-arm')).toBeUndefined();
  });
});
