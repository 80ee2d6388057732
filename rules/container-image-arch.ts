/**
 * container-image-arch: a container image pinned to one arch — `FROM --platform=linux/amd64`,
 * an `amd64/debian` namespace, a `pause-amd64:3.2` suffix, `docker pull --platform linux/amd64`,
 * a `kubernetes.io/arch: amd64` node selector. On arm64 the build pulls (and runs, through
 * emulation or not at all) the amd64 image. Multi-arch images (manifest lists) need no pin:
 * Docker picks the platform of the build (`TARGETARCH`, `TARGETPLATFORM`).
 */
import { ARCH_LITERAL_TEXTS, triggerFrom, checkYamlContainerImages, fix, imageArchRefs, imageSpans, inScriptComment, replace, scriptReach, type Fix, type ImageArchRef, type Rule, type RuleContext } from '../src/rule-kit.js';

function suggestionFor(ctx: RuleContext, ref: ImageArchRef): Fix | undefined {
  const text = ctx.file.text;
  const lit = ref.literal;
  switch (ref.kind) {
    case 'platform': {
      // drop the flag (and the blank after it): the build's own platform is used
      let end = ref.end;
      while (text[end] === ' ' || text[end] === '\t') end++;
      return fix(`drop '${ref.text}'`, [replace(ref.start, end, '')]);
    }
    case 'namespace':
      // amd64/debian → debian: the official image is multi-arch
      return fix(`use the multi-arch image '${ref.text.slice(lit.end - ref.start + 1)}'`, [replace(ref.start, lit.end + 1, '')]);
    case 'suffix': {
      const v = ctx.kind === 'dockerfile' ? '${TARGETARCH}' : '$(dpkg --print-architecture)';
      return lit.meaning === 'arch' ? fix(`replace '${lit.text}' with ${v}`, [replace(lit.start, lit.end, v)]) : undefined;
    }
    case 'selector':
      return undefined;
  }
}

const WHAT: Record<ImageArchRef['kind'], string> = {
  platform: 'pins the image platform',
  namespace: 'pulls the arch-specific namespace',
  suffix: 'names an arch-specific image',
  selector: 'schedules only on',
};

const rule: Rule = {
  id: 'container-image-arch',
  description: 'A container image or node selector pinned to one architecture.',
  appliesTo: ['dockerfile', 'shell', 'yaml'],
  severity: 'warning',
  fixable: 'suggest',
  defaultOptions: {},
  supersedes: ['hardcoded-arch'],
  // every pin is an arch literal in an image reference, a platform or a selector
  trigger: triggerFrom(ARCH_LITERAL_TEXTS),
  docs: {
    rationale:
      'An image reference that carries an arch (`FROM --platform=linux/amd64`, `amd64/debian:bullseye`, ' +
      '`registry.k8s.io/pause-amd64:3.2`, `docker pull --platform linux/amd64`) pulls the amd64 image on an arm64 build ' +
      'host: the build runs it under emulation or fails with `exec format error`. Multi-arch images need no pin: Docker ' +
      'picks the build\'s platform, and a per-arch name can use `${TARGETARCH}` (Dockerfile) or ' +
      '`$(dpkg --print-architecture)` (shell). A `kubernetes.io/arch: amd64` node selector (reported at info) keeps a ' +
      'workload off arm64 nodes; drop it once the image is multi-arch. Pins inside an arch test for that arch are silent.',
    bad: {
      path: 'stx-tools/Dockerfile',
      text: 'FROM --platform=linux/amd64 amd64/debian:bullseye\nRUN apt-get update\n',
    },
    good: {
      path: 'stx-tools/Dockerfile',
      text: 'FROM debian:bullseye\nARG TARGETARCH\nRUN apt-get update && echo "building for ${TARGETARCH}"\n',
    },
  },
  check(ctx) {
    if (ctx.kind === 'yaml') return checkYamlContainerImages(ctx);
    for (const span of imageSpans(ctx)) {
      for (const ref of imageArchRefs(ctx.file.text, span.start, span.end, span.images)) {
        if (inScriptComment(ctx, ref.start)) continue;
        const lit = ref.literal;
        const reach = scriptReach(ctx, lit.start);
        const wrongOn = reach.filter((a) => !lit.arches.includes(a));
        if (wrongOn.length === 0 || ctx.guards.isTest(lit.start)) continue;
        const s = suggestionFor(ctx, ref);
        const advice = ref.kind === 'selector'
          ? `drop it (or list ${ctx.architectures.join(', ')}) once the image is multi-arch`
          : ref.kind === 'platform' ? 'drop it and let the build pick its own platform' : ref.kind === 'namespace' ? 'use the multi-arch image' : `name the image per arch (${ctx.kind === 'dockerfile' ? '${TARGETARCH}' : '$(dpkg --print-architecture)'})`;
        ctx.report({
          at: [ref.start, ref.end],
          message: `'${ref.text}' ${WHAT[ref.kind]} ${lit.text}, wrong on ${wrongOn.join(', ')}: ${advice}`,
          ...(s ? { suggest: [s] } : {}),
          ...(ref.kind === 'selector' ? { severity: 'info' as const } : {}),
        });
      }
    }
  },
};

export default rule;
