/**
 * Belt and braces for "no key in any log line": every key the extension hands to a provider is
 * registered here, and log lines and user-facing messages pass through `scrub` before they are
 * shown. Providers already redact headers; this catches a key echoed in an error body or a URL.
 */
export interface SecretScrubber {
  add(secret: string): void;
  scrub(text: string): string;
}

/** Keys shorter than this are too likely to match ordinary words to be replaced safely. */
const minimumSecretLength = 8;

export function createSecretScrubber(): SecretScrubber {
  const secrets = new Set<string>();
  return {
    add(secret) {
      const trimmed = secret.trim();
      if (trimmed.length >= minimumSecretLength) secrets.add(trimmed);
    },
    scrub(text) {
      let result = text;
      for (const secret of secrets) {
        if (result.includes(secret)) result = result.split(secret).join('[redacted]');
      }
      return result;
    },
  };
}
