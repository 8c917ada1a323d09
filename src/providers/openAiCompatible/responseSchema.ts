import { z } from 'zod';
import type { ImageUsage } from '../../core/provider';

const count = z.number().nonnegative().nullish();

/**
 * The JSON that remains once StreamingImagesParser has taken the base64 out: `b64_json` holds the
 * image's index. Only what we read is parsed (after vercel/ai's openai-image-api.ts); the echo fields
 * (size, quality, background, output_format) are loose strings, since gpt-image-2 echoes values the
 * spec's enums do not list.
 */
export const imagesResponseSchema = z.object({
  created: z.number().nullish(),
  model: z.string().nullish(),
  // What the provider says it made (asked vs got, reportedDifferences): loose strings, never enums.
  size: z.string().nullish(),
  quality: z.string().nullish(),
  background: z.string().nullish(),
  output_format: z.string().nullish(),
  data: z
    .array(
      z.object({
        b64_json: z.string().nullish(),
        // Gravitex sends "" for both (U-G4); empty means absent.
        url: z.string().nullish(),
        revised_prompt: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: z
    .object({
      input_tokens: count,
      output_tokens: count,
      total_tokens: count,
      input_tokens_details: z.object({ text_tokens: count, image_tokens: count }).nullish(),
      output_tokens_details: z.object({ image_tokens: count, text_tokens: count }).nullish(),
    })
    .nullish(),
  // A 200 that is really an error (some gateways do this).
  error: z.object({ message: z.string().nullish() }).nullish(),
});

export type ImagesResponse = z.infer<typeof imagesResponseSchema>;

export function mapUsage(usage: ImagesResponse['usage']): ImageUsage | undefined {
  if (!usage) return undefined;
  const value = (number: number | null | undefined): number | undefined => number ?? undefined;
  return {
    inputTokens: value(usage.input_tokens),
    outputTokens: value(usage.output_tokens),
    totalTokens: value(usage.total_tokens),
    inputTextTokens: value(usage.input_tokens_details?.text_tokens),
    inputImageTokens: value(usage.input_tokens_details?.image_tokens),
    outputImageTokens: value(usage.output_tokens_details?.image_tokens),
  };
}
