/**
 * The source model: a file's text with its line index, BOM and line-ending facts.
 * Offsets are UTF-16 code units into `text` (the BOM is not part of `text`); lines and
 * columns given out are 1-based. Nothing is normalised: CRLF stays in `text`, the BOM is
 * remembered and written back, so every fix is byte-exact.
 *
 * A file read from bytes is decoded when its text is first asked for: most files of a tree
 * trigger no rule, and the prefilter scans their bytes (src/engine/term-scan.ts).
 */
import { isUtf8 } from 'node:buffer';

export interface Position {
  line: number;
  column: number;
}

export class SourceFile {
  private starts: number[] | undefined;
  private ending: '\n' | '\r\n' | undefined;
  private decoded: string | undefined;
  /** The UTF-8 body (without the BOM) until the text is decoded. */
  private raw: Uint8Array | undefined;
  private weight: number;

  constructor(
    /** POSIX path, relative to the working directory. */
    readonly path: string,
    text: string,
    readonly bom = false,
    /** False when the bytes were not valid UTF-8: such a file is linted, never fixed. */
    readonly validUtf8 = true,
  ) {
    this.decoded = text;
    this.weight = text.length;
  }

  /** What the file weighs in a cache, the same all its life: the characters of its text, or the bytes it was read from. */
  get size(): number {
    return this.weight;
  }

  get text(): string {
    if (this.decoded === undefined) {
      this.decoded = DECODER.decode(this.raw);
      this.raw = undefined;
    }
    return this.decoded;
  }

  /** The UTF-8 bytes of the text (without the BOM) while it is not decoded: what the prefilter scans. */
  get undecodedBytes(): Uint8Array | undefined {
    return this.raw;
  }

  /**
   * Line start offsets; lineStarts[0] = 0. Made when first asked for: most files of a tree
   * (no trigger in them) never need one.
   */
  get lineStarts(): readonly number[] {
    if (this.starts) return this.starts;
    const text = this.text;
    const starts = [0];
    let crlf = 0;
    let lf = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts.push(i + 1);
      if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
      else lf++;
    }
    this.ending = crlf > lf ? '\r\n' : '\n';
    return (this.starts = starts);
  }

  /** The line ending new lines written into this file should use. */
  get eol(): '\n' | '\r\n' {
    if (this.ending === undefined) void this.lineStarts;
    return this.ending as '\n' | '\r\n';
  }

  /**
   * A file of these bytes: strips and remembers a UTF-8 BOM, notes invalid UTF-8 (decoded with
   * U+FFFD for each invalid sequence); the text is decoded when first asked for.
   */
  static fromBytes(path: string, bytes: Uint8Array): SourceFile {
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const body = bom ? bytes.subarray(3) : bytes;
    const file = new SourceFile(path, '', bom, isUtf8(body));
    file.decoded = undefined;
    file.raw = body;
    file.weight = body.length;
    return file;
  }

  /** The bytes to write for a new text of this file (BOM restored). */
  encode(text: string): Uint8Array {
    const body = Buffer.from(text, 'utf8');
    return this.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - (starts[lo] as number) + 1 };
  }

  /** Offset of the start of a 1-based line (text length past the end). */
  lineStart(line: number): number {
    return this.lineStarts[line - 1] ?? this.text.length;
  }

  /** Offset of the end of a 1-based line, before its line ending. */
  lineEnd(line: number): number {
    const next = this.lineStarts[line];
    if (next === undefined) return this.text.length;
    let end = next - 1;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of a 1-based line without its line ending. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** Decodes UTF-8 as WHATWG says: an invalid sequence is U+FFFD, a BOM left in the body is kept. */
const DECODER = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Applies non-overlapping edits (sorted or not) to a text. */
export function applyEdits(text: string, edits: readonly { range: readonly [number, number]; text: string }[]): string {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.range[0]) + e.text;
    pos = e.range[1];
  }
  return out + text.slice(pos);
}
