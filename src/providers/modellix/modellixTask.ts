import { ProviderError } from '../../core/errors';
import { clip, envelopeOf, field, isSuccessStatus, nonEmptyString, parseExpiry } from '../asyncTask';
import { getTaskStatus } from '../taskRequests';
import type { PollOutcome, ProviderContext } from '../../core/provider';
import { modellixInvalidResponse, modellixLabel, modellixRepeatableError } from './modellixErrors';
import { modellixTaskSchema } from './modellixSchemas';
import type { ModellixTask } from './modellixSchemas';

/** Status words Modellix's clients have seen (U-M8); anything else counts as still running. */
const runningStates = new Set(['pending', 'queued', 'created', 'processing', 'running', 'in_progress']);
const doneStates = new Set(['success', 'succeeded', 'completed', 'done']);
const failedStates = new Set(['failed', 'error', 'canceled', 'cancelled']);

/**
 * One status read: GET {base}/tasks/{id}. It does not loop or retry: the runner owns the poll
 * schedule and retries what this throws as retryable (429, 5xx, network).
 */
export async function pollModellixTask(context: ProviderContext, taskId: string, signal: AbortSignal): Promise<PollOutcome> {
  const url = `${context.baseUrl}/tasks/${encodeURIComponent(taskId)}`;
  const reply = await getTaskStatus(context, { provider: modellixLabel, url, taskId, signal });
  const envelope = envelopeOf(reply);
  if (!isSuccessStatus(envelope.status)) {
    throw modellixRepeatableError({ status: envelope.status, detail: envelope.message, operation: 'poll', requestId: reply.requestId, retryAfterMs: reply.retryAfterMs, taskId });
  }
  if (!envelope.valid) throw modellixInvalidResponse(`Modellix answered the status of task ${taskId} with something that is not its JSON envelope.`, reply.requestId, taskId);
  const task = modellixTaskSchema.safeParse(envelope.data);
  if (!task.success) throw modellixInvalidResponse(`Modellix's status of task ${taskId} has no readable data.`, reply.requestId, taskId);
  const outcome = interpretModellixTask(task.data, taskId, envelope.message);
  if (outcome.state === 'running' && outcome.providerState !== undefined && !runningStates.has(outcome.providerState)) {
    context.log.warn(`Modellix: task ${taskId} has the unfamiliar status "${outcome.providerState}"; still waiting for it.`);
  }
  return outcome;
}

/** Turns one task payload into running / succeeded / failed, tolerating the variants of U-M8. */
export function interpretModellixTask(task: ModellixTask, taskId: string, envelopeMessage: string | undefined): PollOutcome {
  const status = (task.status ?? task.state ?? '').trim().toLowerCase();
  if (doneStates.has(status)) {
    const urls = resultUrls(task);
    if (urls.length === 0) {
      return { state: 'failed', error: modellixInvalidResponse(`Modellix says task ${taskId} succeeded but lists no result image.`, undefined, taskId) };
    }
    const expiresAt =
      parseExpiry(task.result_expires_at) ?? parseExpiry(task.expires_at) ?? parseExpiry(task.result?.result_expires_at) ?? parseExpiry(task.result?.expires_at);
    return { state: 'succeeded', resultUrls: urls, expiresAt };
  }
  if (failedStates.has(status)) return { state: 'failed', error: failureError(task, taskId, status, envelopeMessage) };
  return { state: 'running', providerState: status === '' ? undefined : status };
}

/** Resources from data.result.resources, else data.resources (or DSH's output / image_urls); strings or {url}. */
function resultUrls(task: ModellixTask): string[] {
  const lists = [task.result?.resources, task.resources, task.output, task.image_urls];
  const list = lists.find((candidate) => Array.isArray(candidate) && candidate.length > 0) ?? [];
  const urls: string[] = [];
  for (const item of list) {
    const type = nonEmptyString(field(item, 'type'));
    if (type !== undefined && type !== 'image') continue;
    const url = typeof item === 'string' ? nonEmptyString(item) : nonEmptyString(field(item, 'url'));
    if (url !== undefined) urls.push(url);
  }
  return urls;
}

/** U-M6: the failure reason has no documented field, so take the first one that says something. */
function failureError(task: ModellixTask, taskId: string, status: string, envelopeMessage: string | undefined): ProviderError {
  const candidates = [
    nonEmptyString(field(task.error, 'message')),
    nonEmptyString(task.error),
    nonEmptyString(task.error_message),
    nonEmptyString(task.fail_reason),
    nonEmptyString(task.message),
    // "success" in the envelope describes the status read, not the task.
    envelopeMessage !== undefined && !/^(success|ok)$/i.test(envelopeMessage) ? envelopeMessage : undefined,
  ];
  const reason = candidates.find((candidate) => candidate !== undefined);
  const cancelled = status === 'canceled' || status === 'cancelled';
  const contentPolicy = reason !== undefined && /content|safety|moderat|policy|nsfw|violat/i.test(reason);
  const what = cancelled ? 'was cancelled' : 'failed';
  return new ProviderError({
    kind: contentPolicy ? 'contentPolicy' : 'taskFailed',
    provider: 'modellix',
    taskId,
    code: status,
    retryable: false,
    message: `Modellix task ${taskId} ${what}: ${reason ? clip(reason) : 'Modellix gave no reason'}.`,
  });
}
