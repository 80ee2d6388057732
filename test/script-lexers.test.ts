/**
 * The shell, python and Dockerfile lexers keep every byte and never throw, on realistic and
 * on random input; their guards follow the reaching-set semantics of DESIGN §2.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArchName } from '../src/arch.js';
import { classify, classifyByContent, mightSniff } from '../src/kinds/index.js';
import { parseDockerfile, parsePythonFile, parseShellFile } from '../src/kinds/scripts.js';
import { lexDockerfile, tokenizeDockerfile } from '../src/lexers/dockerfile.js';
import { tokenizePython } from '../src/lexers/python.js';
import { tokenizeShell } from '../src/lexers/shell.js';
import { coversExactly, type Token } from '../src/lexers/token.js';

const SHELL = [
  '#!/bin/bash\n',
  '# a comment with amd64\n',
  'set -euo pipefail\n',
  'ARCH=$(uname -m)\nDEB=`dpkg --print-architecture`\n',
  'echo "host: ${ARCH:-x86_64} $(echo "nested $(date)") `id -u`" \'single $x\' $\'ansi\\n\'\n',
  'case "$ARCH" in\n  x86_64|amd64) echo x ;;\n  aarch64) echo a ;;\n  *) exit 1 ;;\nesac\n',
  'if [ "$(uname -m)" = aarch64 ]; then\n  echo arm # trailing\nelif [[ $ARCH == x86* ]]\nthen :\nfi\n',
  'cat <<EOF > /etc/x.conf\narch=amd64\n# not a comment\nEOF\n',
  'cat <<-\'END\'\n\tliteral $x\n\tEND\necho after\n',
  'cat <<A <<"B"\na\nA\nb\nB\n',
  'x=a#b; y=$((1 + (2 * 3)))\n',
  'f() { local v="${1%%.*}"; }\n',
  '%post --interpreter=/bin/bash\necho kickstart\n%end\n',
  'unterminated "string\n',
];

const PYTHON = [
  '#!/usr/bin/python3\n',
  '"""Module docstring naming x86_64."""\n',
  'import platform, os, subprocess\n',
  "ARCH_MAP = {'x86_64': 'amd64', 'aarch64': 'arm64'}\n",
  "s = f'{x!r:>10} {{literal}}' + rb'\\x00' + u\"\\\"q\\\"\"\n",
  "t = '''multi\nline ''' + \"\"\"also\n\"\"\"\n",
  'if platform.machine() == "x86_64":  # comment\n    url = "amd64"\nelif arch in (\'aarch64\', \'arm64\'):\n    pass\nelse:\n    raise SystemExit(1)\n',
  'x = [1,\n     2]  \\\n    + [3]\n',
  "bad = 'unterminated\n",
  'tail = """never closed\n',
];

const DOCKER = [
  '# syntax=docker/dockerfile:1\n',
  'ARG TARGETARCH\n',
  'FROM --platform=linux/amd64 amd64/debian:bullseye AS build\n',
  'RUN apt-get update && \\\n    # a comment inside\n    apt-get install -y curl \\\n\n    && rm -rf /var/lib/apt/lists/*\n',
  'RUN case "$TARGETARCH" in amd64) echo x ;; arm64) echo a ;; esac\n',
  'ENV A="quoted # not a comment" B=\'x\'\n',
  'COPY --from=build /out /out\n',
  'CMD ["bash", "-c", "echo hi"]\n',
  'RUN echo unterminated \\',
];

const pieces = fc.constantFrom(
  '$', '(', ')', '{', '}', '#', '\\', '\n', '\r\n', '\t', ' ', '"', "'", '`', '<<', '<<-', 'EOF', ';;', '|', '&&', '=', '%',
  '"""', "'''", 'f"', 'rb\'', ':', 'if', 'elif', 'else', 'case', 'esac', 'in', 'fi', 'RUN', 'FROM', '--platform=', 'amd64', 'x86_64', 'a', '0', 'é',
);

describe.each([
  ['shell', tokenizeShell, SHELL],
  ['python', tokenizePython, PYTHON],
  ['dockerfile', tokenizeDockerfile, DOCKER],
] as [string, (t: string) => Token[], string[]][])('%s lexer', (_name, tokenize, sample) => {
  it('round-trips a realistic file byte for byte', () => {
    const text = sample.join('');
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    expect(coversExactly(tokens, text)).toBe(true);
  });
  it('round-trips random script-like input', () => {
    fc.assert(fc.property(fc.array(pieces, { maxLength: 200 }), (parts) => coversExactly(tokenize(parts.join('')), parts.join(''))), { numRuns: 500 });
  });
  it('round-trips arbitrary unicode input and never throws', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => coversExactly(tokenize(text), text)), { numRuns: 500 });
  });
});

describe('shell tokens', () => {
  it('cuts a here-document body as one token and reads code after it', () => {
    const toks = tokenizeShell('cat <<EOF\n# x\namd64\nEOF\necho done # c\n');
    expect(toks.find((t) => t.type === 'heredoc')?.text).toBe('# x\namd64\nEOF');
    expect(toks.filter((t) => t.type === 'comment').map((t) => t.text)).toEqual(['# c']);
  });
  it('reads # as a comment only at a word start', () => {
    expect(tokenizeShell('a#b ${x#y} "#" # c\n').filter((t) => t.type === 'comment').map((t) => t.text)).toEqual(['# c']);
  });
});

describe('dockerfile instructions', () => {
  it('joins continuation lines, skips inner comments, reads flags', () => {
    const { instructions, tokens } = lexDockerfile(DOCKER.join(''));
    expect(instructions.map((i) => i.keyword)).toEqual(['ARG', 'FROM', 'RUN', 'RUN', 'ENV', 'COPY', 'CMD', 'RUN']);
    expect(tokens.filter((t) => t.type === 'comment').map((t) => t.text.trim())).toEqual(['# syntax=docker/dockerfile:1', '# a comment inside']);
    expect(tokens.find((t) => t.type === 'flag')?.text).toBe('--platform=linux/amd64');
  });
});

const ARCHES: ArchName[] = ['amd64', 'arm64'];
const reach = (parse: typeof parseShellFile, text: string, marker: string): string[] => {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(marker);
  return parse(text, ARCHES).guards.reachAt(at).configured;
};

describe('shell file guards', () => {
  it.each([
    ['case "$(uname -m)" in\n  x86_64)\n    MARK\n    ;;\n  aarch64)\n    y\n    ;;\nesac\n', ['amd64']],
    ['if [ "$(uname -m)" = aarch64 ]\nthen\n  if [ -f x ]; then\n    MARK\n  fi\nelse\n  y\nfi\n', ['arm64']],
    ['if [ "$(uname -m)" = aarch64 ]; then\n  a\nelse\n  if true; then b; fi\n  MARK\nfi\n', ['amd64']],
    ['ARCH=$(dpkg --print-architecture)\nif [ "$ARCH" = "amd64" ] || [ "$ARCH" = "i386" ]; then\n  MARK\nfi\n', ['amd64']],
    ['case $(uname -m) in x86_64) A=amd64 ;; aarch64) A=arm64 ;; esac\nif [ "$A" = arm64 ]; then MARK; fi\n', ['arm64']],
    ['[ "$DEB_HOST_ARCH" = amd64 ] && MARK\n', ['amd64']],
    ['cat <<EOF\nif [ "$(uname -m)" = aarch64 ]; then\nEOF\nMARK\n', ['amd64', 'arm64']],
    ['# if [ "$(uname -m)" = aarch64 ]; then\nMARK\n', ['amd64', 'arm64']],
  ])('%j reaches %j', (text, want) => {
    expect(reach(parseShellFile, text, 'MARK')).toEqual(want);
  });
});

describe('python guards', () => {
  it.each([
    ["import platform\nif platform.machine() == 'x86_64':\n    MARK = 1\n", ['amd64']],
    ["if platform.machine() == 'x86_64':\n    a = 1\nelse:\n    MARK = 1\n", ['arm64']],
    ["arch = platform.machine()\nif arch == 'aarch64':\n    a = 1\nelif arch in ('x86_64', 'amd64'):\n    MARK\n", ['amd64']],
    ["arch = os.uname().machine\nif arch not in ('x86_64',):\n    MARK\n", ['arm64']],
    ["arch = subprocess.check_output(['dpkg', '--print-architecture']).decode().strip()\nif arch == 'arm64':\n    if x:\n        MARK\n    y = 2\nz = 3\n", ['arm64']],
    ["def get_arch():\n    return platform.machine()\n\nif get_arch() == 'aarch64':\n    MARK\n", ['arm64']],
    ["if platform.machine() == 'x86_64':\n    a = 1\nMARK\n", ['amd64', 'arm64']],
    ["url = 'MARK' if platform.machine() == 'aarch64' else 'other'\n", ['arm64']],
    ["url = 'a' if platform.machine() == 'aarch64' else 'MARK'\n", ['amd64']],
    ["if platform.machine() == 'x86_64' and fast:\n    a = 1\nelse:\n    MARK\n", ['amd64', 'arm64']],
    ["if platform.machine() == 'x86_64': a = 1\nelse: MARK\n", ['arm64']],
  ])('%j reaches %j', (text, want) => {
    expect(reach(parsePythonFile, text, 'MARK')).toEqual(want);
  });
});

describe('dockerfile guards', () => {
  it('reads RUN case on TARGETARCH', () => {
    expect(reach(parseDockerfile, 'ARG TARGETARCH\nRUN case "$TARGETARCH" in \\\n  arm64) MARK ;; \\\n  *) y ;; esac\n', 'MARK')).toEqual(['arm64']);
  });
});

describe('content sniffing', () => {
  it.each([
    ['tools/build', '#!/bin/bash\necho\n', 'shell'],
    ['tools/build', '#!/usr/bin/env bash\n', 'shell'],
    ['tools/build', '#! /bin/sh -e\n', 'shell'],
    ['tools/build', '#!/usr/bin/python3\n', 'python'],
    ['tools/build', '#!/usr/bin/env python3.9\n', 'python'],
    ['ks/controller.cfg', '# install\n%post --interpreter=/bin/bash\n', 'shell'],
    ['tools/build', 'plain text\n', undefined],
    ['tools/build', '#!/usr/bin/perl\n', undefined],
    ['etc/app.cfg', 'key = value\n', undefined],
  ])('%s %j is %s', (p, head, want) => {
    expect(classifyByContent(p, head)?.kind).toBe(want);
  });
  it('claims by path first, and skips names not worth opening', () => {
    expect(classify('a/b.sh')?.kind).toBe('shell');
    expect(classify('a/b.py')?.kind).toBe('python');
    expect(classify('a/Dockerfile')?.kind).toBe('dockerfile');
    expect(classify('a/stx.Dockerfile')?.kind).toBe('dockerfile');
    expect(classify('a/Dockerfile.patch')?.kind).not.toBe('dockerfile');
    expect(classify('metal/kickstart/files/kickstart.cfg')?.kind).toBe('shell');
    expect(mightSniff('a/logo.png')).toBe(false);
    expect(mightSniff('a/data.tar.gz')).toBe(false);
    expect(mightSniff('a/build-pkgs')).toBe(true);
  });
});

describe('discovery sniffs unclaimed files', () => {
  it('reads shebangs and kickstart sections, never big, binary or skipped names', async () => {
    const { discover } = await import('../src/cli/discover.js');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debarch-sniff-'));
    const put = (p: string, data: string | Buffer): void => {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), data);
    };
    put('tools/build-pkgs', '#!/usr/bin/python3\nprint("x")\n');
    put('tools/mkiso', '#!/bin/bash\necho\n');
    put('tools/big', `#!/bin/bash\n${'#'.repeat(2000)}\n`);
    put('tools/blob', Buffer.from([0x23, 0x21, 0x2f, 0x62, 0x69, 0x6e, 0x2f, 0x73, 0x68, 0x0a, 0x00, 0x01]));
    put('tools/logo.png', '#!/bin/bash\n');
    put('tools/README', 'plain text\n');
    put('ks/install.cfg', '# install\n%post\necho\n%end\n');
    put('etc/app.cfg', 'key = value\n');
    try {
      const found = await discover(dir, ['.'], () => false, 1000);
      expect(found.files.map((f) => [f.display, f.kind.kind])).toEqual([
        ['ks/install.cfg', 'shell'],
        ['tools/build-pkgs', 'python'],
        ['tools/mkiso', 'shell'],
      ]);
      const one = await discover(dir, ['tools/README'], () => false);
      expect(one.problems.map((p) => p.message)).toEqual([expect.stringContaining('not a file kind')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shell tests as real scripts write them', () => {
  it.each([
    ['if ! is_atomic || [ "$(uname -m)" = "s390x" ]; then x; fi\n', 's390x'],
    ['A=`uname -m`\nif [ "$A" == "i686" -o "$A" == "i386" ]\nthen x; fi\n', 'i386'],
    ['case "${MACH_ARCH[i]}" in x86_64) a ;& arm64) b ;; esac\n', 'arm64'],
    ['if [[ "${OS_ARCH}" == "amd64" ]]; then x; fi\n', 'amd64'],
    ['f() { local d="${1//\\"/}"; }\nset -- $(echo "$d" | awk -F "--m \'" \'{print $2}\')\nif [ "$(uname -m)" = s390x ]; then x; fi\n', 's390x'],
  ])('%j: the literal is a test', (text, lit) => {
    const at = text.lastIndexOf(lit);
    expect(parseShellFile(text, ARCHES).guards.isTest(at)).toBe(true);
  });
  it('a `;&` fall-through arm is reached by the arm above it too', () => {
    const text = 'case "$(uname -m)" in x86_64) a ;& aarch64) MARK ;; esac\n';
    expect(reach(parseShellFile, text, 'MARK')).toEqual(['amd64', 'arm64']);
  });
});

describe('python arch tests on values the reader does not follow', () => {
  it.each([
    ["if 'amd64' in sys.version.lower():\n    x = 1\n", "'amd64'"],
    ["if '(arm64)' in sys.version:\n    x = 1\n", "'(arm64)'"],
    ["def f(os_arch):\n    if os_arch == 'amd64':\n        return 1\n", "'amd64'"],
  ])('%j: the literal is a test', (text, lit) => {
    expect(parsePythonFile(text, ARCHES).guards.isTest(text.indexOf(lit))).toBe(true);
  });
  it('an arch-named parameter narrows its branch', () => {
    const text = "def f(os_arch):\n    if os_arch == 'amd64':\n        MARK = 1\n";
    expect(reach(parsePythonFile, text, 'MARK')).toEqual(['amd64']);
  });
});

describe('the CLI reads scripts by content', () => {
  it('--stdin sniffs a shebang when the name says nothing; a whole-tree run lints shebang files', async () => {
    const { cli, tempDir, writeTree } = await import('./helpers.js');
    const fs = await import('node:fs');
    const dir = tempDir();
    try {
      const r = await cli(dir, ['--stdin', '--stdin-filename', 'tools/build-iso', '--format', 'gcc'], { stdin: '#!/bin/bash\ninstall -d /usr/lib/x86_64-linux-gnu/stx\n' });
      expect(r.stdout).toContain("tools/build-iso:2:21: warning: hardcoded architecture 'x86_64-linux-gnu'");
      const plain = await cli(dir, ['--stdin', '--stdin-filename', 'tools/notes', '--format', 'gcc'], { stdin: 'x86_64\n' });
      expect(plain.code).toBe(2);
      writeTree(dir, { 'tools/build-iso': '#!/usr/bin/env python3\nARCH = "amd64"\n', 'tools/logo.png': '#!/bin/sh\namd64\n' });
      const tree = await cli(dir, ['--format', 'gcc', '.']);
      expect(tree.stdout).toBe("tools/build-iso:2:9: info: hardcoded architecture 'amd64' is wrong on arm64: use the running arch (subprocess.check_output(['dpkg', '--print-architecture'])) or a per-arch mapping [hardcoded-arch]\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
