import { z } from 'zod';

/**
 * APIXO's JSON, parsed only as far as we read it (providers.md §3.4, §3.5). The body `code`
 * mirrors the HTTP status (200 on success); a failed task still arrives with code 200 (U-A7).
 */
export const apixoEnvelopeSchema = z.object({
  code: z.union([z.number(), z.string()]).nullish(),
  message: z.string().nullish(),
  data: z.unknown().nullish(),
});

export type ApixoEnvelope = z.infer<typeof apixoEnvelopeSchema>;

export const apixoSubmitDataSchema = z.object({
  taskId: z.unknown().optional(),
  task_id: z.unknown().optional(),
});

export const apixoStatusSchema = z.object({
  taskId: z.string().nullish(),
  state: z.string().nullish(),
  /** A JSON *string* holding {"resultUrls": [...]}; tolerated as an object too. */
  resultJson: z.unknown().optional(),
  failCode: z.string().nullish(),
  failMsg: z.string().nullish(),
  costTime: z.number().nullish(),
  createTime: z.number().nullish(),
  completeTime: z.number().nullish(),
});

export type ApixoStatus = z.infer<typeof apixoStatusSchema>;

export const apixoResultSchema = z.object({
  resultUrls: z.array(z.unknown()).nullish(),
});

export function apixoCodeOf(envelope: ApixoEnvelope): number | undefined {
  const code = envelope.code;
  if (code === null || code === undefined) return undefined;
  const value = typeof code === 'number' ? code : Number(code.trim());
  return Number.isFinite(value) ? value : undefined;
}
