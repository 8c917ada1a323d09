import { isProviderId, providerIds } from './ids';
import type { ProviderId } from './ids';

/** A cap in USD per calendar day and/or calendar month (the user's local time). */
export interface SpendCap {
  readonly day?: number | undefined;
  readonly month?: number | undefined;
}

/**
 * `gptImage.spendLimit` (the extension, user settings only) or `GPT_IMAGE_SPEND_LIMIT` (the CLI, JSON):
 * `{ "day": 5, "month": 50, "providers": { "openai": { "day": 2 } } }`. The top-level caps count every
 * provider together; a provider's caps count that provider alone. Every cap that applies must hold.
 */
export interface SpendLimits extends SpendCap {
  readonly providers?: Partial<Record<ProviderId, SpendCap>> | undefined;
  /** Where the limits came from, named in every refusal (`gptImage.spendLimit`, `GPT_IMAGE_SPEND_LIMIT`). */
  readonly source: string;
}

export interface ParsedSpendLimits {
  /** Undefined when no cap is set. */
  readonly limits: SpendLimits | undefined;
  /** What was ignored and why (logged or printed as warnings). */
  readonly problems: readonly string[];
}

/**
 * Reads the limit's shape. A value that is not a non-negative number is reported and dropped; a
 * typo must be visible, and the caps that are valid still hold.
 */
export function parseSpendLimits(value: unknown, source: string): ParsedSpendLimits {
  const problems: string[] = [];
  if (value === undefined || value === null) return { limits: undefined, problems };
  if (!isRecord(value)) return { limits: undefined, problems: [`${source} must be an object such as { "day": 5, "month": 50 }; it is ignored.`] };
  const top = capOf(value, source, problems);
  const providers: Partial<Record<ProviderId, SpendCap>> = {};
  for (const key of Object.keys(value)) {
    if (key !== 'day' && key !== 'month' && key !== 'providers') problems.push(`${source}.${key} is not a limit (use day, month or providers); it is ignored.`);
  }
  const perProvider = value.providers;
  if (perProvider !== undefined) {
    if (!isRecord(perProvider)) problems.push(`${source}.providers must be an object keyed by provider (${providerIds.join(', ')}); it is ignored.`);
    else {
      for (const [id, cap] of Object.entries(perProvider)) {
        if (!isProviderId(id)) problems.push(`${source}.providers.${id} is not a provider (${providerIds.join(', ')}); it is ignored.`);
        else if (!isRecord(cap)) problems.push(`${source}.providers.${id} must be an object such as { "day": 2 }; it is ignored.`);
        else {
          const parsed = capOf(cap, `${source}.providers.${id}`, problems);
          if (parsed.day !== undefined || parsed.month !== undefined) providers[id] = parsed;
        }
      }
    }
  }
  const any = top.day !== undefined || top.month !== undefined || Object.keys(providers).length > 0;
  return { limits: any ? { ...top, providers, source } : undefined, problems };
}

function capOf(value: Readonly<Record<string, unknown>>, where: string, problems: string[]): SpendCap {
  const read = (name: 'day' | 'month'): number | undefined => {
    const raw = value[name];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) return raw;
    problems.push(`${where}.${name} must be a number of US dollars, 0 or more (got ${JSON.stringify(raw)}); it is ignored.`);
    return undefined;
  };
  return { day: read('day'), month: read('month') };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
