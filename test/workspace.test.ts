/** Reading a repo-tool workspace as `repo` does (DESIGN §8 Workspaces). */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkspaceError, nestedTops, projectOf, readWorkspace } from '../src/cli/workspace.js';
import { tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>, checkouts: string[]): string {
  const top = tempDir('dl-ws-');
  dirs.push(top);
  writeTree(top, files);
  for (const c of checkouts) fs.mkdirSync(path.join(top, c, '.git'), { recursive: true });
  return top;
}

const DEFAULT = `<?xml version="1.0" encoding="UTF-8"?>
<manifest>
  <remote name="starlingx" fetch="https://example.invalid/starlingx"/>
  <default remote="starlingx" revision="master"/>
  <project name="starlingx/root" path="cgcs-root" groups="starlingx"/>
  <include name="stx.xml"/>
  <project name="starlingx/tools" path="stx-tools"/>
  <project name="starlingx/docs" path="cgcs-root/stx/docs" groups="notdefault,docs"/>
</manifest>
`;
const STX = `<manifest>
  <project name="starlingx/integ" path="cgcs-root/stx/integ" revision="r/stx.10.0"/>
  <project name="starlingx/kernel" path="cgcs-root/stx/kernel"/>
  <project name="starlingx/gone" path="cgcs-root/stx/gone"/>
</manifest>
`;

describe('readWorkspace', () => {
  it('reads manifest.xml, its includes, then local_manifests in name order; nested projects; defaults', async () => {
    const top = workspace(
      {
        '.repo/manifests/default.xml': DEFAULT,
        '.repo/manifests/stx.xml': STX,
        '.repo/manifest.xml': '<manifest><include name="default.xml"/></manifest>\n',
        '.repo/local_manifests/b.xml': '<manifest><extend-project name="starlingx/kernel" groups="kern" revision="dev"/></manifest>',
        '.repo/local_manifests/a.xml': '<manifest><remove-project name="starlingx/gone"/><project name="me/extra" groups="mine"/></manifest>',
      },
      ['cgcs-root', 'cgcs-root/stx/integ', 'cgcs-root/stx/kernel', 'cgcs-root/stx/docs', 'me/extra'],
    );
    const ws = await readWorkspace(top, ['.']);
    expect(ws?.manifest).toBe(path.join(top, '.repo', 'manifest.xml'));
    // stx-tools is in the manifest but not checked out: said, and skipped
    expect(ws?.notices).toEqual(['stx-tools: in the manifest but not checked out; skipped']);
    // docs is notdefault: not linted unless its group is asked for
    expect(ws?.projects.map((p) => p.relpath)).toEqual(['cgcs-root', 'cgcs-root/stx/integ', 'cgcs-root/stx/kernel', 'me/extra']);
    const kernel = ws?.projects.find((p) => p.name === 'starlingx/kernel');
    expect(kernel).toMatchObject({ revision: 'dev', path: path.join(top, 'cgcs-root', 'stx', 'kernel') });
    expect(kernel?.groups).toEqual(expect.arrayContaining(['kern', 'default', 'all', 'name:starlingx/kernel', 'path:cgcs-root/stx/kernel']));
    expect(ws?.projects.find((p) => p.name === 'starlingx/integ')?.revision).toBe('r/stx.10.0');
    expect(ws?.projects.find((p) => p.name === 'starlingx/root')?.revision).toBe('master');

    const root = ws?.projects[0];
    expect(root && nestedTops(ws.projects, root)).toEqual([path.join(top, 'cgcs-root', 'stx', 'integ'), path.join(top, 'cgcs-root', 'stx', 'kernel')]);
    expect(projectOf(ws?.projects ?? [], path.join(top, 'cgcs-root', 'stx', 'integ', 'a', 'b'))?.name).toBe('starlingx/integ');
    expect(projectOf(ws?.projects ?? [], path.join(top, 'cgcs-root', 'build-tools', 'x'))?.name).toBe('starlingx/root');
    expect(projectOf(ws?.projects ?? [], path.join(top, 'elsewhere'))).toBeUndefined();
  });

  it('selects by --groups (repo semantics, -G excludes) and --projects globs on name or path', async () => {
    const top = workspace(
      { '.repo/manifests/default.xml': DEFAULT, '.repo/manifests/stx.xml': STX, '.repo/manifest.xml': '<manifest><include name="default.xml"/></manifest>' },
      ['cgcs-root', 'stx-tools', 'cgcs-root/stx/integ', 'cgcs-root/stx/kernel', 'cgcs-root/stx/docs', 'cgcs-root/stx/gone'],
    );
    const rel = async (o: Parameters<typeof readWorkspace>[2]) => (await readWorkspace(top, ['.'], o))?.projects.map((p) => p.relpath);
    expect(await rel({ groups: ['docs'] })).toEqual(['cgcs-root/stx/docs']);
    expect(await rel({ groups: ['all,-starlingx'] })).toEqual(['cgcs-root/stx/docs', 'cgcs-root/stx/gone', 'cgcs-root/stx/integ', 'cgcs-root/stx/kernel', 'stx-tools']);
    expect(await rel({ projects: ['cgcs-root/stx/*'] })).toEqual(['cgcs-root/stx/gone', 'cgcs-root/stx/integ', 'cgcs-root/stx/kernel']);
    expect(await rel({ projects: ['starlingx/tools'] })).toEqual(['stx-tools']);
    await expect(readWorkspace(top, ['.'], { projects: ['nothing*'] })).rejects.toThrow(/no project matches --projects nothing\*/);
  });

  it('without a manifest: the git repositories under the given folder, nested ones included', async () => {
    const top = workspace({ 'a/x.txt': '', 'b/c/y.txt': '' }, ['a', 'a/sub', 'b/c']);
    const ws = await readWorkspace(top, ['.'], { workspace: '.' });
    expect(ws?.manifest).toBeUndefined();
    expect(ws?.projects.map((p) => p.relpath)).toEqual(['a', 'a/sub', 'b/c']);
  });

  it('is not a workspace run without .repo/, --workspace, --projects or --groups', async () => {
    const top = workspace({ 'x/debian/rules': '' }, ['x']);
    expect(await readWorkspace(top, ['x'])).toBeUndefined();
  });

  it.each([
    ['a missing include', '<manifest><include name="nope.xml"/></manifest>', /nope\.xml: cannot read \(included by \.repo\/manifest\.xml\)/],
    ['malformed XML', '<manifest><project name="a"', /\.repo\/manifest\.xml: not a well-formed manifest/],
    ['another root element', '<project name="a"/>', /root element is <project>/],
    ['an include cycle', '<manifest><include name="self.xml"/></manifest>', /self\.xml: includes itself/],
    ['an include that leaves .repo/manifests', '<manifest><include name="../../etc.xml"/></manifest>', /leaves \.repo\/manifests/],
    ['a project path that leaves the workspace', '<manifest><project name="x" path="../up"/></manifest>', /leaves the workspace/],
    ['a remove-project that matches nothing', '<manifest><remove-project name="ghost"/></manifest>', /matches no project/],
  ])('%s is a clear error naming the file', async (_what, manifest, message) => {
    const top = workspace({ '.repo/manifest.xml': manifest, '.repo/manifests/self.xml': '<manifest><include name="self.xml"/></manifest>' }, []);
    const err = await readWorkspace(top, ['.']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as Error).message).toMatch(message);
  });
});
