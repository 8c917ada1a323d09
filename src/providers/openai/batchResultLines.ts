import { z } from 'zod';
import type { BatchLineResult } from '../../core/batch/batchApiPort';
import { mapUsage } from '../openAiCompatible/responseSchema';
import { parseErrorBody } from '../openAiCompatible/errorMapping';

/**
 * One output or error line (docs/providers.md §7.3): `response` with a status code and the endpoint's
 * answer, or `error` for a failure outside HTTP (such as `batch_expired`).
 */
const lineSchema = z.object({
  custom_id: z.string(),
  response: z
    .object({
      status_code: z.number(),
      request_id: z.string().nullish(),
      body: z.unknown(),
    })
    .nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

const imagesBodySchema = z.object({
  data: z.array(z.object({ b64_json: z.string().nullish() })).nullish(),
  usage: z
    .object({
      input_tokens: z.number().nullish(),
      output_tokens: z.number().nullish(),
      total_tokens: z.number().nullish(),
      input_tokens_details: z.object({ text_tokens: z.number().nullish(), image_tokens: z.number().nullish() }).nullish(),
      output_tokens_details: z.object({ image_tokens: z.number().nullish(), text_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

/** Every line of an output or error file; a line we cannot read is skipped (its request then has "no result"). */
export function parseBatchResults(text: string): BatchLineResult[] {
  const results: BatchLineResult[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      continue;
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) continue;
    results.push(resultOf(parsed.data));
  }
  return results;
}

function resultOf(line: z.infer<typeof lineSchema>): BatchLineResult {
  const customId = line.custom_id;
  const response = line.response;
  if (!response) {
    const code = line.error?.code ?? undefined;
    return { customId, ok: false, status: undefined, code, message: `OpenAI could not run it${code ? ` (${code})` : ''}: ${line.error?.message ?? 'no reason given'}.` };
  }
  if (response.status_code < 200 || response.status_code >= 300) {
    const details = parseErrorBody(JSON.stringify(response.body ?? {}));
    return {
      customId,
      ok: false,
      status: response.status_code,
      code: details.code,
      message: `OpenAI refused it${details.code ? ` (${details.code})` : ''}: ${details.message ?? 'no reason given'}`,
    };
  }
  const body = imagesBodySchema.safeParse(response.body);
  const data = body.success ? (body.data.data ?? []) : [];
  const images = data.flatMap((entry) => (entry.b64_json ? [new Uint8Array(Buffer.from(entry.b64_json, 'base64'))] : []));
  if (images.length === 0) return { customId, ok: false, status: response.status_code, code: undefined, message: 'OpenAI answered without an image' };
  return { customId, ok: true, images, usage: body.success ? mapUsage(body.data.usage) : undefined, requestId: response.request_id ?? undefined };
}
