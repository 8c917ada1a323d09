import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { firstLinkedSegment, nodePathState, outputFolderRelativePath, outsideThroughLinkError, realLocation } from '../../../src/host/outputFolderRules';
import type { PathState } from '../../../src/host/outputFolderRules';

const folder = '/home/me/project';

function relative(setting: unknown, root = folder): string {
  const rule = outputFolderRelativePath(setting, root);
  assert.ok(rule.ok, rule.ok ? '' : rule.error);
  return rule.relativePath;
}

function refused(setting: unknown, root = folder): string {
  const rule = outputFolderRelativePath(setting, root);
  assert.equal(rule.ok, false, `${String(setting)} should be refused`);
  return rule.ok ? '' : rule.error;
}

describe('output folder confinement', () => {
  it('defaults to images/ inside the workspace folder', () => {
    assert.equal(relative(undefined), 'images');
    assert.equal(relative(''), 'images');
    assert.equal(relative('   '), 'images');
  });

  it('accepts relative paths, normalised, with either separator', () => {
    assert.equal(relative('assets/generated/'), 'assets/generated');
    assert.equal(relative('assets\\generated'), 'assets/generated');
    assert.equal(relative('./art/../images'), 'images');
    assert.equal(relative('.'), '');
  });

  it('refuses anything that climbs out of the folder', () => {
    assert.match(refused('..'), /outside the workspace folder/);
    assert.match(refused('../sibling'), /gptImage\.outputFolder/);
    assert.match(refused('images/../../..'), /outside/);
    assert.match(refused('..\\x'), /outside/);
    assert.match(refused('~/Pictures'), /outside/);
  });

  it('accepts an absolute path only when it is inside the folder', () => {
    assert.equal(relative('/home/me/project/images'), 'images');
    assert.equal(relative('/home/me/project'), '');
    assert.match(refused('/home/me/project-other/images'), /outside/);
    assert.match(refused('/tmp/images'), /outside/);
    assert.match(refused('/home/me/project/../elsewhere'), /outside/);
  });

  it('handles Windows drive paths (case-insensitively) against a file URI path', () => {
    const windowsRoot = '/c:/Users/Me/Project';
    assert.equal(relative('C:\\Users\\Me\\Project\\out', windowsRoot), 'out');
    assert.equal(relative('c:/users/me/project/out', windowsRoot), 'out');
    assert.match(refused('D:\\images', windowsRoot), /outside/);
    assert.match(refused('C:relative', windowsRoot), /outside/);
  });
});

describe('output folder confinement on the real path (symbolic links, real files in a temp folder)', () => {
  let scratch: string;
  let workspace: string;
  let elsewhere: string;
  before(() => {
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'gpt-image-links-')));
    workspace = join(scratch, 'workspace');
    elsewhere = join(scratch, 'elsewhere');
    mkdirSync(join(workspace, 'assets', 'real'), { recursive: true });
    mkdirSync(join(workspace, 'kept'), { recursive: true });
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(workspace, 'images'));
    symlinkSync(join(workspace, 'assets', 'real'), join(workspace, 'inside-link'));
    symlinkSync(join(scratch, 'nothing-here'), join(workspace, 'dangling'));
    // A real output folder whose sidecar folder is linked out.
    symlinkSync(elsewhere, join(workspace, 'kept', '.gpt-image'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const locate = (relative: string, root = workspace): ReturnType<typeof realLocation> => realLocation(root, join(root, relative), nodePathState);

  it('accepts real folders, folders not created yet, and links that stay inside', async () => {
    assert.deepEqual(await locate('assets/real'), { inside: true, realPath: join(workspace, 'assets', 'real') });
    assert.deepEqual(await locate('assets/new/deeper'), { inside: true, realPath: join(workspace, 'assets', 'new', 'deeper') });
    assert.deepEqual(await locate('inside-link/sub'), { inside: true, realPath: join(workspace, 'assets', 'real', 'sub') });
    assert.deepEqual(await locate(''), { inside: true, realPath: workspace });
    assert.deepEqual(await locate('kept'), { inside: true, realPath: join(workspace, 'kept') });
  });

  it('refuses a folder, an ancestor of it, or a sidecar folder that a link sends outside', async () => {
    assert.deepEqual(await locate('images'), { inside: false, realPath: elsewhere, danglingLink: false });
    assert.deepEqual(await locate('images/not/yet'), { inside: false, realPath: join(elsewhere, 'not', 'yet'), danglingLink: false });
    assert.deepEqual(await locate('images/.gpt-image'), { inside: false, realPath: join(elsewhere, '.gpt-image'), danglingLink: false });
    assert.deepEqual(await locate('kept/.gpt-image'), { inside: false, realPath: elsewhere, danglingLink: false });
  });

  it('refuses a link whose target does not exist (writing through it would create the target)', async () => {
    assert.deepEqual(await locate('dangling'), { inside: false, realPath: join(workspace, 'dangling'), danglingLink: true });
    assert.deepEqual(await locate('dangling/sub'), { inside: false, realPath: join(workspace, 'dangling'), danglingLink: true });
  });

  it('compares real paths when the workspace folder itself is opened through a link', async () => {
    const linkedRoot = join(scratch, 'workspace-link');
    symlinkSync(workspace, linkedRoot);
    assert.deepEqual(await locate('assets/real', linkedRoot), { inside: true, realPath: join(workspace, 'assets', 'real') });
    assert.equal((await locate('images', linkedRoot)).inside, false);
  });

  it('never mistakes a sibling with the same prefix for the inside', async () => {
    const states: Record<string, PathState> = { '/w': { kind: 'real', path: '/w' }, '/w/out': { kind: 'real', path: '/w-other/out' } };
    const lookup = async (path: string): Promise<PathState> => states[path] ?? { kind: 'missing' };
    assert.deepEqual(await realLocation('/w', '/w/out', lookup, posix), { inside: false, realPath: '/w-other/out', danglingLink: false });
    const named = { '/w': { kind: 'real', path: '/w' }, '/w/..x': { kind: 'real', path: '/w/..x' } } as Record<string, PathState>;
    assert.equal((await realLocation('/w', '/w/..x', async (path) => named[path] ?? { kind: 'missing' }, posix)).inside, true, '"..x" is a name, not a climb');
    const windows: Record<string, PathState> = { 'C:\\W': { kind: 'real', path: 'C:\\W' }, 'C:\\W\\out': { kind: 'real', path: 'c:\\w\\out' } };
    assert.equal((await realLocation('C:\\W', 'C:\\W\\out', async (path) => windows[path] ?? { kind: 'missing' }, win32)).inside, true, 'drive paths compare case-insensitively');
  });

  it('says what was refused and what to do', async () => {
    const location = await locate('images');
    assert.ok(!location.inside);
    assert.equal(
      outsideThroughLinkError('The output folder "images" (setting gptImage.outputFolder)', location, 'workspace', 'point gptImage.outputFolder at a real folder inside it, or remove the link.'),
      `The output folder "images" (setting gptImage.outputFolder) resolves to ${elsewhere}, outside the workspace folder "workspace" (through a symbolic link). ` +
        'Images and their sidecars are only written inside the workspace; point gptImage.outputFolder at a real folder inside it, or remove the link.',
    );
  });

  it('without realpath (remote workspaces): finds the first linked segment, stops at the first missing one', async () => {
    const links = new Map<string, boolean>([
      ['a', false],
      ['a/b', true],
      ['x', false],
    ]);
    const asked: string[] = [];
    const isLink = async (prefix: readonly string[]): Promise<boolean | undefined> => {
      asked.push(prefix.join('/'));
      return links.get(prefix.join('/'));
    };
    assert.equal(await firstLinkedSegment(['a', 'b', 'c'], isLink), 'a/b');
    assert.equal(await firstLinkedSegment(['x', 'missing', 'deeper'], isLink), undefined);
    assert.deepEqual(asked, ['a', 'a/b', 'x', 'x/missing']);
    assert.equal(await firstLinkedSegment([], isLink), undefined);
  });
});
