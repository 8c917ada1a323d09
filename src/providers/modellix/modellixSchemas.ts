import { z } from 'zod';

/**
 * The `data` of Modellix's JSON envelope (read in ../asyncTask.ts), parsed only as far as we read
 * it (docs/providers.md §5.4, §5.5). Everything is nullish: the official clients tolerate several
 * variants (U-M8), and so do we.
 */

/** The upload answer; the DSH client also accepts the fields at the top level. */
export const modellixUploadSchema = z.object({
  file_id: z.union([z.string(), z.number()]).nullish(),
  id: z.union([z.string(), z.number()]).nullish(),
  url: z.string().nullish(),
});

const errorField = z.union([z.string(), z.object({ message: z.string().nullish() })]).nullish();

export const modellixTaskSchema = z.object({
  status: z.string().nullish(),
  state: z.string().nullish(),
  result: z
    .object({
      resources: z.array(z.unknown()).nullish(),
      result_expires_at: z.unknown().optional(),
      expires_at: z.unknown().optional(),
    })
    .nullish(),
  resources: z.array(z.unknown()).nullish(),
  output: z.array(z.unknown()).nullish(),
  image_urls: z.array(z.unknown()).nullish(),
  result_expires_at: z.unknown().optional(),
  expires_at: z.unknown().optional(),
  error: errorField,
  error_message: z.string().nullish(),
  fail_reason: z.string().nullish(),
  message: z.string().nullish(),
});

export type ModellixTask = z.infer<typeof modellixTaskSchema>;

