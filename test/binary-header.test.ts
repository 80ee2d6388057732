import { describe, expect, it } from 'vitest';
import { parseBinaryHeader } from '../src/binary-header.js';

function pe(machine: number, subsystem = 10, peOffset = 0x80): Uint8Array {
  const b = Buffer.alloc(peOffset + 0x200);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(peOffset, 0x3c);
  b.write('PE\0\0', peOffset, 'latin1');
  b.writeUInt16LE(machine, peOffset + 4);
  b.writeUInt16LE(0x20b, peOffset + 24);
  b.writeUInt16LE(subsystem, peOffset + 24 + 68);
  return b;
}

function elf(machine: number, bigEndian = false): Uint8Array {
  const b = Buffer.alloc(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, bigEndian ? 2 : 1, 1]);
  if (bigEndian) b.writeUInt16BE(machine, 0x12);
  else b.writeUInt16LE(machine, 0x12);
  return b;
}

describe('parseBinaryHeader', () => {
  it('reads the PE machine and whether the image is EFI', () => {
    expect(parseBinaryHeader(pe(0x8664))).toMatchObject({ format: 'pe', machine: 'x86-64', arches: ['amd64'], efi: true });
    expect(parseBinaryHeader(pe(0xaa64))).toMatchObject({ machine: 'arm64', arches: ['arm64'] });
    expect(parseBinaryHeader(pe(0x14c, 3))).toMatchObject({ machine: 'i386', efi: false });
  });
  it('leaves EFI byte code (arch-neutral) and non-binaries alone', () => {
    expect(parseBinaryHeader(pe(0xebc))).toBeUndefined();
    expect(parseBinaryHeader(Buffer.from('MZ is also how this text starts, but it has no PE header at all'.padEnd(128, '.')))).toBeUndefined();
    expect(parseBinaryHeader(Buffer.from('#!/bin/sh\n'))).toBeUndefined();
  });
  it('reads the ELF e_machine in the file\'s byte order', () => {
    expect(parseBinaryHeader(elf(62))).toMatchObject({ format: 'elf', machine: 'x86-64', arches: ['amd64'] });
    expect(parseBinaryHeader(elf(3))).toMatchObject({ machine: 'i386', arches: ['i386', 'amd64'] });
    expect(parseBinaryHeader(elf(22, true))).toMatchObject({ machine: 's390x', arches: ['s390x'] });
  });
});
