/**
 * The trigger table the bundle embeds (see trigger-memo.ts): scripts/bundle.ts replaces this
 * module's text in the bundle with the table it generated from the same sources. tsc's output (what
 * the tests and custom rule lists run) has none and analyses every regex at run time.
 */
export const PREBUILT_TRIGGER_TABLE: string | undefined = undefined;
