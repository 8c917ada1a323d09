import { providersAcceptingLocalFiles } from '../../core/capabilities';
import { ProviderError, isProviderError } from '../../core/errors';
import { providerLabels } from '../../core/ids';
import type { ResolvedRequest } from '../../core/request';
import { authorizationFor } from '../http';
import { isSuccessStatus, nonEmptyString, readJsonReply, unknownOutcomeError } from '../asyncTask';
import type { JsonReply } from '../asyncTask';
import { apixoPollSchedule } from '../pollSchedule';
import type { ImageProvider, ProviderContext, SubmitOutcome } from '../types';
import { apixoLabel, apixoSubmitError } from './apixoErrors';
import { apixoCodeOf, apixoEnvelopeSchema, apixoSubmitDataSchema } from './apixoSchemas';
import { pollApixoTask } from './apixoTask';

/**
 * APIXO (providers.md §3): one paid task per image, polled until its state is final. It has no
 * upload API (§3.10), so edits take public https URLs only; a local file is refused before sending.
 */
export function createApixoProvider(context: ProviderContext): ImageProvider {
  return {
    id: 'apixo',
    submit: (request, signal) => submitApixo(context, request, signal),
    poll: (task, signal) => pollApixoTask(context, task.taskId, task.request.model, signal),
    pollSchedule: (request) => apixoPollSchedule(request.size),
  };
}

/** The documented body: `request_type` async and `aspect_ratio`/`resolution` always explicit (U-A5), never `quality` (U-A2) or `provider`. */
export function buildApixoSubmit(request: ResolvedRequest): { body: Record<string, unknown>; warnings: string[] } {
  if (request.size.kind !== 'aspectTier') {
    throw new ProviderError({ kind: 'badRequest', provider: apixoLabel, message: 'APIXO sizes by aspect ratio and resolution; the size was not mapped.' });
  }
  if (request.n !== 1) {
    throw new ProviderError({ kind: 'badRequest', provider: apixoLabel, message: `APIXO makes one image per task; this call asked for ${request.n}.` });
  }
  const imageUrls: string[] = [];
  for (const image of request.inputImages) {
    if (image.kind !== 'url') {
      const others = providersAcceptingLocalFiles(request.model).map((id) => providerLabels[id]);
      throw new ProviderError({
        kind: 'badRequest',
        provider: apixoLabel,
        message: `APIXO needs a public https image URL and cannot use a file from your workspace (${image.source}); ${others.join(', ')} can edit a local file.`,
      });
    }
    imageUrls.push(image.url);
  }
  const warnings: string[] = [];
  if (request.quality !== undefined) warnings.push(`APIXO has no quality option for ${request.model}; "${request.quality}" is not sent.`);
  if (request.background !== undefined) warnings.push(`APIXO has no background option; "${request.background}" is not sent.`);
  if (request.outputFormat !== undefined) warnings.push('APIXO does not let you choose the output format; it is not sent.');
  if (request.outputCompression !== undefined) warnings.push('APIXO does not let you choose the compression; it is not sent.');
  if (request.mask !== undefined) warnings.push('APIXO does not take a mask; it is not sent.');
  const edit = imageUrls.length > 0;
  const input: Record<string, unknown> = { mode: edit ? 'image-to-image' : 'text-to-image', prompt: request.prompt };
  if (edit) input.image_urls = imageUrls;
  input.aspect_ratio = request.size.aspect;
  input.resolution = request.size.tier;
  return { body: { request_type: 'async', input }, warnings };
}

async function submitApixo(context: ProviderContext, request: ResolvedRequest, signal: AbortSignal): Promise<SubmitOutcome> {
  const { body, warnings } = buildApixoSubmit(request);
  const url = `${context.baseUrl}/generateTask/${encodeURIComponent(request.model)}`;
  const apiKey = await context.getApiKey();
  const response = await context.http.send({
    method: 'POST',
    url,
    headers: { ...authorizationFor(context.baseUrl, url, apiKey), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: context.requestTimeoutMs,
    signal,
    paid: true,
    provider: apixoLabel,
  });
  let reply: JsonReply;
  try {
    reply = await readJsonReply(response);
  } catch (error) {
    if (isProviderError(error) && error.kind === 'aborted') throw error;
    throw unknownOutcomeError({ provider: apixoLabel, what: 'task', status: response.status, detail: 'broke the connection while answering the submit' });
  }
  const taskId = taskIdFrom(reply);
  context.log.info(`APIXO: task ${taskId} submitted (${String((body.input as Record<string, unknown>).resolution)})`);
  return { kind: 'task', taskId, warnings, response: { requestId: reply.requestId, model: request.model } };
}

function taskIdFrom(reply: JsonReply): string {
  const envelope = apixoEnvelopeSchema.safeParse(reply.json);
  const message = envelope.success ? nonEmptyString(envelope.data.message) : undefined;
  if (!isSuccessStatus(reply.status)) throw apixoSubmitError({ status: reply.status, detail: message, requestId: reply.requestId });
  const code = envelope.success ? apixoCodeOf(envelope.data) : undefined;
  // The body code mirrors HTTP; an error code inside a 200 is still an error.
  if (code !== undefined && code !== 0 && !isSuccessStatus(code)) {
    throw apixoSubmitError({ status: code, detail: message, requestId: reply.requestId, fromEnvelope: true });
  }
  const data = envelope.success ? apixoSubmitDataSchema.safeParse(envelope.data.data) : undefined;
  const taskId = data?.success ? nonEmptyString(data.data.taskId) ?? nonEmptyString(data.data.task_id) : undefined;
  if (taskId === undefined) {
    throw unknownOutcomeError({
      provider: apixoLabel,
      what: 'task',
      status: reply.status,
      requestId: reply.requestId,
      detail: reply.json === undefined ? 'answered the submit with something that is not JSON' : 'answered the submit without a task id',
    });
  }
  return taskId;
}
