import { z } from 'zod';
import { jobStates } from '../journal';
import type { BatchJobRecord } from './batchApiJob';

/**
 * The shape of a Batch API job record that the runner and `gpt-image jobs` rely on, checked where it
 * is read back from disk. Loose objects: fields this check does not name pass through untouched.
 */
const line = z.looseObject({
  customId: z.string(),
  entry: z.number().int().nonnegative(),
  firstImage: z.number().int().positive(),
  n: z.number().int().positive(),
  state: z.enum(['waiting', 'saved', 'failed', 'needsAttention']),
  files: z.array(z.string()),
});

const part = z.looseObject({
  endpoint: z.enum(['/v1/images/generations', '/v1/images/edits']),
  model: z.string(),
  lines: z.array(line),
  state: z.enum(['uploading', 'creating', 'polling', 'downloading', 'saved', 'failed', 'unknown', 'cancelled']),
  inputFileId: z.string().optional(),
  batchId: z.string().optional(),
});

const record = z.looseObject({
  version: z.literal(1),
  kind: z.literal('openaiBatch'),
  id: z.string().min(1),
  createdAt: z.number(),
  updatedAt: z.number(),
  state: z.enum(jobStates),
  source: z.string(),
  baseUrl: z.string(),
  entries: z.array(z.looseObject({ name: z.string(), model: z.string(), request: z.looseObject({ prompt: z.string() }), output: z.looseObject({ dir: z.string(), template: z.string(), batch: z.looseObject({ file: z.string(), entry: z.string() }).optional() }) })),
  parts: z.array(part),
  warnings: z.array(z.string()),
  imageFiles: z.record(z.string(), z.string()).optional(),
});

/** A record read from disk, or the reason it is not one (for the warning naming the file). */
export function parseBatchJobRecordText(text: string): { readonly ok: true; readonly record: BatchJobRecord } | { readonly ok: false; readonly reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON (a damaged or partly written file)' };
  }
  const checked = record.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, reason: `not a valid Batch API job record (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})` };
  }
  const job = value as BatchJobRecord;
  const entries = job.entries.length;
  if (job.parts.some((candidate) => candidate.lines.some((each) => each.entry >= entries))) return { ok: false, reason: 'a line names an entry the record does not have' };
  return { ok: true, record: job };
}
