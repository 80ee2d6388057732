/**
 * A value kits cache across files (projectMemo) counts as read by every file that uses it: the
 * second list naming a source dir is served from the cache and still depends on that dir's
 * control, so that `--fix` lints it again when the control changes (DESIGN §7).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { lintProject, type LintTarget } from '../src/engine/lint.js';
import { SourceFile } from '../src/source.js';
import type { FileKind } from '../src/types.js';
import { RULES } from '../rules/index.js';

const target = (path: string, text: string, kind: FileKind): LintTarget => ({
  file: new SourceFile(path, text),
  kind,
  config: resolveConfig(undefined, path, RULES),
});

const CONTROL =
  'Source: foo\nSection: libs\nPriority: optional\nMaintainer: A <a@example.com>\nBuild-Depends: debhelper-compat (= 13)\n\n' +
  'Package: foo\nArchitecture: amd64\nDescription: foo library\n foo\n';

describe('reads recorded through cached values', () => {
  it('every list naming a dir depends on its control, the first one and those served from the cache', () => {
    const targets = [
      target('foo/debian/control', CONTROL, 'control'),
      target('debian_pkg_dirs', 'foo\n', 'pkg-dirs'),
      target('debian_pkg_dirs_rt', 'foo\n', 'pkg-dirs'),
    ];
    const [, std, rt] = lintProject(targets, RULES);
    for (const r of [std, rt]) expect(r?.dependsOn).toContain('foo/debian/control');
  });

  it('every file of a folder depends on the control of its packaging, the scope being cached per folder', () => {
    const script = 'case "$(dpkg --print-architecture)" in amd64) echo x86 ;; esac\n';
    const targets = [
      target('foo/debian/control', CONTROL, 'control'),
      target('foo/a.sh', script, 'shell'),
      target('foo/b.sh', script, 'shell'),
    ];
    const [, a, b] = lintProject(targets, RULES);
    for (const r of [a, b]) expect(r?.dependsOn).toContain('foo/debian/control');
  });
});
