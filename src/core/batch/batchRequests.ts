import { capabilityFor, localFileRefusal, modelsFor } from '../capabilities';
import type { ModelCapability } from '../capabilities';
import { isInputError } from '../errors';
import { isModelId, providerLabels } from '../ids';
import type { ModelId, ProviderId } from '../ids';
import { customModelPattern, validateRequest } from '../request';
import type { GenerationRequest, InputImage, ValidatedPlan } from '../request';
import type { BatchProblem } from './batchFile';
import type { BatchTarget } from './batchTargets';
import { targetLabel } from './batchTargets';

/** A target whose request passed the same validation as `gpt-image generate` / `edit`. */
export interface BatchRequest {
  readonly target: BatchTarget;
  readonly request: GenerationRequest;
  readonly validated: ValidatedPlan;
}

/**
 * Reads one local reference (a path relative to the batch file's folder) for a provider: its bytes,
 * or the sentence that refuses it. The CLI wraps cli/inputFile.ts; the limit is the row's.
 */
export type BatchInputLoader = (path: string, role: 'Image' | 'Mask', capability: ModelCapability) => Promise<InputImage | string>;

/**
 * Builds and validates every target's request (capability row, size, n, references, prompt
 * length), collecting every problem with its entry's line instead of stopping at the first.
 */
export async function buildBatchRequests(
  targets: readonly BatchTarget[],
  loadInput: BatchInputLoader,
): Promise<{ readonly requests: readonly BatchRequest[]; readonly problems: readonly BatchProblem[] }> {
  const requests: BatchRequest[] = [];
  const problems: BatchProblem[] = [];
  for (const target of targets) {
    const { entry, provider } = target;
    const issues: string[] = [];
    const report = (): void => {
      const who = entry.providers.length > 1 ? `${entry.name} (${providerLabels[provider]})` : entry.name;
      for (const issue of issues) problems.push({ line: entry.line, column: 1, entry: entry.name, message: `${who}: ${issue}` });
    };
    const { model, customModel } = resolveModel(entry.model, entry.like, provider, issues);
    const capability = capabilityFor(provider, model);
    if (!capability) {
      if (issues.length === 0) issues.push(`${providerLabels[provider]} does not offer ${model}.`);
      report();
      continue;
    }
    const load = async (reference: string, role: 'Image' | 'Mask'): Promise<InputImage | undefined> => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) return { kind: 'url', url: reference };
      if (!capability.edit.acceptsLocalFile) {
        issues.push(localFileRefusal(providerLabels[provider], model, reference));
        return undefined;
      }
      const loaded = await loadInput(reference, role, capability);
      if (typeof loaded === 'string') {
        issues.push(loaded);
        return undefined;
      }
      return loaded;
    };
    const images: InputImage[] = [];
    for (const reference of entry.images) {
      const image = await load(reference, 'Image');
      if (image) images.push(image);
    }
    const mask = entry.mask === undefined ? undefined : await load(entry.mask, 'Mask');
    if (entry.mask !== undefined && entry.images.length === 0) issues.push('a mask needs at least one reference image in `images`.');
    const request: GenerationRequest = {
      provider,
      model,
      prompt: entry.prompt,
      size: entry.size ?? 'auto',
      quality: entry.quality,
      background: entry.background,
      outputFormat: entry.format,
      outputCompression: entry.compression,
      moderation: entry.moderation,
      customModel,
      n: entry.n,
      inputImages: images,
      mask,
    };
    if (issues.length > 0) {
      report();
      continue;
    }
    try {
      requests.push({ target, request, validated: validateRequest(request) });
    } catch (error) {
      if (!isInputError(error)) throw error;
      issues.push(...error.issues);
      report();
    }
  }
  return { requests, problems };
}

/** The warnings validation gave a target (a size mapped to the nearest, an option not sent), labelled. */
export function requestWarnings(request: BatchRequest): string[] {
  return request.validated.warnings.map((warning) => `${targetLabel(request.target)}: ${warning}`);
}

/** As the CLI's `--model` / `--like` (cli/args.ts): an unlisted id only with `like`. */
function resolveModel(given: string | undefined, like: ModelId | undefined, provider: ProviderId, issues: string[]): { model: ModelId; customModel: string | undefined } {
  const known = modelsFor(provider);
  const listed = `the models of ${provider} are ${known.join(', ')}`;
  const value = given ?? 'gpt-image-2';
  if (like === undefined) {
    if (!isModelId(value) || !known.includes(value)) issues.push(`unknown model "${value}" for ${provider}: ${listed}. For a newer model add \`like: <one of those>\`.`);
    return { model: isModelId(value) ? value : 'gpt-image-2', customModel: undefined };
  }
  if (given === undefined) issues.push('`like` needs `model: <id>`: the model to send, which behaves like the `like` model.');
  if (!customModelPattern.test(value)) issues.push(`\`model\` "${value}" is not a model id (letters, digits, ".", "_" and "-").`);
  if (!known.includes(like)) issues.push(`\`like\` "${like}" is not a model of ${provider}: ${listed}.`);
  return { model: like, customModel: value === like ? undefined : value };
}
