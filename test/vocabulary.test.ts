/**
 * Names whose per-arch spelling is not dpkg's (DESIGN §2 meaning table): the suggestions, applied
 * with `--fix --unsafe`, give a tree that is right on every configured arch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgVariableFor, unspelled, vocabularyAt } from '../src/arch.js';
import { FIXTURES, cli, copyTree, tempDir } from './helpers.js';

async function unsafeFixed(fixture: string, file: string): Promise<string> {
  const work = tempDir();
  copyTree(path.join(FIXTURES, fixture, 'in'), work);
  await cli(work, ['--fix', '--unsafe', '--format', 'json', '.']);
  const text = fs.readFileSync(path.join(work, file), 'utf8');
  fs.rmSync(work, { recursive: true, force: true });
  return text;
}

describe('vocabularies', () => {
  it('read the spelling from the neighbours', () => {
    const at = (s: string, lit: string) => vocabularyAt(s, s.indexOf(lit), s.indexOf(lit) + lit.length)?.vocab;
    expect(at('grub-install --target=x86_64-efi', 'x86_64')).toBe('grubCpu');
    expect(at('GRUB_TARGET := x86_64', 'x86_64')).toBe('grubCpu');
    expect(at('/usr/lib/grub/i386-pc/boot.img', 'i386')).toBe('grubBios');
    expect(at('grub-mkimage -O i386-efi', 'i386')).toBe('grubBios');
    expect(at('GOARCH=amd64 go build', 'amd64')).toBe('go');
    expect(at('docker build --platform linux/amd64 .', 'amd64')).toBe('go');
    expect(at('make ARCH=x86_64 bzImage', 'x86_64')).toBe('kernel');
    expect(at('cargo build --target x86_64-unknown-linux-gnu', 'x86_64')).toBe('rust');
    expect(at('qemu-system-x86_64 -M q35', 'x86_64')).toBe('qemu');
    expect(at('install -d /usr/lib/x86_64-linux-gnu', 'x86_64-linux-gnu')).toBeUndefined();
    expect(at('ARCH = amd64', 'amd64')).toBeUndefined();
  });
  it('take a dpkg variable only where it spells every configured arch', () => {
    expect(dpkgVariableFor('grubCpu', ['amd64', 'arm64'])).toBeUndefined();
    expect(dpkgVariableFor('go', ['amd64', 'arm64'])).toBe('DEB_HOST_ARCH');
    expect(dpkgVariableFor('go', ['amd64', 'arm64', 'i386'])).toBeUndefined();
    expect(dpkgVariableFor('qemu', ['amd64', 'arm64'])).toBe('DEB_HOST_GNU_CPU');
    expect(dpkgVariableFor('qemu', ['amd64', 'i386'])).toBeUndefined();
    expect(dpkgVariableFor('kernel', ['amd64', 'arm64'])).toBeUndefined();
    expect(unspelled('grubBios', ['amd64', 'arm64'])).toEqual(['arm64']);
  });
});

describe('suggestions follow the meaning table', () => {
  it('a GRUB cpu becomes a per-arch mapping, never DEB_HOST_GNU_CPU', async () => {
    const rules = await unsafeFixed('hardcoded-arch/grub-cpu-mapping', 'debian/rules');
    expect(rules).toContain('GRUB_CPU_amd64 := x86_64\nGRUB_CPU_arm64 := arm64\nGRUB_CPU := $(GRUB_CPU_$(DEB_HOST_ARCH))\nGRUB_TARGET := $(GRUB_CPU)\n');
    expect(rules).toContain('/usr/lib/grub/$(GRUB_CPU)-efi/');
    expect(rules).toContain('--target $(DEB_HOST_RUST_TYPE)');
    expect(rules).toContain('include /usr/share/rustc/architecture.mk');
    expect(rules).toContain('GOARCH=$(DEB_HOST_ARCH)');
    expect(rules).not.toMatch(/DEB_HOST_GNU_CPU\)-efi|GRUB_TARGET := \$\(DEB_HOST_GNU_CPU\)/);
  });
  it('a GRUB platform in a script is set per arch from the running arch', async () => {
    const sh = await unsafeFixed('hardcoded-arch/grub-platform-script', 'scripts/make-efi-image.sh');
    expect(sh).toContain('case "$(dpkg --print-architecture)" in\n    amd64) GRUB_CPU=x86_64 ;;\n    arm64) GRUB_CPU=arm64 ;;\nesac\n');
    expect(sh).toContain('grub-mkimage -O ${GRUB_CPU}-efi');
    expect(sh).not.toContain('uname -m');
  });
  it('an x64 EFI name gets an EFI_ARCH defined with it, upper case kept', async () => {
    const rules = await unsafeFixed('x86-efi-binary/per-arch-mapping-suggested', 'debian/rules');
    expect(rules).toContain('EFI_ARCH_arm64 := aa64');
    expect(rules).toContain('EFI_ARCH_UPPER_arm64 := AA64');
    expect(rules).toContain('build/grub$(EFI_ARCH).efi debian/tmp/boot/efi/EFI/BOOT/BOOT$(EFI_ARCH_UPPER).EFI');
    const sh = await unsafeFixed('x86-efi-binary/per-arch-mapping-suggested', 'scripts/stage-esp.sh');
    expect(sh).toContain('arm64) EFI_ARCH=aa64 ;;');
    expect(sh).toContain('arm64) EFI_ARCH_UPPER=AA64 ;;');
    expect(sh).toContain('/usr/lib/shim/shim${EFI_ARCH}.efi.signed "${ESP}/EFI/BOOT/BOOT${EFI_ARCH_UPPER}.EFI"');
  });
  it('offers no shell substitution where nothing expands', async () => {
    const work = tempDir();
    fs.writeFileSync(path.join(work, 'stage.sh'), "#!/bin/sh\ncp a/grubx64.efi b/\ncp 'a/grubx64.efi' c/\ncat <<'EOF' > list\ngrubx64.efi\nEOF\n");
    const r = JSON.parse((await cli(work, ['--format', 'json', '.'])).stdout);
    const offered = r.findings.filter((f: { ruleId: string }) => f.ruleId === 'x86-efi-binary').map((f: { line: number; suggestions?: unknown[] }) => [f.line, (f.suggestions ?? []).length]);
    expect(offered).toEqual([[2, 1], [3, 0], [5, 0]]);
    fs.rmSync(work, { recursive: true, force: true });
  });
});
