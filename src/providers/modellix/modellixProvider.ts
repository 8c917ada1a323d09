import { ProviderError } from '../../core/errors';
import type { ResolvedRequest } from '../../core/request';
import { envelopeOf, isSuccessStatus, missingTaskIdError, taskIdIn } from '../asyncTask';
import type { JsonReply } from '../asyncTask';
import { modellixPollSchedule } from '../pollSchedule';
import { postPaid } from '../taskRequests';
import type { ImageProvider, ProviderContext, SubmitOutcome } from '../../core/provider';
import { modellixLabel, modellixPaidError } from './modellixErrors';
import { pollModellixTask } from './modellixTask';
import { deleteModellixUploads, uploadLocalInputs } from './modellixUpload';

/**
 * The docs use `/async`, Modellix's newest clients call it a removed alias (U-M1). After one 404 on
 * it we go straight to the plain path, saving a request per task. Kept per base URL for the whole
 * process, not per provider instance: the host builds a provider for every job.
 */
const plainPathWorksAt = new Map<string, boolean>();

/**
 * Modellix (docs/providers.md §5): submit a paid task, poll it, download the CDN URLs. Local input
 * images are uploaded first (§5.4) and deleted once the task has ended.
 */
export function createModellixProvider(context: ProviderContext): ImageProvider {
  return {
    id: 'modellix',
    submit: (request, signal, hooks) => submitModellix(context, request, signal, hooks?.onSent),
    prepareInputs: (request, signal) => uploadLocalInputs(context, request, signal),
    poll: (task, signal) => pollModellixTask(context, task.taskId, signal),
    pollSchedule: (request) => modellixPollSchedule(request.size),
    deleteUploads: (uploads, signal) => deleteModellixUploads(context, uploads, signal),
  };
}

/** The JSON body and model path for one task; throws before anything is sent when it cannot be built. */
export function buildModellixSubmit(request: ResolvedRequest): {
  modelPath: string;
  body: Record<string, unknown>;
  warnings: string[];
} {
  const warnings: string[] = [];
  if (request.size.kind !== 'wxh' || request.size.value === 'auto') {
    throw internalError('Modellix needs one of its preset sizes (WxH); the size was not mapped.');
  }
  if (request.n !== 1) throw internalError(`Modellix makes one image per task; this call asked for ${request.n}.`);
  const images: string[] = [];
  for (const image of request.inputImages) {
    if (image.kind !== 'url') throw internalError(`The local file ${image.source} was not uploaded before submitting to Modellix.`);
    images.push(image.url);
  }
  const edit = images.length > 0;
  let quality = request.quality;
  if (quality === undefined || quality === 'auto') {
    // Modellix's own default is `low`, a surprise for anyone used to OpenAI (docs/providers.md §2.6).
    if (quality === 'auto') warnings.push('Modellix has no "auto" quality; using "medium".');
    quality = 'medium';
  }
  const body: Record<string, unknown> = { prompt: request.prompt, size: request.size.value, quality };
  if (request.background !== undefined) {
    if (request.model === 'gpt-image-1.5') body.background = request.background;
    else warnings.push(`Modellix's ${request.model} has no background option; "${request.background}" is not sent.`);
  }
  if (edit) body.images = images;
  if (request.outputFormat !== undefined) warnings.push('Modellix does not let you choose the output format; it is not sent.');
  if (request.outputCompression !== undefined) warnings.push('Modellix does not let you choose the compression; it is not sent.');
  if (request.mask !== undefined) warnings.push('Modellix does not document masks for this model; the mask is not sent.');
  return { modelPath: `openai/${request.model}${edit ? '-edit' : ''}`, body, warnings };
}

async function submitModellix(
  context: ProviderContext,
  request: ResolvedRequest,
  signal: AbortSignal,
  onSent: (() => void) | undefined,
): Promise<SubmitOutcome> {
  const { modelPath, body, warnings } = buildModellixSubmit(request);
  const asyncUrl = `${context.baseUrl}/${modelPath}/async`;
  const plainUrl = `${context.baseUrl}/${modelPath}`;
  const plainPathWorks = (): boolean => plainPathWorksAt.get(context.baseUrl) ?? false;
  const firstUrl = plainPathWorks() ? plainUrl : asyncUrl;
  let reply = await postTask(context, firstUrl, body, signal, onSent);
  if (isNotFound(reply)) {
    // A 404 proves the task was not created, so trying the other documented path once is safe (U-M1).
    const otherUrl = firstUrl === asyncUrl ? plainUrl : asyncUrl;
    context.log.info(`Modellix: ${firstUrl === asyncUrl ? '/async' : 'the plain path'} answered 404; trying ${otherUrl}`);
    reply = await postTask(context, otherUrl, body, signal, onSent);
    if (!isNotFound(reply)) plainPathWorksAt.set(context.baseUrl, otherUrl === plainUrl);
  }
  const images = body.images;
  if (request.model === 'gpt-image-1.5' && Array.isArray(images) && rejectsImageStrings(reply)) {
    // U-M2: the 1.5-edit example sends {image_url} objects; a 400 is definite, so one retry is safe.
    context.log.info('Modellix: the edit was refused with images as strings; retrying once with {image_url} objects');
    const objects = { ...body, images: images.map((url: unknown) => ({ image_url: url })) };
    reply = await postTask(context, plainPathWorks() ? plainUrl : asyncUrl, objects, signal, onSent);
  }
  const taskId = taskIdFrom(reply);
  context.log.info(`Modellix: task ${taskId} submitted (${String(body.size)}, ${String(body.quality)})`);
  return { kind: 'task', taskId, warnings, response: { requestId: reply.requestId, model: request.model } };
}

function postTask(context: ProviderContext, url: string, body: Record<string, unknown>, signal: AbortSignal, onSent: (() => void) | undefined): Promise<JsonReply> {
  return postPaid(context, { provider: modellixLabel, operation: 'submit', url, contentType: 'application/json', body: JSON.stringify(body), signal, onSent });
}

function isNotFound(reply: JsonReply): boolean {
  return envelopeOf(reply).status === 404;
}

function rejectsImageStrings(reply: JsonReply): boolean {
  const envelope = envelopeOf(reply);
  return envelope.status === 400 && /image/i.test(envelope.message ?? reply.text);
}

function taskIdFrom(reply: JsonReply): string {
  const envelope = envelopeOf(reply);
  if (!isSuccessStatus(envelope.status)) {
    throw modellixPaidError({ status: envelope.status, detail: envelope.message, operation: 'submit', requestId: reply.requestId, fromEnvelope: envelope.fromEnvelope });
  }
  // Documented: data.task_id (docs/providers.md §5.5); Modellix's own DSH client also reads taskId and id.
  const taskId = taskIdIn(envelope.data, ['task_id', 'taskId', 'id']);
  if (taskId === undefined) throw missingTaskIdError(modellixLabel, reply);
  return taskId;
}

function internalError(message: string): ProviderError {
  return new ProviderError({ kind: 'badRequest', provider: 'modellix', message });
}
