/** What `run` may touch of the outside world; tests pass their own. */
export interface Stream {
  /** Bytes only for `--fix --stdin`, which echoes the input byte for byte. */
  write(chunk: string | Uint8Array): void;
  isTTY?: boolean;
}

export interface IO {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Stream;
  stderr: Stream;
  /** Bytes keep what is not valid UTF-8 (such input is linted, never changed); a string is UTF-8 text. */
  readStdin(): Promise<string | Uint8Array>;
}

/** The real process's IO. */
export function processIO(): IO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: { write: (s) => void process.stdout.write(s), isTTY: process.stdout.isTTY === true },
    stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

/** An IO that records output, for tests and embedding. */
export function memoryIO(cwd: string, opts: { env?: Record<string, string | undefined>; stdin?: string | Uint8Array; tty?: boolean } = {}): IO & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    cwd,
    env: opts.env ?? {},
    stdout: { write: (s) => void (out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), isTTY: opts.tty ?? false },
    stderr: { write: (s) => void (err += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), isTTY: opts.tty ?? false },
    readStdin: async () => opts.stdin ?? '',
    out: () => out,
    err: () => err,
  };
}
