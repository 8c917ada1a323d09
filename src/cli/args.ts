import { parseArgs } from 'node:util';
import { InputError } from '../core/errors';
import { modelsFor } from '../core/capabilities';
import { backgrounds, isModelId, isProviderId, moderations, outputFormats, providerIds } from '../core/ids';
import type { Background, ModelId, Moderation, OutputFormat, ProviderId, Quality } from '../core/ids';
import { qualities } from '../core/ids';
import { customModelPattern } from '../core/request';

/** A parsed `generate` or `edit`; values are checked for shape here and for meaning by validateRequest. */
export interface ImageCommand {
  readonly command: 'generate' | 'edit';
  readonly provider: ProviderId;
  readonly prompt: string;
  readonly model: ModelId;
  readonly size: string;
  readonly quality: Quality | undefined;
  /** `--model <id> --like <listed model>`: the id sent, validated by the row of `model`. */
  readonly customModel: string | undefined;
  readonly background: Background | undefined;
  readonly outputFormat: OutputFormat | undefined;
  readonly outputCompression: number | undefined;
  readonly moderation: Moderation | undefined;
  readonly n: number;
  readonly images: readonly string[];
  readonly mask: string | undefined;
  readonly out: string | undefined;
  readonly baseUrl: string | undefined;
  readonly pollIntervalMs: number | undefined;
  readonly quiet: boolean;
  /** Streamed previews before the final image (0–3, default 0: no streaming). */
  readonly partialImages: number;
  /** `--max-cost <usd>`: refuse the run before sending when its estimate is higher. */
  readonly maxCostUsd: number | undefined;
}

/**
 * `gpt-image batch <file>`: every entry of a batch file (core/batch/batchFile.ts). The seam for other
 * ways of sending a batch (`--via batch-api`): add the field here and branch in cli/batchCommand.ts
 * after the plan is made (loadBatch), which every way shares.
 */
export interface BatchCommand {
  readonly command: 'batch';
  /** The batch file as given, relative to the current directory. */
  readonly file: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  /** Requests in flight in all (per-provider adaptive limits apply below it). */
  readonly concurrency: number;
  readonly pollIntervalMs: number | undefined;
  readonly quiet: boolean;
  /** `--via batch-api`: the whole file as OpenAI Batch jobs (cli/batchApiCommand.ts); undefined: one request per entry. */
  readonly via?: 'batch-api' | undefined;
  /** `--max-cost <usd>`: the whole batch's estimate is checked against it before anything is sent. */
  readonly maxCostUsd?: number | undefined;
}

export type CliCommand =
  | ImageCommand
  | BatchCommand
  | { readonly command: 'jobs' | 'resume' | 'mcp'; readonly quiet: boolean; readonly pollIntervalMs: number | undefined }
  | { readonly command: 'spend'; readonly json: boolean }
  /** `gpt-image cancel <job>`: stops a Batch API job at OpenAI, then collects what finished. */
  | { readonly command: 'cancel'; readonly jobId: string; readonly quiet: boolean; readonly pollIntervalMs: number | undefined }
  | { readonly command: 'help' | 'version' };

const options = {
  provider: { type: 'string' },
  prompt: { type: 'string' },
  model: { type: 'string' },
  size: { type: 'string' },
  quality: { type: 'string' },
  like: { type: 'string' },
  background: { type: 'string' },
  format: { type: 'string' },
  compression: { type: 'string' },
  moderation: { type: 'string' },
  n: { type: 'string' },
  image: { type: 'string', multiple: true },
  mask: { type: 'string' },
  out: { type: 'string' },
  'base-url': { type: 'string' },
  'poll-interval': { type: 'string' },
  'partial-images': { type: 'string' },
  'max-cost': { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  concurrency: { type: 'string' },
  via: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Throws InputError (exit 2) for anything malformed. */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError([`${error instanceof Error ? error.message : String(error)} (see gpt-image --help)`]);
  }
  const { values, positionals } = parsed;
  if (values.version) return { command: 'version' };
  if (values.help || positionals.length === 0) return { command: 'help' };
  const [command, ...extra] = positionals;
  if (command === 'batch') return parseBatch(extra, values);
  if (command === 'cancel') return parseCancel(extra, values);
  const batchOnly = (['dry-run', 'force', 'concurrency', 'via'] as const).find((name) => values[name] !== undefined);
  if (batchOnly) throw new InputError([`--${batchOnly} belongs to gpt-image batch (see gpt-image --help).`]);
  if (extra.length > 0) throw new InputError([`Unexpected argument "${extra[0]}" (see gpt-image --help).`]);
  const quiet = values.quiet ?? false;
  const pollIntervalMs = parsePollInterval(values['poll-interval']);
  if (command === 'spend') {
    const stray = (['provider', 'prompt', 'image', 'mask', 'out', 'base-url', 'size', 'n', 'model', 'quality', 'like', 'background', 'format', 'compression', 'moderation', 'max-cost', 'poll-interval'] as const).find((name) => values[name] !== undefined);
    if (stray) throw new InputError([`gpt-image spend takes no --${stray} (see gpt-image --help).`]);
    return { command, json: values.json ?? false };
  }
  if (values.json !== undefined) throw new InputError(['--json belongs to gpt-image spend (see gpt-image --help).']);
  if (command === 'jobs' || command === 'resume' || command === 'mcp') {
    const stray = (['provider', 'prompt', 'image', 'mask', 'out', 'base-url', 'size', 'n', 'model', 'quality', 'like', 'background', 'format', 'compression', 'moderation', 'max-cost'] as const).find((name) => values[name] !== undefined);
    if (stray) throw new InputError([`gpt-image ${command} takes no --${stray} (see gpt-image --help).`]);
    return { command, quiet, pollIntervalMs };
  }
  if (command !== 'generate' && command !== 'edit') {
    throw new InputError([`Unknown command "${command}": use generate, edit, batch, jobs, resume, cancel, spend or mcp (see gpt-image --help).`]);
  }
  const issues: string[] = [];
  const provider = values.provider;
  if (provider === undefined) issues.push(`--provider is required: one of ${providerIds.join(', ')}.`);
  else if (!isProviderId(provider)) issues.push(`Unknown provider "${provider}": use one of ${providerIds.join(', ')}.`);
  if (values.prompt === undefined) issues.push('--prompt is required.');
  const { model, customModel } = parseModel(values.model, values.like, provider, issues);
  const quality = oneOf(values.quality, qualities, 'quality', issues);
  const background = oneOf(values.background, backgrounds, 'background', issues);
  const outputFormat = oneOf(values.format, outputFormats, 'format', issues);
  const moderation = oneOf(values.moderation, moderations, 'moderation', issues);
  const outputCompression = values.compression === undefined ? undefined : Number(values.compression);
  if (outputCompression !== undefined && (values.compression?.trim() === '' || !Number.isInteger(outputCompression) || outputCompression < 0 || outputCompression > 100)) {
    issues.push(`--compression is a whole percentage from 0 to 100 (got "${values.compression}").`);
  }
  const n = values.n === undefined ? 1 : Number(values.n);
  if (!Number.isInteger(n) || n < 1) issues.push(`--n must be a whole number of images, at least 1 (got "${values.n}").`);
  const partialImages = values['partial-images'] === undefined ? 0 : Number(values['partial-images']);
  if (!Number.isInteger(partialImages) || partialImages < 0 || partialImages > 3 || values['partial-images']?.trim() === '') {
    issues.push(`--partial-images must be a whole number from 0 to 3 (got "${values['partial-images']}").`);
  }
  const maxCostUsd = parseMaxCost(values['max-cost'], issues);
  const images = values.image ?? [];
  if (command === 'edit' && images.length === 0) issues.push('edit needs at least one --image.');
  if (command === 'generate' && (images.length > 0 || values.mask !== undefined)) {
    issues.push('generate takes no --image or --mask: use gpt-image edit.');
  }
  if (issues.length > 0) throw new InputError(issues);
  return {
    command,
    provider: provider as ProviderId,
    prompt: values.prompt as string,
    model,
    customModel,
    size: values.size ?? 'auto',
    quality,
    background,
    outputFormat,
    outputCompression,
    moderation,
    n,
    images,
    mask: values.mask,
    out: values.out,
    baseUrl: values['base-url'],
    pollIntervalMs,
    quiet,
    partialImages,
    maxCostUsd,
  };
}

/** `--max-cost <usd>`: a plain amount in US dollars (`0.5`, `$0.50`), 0 or more. */
export function parseMaxCost(text: string | undefined, issues: string[]): number | undefined {
  if (text === undefined) return undefined;
  const usd = Number(text.trim().replace(/^\$/, ''));
  if (text.trim() === '' || !Number.isFinite(usd) || usd < 0) {
    issues.push(`--max-cost is an amount in US dollars, 0 or more, such as 0.50 (got "${text}").`);
    return undefined;
  }
  return usd;
}

/** The most requests a batch keeps in flight when --concurrency is not given. */
export const defaultBatchConcurrency = 8;
const maxBatchConcurrency = 64;

function parseBatch(extra: readonly string[], values: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>['values']): BatchCommand {
  const [file, ...more] = extra;
  if (file === undefined) throw new InputError(['gpt-image batch needs a batch file: gpt-image batch <file>.images.yaml (see gpt-image --help).']);
  if (more.length > 0) throw new InputError([`Unexpected argument "${more[0]}": gpt-image batch takes one batch file.`]);
  // Everything an entry sets lives in the file; a flag beside it would apply to which entry?
  const stray = (['provider', 'prompt', 'image', 'mask', 'out', 'base-url', 'size', 'n', 'model', 'quality', 'like', 'background', 'format', 'compression', 'moderation', 'partial-images'] as const).find(
    (name) => values[name] !== undefined,
  );
  if (stray) throw new InputError([`gpt-image batch takes no --${stray}: set it in the batch file (for every entry under defaults:).`]);
  if (values.json !== undefined) throw new InputError(['--json belongs to gpt-image spend (see gpt-image --help).']);
  const text = values.concurrency;
  const concurrency = text === undefined ? defaultBatchConcurrency : Number(text);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxBatchConcurrency || text?.trim() === '') {
    throw new InputError([`--concurrency is a whole number of requests from 1 to ${maxBatchConcurrency} (got "${text}").`]);
  }
  return {
    command: 'batch',
    file,
    dryRun: values['dry-run'] ?? false,
    force: values.force ?? false,
    concurrency,
    pollIntervalMs: parsePollInterval(values['poll-interval']),
    quiet: values.quiet ?? false,
    via: parseVia(values.via),
    maxCostUsd: parseBatchMaxCost(values['max-cost']),
  };
}

function parseBatchMaxCost(text: string | undefined): number | undefined {
  const issues: string[] = [];
  const usd = parseMaxCost(text, issues);
  if (issues.length > 0) throw new InputError(issues);
  return usd;
}

function parseVia(value: string | undefined): 'batch-api' | undefined {
  if (value === undefined) return undefined;
  if (value === 'batch-api') return value;
  throw new InputError([`Unknown --via "${value}": the only other way to send a batch is --via batch-api (OpenAI's Batch API, half the price, within 24 h).`]);
}

function parseCancel(extra: readonly string[], values: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>['values']): CliCommand {
  const [jobId, ...more] = extra;
  if (jobId === undefined) throw new InputError(['gpt-image cancel needs a job id: gpt-image cancel <job> (gpt-image jobs lists them).']);
  if (more.length > 0) throw new InputError([`Unexpected argument "${more[0]}": gpt-image cancel takes one job id.`]);
  const stray = (Object.keys(values) as (keyof typeof values)[]).find((name) => name !== 'quiet' && name !== 'poll-interval' && values[name] !== undefined);
  if (stray) throw new InputError([`gpt-image cancel takes no --${stray} (see gpt-image --help).`]);
  return { command: 'cancel', jobId, quiet: values.quiet ?? false, pollIntervalMs: parsePollInterval(values['poll-interval']) };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, issues: string[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  issues.push(`Unknown ${name} "${value}": use ${allowed.join(', ')}.`);
  return undefined;
}

/**
 * A listed model, or an unlisted id with `--like <listed model>` (validated by that row, issue 12).
 * An unlisted id alone is refused: guessing its options could send a paid request it cannot honour.
 */
function parseModel(
  given: string | undefined,
  like: string | undefined,
  provider: string | undefined,
  issues: string[],
): { model: ModelId; customModel: string | undefined } {
  const known = provider !== undefined && isProviderId(provider) ? modelsFor(provider) : undefined;
  const listed = `the models${provider !== undefined && known ? ` of ${provider}` : ''} are ${(known ?? []).join(', ') || 'listed in gpt-image --help'}`;
  const value = given ?? 'gpt-image-2';
  if (like === undefined) {
    if (!isModelId(value) || (known !== undefined && !known.includes(value))) {
      issues.push(`Unknown model "${value}": ${listed}. For a newer model add --like <one of those> to assume its capabilities.`);
    }
    return { model: isModelId(value) ? value : 'gpt-image-2', customModel: undefined };
  }
  if (given === undefined) issues.push('--like needs --model <id>: the model to send, which behaves like the --like model.');
  if (!customModelPattern.test(value)) issues.push(`--model "${value}" is not a model id (letters, digits, ".", "_" and "-").`);
  if (!isModelId(like) || (known !== undefined && !known.includes(like))) {
    issues.push(`--like "${like}" is not a listed model: ${listed}.`);
    return { model: 'gpt-image-2', customModel: value };
  }
  return { model: like, customModel: value === like ? undefined : value };
}

/**
 * The extension clamps its poll setting to at least 0.05 s (host/settingsRules.ts); the CLI refuses
 * less instead of hammering a provider's status endpoint (or spinning on `--poll-interval 1e-9`).
 */
export const minPollIntervalSeconds = 0.05;
const maxPollIntervalSeconds = 3600;

function parsePollInterval(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(seconds) || seconds < minPollIntervalSeconds || seconds > maxPollIntervalSeconds) {
    throw new InputError([`--poll-interval is a number of seconds from ${minPollIntervalSeconds} to ${maxPollIntervalSeconds} (got "${text}").`]);
  }
  return Math.round(seconds * 1000);
}
