import { ProviderError } from '../../core/errors';
import { envelopeOf, isSuccessStatus, nonEmptyString } from '../asyncTask';
import { getTaskStatus } from '../taskRequests';
import type { PollOutcome, ProviderContext } from '../../core/provider';
import { apixoLabel, apixoPollError, apixoTaskFailure } from './apixoErrors';
import { apixoResultSchema, apixoStatusSchema } from './apixoSchemas';
import type { ApixoStatus } from './apixoSchemas';

const runningStates = new Set(['pending', 'processing', 'queued', 'running', 'waiting']);

/**
 * One status read: GET {base}/statusTask/{model}?taskId=… (the model must match the submit's).
 * No loop, no retry: the runner owns the schedule and retries what this throws as retryable.
 */
export async function pollApixoTask(context: ProviderContext, taskId: string, model: string, signal: AbortSignal): Promise<PollOutcome> {
  const url = `${context.baseUrl}/statusTask/${encodeURIComponent(model)}?taskId=${encodeURIComponent(taskId)}`;
  const reply = await getTaskStatus(context, { provider: apixoLabel, url, taskId, signal });
  const envelope = envelopeOf(reply);
  if (!isSuccessStatus(envelope.status)) {
    throw apixoPollError({ status: envelope.status, detail: envelope.message, requestId: reply.requestId, retryAfterMs: reply.retryAfterMs, taskId });
  }
  if (!envelope.valid) throw invalid(`APIXO answered the status of task ${taskId} with something that is not its JSON envelope.`, taskId);
  const status = apixoStatusSchema.safeParse(envelope.data);
  if (!status.success) throw invalid(`APIXO's status of task ${taskId} has no readable data.`, taskId);
  const outcome = interpretApixoStatus(status.data, taskId);
  if (outcome.state === 'running' && outcome.providerState !== undefined && !runningStates.has(outcome.providerState)) {
    context.log.warn(`APIXO: task ${taskId} has the unfamiliar state "${outcome.providerState}"; still waiting for it.`);
  }
  return outcome;
}

/** Branches on `data.state`, never on HTTP: a failed task arrives as HTTP 200, code 200 (U-A7). */
export function interpretApixoStatus(status: ApixoStatus, taskId: string): PollOutcome {
  const state = (status.state ?? '').trim().toLowerCase();
  if (state === 'success') {
    const urls = resultUrls(status.resultJson);
    if (urls === undefined) return { state: 'failed', error: invalid(`APIXO says task ${taskId} succeeded but its resultJson is unreadable.`, taskId) };
    if (urls.length === 0) return { state: 'failed', error: invalid(`APIXO says task ${taskId} succeeded but lists no result image.`, taskId) };
    // Result URLs live 24 hours (docs/providers.md §6.4), counted from completion.
    const completed = status.completeTime ?? undefined;
    return { state: 'succeeded', resultUrls: urls, expiresAt: completed !== undefined ? completed + 24 * 3600_000 : undefined };
  }
  if (state === 'failed') {
    return { state: 'failed', error: apixoTaskFailure(taskId, nonEmptyString(status.failCode), nonEmptyString(status.failMsg)) };
  }
  return { state: 'running', providerState: state === '' ? undefined : state };
}

/** `resultJson` is a JSON string holding {"resultUrls": [...]}; undefined when it cannot be read. */
function resultUrls(resultJson: unknown): string[] | undefined {
  let value = resultJson;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const parsed = apixoResultSchema.safeParse(value);
  if (!parsed.success) return undefined;
  // All of them, in case a task ever returns more than one image (U-A4).
  return (parsed.data.resultUrls ?? []).map((url) => nonEmptyString(url)).filter((url): url is string => url !== undefined);
}

function invalid(message: string, taskId: string): ProviderError {
  return new ProviderError({ kind: 'invalidResponse', provider: 'apixo', taskId, message });
}
