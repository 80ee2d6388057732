/** What `run` may touch of the outside world; tests pass their own. */
export interface Stream {
  write(chunk: string): void;
  isTTY?: boolean;
}

export interface IO {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Stream;
  stderr: Stream;
  readStdin(): Promise<string>;
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
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** An IO that records output, for tests and embedding. */
export function memoryIO(cwd: string, opts: { env?: Record<string, string | undefined>; stdin?: string; tty?: boolean } = {}): IO & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    cwd,
    env: opts.env ?? {},
    stdout: { write: (s) => void (out += s), isTTY: opts.tty ?? false },
    stderr: { write: (s) => void (err += s), isTTY: opts.tty ?? false },
    readStdin: async () => opts.stdin ?? '',
    out: () => out,
    err: () => err,
  };
}
