import { ProviderError } from '../../core/errors';
import { fileExtensions, mediaTypes } from '../../core/imageFormat';
import type { CheckedInputImage, ResolvedRequest } from '../../core/request';
import type { MultipartFile, MultipartPart } from '../multipart';
import type { OpenAiCompatibleFlavour } from './flavour';

/**
 * The JSON body of POST /images/generations. Only what the request has is sent (undefined means
 * "let the API default"); `model` always, because OpenAI's default model is dall-e-2 (docs/providers.md
 * §3.1); `response_format` never, because GPT image models reject it.
 */
export interface GenerationBody {
  model: string;
  prompt: string;
  n: number;
  size: string;
  quality?: string;
  background?: string;
  output_format?: string;
  output_compression?: number;
  /** Only with partial images (docs/providers.md §7.1); absent otherwise, so the answer is plain JSON. */
  stream?: true;
  partial_images?: number;
  moderation?: string;
}

export interface BuiltBody<T> {
  readonly body: T;
  /** Settings the flavour cannot send, reported instead of silently dropped. */
  readonly warnings: string[];
}

function wireSize(request: ResolvedRequest, flavour: OpenAiCompatibleFlavour): string {
  if (request.size.kind !== 'wxh') {
    throw new ProviderError({
      kind: 'badRequest',
      provider: flavour.id,
      message: `${flavour.label} takes a size in pixels (WIDTHxHEIGHT) or auto, not an aspect ratio with a tier.`,
    });
  }
  return request.size.value;
}

export function buildGenerationBody(request: ResolvedRequest, flavour: OpenAiCompatibleFlavour): BuiltBody<GenerationBody> {
  // A custom model is validated by its row (request.model) and sent under its own id.
  const body: GenerationBody = { model: request.customModel ?? request.model, prompt: request.prompt, n: request.n, size: wireSize(request, flavour) };
  if (request.quality !== undefined) body.quality = request.quality;
  const warnings: string[] = [];
  const output = outputOptions(request, flavour, warnings);
  if (request.moderation !== undefined) {
    if (flavour.sendsOutputOptions) output.moderation = request.moderation;
    else warnings.push(`${flavour.label} ignores moderation; "${request.moderation}" was not sent.`);
  }
  const stream = request.partialImages === undefined ? {} : { stream: true as const, partial_images: request.partialImages };
  return { body: { ...body, ...output, ...stream }, warnings };
}

function outputOptions(
  request: ResolvedRequest,
  flavour: OpenAiCompatibleFlavour,
  warnings: string[],
): Pick<GenerationBody, 'background' | 'output_format' | 'output_compression' | 'moderation'> {
  const asked = {
    background: request.background,
    output_format: request.outputFormat,
    output_compression: request.outputCompression,
  };
  const result: Pick<GenerationBody, 'background' | 'output_format' | 'output_compression' | 'moderation'> = {};
  for (const [name, value] of Object.entries(asked) as [keyof typeof asked, string | number | undefined][]) {
    if (value === undefined) continue;
    if (!flavour.sendsOutputOptions) {
      warnings.push(`${flavour.label} ignores ${name.replace('_', ' ')}; "${value}" was not sent.`);
      continue;
    }
    (result as Record<string, string | number>)[name] = value;
  }
  return result;
}

/** The multipart parts of POST /images/edits, in a fixed order so the body is reproducible. */
export function buildEditParts(request: ResolvedRequest, flavour: OpenAiCompatibleFlavour): BuiltBody<MultipartPart[]> {
  const generation = buildGenerationBody(request, flavour);
  const parts: MultipartPart[] = Object.entries(generation.body).map(([name, value]) => ({ name, value: String(value) }));
  // input_fidelity is never sent: gpt-image-2 always uses high fidelity and refuses the field (U-O2).
  request.inputImages.forEach((image, index) => parts.push(filePart('image[]', image, index, flavour)));
  if (request.mask) parts.push(filePart('mask', request.mask, 0, flavour));
  return { body: parts, warnings: generation.warnings };
}

/**
 * A file part named with the extension of its real format (sniffed from the magic bytes during
 * validation): Gravitex guesses the upstream MIME type from the file name alone (docs/providers.md §4.2).
 */
function filePart(name: string, image: CheckedInputImage, index: number, flavour: OpenAiCompatibleFlavour): MultipartFile {
  if (image.kind !== 'file') {
    throw new ProviderError({
      kind: 'badRequest',
      provider: flavour.id,
      message: `${flavour.label} takes reference images as files from your workspace, not URLs (${image.url}).`,
    });
  }
  const format = image.info.format;
  const base = image.fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '') || (name === 'mask' ? 'mask' : `image-${index + 1}`);
  return { name, fileName: `${stem}.${fileExtensions[format]}`, contentType: mediaTypes[format], data: image.bytes };
}
