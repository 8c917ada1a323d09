import type { BatchEndpoint } from '../../core/batch/batchApiJob';
import { mediaTypes } from '../../core/imageFormat';
import type { CheckedInputImage, ResolvedRequest } from '../../core/request';
import { openAiFlavour } from '../openAiCompatible/flavour';
import { buildGenerationBody } from '../openAiCompatible/requestBody';

/** A data URL may be at most this many characters (docs/providers.md §7.3, JSON edit body). */
export const maxImageUrlChars = 20_971_520;
/** Sizes the JSON edit body lists (U-O3); custom sizes in a batch edit are unverified, so refused. */
const jsonEditSizes = ['auto', '1024x1024', '1536x1024', '1024x1536'];

export type BatchLineBody = { readonly endpoint: BatchEndpoint; readonly body: Record<string, unknown> } | { readonly problem: string };

/**
 * The `body` of one JSONL line: the synchronous endpoint's parameters (docs/providers.md §7.3).
 * Generations send exactly the synchronous JSON body; edits the JSON edit body, images as data
 * URLs, since a line cannot carry multipart. `stream` is never sent in a batch.
 */
export function batchLineBody(call: ResolvedRequest): BatchLineBody {
  const built = buildGenerationBody({ ...call, partialImages: undefined }, openAiFlavour);
  const body: Record<string, unknown> = { ...built.body };
  if (call.inputImages.length === 0) return { endpoint: '/v1/images/generations', body };
  if (!jsonEditSizes.includes(String(body.size))) {
    return { problem: `size ${String(body.size)} cannot be sent in a Batch API edit: its JSON body takes only ${jsonEditSizes.join(', ')}.` };
  }
  const images: { image_url: string }[] = [];
  for (const image of call.inputImages) {
    const url = imageUrl(image);
    if (typeof url !== 'string') return url;
    images.push({ image_url: url });
  }
  body.images = images;
  if (call.mask) {
    const mask = imageUrl(call.mask);
    if (typeof mask !== 'string') return mask;
    body.mask = { image_url: mask };
  }
  return { endpoint: '/v1/images/edits', body };
}

function imageUrl(image: CheckedInputImage): string | { problem: string } {
  if (image.kind === 'url') return image.url;
  const url = `data:${mediaTypes[image.info.format]};base64,${Buffer.from(image.bytes).toString('base64')}`;
  if (url.length > maxImageUrlChars) {
    return { problem: `${image.source} is too large to send in a Batch API edit (a data URL is limited to ${maxImageUrlChars} characters, about 15 MB of image).` };
  }
  return url;
}

/** One line of the input file, exactly as uploaded. */
export function batchInputLine(customId: string, endpoint: BatchEndpoint, body: Record<string, unknown>): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url: endpoint, body });
}
