/**
 * arch-in-download-url: a URL or downloaded file name that carries an arch
 * (`helm-v3.14.0-linux-amd64.tar.gz`, `foo_1.0_amd64.deb`, `node-v20-linux-x64.tar.xz`).
 * On arm64 the build fetches, checks and unpacks the amd64 binary. Go and Kubernetes name
 * their downloads with GOARCH, which equals the Debian arch name for amd64, arm64, riscv64
 * and s390x only, so the fix to `$(DEB_HOST_ARCH)` is applied only when every configured
 * arch is one of those.
 */
import {
  checkBootDownloads, checkListUrls, commentLookup, textArchLiterals, checkPuppetDownloads, checkScriptDownloadUrls, debhelperArchLiterals, debhelperFix, debhelperPackageArches, debhelperReplacement,
  ARCH_LITERAL_TEXTS, triggerByKind, triggerFrom, fixOrSuggest, goTagsMatchDebian, isArchSpecificFile, isExemptMakeLiteral, listScope, makeArchLiterals, makeCode, makeMappingFix, makeVariableFix, twinReaderNote, wordAround,
  type MakeLiteral, type Rule, type RuleContext,
} from '../src/rule-kit.js';
import { scanArchLiterals } from '../src/rule-kit.js';

/** A word that is fetched or unpacked: a URL, or a file name with an archive or package suffix. */
export const DOWNLOAD_WORD = /:\/\/|\.(?:tar\.(?:gz|xz|bz2|zst)|tgz|tbz2?|txz|zip|deb|rpm|apk|AppImage|run|bin|iso|img|qcow2|raw)\b/;

/**
 * A wheel list of the wheel build (`stable-wheels.cfg`: `name|type|url|…`). The first field is
 * the file the build must produce (`git`, `tar`, `zip`: it looks for `dist/<name>` after building,
 * and a build on arm64 makes `…_aarch64.whl`) or download (`pypi`: the URL is the x86 wheel), so
 * an arch in its platform tag (`linux_x86_64`, `manylinux_2_17_x86_64`) or in a URL is wrong on
 * the other arches. One finding per list (the arm64 twin list is one change), every wheel a
 * related place; a list whose other arches all have a `<list>_<arch>.cfg` twin is silent.
 */
function checkWheelList(ctx: RuleContext): void {
  const scope = listScope(ctx);
  const text = ctx.file.text;
  const name = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1);
  const stem = name.replace(/\.cfg$/, '');
  const wheels: { at: [number, number]; lit: string; arches: readonly string[]; wheel: string }[] = [];
  for (const m of text.matchAll(/(?<![^\r\n])[^\S\r\n]*([^#\s|][^|\r\n]*)(\|[^\r\n]*)?(?![^\r\n])/g)) {
    const fields = m[0].split('|');
    const wheel = (fields[0] as string).trim();
    // the platform tag is the last `-` part of a wheel name; a URL field names the file it fetches
    const tag = /\.whl$/.test(wheel) ? wheel.slice(wheel.lastIndexOf('-') + 1) : '';
    const tagStart = m.index + m[0].indexOf(wheel) + wheel.length - tag.length;
    let hit = scanArchLiterals(tag, tagStart).find((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu');
    if (!hit) {
      let off = m.index + (fields[0] as string).length + 1;
      for (const f of fields.slice(1)) {
        if (/:\/\//.test(f)) hit = scanArchLiterals(f.slice(f.lastIndexOf('/') + 1), off + f.lastIndexOf('/') + 1).find((l) => l.meaning === 'arch' || l.meaning === 'gnuCpu');
        if (hit) break;
        off += f.length + 1;
      }
    }
    if (!hit || isArchSpecificFile(ctx, hit.arches)) continue;
    wheels.push({ at: [hit.start, hit.end], lit: hit.text, arches: hit.arches, wheel });
  }
  for (const w of wheels) {
    const on = scope.arches.filter((a) => !w.arches.includes(a));
    if (!on.length) continue;
    const built = [...new Set(wheels.filter((x) => x.arches.join() === w.arches.join()).map((x) => x.lit))].join('/');
    const twins = on.map((a) => `${stem}_${a}.cfg`).join(', ');
    // a wheel of an arch this generic list is not otherwise for (an aarch64 wheel among x86_64 ones) belongs in its own arch's twin
    const own = ctx.architectures.filter((a) => w.arches.includes(a));
    const advice = own.length && !own.includes('amd64')
      ? `move ${w.lit} wheels to ${own.map((a) => `${stem}_${a}.cfg`).join(', ')} and list the ${on.join(', ')} wheels here (${twinReaderNote(`${stem}.cfg`, { reader: 'the wheel build' })})`
      : `list ${on.join(', ')}'s wheels in ${twins} (that arch's wheel names and pypi URLs; ${twinReaderNote(`${stem}.cfg`, { reader: 'the wheel build' })})`;
    ctx.report({
      at: w.at,
      message: `'${w.wheel}' is the ${w.lit} wheel, wrong on ${on.join(', ')} (a built wheel comes out named for the build's arch, a pypi download is ${w.lit} code): ${advice}`,
      group: `wheel-twin:${on.join()}`,
      summary: (count) => `${count} wheels of this list are ${built} builds, wrong on ${on.join(', ')} (a built wheel comes out named for the build's arch and the build looks for the listed name; a pypi download is ${built} code): ${advice}`,
    });
  }
}

/**
 * A Dockerfile that installs a prebuilt SDK for an x86-64 host: paths into the SDK's host
 * sysroot (`/opt/SDK/sysroots/x86_64-wrlinuxsdk-linux/…`) or its installer
 * (`poky-glibc-x86_64-…-toolchain-4.0.sh`). The SDK is a download built for one host arch, so
 * neither `$(uname -m)` nor TARGETARCH makes it run on arm64: the image needs that SDK's arm64
 * host build, installed by a per-arch Dockerfile twin (`<name>_arm64.Dockerfile`). One finding per
 * Dockerfile; silent when every other configured arch has its twin.
 */
function checkDockerSdk(ctx: RuleContext): void {
  const text = ctx.file.text;
  const path = ctx.file.path;
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const name = path.slice(dir.length);
  const twin = (a: string): string => (/\.Dockerfile$/i.test(name) ? name.replace(/(\.Dockerfile)$/i, `_${a}$1`) : `${name}_${a}`);
  const inComment = commentLookup(ctx);
  for (const lit of textArchLiterals(ctx)) {
    if (lit.meaning !== 'gnuCpu' && lit.meaning !== 'arch') continue;
    if (inComment(lit.start) || ctx.guards.isTest(lit.start) || ctx.guards.isGuardedFor(lit.start, lit.arches) || isArchSpecificFile(ctx, lit.arches)) continue;
    const word = wordAround(text, lit.start, lit.end);
    const before = text.slice(word.start, lit.start);
    const after = text.slice(lit.end, word.end);
    const sysroot = /(?:^|\/)sysroots\/$/.test(before) && /^-/.test(after);
    const installer = /\.sh$/.test(after) && /[-_]$/.test(before) && /^[-_]/.test(after) && /(?:sdk|toolchain)/i.test(word.text);
    if (!sysroot && !installer) continue;
    const on = ctx.architectures.filter((a) => !lit.arches.includes(a) && !ctx.project.get(dir + twin(a)));
    if (!on.length) continue;
    const twins = on.map(twin).join(', ');
    const advice = `give ${on.join(', ')} a per-arch Dockerfile twin (${twins}) that installs the SDK's ${on.join(', ')} host build (not $(uname -m) or TARGETARCH: the SDK is a prebuilt download, not built here; ${twinReaderNote(name, { reader: 'the image build' })})`;
    ctx.report({
      at: [lit.start, lit.end],
      message: `'${word.text}' is ${sysroot ? 'inside the host sysroot of' : 'the installer of'} a prebuilt ${lit.text} SDK, wrong on ${on.join(', ')}: ${advice}`,
      group: `sdk-twin:${on.join()}`,
      summary: (count) => `this image installs a prebuilt ${lit.text} SDK (${count} places name its ${lit.text} host sysroot or installer), wrong on ${on.join(', ')}: ${advice}`,
    });
  }
}

const rule: Rule = {
  id: 'arch-in-download-url',
  description: 'A download URL or file name that carries an architecture.',
  appliesTo: ['rules', 'makefile', 'debhelper', 'pkg-list', 'wheel-list', 'dockerfile', 'yaml', 'bootcfg', 'shell', 'python', 'puppet'],
  severity: 'warning',
  fixable: 'fix',
  defaultOptions: {},
  supersedes: ['hardcoded-arch'],
  // every check starts from an arch literal (Node's `x64` in make); a pinned list's URLs are read by urlArch: always
  trigger: triggerByKind(['rules', 'makefile', 'debhelper', 'pkg-list', 'wheel-list', 'dockerfile', 'yaml', 'bootcfg', 'shell', 'python', 'puppet'], triggerFrom(ARCH_LITERAL_TEXTS, 'x64'), { 'pkg-list': 'always' }),
  docs: {
    rationale:
      'Upstream binaries are published per architecture (`helm-v3.14.0-linux-amd64.tar.gz`, `pkg_1.0_amd64.deb`). ' +
      'A build that downloads or unpacks the amd64 file installs x86-64 code on arm64, or fails its checksum ' +
      'there. Go and Kubernetes tag downloads with GOARCH, which is the Debian arch name for amd64, arm64, ' +
      'riscv64 and s390x: `linux-$(DEB_HOST_ARCH)` is right for those, and only a suggestion when ' +
      '`architectures` holds others (Go says 386, arm, ppc64le). Names built on `uname -m` spellings ' +
      '(`x86_64.tar.gz`) get `$(DEB_HOST_GNU_CPU)` as a suggestion: upstreams differ (aarch64 or arm64). ' +
      '`x64` (Node.js, .NET) has no dpkg variable and is reported without a fix. In a StarlingX `.lst` list, a pinned ' +
      '`…_amd64.deb` goes into the arm64 twin list as the `…_arm64.deb` build of the same version at the same pool path ' +
      '(pool paths are per source package), only in archives that carry arm64 (never `debian-ports`) and never for a ' +
      'binNMU (`+bN` is per arch: commented out, to pin the arm64 binNMU); the twin is a suggestion that says how many ' +
      'URLs it derived (run the downloader for arm64 once to check them), and all pinned URLs of one list are one finding ' +
      'with the others as related locations. A StarlingX `meta_data.yaml` download (`dl_path:` name and URL; a `dl_files:` entry\'s ' +
      'local file name, `url` or `topdir`, read as yaml values) that names an arch needs its arch-keyed twin (`dl_files_arm64:`, ' +
      'which replaces `dl_files` on that arch, so it repeats every arch-neutral entry), described and never written (checksums ' +
      'must come from the real file): one finding per download, naming the package\'s deb_folder lines that use the same local ' +
      'names (`linux-amd64/helm`), which change with it. A twin for every other configured arch silences the generic key. ' +
      'In a wheel list of the wheel build (`stable-wheels.cfg`: `name|type|url|…`) a wheel name whose platform tag names an arch ' +
      '(`linux_x86_64`, `manylinux_2_17_x86_64`) is the file the build looks for after building (it comes out `…_aarch64` on ' +
      'arm64) or downloads (x86 code): one finding per list, suggesting a twin list per arch (`stable-wheels_arm64.cfg`). ' +
      'A Dockerfile that installs a prebuilt SDK for an x86-64 host (paths into `sysroots/x86_64-…`, an installer ' +
      '`…-x86_64-…-toolchain-….sh`) cannot be fixed with `$(uname -m)` or TARGETARCH: it needs a per-arch Dockerfile twin ' +
      '(`<name>_arm64.Dockerfile`) installing the SDK\'s arm64 host build, suggested once per Dockerfile; a Dockerfile whose ' +
      'other arches all have their twin is read on its own arch only.',
    bad: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\nHELM_VERSION = 3.14.0\n\n%:\n\tdh $@\n\noverride_dh_auto_build:\n' +
        '\ttar xzf helm-v$(HELM_VERSION)-linux-amd64.tar.gz\n',
    },
    good: {
      path: 'debian/rules',
      text:
        '#!/usr/bin/make -f\n\ninclude /usr/share/dpkg/architecture.mk\n\nHELM_VERSION = 3.14.0\n\n%:\n\tdh $@\n\n' +
        'override_dh_auto_build:\n\ttar xzf helm-v$(HELM_VERSION)-linux-$(DEB_HOST_ARCH).tar.gz\n',
    },
  },
  check(ctx) {
    if (ctx.kind === 'pkg-list') return checkListUrls(ctx);
    if (ctx.kind === 'wheel-list') return checkWheelList(ctx);
    if (ctx.kind === 'dockerfile') return checkDockerSdk(ctx);
    if (ctx.kind === 'shell' || ctx.kind === 'python') return checkScriptDownloadUrls(ctx);
    if (ctx.kind === 'puppet') return checkPuppetDownloads(ctx, (word) => DOWNLOAD_WORD.test(word));
    if (ctx.kind === 'yaml' || ctx.kind === 'bootcfg') return checkBootDownloads(ctx, (word) => DOWNLOAD_WORD.test(word));
    const text = ctx.file.text;
    // a long word holds many literals: whether it is a download name is read once per word
    const downloads = new Map<number, boolean>();
    const isDownload = (word: { start: number; text: string }): boolean => {
      let d = downloads.get(word.start);
      if (d === undefined) downloads.set(word.start, (d = DOWNLOAD_WORD.test(word.text)));
      return d;
    };
    if (ctx.kind === 'debhelper') {
      // A download name in a debhelper list (an install line for a fetched tarball): same
      // replacement as hardcoded-arch there, reported here as the more specific finding.
      const reach = debhelperPackageArches(ctx).filter((a) => ctx.architectures.includes(a));
      for (const lit of debhelperArchLiterals(ctx)) {
        if (lit.meaning !== 'arch' && lit.meaning !== 'gnuCpu') continue;
        const word = wordAround(text, lit.start, lit.end);
        const wrongOn = reach.filter((a) => lit.lineArches.includes(a) && !lit.arches.includes(a));
        if (wrongOn.length === 0 || !isDownload(word)) continue;
        const r = debhelperReplacement(ctx, lit);
        const f = debhelperFix(lit, r);
        const message = `'${word.text}' names the ${lit.text} build on ${wrongOn.join(', ')}: ${r.hint}`;
        if (f && r.safe) ctx.report({ at: [lit.start, lit.end], message, fix: f });
        else ctx.report({ at: [lit.start, lit.end], message, suggest: f ? [f] : undefined });
      }
      return;
    }
    for (const lit of makeArchLiterals(ctx)) {
      if (lit.comment || (lit.meaning !== 'arch' && lit.meaning !== 'gnuCpu')) continue;
      const word = wordAround(text, lit.start, lit.end);
      if (!isDownload(word)) continue;
      if (isExemptMakeLiteral(ctx, lit)) continue;
      const before = text.slice(word.start, lit.start);
      const after = text.slice(lit.end, word.end);
      const debStyle = lit.meaning === 'arch' && /^\.(deb|udeb|changes|buildinfo)\b/.test(after) && /_$/.test(before);
      const guarded = ctx.guards.reachAt(lit.start).guarded;
      const wrongOn = ctx.architectures.filter((a) => !lit.arches.includes(a));
      const on = wrongOn.length ? ` on ${wrongOn.join(', ')}` : '';
      if (lit.meaning === 'arch') {
        const safe = !guarded && (debStyle || goTagsMatchDebian(ctx.architectures));
        const f = makeVariableFix(ctx, `replace '${lit.text}' with $(DEB_HOST_ARCH)`, lit.start, lit.end, 'DEB_HOST_ARCH');
        const message = `'${word.text}' names the ${lit.text} build${on}: use $(DEB_HOST_ARCH)${debStyle || safe ? '' : ' (check the upstream\'s name for each arch)'}`;
        ctx.report({ at: [lit.start, lit.end], message, ...fixOrSuggest(f, safe) });
      } else if (lit.text === 'x86_64' && /(?:^|[^A-Za-z])Linux[_-]$/.test(before)) {
        // GoReleaser's default archive names title-case the OS and say x86_64 for amd64 but arm64
        // (never aarch64) for arm64: neither DEB_HOST_GNU_CPU nor DEB_HOST_ARCH spells both
        const f = makeMappingFix(ctx, `replace '${lit.text}' with $(RELEASE_ARCH), mapped per arch`, lit.start, lit.end, 'RELEASE_ARCH', { amd64: 'x86_64', arm64: 'arm64', i386: 'i386' });
        ctx.report({
          at: [lit.start, lit.end],
          message: `'${word.text}' names the ${lit.text} build${on}: a GoReleaser-style name (\`_Linux_x86_64\`) says arm64 on arm64, not aarch64: map it per arch (RELEASE_ARCH: x86_64 on amd64, arm64 on arm64), never $(DEB_HOST_GNU_CPU)`,
          ...(f ? { suggest: [f] } : {}),
        });
      } else {
        const f = makeVariableFix(ctx, `replace '${lit.text}' with $(DEB_HOST_GNU_CPU)`, lit.start, lit.end, 'DEB_HOST_GNU_CPU');
        ctx.report({
          at: [lit.start, lit.end],
          message: `'${word.text}' names the ${lit.text} build${on}: use $(DEB_HOST_GNU_CPU) if the upstream names its builds after uname -m`,
          suggest: [f],
        });
      }
    }
    // Node.js, .NET and others tag the amd64 build `x64`, which no dpkg variable spells:
    // reported without a fix (their arm64 build is `arm64`, so a per-arch mapping is needed).
    for (const span of makeCode(ctx)) {
      if (span.comment) continue;
      for (const m of text.slice(span.start, span.end).matchAll(/(?<![A-Za-z0-9])x64(?![A-Za-z0-9])/g)) {
        const start = span.start + m.index;
        const end = start + m[0].length;
        const word = wordAround(text, start, end);
        if (!isDownload(word)) continue;
        const a = span.line.assignment;
        const inName = !!a && start >= a.nameStart && end <= a.nameStart + a.name.length;
        const lit: MakeLiteral = { start, end, text: m[0], meaning: 'gnuCpu', arches: ['amd64'], line: span.line, inName, comment: false };
        if (isExemptMakeLiteral(ctx, lit)) continue;
        const wrongOn = ctx.architectures.filter((x) => x !== 'amd64');
        ctx.report({
          at: [start, end],
          message: `'${word.text}' names the x64 (amd64) build${wrongOn.length ? ` on ${wrongOn.join(', ')}` : ''}: pick the upstream's name for each arch from $(DEB_HOST_ARCH) (x64 for amd64, arm64 for arm64)`,
        });
      }
    }
  },
};

export default rule;
