import type { BatchEndpoint } from '../../core/batch/batchApiJob';
import { mediaTypes } from '../../core/imageFormat';
import type { CheckedInputImage, ResolvedRequest } from '../../core/request';
import { openAiFlavour } from '../openAiCompatible/flavour';
import { buildGenerationBody } from '../openAiCompatible/requestBody';

/** Sizes the JSON edit body lists (U-O3); custom sizes in a batch edit are unverified, so refused. */
const jsonEditSizes = ['auto', '1024x1024', '1536x1024', '1024x1536'];

export type BatchLineBody = { readonly endpoint: BatchEndpoint; readonly body: Record<string, unknown> } | { readonly problem: string };

/**
 * The `body` of one JSONL line: the synchronous endpoint's parameters (docs/providers.md §7.3).
 * Generations send exactly the synchronous JSON body; edits the JSON edit body, since a line cannot carry
 * multipart. Local images are data URLs here, in the JSONL kept in the journal; the runner uploads
 * each once and sends its `file_id` instead (core/batch/batchApiImages.ts), so the 20 MB limit of a
 * data URL never applies. `stream` is never sent in a batch.
 */
export function batchLineBody(call: ResolvedRequest): BatchLineBody {
  const built = buildGenerationBody({ ...call, partialImages: undefined }, openAiFlavour);
  const body: Record<string, unknown> = { ...built.body };
  if (call.inputImages.length === 0) return { endpoint: '/v1/images/generations', body };
  if (!jsonEditSizes.includes(String(body.size))) {
    return { problem: `size ${String(body.size)} cannot be sent in a Batch API edit: its JSON body takes only ${jsonEditSizes.join(', ')}.` };
  }
  body.images = call.inputImages.map((image) => ({ image_url: imageUrl(image) }));
  if (call.mask) body.mask = { image_url: imageUrl(call.mask) };
  return { endpoint: '/v1/images/edits', body };
}

function imageUrl(image: CheckedInputImage): string {
  if (image.kind === 'url') return image.url;
  return `data:${mediaTypes[image.info.format]};base64,${Buffer.from(image.bytes).toString('base64')}`;
}

/** One line of the input file, exactly as uploaded. */
export function batchInputLine(customId: string, endpoint: BatchEndpoint, body: Record<string, unknown>): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url: endpoint, body });
}
