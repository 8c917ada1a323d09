import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, createNonce, renderHtml } from '../../../src/webview/html';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

function render(nonce = createNonce()): { html: string; nonce: string } {
  const html = renderHtml({
    cspSource,
    nonce,
    scriptUri: `${cspSource}/ext/dist/webview.js`,
    styleUri: `${cspSource}/ext/media/studio.css`,
    title: 'GPT Image Studio',
  });
  return { html, nonce };
}

function cspOf(html: string): Map<string, string[]> {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(meta, 'the page declares a CSP meta tag');
  const directives = new Map<string, string[]>();
  for (const part of (meta[1] as string).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name, values);
  }
  return directives;
}

describe('renderHtml', () => {
  it('declares default-src none and allows scripts only with the nonce', () => {
    const { html, nonce } = render();
    const csp = cspOf(html);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(csp.get('style-src'), [cspSource]);
    assert.deepEqual(csp.get('img-src'), [cspSource], 'thumbnails come from the resource origin only: no https:, no data:');
    assert.deepEqual(csp.get('font-src'), [cspSource]);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('puts the nonce on every script tag and has no inline script', () => {
    const { html, nonce } = render();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 1);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes as string, new RegExp(`\\snonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
      assert.match(attributes as string, /\ssrc="[^"]+"/, 'every script is loaded from a file');
      assert.equal((body as string).trim(), '', 'no inline script body');
    }
    assert.equal((html.match(/<script\b/g) ?? []).length, scripts.length);
  });

  it('has no inline event handlers, inline styles or javascript: URLs', () => {
    const { html } = render();
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    assert.doesNotMatch(html, /<style\b|\sstyle\s*=/i);
    assert.doesNotMatch(html, /javascript:/i);
  });

  it('escapes the injected URIs so an attribute cannot be broken out of', () => {
    const html = renderHtml({
      cspSource,
      nonce: 'abc',
      scriptUri: 'https://x/a.js"><script>alert(1)</script>',
      styleUri: 'https://x/a.css',
      title: '<b>Studio</b>',
    });
    assert.equal((html.match(/<script\b/g) ?? []).length, 1);
    assert.match(html, /&quot;&gt;&lt;script&gt;/);
    assert.match(html, /<title>&lt;b&gt;Studio&lt;\/b&gt;<\/title>/);
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
    assert.match(contentSecurityPolicy('x', 'n'), /script-src 'nonce-n'/);
  });
});
