/**
 * Loading only what a run needs (issue 12, item 3): the command line read from one table with
 * node:util parseArgs (its errors and its --help), the archive data parsed only when a rule asks
 * about a package, and a one-file run of the built CLI that loads no formatter but its own, no
 * XML, diff, glob or git module and no archive data. Speed itself is measured by `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARCHDB_SUITES, CURATED, loadArchDb } from '../src/archdb/index.js';
import { createArchLookup } from '../src/archdb/lookup.js';
import { ArgsError, OPTIONS, helpText, parseCommandLine, type OptionSpec } from '../src/cli/args.js';
import { FORMATTERS, FORMAT_NAMES } from '../src/formatters/index.js';
import { ROOT, cli, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const problems = (argv: string[]): string[] => {
  try {
    parseCommandLine(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(ArgsError);
    return (e as Error).message.split('\n');
  }
  return [];
};

describe('the command line', () => {
  it('reads values, defaults, repeats, negations and paths', () => {
    const { values, positionals } = parseCommandLine([
      '-f', 'json', '--rule', 'a,b', '--rule=c', '--max-warnings', '-1', '--no-config', '--no-color', '-q', '--diff', '-', 'x', '--', '--fix',
    ]);
    expect(values).toMatchObject({
      format: 'json', rule: ['a,b', 'c'], 'max-warnings': -1, config: false, color: false, quiet: true, diff: '-', fix: false, 'fail-level': 'warning',
    });
    expect(positionals).toEqual(['x', '--fix']);
    expect(parseCommandLine(['-c', 'my.json', '--color', '--fix=false', '--unsafe=true']).values).toMatchObject({ config: 'my.json', color: true, fix: false, unsafe: true });
    // a number that is no number is NaN, for run.ts to reject with its own words
    expect(parseCommandLine(['--max-file-size', 'abc']).values['max-file-size']).toBeNaN();
    expect(parseCommandLine(['--max-file-size', '']).values['max-file-size']).toBeNaN();
  });

  it('says what is wrong with each word, all at once', () => {
    expect(problems(['--no-such-flag'])).toEqual(["unknown option '--no-such-flag'"]);
    expect(problems(['--fromat', 'json'])).toEqual(["unknown option '--fromat' (did you mean --format?)"]);
    expect(problems(['-x'])).toEqual(["unknown option '-x'"]);
    expect(problems(['--no-format'])).toEqual(["unknown option '--no-format'"]);
    expect(problems(['--format'])).toEqual(['-f, --format needs a value (NAME)']);
    expect(problems(['--format', '--fix', '.'])).toEqual(['-f, --format needs a value (NAME)']);
    expect(problems(['--config', '-q'])).toEqual(['-c, --config needs a value (FILE)']);
    expect(problems(['--format', 'xml'])).toEqual([`-f, --format: 'xml' is not one of ${FORMAT_NAMES.join(', ')}`]);
    expect(problems(['--suite', 'woody'])).toEqual(["--suite: 'woody' is not one of bullseye, bookworm, trixie"]);
    expect(problems(['--fix=yes'])).toEqual(["--fix takes no value (got 'yes')"]);
    expect(problems(['--no-fix=1'])).toEqual(['--no-fix takes no value']);
    expect(problems(['--fail-level', 'fatal', '--bogus', '--vote'])).toEqual([
      "--fail-level: 'fatal' is not one of error, warning, info",
      "unknown option '--bogus'",
      '--vote needs a value (LABEL)',
    ]);
    // the word after a value-less option is still read as the option it is
    expect(() => parseCommandLine(['--format', '--bogus'])).toThrow(/--format needs a value[\s\S]*unknown option '--bogus'/);
  });

  it('the CLI prints them on stderr with a pointer to --help, and exits 2', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const r = await cli(dir, ['--format', 'xml', '--diff']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `debarch-lint: -f, --format: 'xml' is not one of ${FORMAT_NAMES.join(', ')}\n--diff needs a value (FILE)\nRun 'debarch-lint --help' for usage.\n`,
    });
  });

  it('--help is generated from the table: every option, its value, choices and default', async () => {
    const text = helpText();
    const flat = text.replace(/\s+/g, ' ');
    for (const o of OPTIONS) {
      expect(text).toContain(`--${o.name}${o.value ? ` ${o.value}` : ''}`);
      expect(flat).toContain(o.describe);
      if (o.choices) expect(flat).toContain(`one of: ${o.choices.join(', ')}`);
    }
    expect(text).toContain('[one of: error, warning, info; default: warning]');
    expect(text).toMatch(/^ {2}explain <rule> +show a rule's documentation$/m);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    const r = await cli(ROOT, ['--help']);
    expect(r).toEqual({ code: 0, stdout: `${text}\n`, stderr: '' });
    const v = await cli(ROOT, ['--version']);
    expect(v.stdout).toBe(`${(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  it('a new option is one line of the table', () => {
    const table: OptionSpec[] = [...OPTIONS, { name: 'jobs', short: 'j', type: 'number', value: 'N', describe: 'lint in N worker threads' }];
    expect(parseCommandLine(['-j', '2', '.'], table).values.jobs).toBe(2);
    expect(helpText(table)).toMatch(/^ {2}-j, --jobs N +lint in N worker threads$/m);
  });
});

describe('the archive data', () => {
  it('is parsed the first time a package is asked about, not for source dirs or curated names', () => {
    let loads = 0;
    const l = createArchLookup(() => {
      loads++;
      return loadArchDb();
    }, CURATED, 'bookworm');
    expect(l.dir('kernel/kernel-modules/qat/debian/control')).toBeDefined();
    l.curated('isolinux');
    expect(loads).toBe(0);
    expect(l.missingOn('grub-pc', 'arm64')).toBe('restricted');
    expect(l.dates).toHaveProperty('bookworm');
    expect(loads).toBeGreaterThan(0);
  });

  it('indexes the suites the engine names without parsing it', () => {
    expect([...ARCHDB_SUITES].sort()).toEqual(Object.keys(loadArchDb().suites).sort());
  });
});

describe('the formatters', () => {
  it('load.ts names the same formatters as the eager table', () => {
    expect(FORMAT_NAMES).toEqual(Object.keys(FORMATTERS));
  });
});

/**
 * A one-file run of the built CLI (tsc output, dist/src/cli/bin.js) with a loader hook that logs
 * every module and every require: what it must not load. Skipped files would make this pass
 * silently, so the run must also have loaded the engine and the gcc formatter.
 */
describe('a one-file run', () => {
  const bin = path.join(ROOT, 'dist/src/cli/bin.js');
  it.skipIf(!fs.existsSync(bin))('loads only what linting that file needs', () => {
    const dir = tempDir();
    dirs.push(dir);
    const log = path.join(dir, 'loaded.txt');
    writeTree(dir, {
      'hooks.mjs': "import fs from 'node:fs';\nexport async function load(url, context, next) {\n  fs.appendFileSync(process.env.LOADED_LOG, url + '\\n');\n  return next(url, context);\n}\n",
      'register.mjs':
        "import { register, createRequire } from 'node:module';\nimport fs from 'node:fs';\nregister(new URL('./hooks.mjs', import.meta.url));\n" +
        "const Module = createRequire(import.meta.url)('node:module');\nconst load = Module._load;\n" +
        "Module._load = function (request, parent, isMain) { const r = load.apply(this, arguments); fs.appendFileSync(process.env.LOADED_LOG, 'require:' + request + '\\n'); return r; };\n",
      'pkg/debian/deb_folder/rules': '#!/usr/bin/make -f\n\nLIBDIR = /usr/lib/x86_64-linux-gnu\n\n%:\n\tdh $@\n',
    });
    const r = spawnSync(process.execPath, ['--import', path.join(dir, 'register.mjs'), bin, '--format', 'gcc', 'pkg/debian/deb_folder/rules'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LOADED_LOG: log },
    });
    expect(r.stdout).toMatch(/^pkg\/debian\/deb_folder\/rules:3:\d+: warning: .*\[hardcoded-arch\]\n$/);
    expect(r.status).toBe(1);
    const loaded = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(loaded.some((u) => u.endsWith('/dist/src/engine/lint.js'))).toBe(true);
    expect(loaded.some((u) => u.endsWith('/dist/src/formatters/gcc.js'))).toBe(true);
    const unwanted = [
      /\/node_modules\/(yargs|xmlbuilder2|js-yaml|diff|fast-glob|chalk)\//,
      /\/dist\/src\/formatters\/(?!gcc\.js|load\.js|types\.js)[^/]+$/,
      /\/dist\/src\/(text-diff|baseline|cli\/git|cli\/write|engine\/fix|changes\/[^/]+)\.js$/,
      /worker|pool/,
      /archdb\.json/,
    ];
    expect(loaded.filter((u) => unwanted.some((re) => re.test(u)))).toEqual([]);
  });
});
