/**
 * Removes the API key from text a provider sent back. OpenAI's 401 echoes a masked key, but a
 * gateway might echo the real one (or the whole Authorization header), and provider words are
 * quoted in errors that reach the journal, the Studio and the CLI.
 */
export function scrubSecret(text: string, secret: string | undefined): string {
  // A very short "key" would blank out ordinary words; no real key is that short.
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

/** The same for every string inside parsed JSON (an escaped key, e.g. with `\/`, survives a text scrub). */
export function scrubSecretDeep(value: unknown, secret: string | undefined): unknown {
  if (!secret || secret.length < 4) return value;
  if (typeof value === 'string') return scrubSecret(value, secret);
  if (Array.isArray(value)) return value.map((item) => scrubSecretDeep(item, secret));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, scrubSecretDeep(item, secret)]));
  }
  return value;
}
