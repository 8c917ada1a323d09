/**
 * Checks a provider base URL. Plain http is allowed only for loopback (fake providers, a local
 * gateway): anything else would send the key in clear text.
 * Returns the URL without a trailing slash, or an error message.
 */
export function normalizeBaseUrl(value: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, error: `"${value}" is not a valid URL.` };
  }
  if (url.username || url.password) return { ok: false, error: 'A base URL must not contain credentials.' };
  if (url.search || url.hash) return { ok: false, error: 'A base URL must not have a query string or fragment.' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, error: `Refusing plain http to ${url.host}: use https (plain http is allowed only for localhost).` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `A base URL must use https, not ${url.protocol.replace(':', '')}.` };
  }
  return { ok: true, url: url.toString().replace(/\/+$/, '') };
}

/**
 * Loopback as a URL's `hostname` spells it (WHATWG URL has already normalized `127.1`, `0x7f.1`
 * and `[0:0:0:0:0:0:0:1]`): localhost, all of 127.0.0.0/8, ::1 and IPv4-mapped 127/8
 * (`[::ffff:7f00:1]`). The one definition: plain http is allowed there, and requests there never
 * go through a proxy (providers/http.ts).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host) || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}
