import { z } from 'zod';

/**
 * The `data` of APIXO's JSON envelope (read in ../asyncTask.ts), parsed only as far as we read it
 * (docs/providers.md §6.4). A failed task still arrives with HTTP 200 and code 200 (U-A7).
 */
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
