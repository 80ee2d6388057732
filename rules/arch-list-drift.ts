/**
 * arch-list-drift: a twin list (`debian_pkg_dirs_arm64`, `base-bullseye_arm64.lst`) replaces its
 * generic list on that arch (DESIGN §6), so an entry the generic list gained after the twin was
 * made is silently missing there, and a version bumped in the generic `.lst` stays old. An entry
 * the twin keeps commented out, or a comment line right above a differing twin entry, is a
 * recorded decision and not drift; so is an entry the twin's arch cannot build or install
 * (archive data, curated list: the lookup arch-only-list-entry uses), whether or not the twin
 * says so. Drift is only what the twin's arch can have.
 */
import {
  checkDerived, entryParts, exclusions, listModel, listScope, scanArchLiterals, twinIsRead, twinLine,
  type Edit, type ListLine, type Range, type Rule,
} from '../src/rule-kit.js';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** An entry's name with its arch literals blanked: `linux-image-6.1-amd64` in the generic list is `linux-image-6.1-arm64` in the twin. */
function key(name: string): string {
  let out = '';
  let pos = 0;
  for (const l of scanArchLiterals(name)) {
    if (l.meaning !== 'arch' && l.meaning !== 'gnuCpu' && l.meaning !== 'triplet') continue;
    out += name.slice(pos, l.start) + '\u0000';
    pos = l.end;
  }
  return out + name.slice(pos);
}

/** How a generic line was copied into the twin: as it is, with a derived URL, or commented out with its reason. */
function addedHow(copy: string, original: string, arch: string | undefined): string {
  if (copy.startsWith('#')) return ` commented out (${copy.replace(/^.* {2}# /s, '')})`;
  if (copy !== original && arch) return ` with the ${arch} build's URL at the same pool path (derived: ${checkDerived([arch], true)})`;
  return '';
}

const rule: Rule = {
  id: 'arch-list-drift',
  description: 'A twin list that lacks entries its generic list gained, or pins an older version, with no recorded reason.',
  appliesTo: ['pkg-dirs', 'pkg-list', 'series'],
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  // a list is compared with its twins and their generic list: what it must contain is not in it
  trigger: 'always',
  docs: {
    rationale:
      'A twin list (`debian_pkg_dirs_arm64`, `debian_iso_image_arm64.inc`, `base-bullseye_arm64.lst`) replaces its generic ' +
      'list on that arch; nothing merges them. A dir or package added to the generic list later is not built or installed ' +
      'on arm64, and a version bumped in the generic `.lst` stays old in the twin, without any error. An entry the twin ' +
      'keeps commented out (`#tools/pcm  # x86-only: …`), or a comment line right above a twin entry whose version ' +
      'differs, records the decision and is silent; an entry the twin\'s arch cannot build or install (archive data and ' +
      'curated list, as `arch-only-list-entry` judges it) is not drift either. The suggestion adds the missing entry where ' +
      'the generic list has it, or takes the generic version.',
    context: [{ path: 'debian_pkg_dirs', text: 'kernel-std\nkernel-modules/qat\nuserspace/initramfs-trigger\n' }],
    bad: { path: 'debian_pkg_dirs_arm64', text: 'kernel-std\n#kernel-modules/qat  # x86-only: builds the Intel QAT kernel modules\n' },
    good: {
      path: 'debian_pkg_dirs_arm64',
      text: 'kernel-std\n#kernel-modules/qat  # x86-only: builds the Intel QAT kernel modules\nuserspace/initramfs-trigger\n',
    },
  },
  check(ctx) {
    const scope = listScope(ctx);
    // a twin nothing reads is arch-only-list-entry's (delete it), not one to keep in step
    if (!scope.own || !scope.generic || !twinIsRead(ctx.file.path)) return;
    const generic = ctx.project.get(scope.generic);
    if (!generic) return;
    const text = ctx.file.text;
    const eol = ctx.file.eol;
    const twin = listModel(ctx.file, ctx.kind);
    const gModel = listModel(generic, ctx.kind);
    const live = new Map<string, ListLine>();
    const known = new Map<string, ListLine>();
    /** Every twin line of a key, in order: a name the generic list has twice pairs up by occurrence. */
    const occurrences = new Map<string, ListLine[]>();
    for (const l of twin.lines) {
      const words = l.kind === 'entry' ? l.words : l.commented;
      const name = words?.[0]?.text;
      if (!name) continue;
      const k = key(name);
      if (l.kind === 'entry' && !live.has(k)) live.set(k, l);
      if (!known.has(k)) known.set(k, l);
      occurrences.set(k, [...(occurrences.get(k) ?? []), l]);
    }
    const genericCount = new Map<string, number>();
    for (const g of gModel.entries) {
      const parts = entryParts(g.words, ctx.kind);
      if (parts) genericCount.set(key(parts.name.text), (genericCount.get(key(parts.name.text)) ?? 0) + 1);
    }
    const seenInGeneric = new Map<string, number>();
    const fallback = twin.lines.find((l) => l.kind === 'entry') ?? twin.lines[0];
    let anchor: ListLine | undefined;
    const missing = new Map<ListLine | undefined, { name: string; line: number; copy: string; how: string; range: Range }[]>();
    for (const g of gModel.entries) {
      const parts = entryParts(g.words, ctx.kind);
      if (!parts) continue;
      const k = key(parts.name.text);
      const related = [{ path: scope.generic, range: [g.start, g.end] as const }];
      const nth = seenInGeneric.get(k) ?? 0;
      seenInGeneric.set(k, nth + 1);
      // a name listed twice (two versions) is compared with the twin's line of the same occurrence,
      // never twice with its first one (which would flip that line between the two versions)
      const repeated = (genericCount.get(k) ?? 0) > 1 && known.has(k);
      const mine = repeated ? occurrences.get(k)?.[nth] : known.get(k);
      if (repeated && !mine) continue;
      if (mine) {
        anchor = mine;
        const liveLine = repeated ? (mine.kind === 'entry' ? mine : undefined) : live.get(k);
        if (!liveLine || ctx.kind !== 'pkg-list') continue;
        const t = entryParts(liveLine.words, ctx.kind);
        if (!t?.version || !parts.version || t.version.text === parts.version.text) continue;
        const above = twin.lines[liveLine.line - 2];
        if (above?.kind === 'comment') continue;
        const edits: Edit[] = [{ range: [t.version.start, t.version.end], text: parts.version.text }];
        let how = t.url ? ' (and drop the pinned URL of the old one)' : '';
        if (parts.url) {
          // the generic list pins the new version's URL: take the line as a fresh twin would have it
          const arch = scope.arches[0];
          const copy = (arch && twinLine(ctx, generic, g, arch)) ?? generic.text.slice(g.start, g.end);
          edits.splice(0, 1, { range: [liveLine.start, liveLine.end], text: copy });
          const derived = !copy.startsWith('#') && copy !== generic.text.slice(g.start, g.end);
          how = copy.startsWith('#')
            ? ` (its pinned URL cannot be derived: ${copy.replace(/^.* {2}# /s, '')})`
            : ` and the URL it pins${derived ? `, as the ${arch} build at the same pool path (${checkDerived([arch as string], true)})` : ''}`;
        } else if (t.url) {
          const lastKept = liveLine.words[liveLine.words.indexOf(t.url) - 1];
          if (lastKept === t.version) edits.push({ range: [t.version.end, liveLine.end], text: '' });
        }
        ctx.report({
          at: [t.version.start, t.version.end],
          message: `'${t.name.text}' pins ${t.version.text} here, ${parts.version.text} in ${base(scope.generic)}: take the new version${how}, or say why above the line`,
          suggest: [{ description: `take version ${parts.version.text}${parts.url ? ' as the generic line pins it' : t.url ? ' and drop the old URL' : ''}`, edits }],
          related: [...related],
        });
        continue;
      }
      // Missing because the twin's arch cannot build or install it: a twin need not list what
      // its arch cannot have, so that is not drift (the same lookup as arch-only-list-entry).
      const arch = scope.arches[0];
      if (arch && exclusions(ctx, parts.name.text, [arch]).length) continue;
      // Missing: add it after the twin line of the previous generic entry it has.
      const copy = (arch && twinLine(ctx, generic, g, arch)) ?? generic.text.slice(g.start, g.end);
      const group = missing.get(anchor) ?? [];
      group.push({ name: parts.name.text, line: g.line, copy, how: addedHow(copy, generic.text.slice(g.start, g.end), arch), range: [g.start, g.end] });
      missing.set(anchor, group);
    }
    // One finding per place in the twin: the entries missing there go in together, in order.
    for (const [after, group] of missing) {
      const at = after ?? fallback;
      const copies = group.map((m) => m.copy).join(eol);
      let insert: Edit;
      if (!after) insert = { range: [0, 0], text: copies + eol };
      else if (after.next > after.end) insert = { range: [after.next, after.next], text: copies + eol };
      else insert = { range: [after.end, after.end], text: eol + copies };
      const where = at ? ([at.start, Math.max(at.end, Math.min(at.start + 1, text.length))] as const) : ([0, Math.min(1, text.length)] as const);
      const place = after ? 'after this entry' : 'before its first one here';
      const arches = scope.arches.join(', ');
      const [one] = group;
      ctx.report({
        at: where,
        message: group.length === 1 && one
          ? `${base(ctx.file.path)} lacks '${one.name}', which ${base(scope.generic)} lists (line ${one.line}) ${place}: add it, or add it commented out with the reason ${arches} cannot have it`
          : `${base(ctx.file.path)} lacks ${group.length} entries ${base(scope.generic)} lists ${place} (${group.map((m) => `'${m.name}', line ${m.line}`).join('; ')}): add them, or add them commented out with the reason ${arches} cannot have them`,
        suggest: [{ description: group.length === 1 && one ? `add '${one.name}'${one.how}` : `add ${group.map((m) => `'${m.name}'${m.how}`).join(', ')}`, edits: [insert] }],
        related: group.map((m) => ({ path: generic.path, range: m.range })),
      });
    }
  },
};

export default rule;
