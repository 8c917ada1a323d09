/**
 * Keys never travel on in text: every string a provider sent back, and every log line and message,
 * passes through here. One rule for every layer: a "key" shorter than `minimumSecretLength` is not
 * replaced (it would blank out ordinary words, and no real key is that short).
 */
export const minimumSecretLength = 8;

const replacement = '[redacted]';

/** Removes one key from text a provider sent back (a gateway may echo it, or the whole Authorization header). */
export function scrubSecret(text: string, secret: string | undefined): string {
  return secret !== undefined && secret.length >= minimumSecretLength ? text.split(secret).join(replacement) : text;
}

/** The same for every string inside parsed JSON (an escaped key, e.g. with `\/`, survives a text scrub). */
export function scrubSecretDeep(value: unknown, secret: string | undefined): unknown {
  if (secret === undefined || secret.length < minimumSecretLength) return value;
  if (typeof value === 'string') return scrubSecret(value, secret);
  if (Array.isArray(value)) return value.map((item) => scrubSecretDeep(item, secret));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, scrubSecretDeep(item, secret)]));
  }
  return value;
}

/**
 * Every key a host hands to a provider is registered here, so its log lines and user-facing
 * messages can be scrubbed of all of them: belt and braces on top of the providers' own scrubbing.
 */
export interface SecretScrubber {
  add(secret: string): void;
  scrub(text: string): string;
}

export function createSecretScrubber(): SecretScrubber {
  const secrets = new Set<string>();
  return {
    add(secret) {
      const trimmed = secret.trim();
      if (trimmed.length >= minimumSecretLength) secrets.add(trimmed);
    },
    scrub(text) {
      let result = text;
      for (const secret of secrets) result = scrubSecret(result, secret);
      return result;
    },
  };
}
