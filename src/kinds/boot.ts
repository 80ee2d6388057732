/**
 * The kinds of a platform's image and boot side: `yaml` (meta_data.yaml, LAT image yaml, helm
 * values, ansible vars, `*.yaml.j2`), `bootcfg` (grub.cfg, syslinux/isolinux/pxelinux configs,
 * libvirt XML) and `patch` (a unified diff whose hunks are linted as the kind of their target).
 */
import type { ArchName } from '../arch.js';
import { GuardMap } from '../guards.js';
import type { Token } from '../lexers/token.js';
import { parseBootcfg } from '../models/bootcfg.js';
import { imageLineAt, newRangeOf, parsePatch, type HunkImage } from '../models/patch.js';
import { parseYaml, type YamlModel } from '../models/yaml.js';
import type { FileKind } from '../types.js';
import type { EmbeddedText, KindSupport, ParsedFile } from './index.js';
import { lineBounds } from './lines.js';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const dirs = (p: string): string[] => p.split('/').slice(0, -1);

/** `*.yaml`, `*.yml`, and Jinja templates of them (`foo.yaml.j2`, `values.yml.j2`). */
export const isYamlPath = (p: string): boolean => /\.ya?ml(?:\.j2|\.jinja2?)?$/i.test(base(p));

const BOOT_DIR = /^(?:pxe.*|pxelinux\.cfg|pxeboot|iso|isolinux|syslinux|extlinux|grub2?|efi|EFI|boot)$/;
const KICKSTART = /(^|\/)kickstarts?(\/|$)|(^|[_.-])ks\.cfg$/;

/**
 * grub.cfg and its StarlingX variants (`pxe-grub.cfg`, `grub-runtime.cfg`, `grub.cfg.stx`),
 * isolinux/syslinux/pxelinux configs, any `*.cfg` in a pxe/iso/boot folder and files in
 * `pxelinux.cfg/`; libvirt domain XML (`*.xml` in a libvirt/virt folder or named for a domain).
 * Kickstarts (`%pre`/`%post` shell) are not boot configs.
 */
export function isBootcfgPath(p: string): boolean {
  const b = base(p);
  if (KICKSTART.test(p)) return false;
  if (/^(?:[\w.-]*[-_.])?grub(?:[-_.][\w.-]*)?\.cfg(?:\.[\w-]+)?$/.test(b)) return true;
  if (/^(?:isolinux|syslinux|extlinux|pxelinux)\.cfg$/.test(b)) return true;
  // the folders matter only for a `.cfg`, an `.xml` or a file in a `pxelinux.cfg/` (classify runs on every file)
  if (!p.includes('pxelinux.cfg/') && !/\.(?:cfg|xml)$/i.test(b)) return false;
  const d = dirs(p);
  if (d[d.length - 1] === 'pxelinux.cfg') return true;
  if (/\.cfg$/.test(b) && d.some((x) => BOOT_DIR.test(x))) return true;
  if (/\.xml$/i.test(b) && (d.some((x) => /(?:^|[-_])(?:libvirt|virt|vm|kvm|qemu)(?:$|[-_])/.test(x)) || /(?:domain|libvirt|vm|guest)/i.test(b))) return true;
  return false;
}


/** A file's tokens as a lines-only ParsedFile: comments, guards, statements are lines. */
function lineParsed(kind: FileKind, text: string, guards: GuardMap, comments: Token[], trailingOk: boolean): ParsedFile {
  return {
    kind,
    guards,
    comments,
    problems: [],
    disableLineProblem(comment: Token): string | undefined {
      const [s] = lineBounds(text, comment.offset);
      if (!text.slice(s, comment.offset).trim()) return 'there is nothing on this line to disable; use `disable-next-line`';
      return trailingOk ? undefined : 'a trailing comment here is part of the data; use `disable-next-line` on the line above';
    },
    statementAt: (offset: number) => lineBounds(text, offset),
  };
}

/**
 * A Linux kernel config as `make *config` writes it (`# Linux/x86 6.6.0 Kernel Configuration` in
 * its header, or `CONFIG_…=` / `# CONFIG_… is not set` lines from the start), told by its first bytes: read so that the rules can see which arch a committed
 * config is for (boot kit `kernelConfigCopies`). Every `#` line is a comment.
 */
export const KCONFIG_HEADER = /^(?:#[^\n]*\n){0,4}# Linux\/[\w-]+ [^\n]*Kernel Configuration\s*$/m;

export const KCONFIG_KIND: KindSupport = {
  kind: 'kconfig',
  matches: () => false,
  // a header, or kconfig lines from the start (a config saved without make's header)
  sniff: (head) => KCONFIG_HEADER.test(head) || (head.match(/^(?:CONFIG_\w+=\S+|# CONFIG_\w+ is not set)$/gm)?.length ?? 0) >= 3,
  parse(text, arches) {
    const comments: Token[] = [];
    for (const m of text.matchAll(/^#[^\r\n]*/gm)) comments.push({ type: 'comment', text: m[0], offset: m.index });
    return lineParsed('kconfig', text, new GuardMap(arches), comments, false);
  },
};

/** The model each parse of a yaml file made, by its guards (a new GuardMap per parse, so per text). */
const yamlModels = new WeakMap<GuardMap, YamlModel>();

/**
 * The YAML model the engine parsed for the file whose guards these are (the kits read it rather
 * than parse the text again). Its `guards` are the engine's, with the file's scopes added: a kit
 * reads `ctx.guards`, never the model's.
 */
export function yamlModelOf(guards: GuardMap): YamlModel | undefined {
  return yamlModels.get(guards);
}

export const YAML_KIND: KindSupport = {
  kind: 'yaml',
  matches: isYamlPath,
  parse(text: string, architectures: readonly ArchName[]): ParsedFile {
    const yaml = parseYaml(text, architectures);
    yamlModels.set(yaml.guards, yaml);
    return lineParsed('yaml', text, yaml.guards, yaml.comments, true);
  },
};

export const BOOTCFG_KIND: KindSupport = {
  kind: 'bootcfg',
  matches: isBootcfgPath,
  parse(text: string, architectures: readonly ArchName[]): ParsedFile {
    const m = parseBootcfg(text, architectures);
    // syslinux reads a `#` after a keyword as part of the APPEND line; GRUB and XML do not.
    return lineParsed('bootcfg', text, m.guards, m.comments, m.xml || /\bmenuentry\b/.test(text));
  },
};

/**
 * An edit of a hunk's post-image as an edit of the patch: it may change `+` lines (a line it
 * adds becomes a `+` line) and insert whole lines right after one; context lines stay as they
 * are. `lines` is how many lines the hunk gains.
 */
function mapHunkEdit(h: HunkImage, start: number, end: number, newText: string): { range: [number, number]; text: string; lines: number } | undefined {
  const first = imageLineAt(h, start);
  if (!first || end < start) return undefined;
  const count = (t: string): number => (t.match(/\n/g) ?? []).length;
  const lines = count(newText) - count(h.text.slice(start, end));
  const atLineStart = start === first.virtual;
  if (start === end && atLineStart) {
    // Whole lines inserted right after a `+` line extend that change, each one a `+` line.
    // Anywhere else they would add to the patched file what the patch does not show (an include).
    const before = h.lines[h.lines.indexOf(first) - 1];
    if (!before?.added || !newText.endsWith('\n')) return undefined;
    return { range: [first.start, first.start], text: `+${newText.slice(0, -1).split('\n').join('\n+')}\n`, lines };
  }
  const endsAtLineStart = end > start && (end === h.text.length || h.lines.some((l) => l.virtual === end));
  const touched = h.lines.filter((l) => l === first || (l.virtual > first.virtual && l.virtual < end));
  if (touched.some((l) => !l.added)) return undefined;
  const last = touched[touched.length - 1] as HunkImage['lines'][number];
  const hostStart = atLineStart ? first.start : first.host + (start - first.virtual);
  const hostEnd = endsAtLineStart ? last.host + last.length : last.host + (end - last.virtual);
  let body = newText;
  let trailing = '';
  const eol = endsAtLineStart ? /\r?\n$/.exec(body) : null;
  if (eol) {
    body = body.slice(0, -eol[0].length);
    trailing = eol[0];
  }
  let mapped = body.split('\n').join('\n+') + trailing;
  if (atLineStart && newText !== '') mapped = `+${mapped}`;
  return { range: [hostStart, hostEnd], text: mapped, lines };
}

/**
 * `classify` is passed in by the registry (it needs the registry itself): a hunk is linted as
 * the kind its target path has.
 */
export function patchKind(classify: (path: string) => KindSupport | undefined): KindSupport {
  return {
    kind: 'patch',
    matches: (p) => /\.(?:patch|diff)$/.test(base(p)),
    parse(text: string, architectures: readonly ArchName[]): ParsedFile {
      const model = parsePatch(text);
      const embedded: EmbeddedText[] = [];
      for (const h of model.hunks) {
        const support = classify(h.target);
        if (!support || support.kind === 'patch') continue;
        embedded.push({
          target: h.target,
          kind: support.kind,
          text: h.text,
          toHost(start: number, end: number): [number, number] | undefined {
            const l = imageLineAt(h, start);
            if (!l || !l.added) return undefined;
            const body = h.text.slice(l.virtual, l.virtual + l.length).replace(/\r?\n$/, '');
            if (end > l.virtual + body.length || start < l.virtual) return undefined;
            return [l.host + (start - l.virtual), l.host + (end - l.virtual)];
          },
          mapEdit: (start, end, newText) => mapHunkEdit(h, start, end, newText),
          lineCountEdits(lines: number) {
            const edits: { range: [number, number]; text: string }[] = [];
            const own = newRangeOf(h.header, text);
            if (!own) return [];
            edits.push({ range: [own.start, own.end], text: `${own.newStart},${own.newCount + lines}` });
            for (const later of h.later) {
              const r = newRangeOf(later.header, text);
              if (r) edits.push({ range: [r.start, r.countStart], text: String(r.newStart + lines) });
            }
            return edits;
          },
        });
      }
      return {
        kind: 'patch',
        guards: new GuardMap(architectures),
        comments: [],
        problems: model.problems,
        embedded,
        disableLineProblem: () => 'a directive in a patch goes on a line of the patched file (a `+` line), in that file\'s comment syntax',
        statementAt: (offset: number) => lineBounds(text, offset),
      };
    },
  };
}
