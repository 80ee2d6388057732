/**
 * The debian/control model (deb-src-control(5)): the source paragraph, the binary paragraphs
 * with the arches each is built for, the relation fields parsed, and the debhelper compat level
 * from `debhelper-compat (= N)`.
 */
import { ARCH_NAMES, archesMatching, type ArchName } from '../arch.js';
import { parseDeb822, type Deb822Document, type Deb822Field, type Deb822Paragraph } from './deb822.js';
import { parseRelations, RELATION_FIELDS, type Relation } from './relations.js';

export interface ControlRelationField {
  field: Deb822Field;
  relations: Relation[];
}

export interface ControlParagraph {
  paragraph: Deb822Paragraph;
  /** `source` for the first paragraph when it has `Source:`, else `binary`. */
  type: 'source' | 'binary';
  /** `Package:` (binary) or `Source:` (source) value. */
  name: string | undefined;
  /** The `Architecture:` words, if the field is present. */
  architecture: string[] | undefined;
  /**
   * The known arches this paragraph's relations apply on: a binary's `Architecture:` (`all`
   * and absent: every arch); for the source paragraph every arch.
   */
  arches: ArchName[];
  /** Relation fields by lower-case name. */
  relations: Map<string, ControlRelationField>;
}

export interface ControlModel {
  doc: Deb822Document;
  paragraphs: ControlParagraph[];
  source: ControlParagraph | undefined;
  binaries: ControlParagraph[];
  /** N of `debhelper-compat (= N)` in Build-Depends, if any. */
  debhelperCompat: number | undefined;
  /** The binary paragraph of a package name. */
  binary(name: string): ControlParagraph | undefined;
}

const words = (text: string, f: Deb822Field | undefined): string[] | undefined =>
  f ? text.slice(f.valueStart, f.end).replace(/^#.*$/gm, '').trim().split(/\s+/).filter(Boolean) : undefined;

export function parseControl(text: string): ControlModel {
  const doc = parseDeb822(text);
  const paragraphs: ControlParagraph[] = doc.paragraphs.map((p, i) => {
    const type = i === 0 && p.get('Source') ? 'source' : 'binary';
    const architecture = words(text, p.get('Architecture'));
    let arches: ArchName[] = [...ARCH_NAMES];
    if (type === 'binary' && architecture && !architecture.includes('all')) {
      arches = archesMatching(architecture.map((a) => ({ arch: a, negated: false })));
    }
    const relations = new Map<string, ControlRelationField>();
    for (const f of p.fields) if (RELATION_FIELDS.includes(f.key)) relations.set(f.key, { field: f, relations: parseRelations(text, f) });
    return { paragraph: p, type, name: words(text, p.get(type === 'source' ? 'Source' : 'Package'))?.[0], architecture, arches, relations };
  });
  const source = paragraphs.find((p) => p.type === 'source');
  let debhelperCompat: number | undefined;
  for (const r of source?.relations.get('build-depends')?.relations ?? []) {
    const alt = r.alternatives[0];
    if (alt?.name.text === 'debhelper-compat' && alt.version) {
      const m = /=\s*(\d+)/.exec(alt.version.text);
      if (m) debhelperCompat = Number(m[1]);
    }
  }
  const binaries = paragraphs.filter((p) => p.type === 'binary');
  return {
    doc,
    paragraphs,
    source,
    binaries,
    debhelperCompat,
    binary: (name) => binaries.find((b) => b.name === name),
  };
}

/** The controls parsed last, by path, with the text each was parsed from. */
const recentModels = new Map<string, { text: string; model: ControlModel }>();
const RECENT_MODELS = 256;

/**
 * `parseControl(text)` of the file at `path`, once for the engine's parse and the kits that read
 * it as a neighbour (every file of a package asks for its control): the model of the last text
 * parsed at that path while it is the same text. Models are read, never changed.
 */
export function controlModel(path: string, text: string): ControlModel {
  const recent = recentModels.get(path);
  const model = recent && recent.text === text ? recent.model : parseControl(text);
  recentModels.delete(path);
  recentModels.set(path, { text, model });
  if (recentModels.size > RECENT_MODELS) recentModels.delete(recentModels.keys().next().value as string);
  return model;
}
