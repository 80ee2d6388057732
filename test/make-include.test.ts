import { describe, expect, it } from 'vitest';
import { includedDefinition } from '../src/make-include.js';
import { parseMake } from '../src/models/make.js';
import { projectView } from '../src/engine/lint.js';
import { SourceFile } from '../src/source.js';
import type { FileKind } from '../src/types.js';
import { cli, tempDir, writeTree } from './helpers.js';

const ARCHES = ['amd64', 'arm64'] as const;

function definition(files: Record<string, string>, at: string, kind: FileKind, name = 'DEB_HOST_ARCH'): ReturnType<typeof includedDefinition> {
  const view = projectView(new Map(Object.entries(files).map(([p, t]) => [p, new SourceFile(p, t)])));
  const text = files[at] as string;
  return includedDefinition(view, at, kind, parseMake(text, ARCHES), text, name, ARCHES);
}

describe('includedDefinition', () => {
  it('follows includes recursively and stops at a cycle', () => {
    const files = { 'a.mk': 'include b.mk\n', 'b.mk': 'include a.mk\nX = 1\n', 'Makefile': 'include a.mk\n' };
    expect(definition(files, 'Makefile', 'makefile').state).toBe('missing');
    expect(definition({ ...files, 'b.mk': 'include a.mk\nDEB_HOST_ARCH ?= amd64\n' }, 'Makefile', 'makefile')).toEqual({ state: 'defined', via: 'b.mk' });
  });
  it('expands only variables assigned earlier, outside conditionals', () => {
    const defs = { 'defs.mk': 'DEB_HOST_ARCH ?= $(shell dpkg-architecture -qDEB_HOST_ARCH)\n' };
    expect(definition({ ...defs, 'sub/Makefile': 'TOP := ..\ninclude $(TOP)/defs.mk\n' }, 'sub/Makefile', 'makefile').state).toBe('defined');
    expect(definition({ ...defs, 'sub/Makefile': 'include $(TOP)/defs.mk\nTOP := ..\n' }, 'sub/Makefile', 'makefile').state).toBe('maybe');
    expect(definition({ ...defs, 'sub/Makefile': 'ifdef X\nTOP := ..\nendif\ninclude $(TOP)/defs.mk\n' }, 'sub/Makefile', 'makefile').state).toBe('maybe');
  });
  it('resolves debian/rules includes from the package root, and counts a missing file or one outside the tree as maybe', () => {
    const defs = { 'pkg/debian/vars.mk': 'DEB_HOST_ARCH := $(shell dpkg-architecture -qDEB_HOST_ARCH)\n' };
    expect(definition({ ...defs, 'pkg/debian/rules': 'include debian/vars.mk\n' }, 'pkg/debian/rules', 'rules').state).toBe('defined');
    expect(definition({ ...defs, 'pkg/debian/rules': '-include debian/local.mk\n' }, 'pkg/debian/rules', 'rules').state).toBe('maybe');
    expect(definition({ 'pkg/debian/rules': 'include /usr/share/cdbs/1/rules/debhelper.mk\n' }, 'pkg/debian/rules', 'rules').state).toBe('maybe');
    expect(definition({ 'pkg/debian/rules': 'include /usr/share/dpkg/pkg-info.mk\n' }, 'pkg/debian/rules', 'rules').state).toBe('missing');
    expect(definition({ 'pkg/debian/rules': 'include /usr/share/dpkg/default.mk\n' }, 'pkg/debian/rules', 'rules').state).toBe('defined');
  });
  it('reads deb_folder includes of debian/ from the deb_folder, and others from src_path', () => {
    const rules = 'include debian/a.mk\ninclude mk/b.mk\n';
    const files = {
      'p/debian/deb_folder/rules': rules,
      'p/debian/deb_folder/a.mk': 'X = 1\n',
      'p/src/mk/b.mk': 'DEB_HOST_ARCH ?= $(shell dpkg-architecture -qDEB_HOST_ARCH)\n',
    };
    expect(definition(files, 'p/debian/deb_folder/rules', 'rules').state).toBe('maybe');
    expect(definition({ ...files, 'p/debian/meta_data.yaml': 'src_path: src\n' }, 'p/debian/deb_folder/rules', 'rules').state).toBe('defined');
  });
});

describe('includedDefinition and dependency files', () => {
  it('reads no definition into compiler dependency files', () => {
    expect(definition({ 'Makefile': 'SRCS = a.c\n-include $(SRCS:.c=.d)\n' }, 'Makefile', 'makefile').state).toBe('missing');
    expect(definition({ 'Makefile': '-include $(OBJS:%.o=%.d) deps/main.d\n' }, 'Makefile', 'makefile').state).toBe('missing');
  });
});

describe('fixes that follow include (through the CLI)', () => {
  const rules = '#!/usr/bin/make -f\n\ninclude debian/efi.mk\n\n%:\n\tdh $@\n\noverride_dh_auto_install:\n\tcp build/grubx64.efi debian/tmp/boot/efi/EFI/BOOT/\n';
  const control = 'Source: loader\nBuild-Depends: debhelper-compat (= 13)\n\nPackage: loader\nArchitecture: any\nDescription: loader\n demo\n';
  async function suggestion(efiMk: string | undefined): Promise<{ description: string; edits: { text: string }[] }> {
    const dir = tempDir();
    writeTree(dir, { 'debian/rules': rules, 'debian/control': control, ...(efiMk === undefined ? {} : { 'debian/efi.mk': efiMk }) });
    const out = JSON.parse((await cli(dir, ['--format', 'json', '--rule', 'x86-efi-binary', '.'])).stdout) as { findings: { suggestions: { description: string; edits: { text: string }[] }[] }[] };
    return out.findings[0]?.suggestions[0] as { description: string; edits: { text: string }[] };
  }
  it('adds no mapping and no architecture.mk when the included file has both', async () => {
    const s = await suggestion('include /usr/share/dpkg/architecture.mk\nEFI_ARCH_amd64 = x64\nEFI_ARCH_arm64 = aa64\nEFI_ARCH = $(EFI_ARCH_$(DEB_HOST_ARCH))\n');
    expect(s.edits.map((e) => e.text)).toEqual(['$(EFI_ARCH)']);
  });
  it('defines them, saying so, when the included file is not in the tree', async () => {
    const s = await suggestion(undefined);
    expect(s.description).toMatch(/'debian\/efi\.mk' may already define/);
    expect(s.edits.length).toBeGreaterThan(1);
  });
});
