import { isProviderError } from './errors';
import type { JobTask } from './journal';

/**
 * Result links of Modellix and APIXO work for about 24 hours after the task finished
 * (docs/providers.md §2.7): until then a failed download may only be early or passing, and is retried.
 */
export const resultLinkLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * ProviderError.code of a download that may succeed later while the links are valid: 403/404/410
 * (a CDN still catching up, or an expired signature) or a page that is not an image (a challenge).
 */
export const resultUnavailableCode = 'resultUnavailable';

export function isResultUnavailable(error: unknown): boolean {
  return isProviderError(error) && error.code === resultUnavailableCode;
}

/**
 * Until when a task's result links can still work: the provider's word if it gave one, else 24 h
 * after completion (records from before `completedAt` was kept: after the submit, the earliest it can be).
 */
export function linksValidUntil(task: Pick<JobTask, 'resultExpiresAt' | 'completedAt' | 'submittedAt'>): number | undefined {
  if (task.resultExpiresAt !== undefined) return task.resultExpiresAt;
  const completed = task.completedAt ?? task.submittedAt;
  return completed === undefined ? undefined : completed + resultLinkLifetimeMs;
}

/** `2026-05-12 14:22 UTC`: core has no locale, and a time zone in the text avoids guessing. */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
