/**
 * REFERENCE ONLY: the line walker the patch, deb822 and debhelper lexers used before they cut
 * their lines in a loop of their own (main 7a0fa58); the reference lexers read it.
 */
/** A physical line: [start, end) without its ending, `next` past the ending. */
export interface PhysicalLine {
  start: number;
  end: number;
  next: number;
}

/** The physical lines of a text (LF or CRLF endings; the last may have none). */
export function* physicalLines(text: string): Generator<PhysicalLine> {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const next = nl < 0 ? text.length : nl + 1;
    let end = nl < 0 ? text.length : nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    yield { start, end, next };
    start = next;
  }
}
