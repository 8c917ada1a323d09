import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInputSource } from '../../../src/host/inputSourcePath';

describe('parseInputSource (reading a recorded input image back)', () => {
  const single = ['site'];
  const multi = ['site', 'assets'];

  it('keeps full URIs as they are (other roots, remotes)', () => {
    assert.deepEqual(parseInputSource('file:///home/me/assets/cat.png', multi), { kind: 'uri', uri: 'file:///home/me/assets/cat.png' });
    assert.deepEqual(parseInputSource('vscode-remote://ssh-remote%2Bbox/w/cat.png', single), {
      kind: 'uri',
      uri: 'vscode-remote://ssh-remote%2Bbox/w/cat.png',
    });
  });

  it('reads absolute paths, POSIX and Windows, as paths', () => {
    assert.deepEqual(parseInputSource('/home/me/cat.png', []), { kind: 'absolute', path: '/home/me/cat.png' });
    assert.deepEqual(parseInputSource('C:\\art\\cat.png', []), { kind: 'absolute', path: 'C:\\art\\cat.png' });
  });

  it('resolves relative paths against the first folder, or a folder named by the first segment in multi-root', () => {
    assert.deepEqual(parseInputSource('art/cat.png', single), { kind: 'relative', folderIndex: 0, segments: ['art', 'cat.png'] });
    assert.deepEqual(parseInputSource('assets/art/cat.png', multi), { kind: 'relative', folderIndex: 1, segments: ['art', 'cat.png'] });
    // With a single folder a leading segment that happens to be its name is an ordinary folder.
    assert.deepEqual(parseInputSource('site/cat.png', single), { kind: 'relative', folderIndex: 0, segments: ['site', 'cat.png'] });
    assert.deepEqual(parseInputSource('art\\cat.png', multi), { kind: 'relative', folderIndex: 0, segments: ['art', 'cat.png'] });
  });

  it('refuses a relative path that climbs out, or one with no folder to resolve against', () => {
    assert.equal(parseInputSource('../../secret.png', single), undefined);
    assert.equal(parseInputSource('art/../../secret.png', single), undefined);
    assert.equal(parseInputSource('art/cat.png', []), undefined);
  });
});
