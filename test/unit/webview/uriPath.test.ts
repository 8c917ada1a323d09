import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasNoDotSegments } from '../../../src/webview/uriPath';

describe('hasNoDotSegments (reference URIs from the Studio page)', () => {
  it('accepts ordinary paths, including names that merely contain dots', () => {
    assert.equal(hasNoDotSegments('/ws/art/photo.png'), true);
    assert.equal(hasNoDotSegments('/ws/..hidden/a..b.png'), true);
    assert.equal(hasNoDotSegments('/c:/Users/me/ws/photo.png'), true);
  });

  it('refuses a path that climbs out of (or wanders around in) the workspace', () => {
    assert.equal(hasNoDotSegments('/ws/../../home/u/secret.png'), false);
    assert.equal(hasNoDotSegments('/ws/./photo.png'), false);
    assert.equal(hasNoDotSegments('/ws/art\\..\\..\\secret.png'), false);
    assert.equal(hasNoDotSegments('/ws/..'), false);
  });
});
