/**
 * A deterministic synthetic corpus of make-based packaging: many debian/rules of realistic
 * shape (conditionals, recipes, downloads, flags) plus a few large make files.
 */
import fs from 'node:fs';
import path from 'node:path';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CHUNKS = [
  'export DEB_CFLAGS_MAINT_APPEND = -Wall -O2\n',
  'PLUGIN_DIR = /usr/lib/$(DEB_HOST_MULTIARCH)/plugins\n',
  'ifeq ($(DEB_HOST_ARCH),amd64)\n  FIRMWARE = OVMF.fd\nelse\n  FIRMWARE = QEMU_EFI.fd\nendif\n',
  'ifneq (,$(filter amd64 i386,$(DEB_HOST_ARCH_CPU)))\n  CFLAGS += -msse4.2\nendif\n',
  'override_dh_auto_install:\n\tinstall -d debian/tmp/usr/lib/x86_64-linux-gnu/foo\n\tcp -a build/* debian/tmp/\n',
  'override_dh_auto_build:\n\ttar xzf helm-v$(V)-linux-amd64.tar.gz\n\t$(MAKE) -C src all\n',
  '# a comment that mentions amd64 and x86_64 for the reader\n',
  'override_dh_auto_configure:\n\tdh_auto_configure -- --build=$(DEB_BUILD_GNU_TYPE) --host=$(DEB_HOST_GNU_TYPE)\n',
  'kversion = $(shell ls /usr/src | grep linux-headers | grep amd64)\n',
  'override_dh_install:\n\tcase "$(DEB_HOST_ARCH)" in \\\n\t  amd64) cp a.conf debian/tmp/ ;; \\\n\t  arm64) cp b.conf debian/tmp/ ;; \\\n\tesac\n',
  'define CANNED\n\techo $(1)\nendef\n',
  'SRC = $(wildcard src/*.c)\nOBJ = $(SRC:.c=.o)\n',
];

/** Writes the corpus under `dir`; returns the number of files and bytes. */
export function writeCorpus(dir: string, packages = 3000, seed = 42): { files: number; bytes: number } {
  const rand = rng(seed);
  let files = 0;
  let bytes = 0;
  const put = (rel: string, text: string): void => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  for (let i = 0; i < packages; i++) {
    let text = '#!/usr/bin/make -f\n# synthetic package\n\n%:\n\tdh $@\n\n';
    const n = 8 + Math.floor(rand() * 30);
    for (let k = 0; k < n; k++) text += CHUNKS[Math.floor(rand() * CHUNKS.length)] + '\n';
    put(`group${i % 40}/pkg${i}/debian/deb_folder/rules`, text);
    if (i % 10 === 0) put(`group${i % 40}/pkg${i}/src/Makefile`, text.replace('#!/usr/bin/make -f\n', ''));
  }
  let big = '';
  while (big.length < 4 * 1024 * 1024) big += CHUNKS[Math.floor(rand() * CHUNKS.length)] + '\n';
  put('big/Makefile', big);
  return { files, bytes };
}
