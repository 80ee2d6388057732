/**
 * Progress on stderr for long runs (DESIGN §8): `files done / total` and the current project,
 * redrawn in place at most ten times a second. Only where a person watches: stderr is a TTY,
 * not `--quiet`, not CI (`CI` set), not `TERM=dumb`. The line is erased before anything else is
 * written (wrap the streams with `guard`), when the run ends, and on Ctrl-C; never on stdout.
 */
import type { IO, Stream } from './io.js';

const ERASE = '\r\u001b[2K';
const REDRAW_MS = 100;

export class Progress {
  private shown = false;
  private last = -Infinity;
  private sigint: (() => void) | undefined;

  private constructor(
    private readonly err: Stream,
    readonly enabled: boolean,
    private readonly columns: number,
    private readonly now: () => number,
  ) {}

  /** Progress for this run: enabled only on an interactive stderr. */
  static for(io: IO, quiet: boolean, options: { columns?: number; now?: () => number; signals?: boolean } = {}): Progress {
    const env = io.env;
    const enabled = io.stderr.isTTY === true && !quiet && (env.CI ?? '') === '' && env.TERM !== 'dumb';
    const p = new Progress(io.stderr, enabled, options.columns ?? 80, options.now ?? Date.now);
    if (enabled && options.signals !== false) {
      // erase the line before the default Ctrl-C handling ends the process
      p.sigint = () => {
        p.clear();
        process.removeListener('SIGINT', p.sigint as () => void);
        process.kill(process.pid, 'SIGINT');
      };
      process.once('SIGINT', p.sigint);
    }
    return p;
  }

  /** Redraws `debarch-lint: 1234/6600 files · project` (throttled; always draws the last one). */
  update(done: number, total: number, label?: string): void {
    if (!this.enabled) return;
    const t = this.now();
    if (this.shown && done < total && t - this.last < REDRAW_MS) return;
    this.last = t;
    let line = `debarch-lint: ${done}/${total} files${label ? ` \u00b7 ${label}` : ''}`;
    // one terminal line, never wrapped: a wrapped line cannot be erased with \r
    if (line.length > this.columns - 1) line = `${line.slice(0, Math.max(0, this.columns - 2))}\u2026`;
    this.err.write(`${ERASE}${line}`);
    this.shown = true;
  }

  /** Erases the progress line, if one is shown. */
  clear(): void {
    if (!this.shown) return;
    this.err.write(ERASE);
    this.shown = false;
  }

  /** Erases the line and stops listening for Ctrl-C. */
  finish(): void {
    this.clear();
    if (this.sigint) process.removeListener('SIGINT', this.sigint);
    this.sigint = undefined;
  }

  /** A stream that erases the progress line before every write. */
  guard(stream: Stream): Stream {
    if (!this.enabled) return stream;
    return {
      isTTY: stream.isTTY,
      write: (chunk) => {
        this.clear();
        stream.write(chunk);
      },
    };
  }
}
