import { allCapabilities } from './capabilities';
import { isInputError } from './errors';
import type { ModelId, ProviderId, Quality } from './ids';
import { validateRequest } from './request';
import type { GenerationRequest, InputImage } from './request';

/** What "Edit Image…" asked the user, turned into the one request model every entry point uses. */
export interface EditAnswers {
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly prompt: string;
  /** `WxH`, `auto` or `aspect@tier`. */
  readonly size: string;
  readonly quality: Quality | undefined;
}

export function buildEditRequest(answers: EditAnswers, images: readonly InputImage[], mask: InputImage | undefined): GenerationRequest {
  return {
    provider: answers.provider,
    model: answers.model,
    prompt: answers.prompt,
    size: answers.size,
    quality: answers.quality,
    n: 1,
    inputImages: images,
    mask,
  };
}

/**
 * Problems with the inputs that no provider would accept (not an image by its bytes, a GIF, over the
 * largest per-image limit), found right after reading the files, before any question is asked.
 * Uses the most permissive local-file row for the model, so provider-specific limits (Modellix's
 * 16 MiB) are left to the full validation once the provider is known.
 */
export function problemsForEveryProvider(model: ModelId, images: readonly InputImage[]): readonly string[] {
  const rows = allCapabilities()
    .filter((row) => row.model === model && row.edit.acceptsLocalFile)
    .sort((a, b) => b.edit.maxImageBytes - a.edit.maxImageBytes || b.edit.maxImages - a.edit.maxImages);
  const row = rows[0];
  if (row === undefined) return [`No provider can edit a local file with ${model}.`];
  return issuesOf({ provider: row.provider, model, prompt: 'check', size: 'auto', inputImages: images });
}

/** Every problem core validation finds in `request`, or an empty list; never sends anything. */
export function issuesOf(request: GenerationRequest): readonly string[] {
  try {
    validateRequest(request);
    return [];
  } catch (error) {
    if (isInputError(error)) return error.issues;
    throw error;
  }
}
