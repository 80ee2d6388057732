/** Kept apart from the writer so that discovery can skip these names without loading it. */
/**
 * The names of the writer's temp and backup files: `.<name>.debarch-lint-<pid>-<n>.tmp`, the
 * name cut to 64 characters. Group 1 is the pid of the process that made it.
 */
export const FIX_TEMP_PATTERN = /^\..*\.debarch-lint-(\d+)-\d+\.tmp$/s;

/** True for a name (not a path) the writer makes for its temp and backup files. */
export function isFixTemp(name: string): boolean {
  return FIX_TEMP_PATTERN.test(name);
}
