/**
 * Every string in a message to the page passes through `scrub` (core/secrets.ts): a provider
 * may echo an API key in an error body, and whatever reaches the page also lands in its saved state.
 * Applied to the whole message rather than to known fields, so a new field cannot forget it.
 */
export function scrubStrings<T>(value: T, scrub: (text: string) => string): T {
  return scrubValue(value, scrub) as T;
}

function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, scrub));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, scrub)]));
  }
  return value;
}
