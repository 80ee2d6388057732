/**
 * What the header of a committed binary says about the arch it runs on: the PE/COFF `Machine`
 * of an EFI binary (Microsoft PE format; UEFI spec §2.1.1) or the ELF `e_machine` (elf(5)).
 * Pure: the CLI reads the first bytes of a file and hands them here; nothing is ever executed.
 */
import type { ArchName } from './arch.js';

export interface BinaryHeader {
  format: 'pe' | 'elf';
  /** The machine as a porter says it: `x86-64`, `i386`, `arm64` … */
  machine: string;
  /** The raw `Machine` / `e_machine` value. */
  code: number;
  /** The Debian arches that run it natively (empty for a machine no configured arch runs). */
  arches: ArchName[];
  /** PE only: the subsystem is an EFI application or driver. */
  efi?: boolean;
}

/** How many bytes of a file the header needs at most (the PE header may sit after a DOS stub). */
export const BINARY_HEADER_BYTES = 4096;

const ELF_MACHINES: Record<number, [string, ArchName[]]> = {
  3: ['i386', ['i386', 'amd64']],
  62: ['x86-64', ['amd64']],
  183: ['arm64', ['arm64']],
  40: ['arm', ['armhf', 'armel']],
  21: ['ppc64', ['ppc64el']],
  22: ['s390x', ['s390x']],
  243: ['riscv64', ['riscv64']],
  8: ['mips', ['mips64el']],
  258: ['loongarch', ['loong64']],
};

const PE_MACHINES: Record<number, [string, ArchName[]]> = {
  0x14c: ['i386', ['i386']],
  0x8664: ['x86-64', ['amd64']],
  0xaa64: ['arm64', ['arm64']],
  0x1c0: ['arm', ['armhf', 'armel']],
  0x1c2: ['arm', ['armhf', 'armel']],
  0x1c4: ['arm', ['armhf', 'armel']],
  0x5064: ['riscv64', ['riscv64']],
  0x6264: ['loongarch64', ['loong64']],
};
/** EFI byte code runs on every UEFI firmware: not bound to an arch. */
const PE_EBC = 0xebc;

/** The header facts of a PE or ELF file, or undefined for anything else (or an arch-neutral binary). */
export function parseBinaryHeader(bytes: Uint8Array): BinaryHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 20 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) {
    const little = bytes[5] !== 2;
    const code = view.getUint16(0x12, little);
    const known = ELF_MACHINES[code];
    return { format: 'elf', machine: known?.[0] ?? `machine ${code}`, code, arches: known ? [...known[1]] : [] };
  }
  if (bytes.length >= 0x40 && bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const pe = view.getUint32(0x3c, true);
    if (pe + 24 > bytes.length) return undefined;
    if (view.getUint32(pe, false) !== 0x50450000) return undefined;
    const code = view.getUint16(pe + 4, true);
    if (code === PE_EBC) return undefined;
    // Subsystem: offset 68 of the optional header (PE32 and PE32+ alike); 10–13 are EFI images.
    const sub = pe + 24 + 68 + 2 <= bytes.length ? view.getUint16(pe + 24 + 68, true) : 0;
    const known = PE_MACHINES[code];
    return { format: 'pe', machine: known?.[0] ?? `machine 0x${code.toString(16)}`, code, arches: known ? [...known[1]] : [], efi: sub >= 10 && sub <= 13 };
  }
  return undefined;
}

/** `PE machine 0x8664`, `ELF e_machine 62`: the header field a porter can check with `file` or `objdump -f`. */
export function headerField(h: BinaryHeader): string {
  return h.format === 'pe' ? `PE machine 0x${h.code.toString(16)}` : `ELF e_machine ${h.code}`;
}
