/**
 * Reading the header of committed binaries for ProjectView.binary: only when a rule asks for a
 * file (one the packaging names), only the first few KiB, once per file. Nothing is executed.
 */
import fs from 'node:fs';
import { BINARY_HEADER_BYTES, parseBinaryHeader, type BinaryHeader } from '../binary-header.js';
import type { BinaryFacts } from '../engine/lint.js';

/** Where a PE header may start at most (e_lfanew) for us to still read it. */
const MAX_PE_OFFSET = 64 * 1024;

function readHeader(real: string): BinaryHeader | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(real, 'r');
    let buf = Buffer.alloc(BINARY_HEADER_BYTES);
    let n = fs.readSync(fd, buf, 0, buf.length, 0);
    // A DOS stub longer than usual: read up to the PE header it points at.
    if (n >= 0x40 && buf[0] === 0x4d && buf[1] === 0x5a) {
      const pe = buf.readUInt32LE(0x3c);
      if (pe + 96 > n && pe < MAX_PE_OFFSET) {
        buf = Buffer.alloc(pe + 96);
        n = fs.readSync(fd, buf, 0, buf.length, 0);
      }
    }
    return parseBinaryHeader(buf.subarray(0, n));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The paths of the given files (display path → real path) and their header facts, read lazily and cached. */
export function binaryReader(files: ReadonlyMap<string, string>): BinaryFacts {
  const cache = new Map<string, BinaryHeader | undefined>();
  return {
    paths: [...files.keys()],
    header: (p: string) => {
      if (cache.has(p)) return cache.get(p);
      const real = files.get(p);
      const h = real === undefined ? undefined : readHeader(real);
      cache.set(p, h);
      return h;
    },
  };
}
