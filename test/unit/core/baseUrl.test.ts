import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, normalizeBaseUrl } from '../../../src/core/baseUrl';
import { defaultBaseUrls, providerIds } from '../../../src/core/ids';

describe('base URLs', () => {
  it('accepts https and strips trailing slashes', () => {
    assert.deepEqual(normalizeBaseUrl(' https://api.openai.com/v1/ '), { ok: true, url: 'https://api.openai.com/v1' });
    assert.deepEqual(normalizeBaseUrl('https://gateway.example.invalid/openai//'), { ok: true, url: 'https://gateway.example.invalid/openai' });
    for (const id of providerIds) assert.deepEqual(normalizeBaseUrl(defaultBaseUrls[id]), { ok: true, url: defaultBaseUrls[id] });
  });

  it('allows plain http for loopback only', () => {
    assert.deepEqual(normalizeBaseUrl('http://127.0.0.1:8080/v1'), { ok: true, url: 'http://127.0.0.1:8080/v1' });
    assert.equal(normalizeBaseUrl('http://localhost:3000').ok, true);
    assert.equal(normalizeBaseUrl('http://[::1]:3000/v1').ok, true);
    const refused = normalizeBaseUrl('http://api.openai.com/v1');
    assert.deepEqual(refused, { ok: false, error: 'Refusing plain http to api.openai.com: use https (plain http is allowed only for localhost).' });
    assert.equal(normalizeBaseUrl('http://127.0.0.1.example.invalid/v1').ok, false);
  });

  it('refuses credentials, queries, fragments, other schemes and garbage', () => {
    assert.deepEqual(normalizeBaseUrl('https://user:pw@api.openai.com/v1'), { ok: false, error: 'A base URL must not contain credentials.' });
    assert.equal(normalizeBaseUrl('https://api.openai.com/v1?key=1').ok, false);
    assert.equal(normalizeBaseUrl('https://api.openai.com/v1#x').ok, false);
    assert.deepEqual(normalizeBaseUrl('ftp://files.example.invalid'), { ok: false, error: 'A base URL must use https, not ftp.' });
    assert.deepEqual(normalizeBaseUrl('not a url'), { ok: false, error: '"not a url" is not a valid URL.' });
  });

  it('knows what loopback is', () => {
    assert.ok(isLoopbackHost('localhost'));
    assert.ok(isLoopbackHost('127.10.0.1'));
    assert.ok(isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('128.0.0.1'));
    assert.ok(!isLoopbackHost('localhost.example.invalid'));
    for (const url of ['http://127.1/', 'http://0x7f.0.0.9/', 'http://[0:0:0:0:0:0:0:1]/', 'http://[::ffff:127.0.0.1]/', 'http://LOCALHOST/']) {
      assert.ok(isLoopbackHost(new URL(url).hostname), url);
    }
    for (const url of ['http://[::ffff:128.0.0.1]/', 'http://[::2]/', 'http://127.0.0.1.example.invalid/']) assert.ok(!isLoopbackHost(new URL(url).hostname), url);
  });
});
