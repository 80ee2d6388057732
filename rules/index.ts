/**
 * The rule registry: explicit and sorted by id. A rule is one file, named after its id.
 */
import type { AnyRule } from '../src/types.js';
import archInDownloadUrl from './arch-in-download-url.js';
import buildArchForHost from './build-arch-for-host.js';
import hardcodedArch from './hardcoded-arch.js';
import invalidDirective from './invalid-directive.js';
import unusedDirective from './unused-directive.js';
import x86CompilerFlag from './x86-compiler-flag.js';

export const RULES: readonly AnyRule[] = [
  archInDownloadUrl,
  buildArchForHost,
  hardcodedArch,
  invalidDirective,
  unusedDirective,
  x86CompilerFlag,
];
