/**
 * The projects the porting report (`--format markdown`) groups findings by: the workspace's
 * (./workspace.ts) when the run is a workspace run, else the git repositories the linted files
 * are in (the nearest folder holding `.git`), else the working directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { toPosix } from './discover.js';
import { readWorkspace, type Project } from './workspace.js';

export async function reportProjects(cwd: string, paths: readonly string[], files: Iterable<string>, selected?: readonly Project[]): Promise<Project[]> {
  // a workspace run already read the manifest (and applied --projects/--groups)
  if (selected) return [...selected];
  const ws = await readWorkspace(cwd, paths);
  if (ws) return ws.projects;
  const tops = new Map<string, string>();
  const topOf = (dir: string): string => {
    const hit = tops.get(dir);
    if (hit !== undefined) return hit;
    let top: string;
    if (fs.existsSync(path.join(dir, '.git'))) top = dir;
    else if (path.dirname(dir) === dir) top = cwd;
    else top = topOf(path.dirname(dir));
    tops.set(dir, top);
    return top;
  };
  const found = new Set<string>();
  for (const f of files) found.add(topOf(path.dirname(path.resolve(cwd, f))));
  return [...found].sort().map((abs) => {
    const relpath = toPosix(path.relative(cwd, abs)) || '.';
    return { name: relpath, path: abs, relpath, groups: [] };
  });
}
