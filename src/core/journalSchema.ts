import { z } from 'zod';
import { providerIds } from './ids';
import { jobStates } from './journal';
import type { JobRecord } from './journal';

/**
 * The shape every consumer of a job record relies on (the runner, Show Jobs, `gpt-image jobs`), checked
 * where records are read back from disk. Loose objects: fields this check does not name (added by a
 * later change, or kept for the user) pass through untouched, since the record is written back.
 */
const reference = z.union([z.looseObject({ kind: z.literal('file'), source: z.string() }), z.looseObject({ kind: z.literal('url'), url: z.string() })]);
const jobError = z.looseObject({ kind: z.string(), message: z.string() });

const task = z.looseObject({
  state: z.enum(jobStates),
  n: z.number(),
  taskId: z.string().optional(),
  submittedAt: z.number().optional(),
  resultUrls: z.array(z.string()).optional(),
  resultExpiresAt: z.number().optional(),
  files: z.array(z.string()),
  error: jobError.optional(),
});

const record = z.looseObject({
  version: z.literal(1),
  id: z.string().min(1),
  createdAt: z.number(),
  updatedAt: z.number(),
  state: z.enum(jobStates),
  provider: z.enum(providerIds),
  model: z.string(),
  request: z.looseObject({
    prompt: z.string(),
    size: z.string(),
    wireSize: z.looseObject({ kind: z.string() }),
    n: z.number(),
    inputImages: z.array(reference),
    mask: reference.optional(),
  }),
  output: z.looseObject({ dir: z.string(), template: z.string(), sourceName: z.string().optional(), batch: z.looseObject({ file: z.string(), entry: z.string() }).optional() }),
  tasks: z.array(task),
  uploads: z.array(z.looseObject({ fileId: z.string(), url: z.string(), deleted: z.boolean() })),
  warnings: z.array(z.string()),
  error: jobError.optional(),
  baseUrl: z.string().optional(),
  lease: z.looseObject({ owner: z.string(), heartbeatAt: z.number() }).optional(),
});

export type ParsedJobRecord = { readonly ok: true; readonly record: JobRecord } | { readonly ok: false; readonly reason: string };

/** Checks a value read from a journal file; the reason names the first problem, for the warning. */
export function parseJobRecord(value: unknown): ParsedJobRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not a job record' };
  const version = (value as { version?: unknown }).version;
  if (version !== 1) return { ok: false, reason: `journal version ${JSON.stringify(version) ?? 'missing'}, which this version of GPT Image does not read` };
  const checked = record.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, reason: `not a valid job record (${where}${issue?.message ?? 'invalid'})` };
  }
  // The value itself, not zod's copy: nothing is reordered or dropped before it is written back.
  return { ok: true, record: value as JobRecord };
}

/** Parses a journal file's text; invalid JSON is a reason like any other. */
export function parseJobRecordText(text: string): ParsedJobRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON (a damaged or partly written file)' };
  }
  return parseJobRecord(value);
}
