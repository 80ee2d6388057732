/**
 * The deb822 model (deb822(5)): paragraphs of fields, each field with its continuation lines.
 * Comment lines (`#` in column 1, debian/control only) are not part of any value, but a field
 * goes on after one when a continuation line follows, as dpkg reads it. Offsets are into the
 * file's text, so edits keep every other byte.
 */
import { lexDeb822Lines, type Deb822Line } from '../lexers/deb822.js';
import type { Token } from '../lexers/token.js';

export interface Deb822Field {
  name: string;
  /** The name in lower case: field names are case-insensitive. */
  key: string;
  /** Offset of the field name. */
  start: number;
  /** Offset just past the `:`. */
  valueStart: number;
  /** Offset just past the last value character (before the last line's line ending). */
  end: number;
  /** The field line, its continuation lines and comment lines between them. */
  lines: Deb822Line[];
}

export interface Deb822Paragraph {
  start: number;
  end: number;
  fields: Deb822Field[];
  /** The field named `name` (case-insensitive), if present. */
  get(name: string): Deb822Field | undefined;
}

export interface Deb822Document {
  lines: Deb822Line[];
  paragraphs: Deb822Paragraph[];
  comments: Token[];
  problems: { offset: number; message: string }[];
}

function paragraph(fields: Deb822Field[]): Deb822Paragraph {
  const first = fields[0] as Deb822Field;
  const last = fields[fields.length - 1] as Deb822Field;
  return {
    start: first.start,
    end: last.end,
    fields,
    get: (name) => {
      const key = name.toLowerCase();
      return fields.find((f) => f.key === key);
    },
  };
}

/** Reads deb822 text. Never throws; lines it cannot read are listed in `problems`. */
export function parseDeb822(text: string, detailed = true): Deb822Document {
  const lines = lexDeb822Lines(text, detailed);
  const paragraphs: Deb822Paragraph[] = [];
  const comments: Token[] = [];
  const problems: Deb822Document['problems'] = [];
  let fields: Deb822Field[] = [];
  let field: Deb822Field | undefined;
  let pendingComments: Deb822Line[] = [];
  const close = (): void => {
    if (fields.length) paragraphs.push(paragraph(fields));
    fields = [];
    field = undefined;
    pendingComments = [];
  };
  for (const line of lines) {
    switch (line.kind) {
      case 'comment':
        comments.push(line.tokens[0] as Token);
        pendingComments.push(line);
        break;
      case 'blank':
        close();
        break;
      case 'field':
        field = {
          name: line.name as string,
          key: (line.name as string).toLowerCase(),
          start: line.start,
          valueStart: line.valueStart as number,
          end: line.end,
          lines: [line],
        };
        fields.push(field);
        pendingComments = [];
        break;
      case 'continuation':
        if (!field) {
          problems.push({ offset: line.start, message: 'a continuation line with no field above it' });
          break;
        }
        field.lines.push(...pendingComments, line);
        field.end = line.end;
        pendingComments = [];
        break;
      case 'error':
        problems.push({ offset: line.start, message: 'a line that is neither `Field: value`, a continuation, a comment nor blank' });
        field = undefined;
        break;
    }
  }
  close();
  return { lines, paragraphs, comments, problems };
}

/**
 * The field's value text from `valueStart` to `end`, with comment lines blanked out (same
 * length, line endings kept), so offsets into it plus `valueStart` are file offsets.
 */
export function maskedValue(text: string, field: Deb822Field): string {
  let out = '';
  let pos = field.valueStart;
  for (const l of field.lines) {
    if (l.kind !== 'comment') continue;
    out += text.slice(pos, l.start) + ' '.repeat(l.end - l.start);
    pos = l.end;
  }
  return out + text.slice(pos, field.end);
}

/** The value as dpkg sees it: lines joined, comment lines dropped, blanks squeezed. */
export function fieldValue(text: string, field: Deb822Field): string {
  return maskedValue(text, field).replace(/\s+/g, ' ').trim();
}
