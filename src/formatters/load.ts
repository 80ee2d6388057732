/**
 * The formatters by `--format` name, each imported when asked for: a run loads only the one it
 * prints with (checkstyle and junit bring an XML builder, diff brings the diff library, stylish
 * brings chalk). `FORMATTERS` in ./index.ts is the eager table for library users.
 */
import type { Formatter } from './types.js';

const LOADERS = {
  stylish: async () => (await import('./stylish.js')).stylish,
  gcc: async () => (await import('./gcc.js')).gcc,
  json: async () => (await import('./json.js')).json,
  diff: async () => (await import('./diff.js')).diff,
  sarif: async () => (await import('./sarif.js')).sarif,
  checkstyle: async () => (await import('./checkstyle.js')).checkstyle,
  junit: async () => (await import('./junit.js')).junit,
  zuul: async () => (await import('./zuul.js')).zuul,
  gerrit: async () => (await import('./gerrit.js')).gerrit,
  markdown: async () => (await import('./markdown.js')).markdown,
} satisfies Record<string, () => Promise<Formatter>>;

export type FormatName = keyof typeof LOADERS;
export const FORMAT_NAMES = Object.keys(LOADERS) as FormatName[];
/** Formats whose output carries file problems and crashes themselves. */
export const SELF_CONTAINED: ReadonlySet<string> = new Set(['json', 'sarif']);
/** Formats whose paths are relative to the repository top (the CLI finds it with git). */
export const REPO_RELATIVE: ReadonlySet<string> = new Set(['sarif', 'zuul', 'gerrit']);

/** The formatter called `name` (one of FORMAT_NAMES). */
export function loadFormatter(name: string): Promise<Formatter> {
  if (!Object.hasOwn(LOADERS, name)) return Promise.reject(new Error(`unknown format '${name}'; valid formats: ${FORMAT_NAMES.join(', ')}`));
  return LOADERS[name as FormatName]();
}

/** A format that prints each file's findings as soon as that file is linted, and the rest at the end. */
export interface StreamedFormat {
  file(r: import('../engine/lint.js').FileResult, o: import('./types.js').FormatOptions): string;
  end(report: import('./types.js').LintReport, o: import('./types.js').FormatOptions): string;
}

/** The streamed form of gcc and stylish (what they print is exactly what the whole-report formatter prints), else undefined. */
export async function loadStreamed(name: string): Promise<StreamedFormat | undefined> {
  if (name === 'gcc') {
    const { gccFile } = await import('./gcc.js');
    return { file: gccFile, end: () => '' };
  }
  if (name === 'stylish') {
    const { stylishFile, stylishSummary } = await import('./stylish.js');
    return { file: stylishFile, end: stylishSummary };
  }
  return undefined;
}
