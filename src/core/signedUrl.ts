/**
 * Signed URLs are credentials: a result link from a CDN (X-Amz-Signature, X-Goog-Signature,
 * CloudFront's Signature/Key-Pair-Id, an Azure SAS `sig`), an upload URL, or a presigned link a user
 * gave as a reference image grants access to whoever holds it until it expires. The journal and the
 * sidecars (often committed with the images) keep such URLs without their query; the full URL lives
 * only in memory while it is needed, and a result link is asked from the provider again when a later
 * process needs it (core/jobSession.ts).
 */

/** Query parameter names that carry a signature, a credential or an expiry bound to one. */
const signedParameter = /sig|token|key|credential|expires|policy|auth|secret|security|session|password/i;

/** Whether `url` carries credentials: a signed-looking query parameter, or a user name or password. */
export function isSignedUrl(url: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.username !== '' || parsed.password !== '') return true;
  return [...parsed.searchParams.keys()].some((name) => signedParameter.test(name));
}

/**
 * What may be stored of `url`: the URL itself, or, when it is signed, the URL without its query,
 * fragment and credentials (still enough to recognise the file, useless to fetch it).
 */
export function storableUrl(url: string): string {
  if (!isSignedUrl(url)) return url;
  const parsed = parse(url) as URL;
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString();
}

/** The storable form of each URL, and whether any lost its signature (so it must be fetched anew to use). */
export function storableUrls(urls: readonly string[]): { readonly urls: string[]; readonly redacted: boolean } {
  const stored = urls.map(storableUrl);
  return { urls: stored, redacted: stored.some((url, index) => url !== urls[index]) };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
