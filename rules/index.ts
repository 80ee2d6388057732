/**
 * The rule registry: explicit and sorted by id. A rule is one file, named after its id.
 */
import type { AnyRule } from '../src/types.js';
import ambiguousArchMatch from './ambiguous-arch-match.js';
import archConditionalIncomplete from './arch-conditional-incomplete.js';
import archInDownloadUrl from './arch-in-download-url.js';
import archListDrift from './arch-list-drift.js';
import archOnlyDependency from './arch-only-dependency.js';
import archOnlyListEntry from './arch-only-list-entry.js';
import buildArchForHost from './build-arch-for-host.js';
import containerImageArch from './container-image-arch.js';
import controlArchitecture from './control-architecture.js';
import foreignArchDependency from './foreign-arch-dependency.js';
import hardcodedArch from './hardcoded-arch.js';
import invalidDirective from './invalid-directive.js';
import legacyBiosBoot from './legacy-bios-boot.js';
import twinUnawareReader from './twin-unaware-reader.js';
import unusedDirective from './unused-directive.js';
import x86CompilerFlag from './x86-compiler-flag.js';
import x86EfiBinary from './x86-efi-binary.js';
import x86KernelImage from './x86-kernel-image.js';
import x86MachineConfig from './x86-machine-config.js';

export const RULES: readonly AnyRule[] = [
  ambiguousArchMatch,
  archConditionalIncomplete,
  archInDownloadUrl,
  archListDrift,
  archOnlyDependency,
  archOnlyListEntry,
  buildArchForHost,
  containerImageArch,
  controlArchitecture,
  foreignArchDependency,
  hardcodedArch,
  invalidDirective,
  legacyBiosBoot,
  twinUnawareReader,
  unusedDirective,
  x86CompilerFlag,
  x86EfiBinary,
  x86KernelImage,
  x86MachineConfig,
];
