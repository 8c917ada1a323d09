import { isLoopbackHost } from '../../core/baseUrl';
import { fileExtensions, mediaTypes } from '../../core/imageFormat';
import type { CheckedInputImage, ResolvedRequest } from '../../core/request';
import { envelopeOf, field, isSuccessStatus, nonEmptyString, readJsonReply } from '../asyncTask';
import type { JsonReply } from '../asyncTask';
import { encodeMultipart, multipartContentType, pickBoundary } from '../multipart';
import { postPaid, sendWithKey } from '../taskRequests';
import type { PreparedInputs, ProviderContext, UploadedInput } from '../../core/provider';
import { modellixInvalidResponse, modellixLabel, modellixPaidError } from './modellixErrors';
import { modellixUploadSchema } from './modellixSchemas';

const deleteTimeoutMs = 15_000;

/**
 * Modellix takes input images as https URLs only, so each local file is uploaded first
 * (POST /media/files, docs/providers.md §5.4); URLs the user gave pass through as they are.
 * If one upload fails, the ones before it are deleted again.
 */
export async function uploadLocalInputs(context: ProviderContext, request: ResolvedRequest, signal: AbortSignal): Promise<PreparedInputs> {
  const uploads: UploadedInput[] = [];
  const prepare = async (image: CheckedInputImage): Promise<CheckedInputImage> => {
    if (image.kind === 'url') return image;
    const uploaded = await uploadFile(context, image, signal);
    uploads.push(uploaded);
    return { kind: 'url', url: uploaded.url };
  };
  try {
    const inputImages: CheckedInputImage[] = [];
    for (const image of request.inputImages) inputImages.push(await prepare(image));
    const mask = request.mask === undefined ? undefined : await prepare(request.mask);
    return { inputImages, mask, uploads };
  } catch (error) {
    // The caller never sees these uploads, so it could not delete them: do it here, even after a cancel.
    await deleteModellixUploads(context, uploads, AbortSignal.timeout(deleteTimeoutMs));
    throw error;
  }
}

/** One multipart part named `file`, with a file name whose extension matches the bytes. */
export function multipartFileBody(image: Extract<CheckedInputImage, { kind: 'file' }>): { body: Buffer; contentType: string } {
  const format = image.info.format;
  const boundary = pickBoundary();
  const part = { name: 'file', fileName: partFileName(image.fileName, fileExtensions[format]), contentType: mediaTypes[format], data: image.bytes };
  return { body: encodeMultipart([part], boundary), contentType: multipartContentType(boundary) };
}

/** ASCII only and no quotes (a header value); the extension follows the sniffed format. */
function partFileName(fileName: string, extension: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? 'image').replace(/\.[^.]*$/, '');
  const safe = base.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 100) || 'image';
  return `${safe}.${extension}`;
}

async function uploadFile(context: ProviderContext, image: Extract<CheckedInputImage, { kind: 'file' }>, signal: AbortSignal): Promise<UploadedInput> {
  const url = `${context.baseUrl}/media/files`;
  const { body, contentType } = multipartFileBody(image);
  context.log.info(`Modellix: uploading ${image.source} (${body.byteLength} bytes)`);
  const reply = await postPaid(context, { provider: modellixLabel, operation: 'upload', url, contentType, body, signal });
  return uploadedFrom(reply, image.source);
}

function uploadedFrom(reply: JsonReply, source: string): UploadedInput {
  const envelope = envelopeOf(reply);
  if (!isSuccessStatus(envelope.status)) {
    throw modellixPaidError({ status: envelope.status, detail: envelope.message, operation: 'upload', requestId: reply.requestId, fromEnvelope: envelope.fromEnvelope });
  }
  // The fields sit in `data`, or at the top level (the DSH client accepts both).
  const nested = modellixUploadSchema.safeParse(field(reply.json, 'data'));
  const flat = modellixUploadSchema.safeParse(reply.json);
  const fields = nested.success && nested.data.url ? nested.data : flat.success ? flat.data : undefined;
  const url = nonEmptyString(fields?.url);
  if (url === undefined || !isUsableUrl(url)) {
    throw modellixInvalidResponse(`Modellix accepted the upload of ${source} but returned no usable https URL for it.`, reply.requestId);
  }
  const fileId = fields?.file_id ?? fields?.id;
  return { fileId: fileId === null || fileId === undefined ? '' : String(fileId), url };
}

/** Modellix fetches inputs over https; plain http is only plausible from a local test server. */
function isUsableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  } catch {
    return false;
  }
}

/**
 * DELETE /media/files/{file_id} for each upload, once every task using it has ended. Best effort:
 * a failure is logged, never thrown (the file's retention is unknown, U-M5, but it is not ours to keep).
 */
export async function deleteModellixUploads(context: ProviderContext, uploads: readonly UploadedInput[], signal: AbortSignal): Promise<void> {
  for (const upload of uploads) {
    if (upload.fileId === '') {
      context.log.warn('Modellix: an upload has no file id, so it cannot be deleted.');
      continue;
    }
    const url = `${context.baseUrl}/media/files/${encodeURIComponent(upload.fileId)}`;
    try {
      const response = await sendWithKey(context, { method: 'DELETE', url, timeoutMs: deleteTimeoutMs, signal, paid: false, provider: modellixLabel });
      const reply = await readJsonReply(response);
      if (!isSuccessStatus(reply.status) && reply.status !== 404) {
        context.log.warn(`Modellix: deleting upload ${upload.fileId} answered HTTP ${reply.status}; it stays on Modellix.`);
      }
    } catch (error) {
      context.log.warn(`Modellix: deleting upload ${upload.fileId} failed (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
}
