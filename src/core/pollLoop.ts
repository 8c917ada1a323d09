import { ProviderError, errorMessage } from './errors';
import { providerLabels } from './ids';
import type { ProviderId } from './ids';
import { sleep, withRetry } from './retry';
import type { ResolvedRequest } from './request';
import type { ImageProvider, PollSchedule } from './provider';
import type { Logger } from './logger';

/** Used when a provider declares no schedule: Modellix's recommendation (docs/providers.md §5.6). */
export const fallbackSchedule: PollSchedule = { firstPollMs: 5_000, intervalMs: 5_000, deadlineMs: 15 * 60_000 };

/** Status reads retried per poll before the loop gives up for now (the task stays resumable). */
const pollRetries = 5;

export interface PollLoopOptions {
  readonly provider: ImageProvider;
  readonly providerId: ProviderId;
  readonly taskId: string;
  readonly request: Pick<ResolvedRequest, 'model' | 'size' | 'inputImages'>;
  /** When the task was submitted; a resumed task polls at once if its first-poll time has passed. */
  readonly submittedAt: number | undefined;
  readonly intervalOverrideMs: number | undefined;
  readonly signal: AbortSignal;
  readonly log: Logger;
  now(): number;
  onPoll?(providerState: string | undefined): void;
}

export type PollResult =
  | { readonly state: 'succeeded'; readonly resultUrls: readonly string[]; readonly expiresAt: number | undefined }
  | { readonly state: 'failed'; readonly error: ProviderError };

export function scheduleFor(provider: ImageProvider, request: Pick<ResolvedRequest, 'size'>, overrideMs: number | undefined): PollSchedule {
  const schedule = provider.pollSchedule?.(request) ?? fallbackSchedule;
  if (overrideMs === undefined) return schedule;
  return { firstPollMs: overrideMs, intervalMs: overrideMs, deadlineMs: schedule.deadlineMs };
}

/**
 * Polls one task until it succeeds or fails. Throws (leaving the task resumable) when cancelled,
 * when the deadline passes (kind 'timeout'), or when status reads keep failing after retries.
 * Returns at the first terminal state: a finished task is never polled again.
 */
export async function pollUntilDone(options: PollLoopOptions): Promise<PollResult> {
  const { provider, signal } = options;
  if (!provider.poll) {
    throw new ProviderError({ kind: 'invalidResponse', provider: options.providerId, message: `${providerLabels[options.providerId]} cannot be polled.` });
  }
  const poll = provider.poll.bind(provider);
  const schedule = scheduleFor(provider, options.request, options.intervalOverrideMs);
  const started = options.now();
  const deadline = started + schedule.deadlineMs;
  const firstPollAt = (options.submittedAt ?? started) + schedule.firstPollMs;
  await sleep(Math.max(0, Math.min(firstPollAt - started, schedule.firstPollMs)), signal);
  // A poll retry never waits much longer than the schedule would have anyway.
  const baseDelayMs = Math.min(1_000, schedule.intervalMs);
  const maxDelayMs = Math.max(2_000, schedule.intervalMs);
  for (;;) {
    const outcome = await withRetry(() => poll({ taskId: options.taskId, request: options.request }, signal), {
      retries: pollRetries,
      signal,
      baseDelayMs,
      maxDelayMs,
      onRetry: (error, attempt, delayMs) =>
        options.log.warn(`${options.providerId}: status of task ${options.taskId} failed (${errorMessage(error)}); retry ${attempt} in ${delayMs} ms`),
    });
    if (outcome.state === 'succeeded') return { state: 'succeeded', resultUrls: outcome.resultUrls, expiresAt: outcome.expiresAt };
    if (outcome.state === 'failed') return outcome;
    options.onPoll?.(outcome.providerState);
    if (options.now() + schedule.intervalMs > deadline) throw deadlineError(options, schedule);
    await sleep(schedule.intervalMs, signal);
  }
}

function deadlineError(options: PollLoopOptions, schedule: PollSchedule): ProviderError {
  const minutes = Math.round(schedule.deadlineMs / 60_000);
  return new ProviderError({
    kind: 'timeout',
    provider: options.providerId,
    taskId: options.taskId,
    message: `${providerLabels[options.providerId]} has not finished task ${options.taskId} after ${minutes} min of waiting; it stays in the journal and can be resumed later.`,
  });
}
