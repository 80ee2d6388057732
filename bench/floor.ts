/**
 * The Node floor of `npm run bench`: what any Node tool pays to look at every file of the trees
 * once. `git ls-files` in each tree, read every file, one `/amd64|x86/i` test each; prints the
 * number of files read and of files that match. Usage: node dist/bench/floor.js TREE...
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const TERM = /amd64|x86/i;
let files = 0;
let matching = 0;
for (const tree of process.argv.slice(2)) {
  const r = spawnSync('git', ['-C', tree, 'ls-files', '-z'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ls-files in ${tree}: ${r.stderr}`);
  for (const rel of r.stdout.split('\0')) {
    if (!rel) continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(tree, rel), 'utf8');
    } catch {
      continue; // a submodule, a file deleted since the last commit
    }
    files++;
    if (TERM.test(text)) matching++;
  }
}
process.stdout.write(`${files} files, ${matching} matching\n`);
