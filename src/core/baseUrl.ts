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

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
