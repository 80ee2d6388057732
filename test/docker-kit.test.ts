import { describe, expect, it } from 'vitest';
import { dockerInstalls } from '../src/docker-kit.js';
import { suiteForPath } from '../src/archdb/index.js';

describe('dockerInstalls', () => {
  it('reads the names of apt-get install across continuations, skipping options, comments and variables', () => {
    const text = [
      'RUN apt-get update && \\',
      '    apt-get install -y --no-install-recommends \\',
      '        curl \\',
      '#       pcm \\',
      '        vim=2:9.0 \\',
      '        ${EXTRA} \\',
      '    && rm -rf /var/lib/apt/lists/*',
      '# RUN apt install accel-config',
      'RUN apt install -y git; echo done',
      '',
    ].join('\n');
    const got = dockerInstalls(text);
    expect(got.map((p) => p.name)).toEqual(['curl', 'vim', 'git']);
    for (const p of got) expect(text.slice(p.start, p.end)).toBe(p.name);
  });
});

describe('suiteForPath for Dockerfiles', () => {
  it('takes the codename folder a Dockerfile sits in', () => {
    expect(suiteForPath('tools/x/debian/trixie/docker/Dockerfile', 'bullseye')).toBe('trixie');
    expect(suiteForPath('stx/debian/trixie/dockerfiles/stx-builder.Dockerfile', 'bullseye')).toBe('trixie');
    expect(suiteForPath('tools/x/docker/Dockerfile', 'bullseye')).toBe('bullseye');
  });
});
