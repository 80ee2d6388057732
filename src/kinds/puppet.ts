/**
 * The `puppet` kind (DESIGN §3): manifests (`*.pp`) and their ERB/EPP templates (`*.erb`,
 * `*.epp`). Guards come from src/puppet-guards.ts; a trailing `#` comment after manifest code
 * (or inside a template tag) may carry `disable-line`, but in template text a `#` is output.
 */
import type { ArchName } from '../arch.js';
import { GuardMap } from '../guards.js';
import type { Token } from '../lexers/token.js';
import { parsePuppet, type PuppetModel } from '../puppet-guards.js';
import type { KindSupport, ParsedFile } from './index.js';
import { lineBounds } from './lines.js';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

// keyed by the GuardMap, which a rule sees as ctx.guards and which is made once per parse
const models = new WeakMap<GuardMap, PuppetModel>();

/** The Puppet model behind a parsed manifest or template. */
export function puppetModelOf(guards: GuardMap): PuppetModel | undefined {
  return models.get(guards);
}

export function parsePuppetFile(text: string, architectures: readonly ArchName[], flavour: 'manifest' | 'erb' | 'epp'): ParsedFile {
  const model = parsePuppet(text, flavour);
  const guards = new GuardMap(architectures);
  for (const r of model.regions) guards.addRegion(r);
  for (const [s, e] of model.tests) guards.addTest(s, e);
  models.set(guards, model);
  return {
    kind: 'puppet',
    guards,
    comments: model.comments,
    problems: [],
    disableLineProblem(comment: Token): string | undefined {
      const [s] = lineBounds(text, comment.offset);
      if (!text.slice(s, comment.offset).trim()) return 'there is nothing on this line to disable; use `disable-next-line`';
      if (comment.type === 'textComment') return 'in template text a `#` is part of the output; use `<%# debarch-lint disable-next-line … %>` on the line above';
      return undefined;
    },
    statementAt: (offset: number) => lineBounds(text, offset),
  };
}

/** A manifest, unless the name says template; `foo.conf.erb` is ERB, `foo.epp` is EPP. */
const flavourOf = (path: string): 'manifest' | 'erb' | 'epp' => (/\.erb$/.test(path) ? 'erb' : /\.epp$/.test(path) ? 'epp' : 'manifest');

export const PUPPET_KIND: KindSupport = {
  kind: 'puppet',
  matches: (p) => /\.(?:pp|erb|epp)$/.test(base(p)),
  parse: (text, arches, path) => parsePuppetFile(text, arches, flavourOf(path ?? '')),
};
