import { z } from 'zod';
import { capabilityFor, localFileRefusal, transparencySwitch } from './capabilities';
import type { ModelCapability } from './capabilities';
import { InputError } from './errors';
import { backgrounds, modelIds, moderations, outputFormats, providerIds, providerLabels, qualities } from './ids';
import type { Background, ModelId, Moderation, OutputFormat, ProviderId, Quality } from './ids';
import { readImageInfo, sniffImageFormat } from './imageFormat';
import type { ImageInfo } from './imageFormat';
import { parseSizeIntent, resolveSize } from './size';
import type { WireSize } from './size';

/** A reference image or mask: a workspace file already read into memory, or a public https URL. */
export type InputImage =
  | {
      readonly kind: 'file';
      /** Where it came from (workspace-relative or absolute path), for provenance and messages. */
      readonly source: string;
      /** File name sent in multipart parts; its extension is corrected from the magic bytes. */
      readonly fileName: string;
      readonly bytes: Uint8Array;
    }
  | { readonly kind: 'url'; readonly url: string };

/** What the user asked for, before it is checked against a provider. */
export interface GenerationRequest {
  provider: ProviderId;
  model: ModelId;
  prompt: string;
  /** `auto`, `WxH`, or `W:H@tier`; see parseSizeIntent. */
  size: string;
  quality?: Quality | undefined;
  n?: number | undefined;
  background?: Background | undefined;
  outputFormat?: OutputFormat | undefined;
  outputCompression?: number | undefined;
  /** Streamed previews before the final image, 0–3 (0 or absent: no streaming, today's request). */
  partialImages?: number | undefined;
  moderation?: Moderation | undefined;
  /**
   * A model id without a row of its own (gptImage.customModels, `--model <id> --like <model>`): sent on
   * the wire instead of `model`, while `model` names the listed row whose capabilities it is assumed to have.
   */
  customModel?: string | undefined;
  inputImages?: readonly InputImage[] | undefined;
  mask?: InputImage | undefined;
}

/** A reference image that passed validation, with what its header told us. */
export type CheckedInputImage =
  | (Extract<InputImage, { kind: 'file' }> & { readonly info: ImageInfo })
  | Extract<InputImage, { kind: 'url' }>;

/**
 * What a provider receives: every option present, `undefined` meaning "do not send".
 * Required-but-undefinable so no provider can silently skip an option.
 */
export interface ResolvedRequest {
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly prompt: string;
  readonly size: WireSize;
  readonly quality: Quality | undefined;
  /** Images in this one call (≤ the row's maxNPerCall). */
  readonly n: number;
  readonly background: Background | undefined;
  readonly outputFormat: OutputFormat | undefined;
  readonly outputCompression: number | undefined;
  /**
   * Partial images to stream (1–3); undefined sends no `stream` field at all. Optional (unlike the
   * rest) because only rows with streaming set it: validation drops it with a warning elsewhere.
   */
  readonly partialImages?: number | undefined;
  /** Optional so records journaled before it existed still read; undefined means "not sent". */
  readonly moderation?: Moderation | undefined;
  /** The id sent as `model` when it differs from the row's (a custom model); see GenerationRequest. */
  readonly customModel?: string | undefined;
  readonly inputImages: readonly CheckedInputImage[];
  readonly mask: CheckedInputImage | undefined;
}

export interface ValidatedPlan {
  /** One entry per paid call: n > maxNPerCall becomes several calls. */
  readonly calls: readonly ResolvedRequest[];
  readonly totalImages: number;
  readonly capability: ModelCapability;
  readonly warnings: readonly string[];
}

const inputImageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    source: z.string().min(1),
    fileName: z.string().min(1),
    bytes: z.instanceof(Uint8Array),
  }),
  z.object({ kind: z.literal('url'), url: z.string() }),
]);

/** What a model id may look like; it goes into a JSON body and, for some providers, a URL path. */
export const customModelPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const requestShape = z.object({
  provider: z.enum(providerIds, { error: () => `Provider must be one of ${providerIds.join(', ')}.` }),
  model: z.enum(modelIds, { error: () => `Model must be one of ${modelIds.join(', ')}.` }),
  prompt: z.string().trim().min(1, { error: 'The prompt is empty: describe the image you want.' }),
  size: z.string(),
  quality: z.enum(qualities).optional(),
  n: z
    .number()
    .int({ error: 'The number of images must be a whole number.' })
    .min(1, { error: 'Ask for at least one image.' })
    .optional(),
  background: z.enum(backgrounds).optional(),
  outputFormat: z.enum(outputFormats).optional(),
  outputCompression: z.number().int().min(0).max(100, { error: 'Compression is a percentage from 0 to 100.' }).optional(),
  partialImages: z
    .number()
    .int({ error: 'Partial images must be a whole number from 0 to 3.' })
    .min(0, { error: 'Partial images must be a whole number from 0 to 3.' })
    .max(3, { error: 'Partial images must be a whole number from 0 to 3.' })
    .optional(),
  moderation: z.enum(moderations).optional(),
  customModel: z
    .string()
    .regex(customModelPattern, { error: 'A custom model id is letters, digits, ".", "_" and "-" (up to 100), such as gpt-image-3.' })
    .optional(),
  inputImages: z.array(inputImageSchema).optional(),
  mask: inputImageSchema.optional(),
});

/**
 * Checks a request against the provider × model capability row before anything is sent.
 * Throws InputError with every problem found; returns the calls to make otherwise.
 */
export function validateRequest(request: GenerationRequest): ValidatedPlan {
  const parsed = requestShape.safeParse(request);
  if (!parsed.success) throw new InputError(parsed.error.issues.map((issue) => issue.message));
  const input = parsed.data;
  const label = providerLabels[input.provider];
  const capability = capabilityFor(input.provider, input.model);
  if (!capability) throw new InputError([`${label} does not offer ${input.model}.`]);

  const issues: string[] = [];
  const warnings: string[] = [];
  const prompt = input.prompt.trim();
  if (prompt.length > capability.maxPromptLength) {
    issues.push(`The prompt has ${prompt.length} characters; ${label} accepts at most ${capability.maxPromptLength}.`);
  }

  let size: WireSize | undefined;
  const intent = parseSizeIntent(input.size);
  if (typeof intent === 'string') {
    issues.push(intent);
  } else {
    const resolved = resolveSize(intent, capability.size, label);
    if (resolved.ok) {
      size = resolved.size;
      warnings.push(...resolved.warnings);
    } else {
      issues.push(resolved.error);
    }
  }

  const quality = pickSupported(input.quality, capability.qualities, capability.defaultQuality, 'quality', label, warnings);
  // A transparent background is never swapped for an opaque one (issue 12), even where background is not
  // sent at all (the result would be opaque): refused, naming the models of that provider that have it.
  const background =
    input.background === 'transparent' && !capability.backgrounds.includes('transparent')
      ? refuseTransparent(input.provider, capability, issues)
      : pickSupported(input.background, capability.backgrounds, undefined, 'background', label, warnings);
  const outputFormat = pickSupported(input.outputFormat, capability.outputFormats, undefined, 'output format', label, warnings);
  let outputCompression = input.outputCompression;
  if (outputCompression !== undefined && input.outputFormat === 'png') {
    issues.push('Compression applies only to JPEG and WebP output, not PNG: choose jpeg or webp, or leave compression out.');
  } else if (outputCompression !== undefined && (!capability.outputCompression || outputFormat === undefined || outputFormat === 'png')) {
    warnings.push('Compression applies only to JPEG and WebP output; it is not sent.');
    outputCompression = undefined;
  }
  if ((background === 'transparent' || input.background === 'transparent') && (outputFormat === 'jpeg' || input.outputFormat === 'jpeg')) {
    issues.push('A transparent background needs PNG or WebP output, not JPEG.');
  }

  const total = input.n ?? 1;
  if (total > capability.maxN) issues.push(`${label} makes at most ${capability.maxN} images per request; you asked for ${total}.`);

  const partialImages = pickPartialImages(input.partialImages, capability, total, label, warnings);
  let moderation = input.moderation;
  if (moderation !== undefined && !capability.moderation) {
    warnings.push(`${label} does not let you choose moderation; "${moderation}" is not sent.`);
    moderation = undefined;
  } else if (moderation !== undefined && (input.inputImages ?? []).length > 0) {
    // Edits travel as multipart, where OpenAI takes no moderation field (docs/providers.md §3.3).
    warnings.push(`Moderation is not sent with edits (OpenAI takes it only for generations); "${moderation}" is not sent.`);
    moderation = undefined;
  }

  const customModel = input.customModel === input.model ? undefined : input.customModel;
  if (customModel !== undefined) {
    if (input.provider !== 'openai' && input.provider !== 'gravitex') {
      issues.push(`Custom models work with OpenAI and Gravitex only; ${label} puts the model in its URL and offers only its listed models.`);
    }
    warnings.push(assumedWarning(customModel, input.model));
  }

  const inputImages = checkInputImages(input.inputImages ?? [], capability, label, issues, warnings);
  const mask = input.mask ? checkMask(input.mask, inputImages[0], capability, label, issues) : undefined;

  if (issues.length > 0 || size === undefined) throw new InputError(issues);

  const calls: ResolvedRequest[] = [];
  for (let remaining = total; remaining > 0; remaining -= capability.maxNPerCall) {
    calls.push({
      provider: input.provider,
      model: input.model,
      prompt,
      size,
      quality,
      n: Math.min(remaining, capability.maxNPerCall),
      background,
      outputFormat,
      outputCompression,
      ...(partialImages !== undefined ? { partialImages } : {}),
      ...(moderation === undefined ? {} : { moderation }),
      ...(customModel === undefined ? {} : { customModel }),
      inputImages,
      mask,
    });
  }
  return { calls, totalImages: total, capability, warnings };
}

/** Partial images only where the row streams, and only for one image (events carry no image index). */
function pickPartialImages(asked: number | undefined, capability: ModelCapability, total: number, label: string, warnings: string[]): number | undefined {
  if (asked === undefined || asked === 0) return undefined;
  const streaming = capability.streaming;
  if (!streaming?.partialImages) {
    warnings.push(`${label} does not stream partial images with ${capability.model}${streaming ? ` (${streaming.reason})` : ''}; only the final image is sent back.`);
    return undefined;
  }
  if (total > 1) {
    warnings.push('Partial images are streamed only when one image is asked for; only the final images are sent back.');
    return undefined;
  }
  return asked;
}

/** The warning every result made under an assumed row carries (stderr, notification, provenance). */
export function assumedWarning(customModel: string, like: ModelId): string {
  return `${customModel}: capabilities assumed from ${like} (a custom model; options the real model lacks may be refused by the provider).`;
}

function refuseTransparent(provider: ProviderId, capability: ModelCapability, issues: string[]): undefined {
  issues.push(`${transparencySwitch(provider, capability.model) ?? 'No transparent background'}, or choose auto or opaque.`);
  return undefined;
}

function pickSupported<T extends string>(
  asked: T | undefined,
  allowed: readonly T[],
  fallback: T | undefined,
  what: string,
  label: string,
  warnings: string[],
): T | undefined {
  if (asked === undefined) return allowed.length > 0 ? fallback : undefined;
  if (allowed.includes(asked)) return asked;
  if (allowed.length === 0) {
    warnings.push(`${label} does not let you choose the ${what}; "${asked}" is not sent.`);
    return undefined;
  }
  warnings.push(`${label} does not offer ${what} "${asked}"; using "${fallback ?? allowed[0]}".`);
  return fallback ?? allowed[0];
}

function checkInputImages(
  images: readonly InputImage[],
  capability: ModelCapability,
  label: string,
  issues: string[],
  warnings: string[],
): CheckedInputImage[] {
  const edit = capability.edit;
  if (images.length > edit.maxImages) {
    issues.push(`${label} accepts at most ${edit.maxImages} reference images; you gave ${images.length}.`);
  }
  if (edit.warnAboveImages !== undefined && images.length > edit.warnAboveImages) {
    warnings.push(`${label}'s documentation also mentions a limit of ${edit.warnAboveImages} reference images; more may be refused.`);
  }
  const checked: CheckedInputImage[] = [];
  for (const image of images) {
    const result = checkOneImage(image, capability, label, 'Reference image');
    if (typeof result === 'string') issues.push(result);
    else checked.push(result);
  }
  return checked;
}

function checkOneImage(
  image: InputImage,
  capability: ModelCapability,
  label: string,
  role: string,
): CheckedInputImage | string {
  const edit = capability.edit;
  if (image.kind === 'url') {
    if (!edit.acceptsUrl) return `${label} takes reference images as files, not URLs (${image.url}).`;
    let url: URL;
    try {
      url = new URL(image.url);
    } catch {
      return `${role} "${image.url}" is not a valid URL.`;
    }
    if (url.protocol !== 'https:') return `${role} URL must start with https:// (${image.url}).`;
    return image;
  }
  if (!edit.acceptsLocalFile) {
    return localFileRefusal(label, capability.model, image.source);
  }
  const info = readImageInfo(image.bytes);
  if (!info) {
    const format = sniffImageFormat(image.bytes);
    const what = format === 'gif' ? 'a GIF' : format === 'bmp' ? 'a BMP' : 'not a PNG, JPEG or WebP image';
    return `${role} ${image.source} is ${what}; use a PNG, JPEG or WebP file.`;
  }
  if (image.bytes.byteLength > edit.maxImageBytes) {
    const mb = (image.bytes.byteLength / 1024 / 1024).toFixed(1);
    const limit = (edit.maxImageBytes / 1024 / 1024).toFixed(0);
    return `${role} ${image.source} is ${mb} MB; ${label} accepts up to ${limit} MB per image.`;
  }
  return { ...image, info };
}

function checkMask(
  mask: InputImage,
  first: CheckedInputImage | undefined,
  capability: ModelCapability,
  label: string,
  issues: string[],
): CheckedInputImage | undefined {
  if (!capability.edit.mask) {
    issues.push(`${label} does not support masks with ${capability.model}.`);
    return undefined;
  }
  if (first === undefined) {
    issues.push('A mask needs an image to apply to.');
    return undefined;
  }
  const checked = checkOneImage(mask, capability, label, 'Mask');
  if (typeof checked === 'string') {
    issues.push(checked);
    return undefined;
  }
  if (checked.kind === 'file') {
    if (checked.info.format !== 'png' || !checked.info.hasAlpha) {
      issues.push(`The mask ${checked.source} must be a PNG with an alpha channel (transparent where the image may change).`);
    } else if (first.kind === 'file' && (first.info.width !== checked.info.width || first.info.height !== checked.info.height)) {
      issues.push(
        `The mask is ${checked.info.width}x${checked.info.height} but the image is ${first.info.width}x${first.info.height}; they must be the same size.`,
      );
    }
  }
  return checked;
}
