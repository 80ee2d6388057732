/** Progress on stderr: only for a person at a terminal, erased before any other output. */
import { describe, expect, it } from 'vitest';
import { Progress } from '../src/cli/progress.js';
import { memoryIO } from '../src/cli/io.js';

const ERASE = '\r\u001b[2K';

function make(env: Record<string, string | undefined>, opts: { tty?: boolean; quiet?: boolean; columns?: number } = {}) {
  const io = memoryIO('/', { env, tty: opts.tty ?? true });
  let t = 0;
  const p = Progress.for(io, opts.quiet ?? false, { columns: opts.columns, now: () => t, signals: false });
  return { io, p, tick: (ms: number) => void (t += ms) };
}

describe('Progress', () => {
  it('draws files done / total and the project on a TTY, throttled, the last update always', () => {
    const { io, p, tick } = make({});
    p.update(1, 300, 'cgcs-root/stx/integ');
    p.update(2, 300, 'cgcs-root/stx/integ');
    tick(150);
    p.update(3, 300, 'cgcs-root/stx/integ');
    p.update(300, 300);
    expect(io.err()).toBe(`${ERASE}debarch-lint: 1/300 files \u00b7 cgcs-root/stx/integ${ERASE}debarch-lint: 3/300 files \u00b7 cgcs-root/stx/integ${ERASE}debarch-lint: 300/300 files`);
    p.finish();
    expect(io.err().endsWith(`300 files${ERASE}`)).toBe(true);
    expect(io.out()).toBe('');
  });

  it.each([
    ['stderr is not a TTY', {}, { tty: false }],
    ['--quiet', {}, { quiet: true }],
    ['CI is set', { CI: 'true' }, {}],
    ['TERM=dumb', { TERM: 'dumb' }, {}],
  ] as const)('stays silent when %s', (_why, env, opts) => {
    const { io, p } = make(env, opts);
    p.update(1, 2, 'x');
    p.finish();
    expect(p.enabled).toBe(false);
    expect(io.err()).toBe('');
  });

  it('is erased before anything else is written, on either stream', () => {
    const { io, p } = make({});
    const out = p.guard(io.stdout);
    const err = p.guard(io.stderr);
    p.update(5, 10);
    out.write('a.rules:1:1: warning: x [hardcoded-arch]\n');
    err.write('debarch-lint: note\n');
    expect(io.out()).toBe('a.rules:1:1: warning: x [hardcoded-arch]\n');
    expect(io.err()).toBe(`${ERASE}debarch-lint: 5/10 files${ERASE}debarch-lint: note\n`);
  });

  it('never wraps: a long project name is cut to the terminal width', () => {
    const { io, p } = make({}, { columns: 30 });
    p.update(1, 2, 'cgcs-root/stx/a-very-long-project-name');
    const line = io.err().slice(ERASE.length);
    expect(line.length).toBeLessThanOrEqual(29);
    expect(line.endsWith('\u2026')).toBe(true);
  });
});
