/**
 * arch-in-download-url's suggestion in a script changes every arch of the download word at once
 * (DESIGN §10, wrong advice): `grub-efi-amd64_${V}_amd64.deb` with one `amd64` replaced names a
 * package that does not exist. Each suggestion is applied alone here, as an editor would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { resolveConfig } from '../src/config/index.js';
import { lintProject } from '../src/engine/lint.js';
import { SourceFile, applyEdits } from '../src/source.js';
import { FIXTURES } from './helpers.js';

const rel = 'build-tools/unpack-boot-debs.sh';
const text = fs.readFileSync(path.join(FIXTURES, 'arch-in-download-url/package-name-and-arch/in', rel), 'utf8');

describe('download word suggestions', () => {
  const [r] = lintProject([{ file: new SourceFile(rel, text), kind: 'shell', config: resolveConfig(undefined, rel, RULES) }], RULES);
  const findings = (r?.findings ?? []).filter((f) => f.ruleId === 'arch-in-download-url');

  it('each one, applied alone, leaves no arch in the name it changes', () => {
    const lines = findings.filter((f) => f.suggestions?.length).map((f) => {
      const alone = applyEdits(text, (f.suggestions?.[0]?.edits ?? []).map((e) => ({ range: e.range, text: e.text })));
      return alone.split('\n')[f.line - 1];
    });
    expect(lines).toEqual([
      'cp "${POOL}/grub-efi-$(dpkg --print-architecture)-bin_${BL_VER}_$(dpkg --print-architecture).deb" ./stage/',
      'cp "${POOL}/grub-efi-$(dpkg --print-architecture)-bin_${BL_VER}_$(dpkg --print-architecture).deb" ./stage/',
      'dpkg-deb -x "${POOL}/shim-$(uname -m)-helpers_${BL_VER}_$(dpkg --print-architecture).deb" ./stage/shim',
      'dpkg-deb -x "${POOL}/shim-$(uname -m)-helpers_${BL_VER}_$(dpkg --print-architecture).deb" ./stage/shim',
    ]);
  });

  it('is withheld when another arch of the name has no replacement (x86-64 in a cross package name)', () => {
    const cpp = findings.filter((f) => f.line === 9);
    expect(cpp).toHaveLength(1);
    expect(cpp[0]?.suggestions).toBeUndefined();
  });

  it('stays one finding per literal, each with its own fix object', () => {
    expect(findings.map((f) => f.line)).toEqual([7, 7, 8, 8, 9]);
    expect(findings[0]?.suggestions?.[0]).not.toBe(findings[1]?.suggestions?.[0]);
    expect(findings[0]?.suggestions?.[0]?.description).toBe("replace 'amd64' with $(dpkg --print-architecture) (both in this name)");
  });
});
