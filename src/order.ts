/**
 * Sorts strings by UTF-16 code unit: the same order whatever LANG says (`localeCompare` follows
 * the locale: sv_SE puts `Ä` after `z`, en_US before `a`, and both put `a/x` before `B/x`).
 * Every order the output shows (paths, rule ids) is this one, so that it is byte-identical on
 * every machine and for every `--jobs`.
 */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
