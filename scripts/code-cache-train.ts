/**
 * Makes the CLI's code cache (src/cli/code-cache.ts): runs `cli.cjs` of the folder given, compiled
 * as bin.mjs compiles it, on the training arguments, and when the run ends writes the bytecode
 * V8 then holds (every function the run called) with what it was made for. Run by
 * scripts/bundle.ts in a process of its own: `node code-cache-train.js <dir> <build id> <args…>`.
 */
// first, as in bin.mjs: the flags are part of what V8 checks a code cache against
import '../src/cli/v8-flags.js';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DATA, CACHE_META, CLI_SCRIPT, compileCli, metaFor, runCli } from '../src/cli/code-cache.js';

const [dir, id, ...args] = process.argv.slice(2);
if (!dir || !id) throw new Error('usage: code-cache-train.js <dir> <build id> <args…>');
const file = path.join(dir, CLI_SCRIPT);
const script = compileCli(file, fs.readFileSync(file, 'utf8'));

/** Writes `data` to `name` in `dir` through a temporary file: never a half-written cache. */
function put(name: string, data: string | Buffer): void {
  const tmp = path.join(dir as string, `.${name}.${process.pid}`);
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, path.join(dir as string, name));
}

process.on('exit', () => {
  put(CACHE_DATA, script.createCachedData());
  put(CACHE_META, `${JSON.stringify(metaFor(id))}\n`);
});
process.argv = [process.argv[0] as string, path.join(dir, 'bin.mjs'), ...args];
runCli(script, file);
