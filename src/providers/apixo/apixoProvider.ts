import { localFileRefusal } from '../../core/capabilities';
import { ProviderError } from '../../core/errors';
import type { ResolvedRequest } from '../../core/request';
import { envelopeOf, isSuccessStatus, missingTaskIdError, taskIdIn } from '../asyncTask';
import type { JsonReply } from '../asyncTask';
import { apixoPollSchedule } from '../pollSchedule';
import { postPaid } from '../taskRequests';
import type { ImageProvider, ProviderContext, SubmitOutcome } from '../../core/provider';
import { apixoLabel, apixoSubmitError } from './apixoErrors';
import { pollApixoTask } from './apixoTask';

/**
 * APIXO (docs/providers.md §6): one paid task per image, polled until its state is final. It has no
 * upload API (§6.7), so edits take public https URLs only; a local file is refused before sending.
 */
export function createApixoProvider(context: ProviderContext): ImageProvider {
  return {
    id: 'apixo',
    submit: (request, signal, hooks) => submitApixo(context, request, signal, hooks?.onSent),
    poll: (task, signal) => pollApixoTask(context, task.taskId, task.request.model, signal),
    pollSchedule: (request) => apixoPollSchedule(request.size),
  };
}

/** The documented body: `request_type` async and `aspect_ratio`/`resolution` always explicit (U-A5), never `quality` (U-A2) or `provider`. */
export function buildApixoSubmit(request: ResolvedRequest): { body: Record<string, unknown>; warnings: string[] } {
  if (request.size.kind !== 'aspectTier') {
    throw new ProviderError({ kind: 'badRequest', provider: 'apixo', message: 'APIXO sizes by aspect ratio and resolution; the size was not mapped.' });
  }
  if (request.n !== 1) {
    throw new ProviderError({ kind: 'badRequest', provider: 'apixo', message: `APIXO makes one image per task; this call asked for ${request.n}.` });
  }
  const imageUrls: string[] = [];
  for (const image of request.inputImages) {
    if (image.kind !== 'url') {
      throw new ProviderError({ kind: 'badRequest', provider: 'apixo', message: localFileRefusal(apixoLabel, request.model, image.source) });
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

async function submitApixo(context: ProviderContext, request: ResolvedRequest, signal: AbortSignal, onSent: (() => void) | undefined): Promise<SubmitOutcome> {
  const { body, warnings } = buildApixoSubmit(request);
  const url = `${context.baseUrl}/generateTask/${encodeURIComponent(request.model)}`;
  const reply = await postPaid(context, { provider: apixoLabel, operation: 'submit', url, contentType: 'application/json', body: JSON.stringify(body), signal, onSent });
  const taskId = taskIdFrom(reply);
  context.log.info(`APIXO: task ${taskId} submitted (${String((body.input as Record<string, unknown>).resolution)})`);
  return { kind: 'task', taskId, warnings, response: { requestId: reply.requestId, model: request.model } };
}

function taskIdFrom(reply: JsonReply): string {
  const envelope = envelopeOf(reply);
  if (!isSuccessStatus(envelope.status)) {
    throw apixoSubmitError({ status: envelope.status, detail: envelope.message, requestId: reply.requestId, fromEnvelope: envelope.fromEnvelope });
  }
  // Documented: data.taskId (docs/providers.md §6.4); task_id and id as the Modellix clients read them, in case.
  const taskId = taskIdIn(envelope.data, ['taskId', 'task_id', 'id']);
  if (taskId === undefined) throw missingTaskIdError(apixoLabel, reply);
  return taskId;
}
