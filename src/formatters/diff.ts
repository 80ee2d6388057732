import { byCodeUnit } from '../order.js';
import { unifiedPatch } from '../text-diff.js';
import type { Formatter } from './types.js';

/** The unified diff `--fix` would apply, `git apply`-able (a/ and b/ prefixes, /dev/null for new files). */
export const diff: Formatter = (report) => {
  const fixes = report.fixes;
  if (!fixes) return '';
  let out = '';
  for (const [path, after] of [...fixes.output].sort(([a], [b]) => byCodeUnit(a, b))) {
    const before = fixes.original.get(path);
    // the texts exclude the BOM, but git compares bytes: a hunk touching line 1 of a BOM file
    // only applies when its context carries the BOM too
    const bom = after.bom ? '\uFEFF' : '';
    const body = unifiedPatch(
      before === undefined ? '/dev/null' : `a/${path}`,
      `b/${path}`,
      before === undefined ? '' : bom + before,
      bom + after.text,
    );
    out += `diff --git a/${path} b/${path}\n${before === undefined ? 'new file mode 100644\n' : ''}${body}`;
  }
  return out;
};
