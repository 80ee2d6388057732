/**
 * Regenerates docs/rules/<id>.md and the README rules table from rule metadata.
 * `npm run docs` writes them; `--check` only reports drift (the meta-tests do the same).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { ruleMarkdown, updateReadme } from '../src/docs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
let drift = 0;
const put = (file: string, text: string): void => {
  const abs = path.join(root, file);
  const old = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
  if (old === text) return;
  drift++;
  if (check) console.error(`out of date: ${file}`);
  else {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    console.log(`wrote ${file}`);
  }
};
for (const r of RULES) put(`docs/rules/${r.id}.md`, ruleMarkdown(r));
put('README.md', updateReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), RULES));
for (const f of fs.readdirSync(path.join(root, 'docs/rules'))) {
  if (!RULES.some((r) => `${r.id}.md` === f)) {
    drift++;
    console.error(`stale: docs/rules/${f}`);
  }
}
process.exitCode = check && drift ? 1 : 0;
