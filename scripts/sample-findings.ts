/**
 * Draws a reproducible random sample of findings from a `--format json` report and prints each
 * with the lines around it, for judging as DESIGN §10 says (true / false, advice right or not).
 *
 *   node dist/scripts/sample-findings.js REPORT.json [--seed N] [--count N] [--context N] [--rule ID]
 *
 * Paths in the report are read relative to the working directory (run it where the lint ran).
 * The generator is a small xorshift, so a seed gives the same sample on every machine.
 */
import fs from 'node:fs';

interface JsonFinding {
  path: string;
  line: number;
  column: number;
  ruleId: string;
  severity: string;
  message: string;
  fix?: { description: string };
  suggestions?: { description: string }[];
  related?: { path: string; line: number }[];
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : fallback;
}

/** xorshift32: deterministic and good enough to draw a sample. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function main(args: string[]): number {
  const report = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
  if (!report) {
    process.stderr.write('usage: sample-findings REPORT.json [--seed N] [--count N] [--context N] [--rule ID]\n');
    return 2;
  }
  const seed = Number(option(args, '--seed', '1'));
  const count = Number(option(args, '--count', '50'));
  const context = Number(option(args, '--context', '4'));
  const rule = option(args, '--rule', '');
  const all = (JSON.parse(fs.readFileSync(report, 'utf8')) as { findings: JsonFinding[] }).findings.filter(
    (f) => !rule || f.ruleId === rule,
  );
  // a partial Fisher-Yates shuffle: the first `count` positions are the sample
  const pick = all.slice();
  const next = random(seed);
  const n = Math.min(count, pick.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(next() * (pick.length - i));
    [pick[i], pick[j]] = [pick[j]!, pick[i]!];
  }
  process.stdout.write(`# ${n} of ${all.length} findings, seed ${seed}\n\n`);
  pick.slice(0, n).forEach((f, i) => {
    process.stdout.write(`## ${i + 1}. ${f.path}:${f.line}:${f.column} ${f.severity} [${f.ruleId}]\n${f.message}\n`);
    if (f.fix) process.stdout.write(`fix: ${f.fix.description}\n`);
    for (const s of f.suggestions ?? []) process.stdout.write(`suggestion: ${s.description}\n`);
    if (f.related?.length) process.stdout.write(`related: ${f.related.length} more places\n`);
    let lines: string[] = [];
    try {
      lines = fs.readFileSync(f.path, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    for (let l = Math.max(1, f.line - context); l <= Math.min(lines.length, f.line + context); l++) {
      process.stdout.write(`${l === f.line ? '>' : ' '}${String(l).padStart(5)}| ${lines[l - 1]!.slice(0, 200)}\n`);
    }
    process.stdout.write('\n');
  });
  return 0;
}

process.exitCode = main(process.argv.slice(2));
