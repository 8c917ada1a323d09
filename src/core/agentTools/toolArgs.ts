import { modelsFor } from '../capabilities';
import { backgrounds, isModelId, isProviderId, outputFormats, providerIds, qualities } from '../ids';
import type { Background, ModelId, OutputFormat, ProviderId, Quality } from '../ids';
import type { ImageToolKind, ToolSpec } from './toolSpec';
import { safeNameStem } from './toolNaming';
import { editToolSpec, generateToolSpec } from './toolSpec';

/**
 * An agent's call to generate_image / edit_image (MCP) or gptImage_generate / gptImage_edit
 * (Copilot), checked for shape. Meaning (sizes, qualities per provider, limits) is checked by
 * validateRequest when the job runs, before anything is sent, so both agents and the CLI get the
 * same sentences.
 */
export interface ImageToolCall {
  readonly kind: ImageToolKind;
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly prompt: string;
  readonly size: string;
  readonly quality: Quality | undefined;
  readonly n: number;
  readonly background: Background | undefined;
  readonly outputFormat: OutputFormat | undefined;
  /** Paths (as given) or https URLs; empty for generate. */
  readonly images: readonly string[];
  readonly mask: string | undefined;
  /** As given (relative to the root) or undefined for the default. */
  readonly outDir: string | undefined;
  /** The file name stem, already made safe (toolNaming.ts); undefined for the template. */
  readonly name: string | undefined;
}

export interface ToolDefaults {
  /** GPT_IMAGE_PROVIDER (MCP) or gptImage.defaultProvider (Copilot). */
  readonly provider: ProviderId;
}

export type ParsedToolCall = { readonly ok: true; readonly call: ImageToolCall } | { readonly ok: false; readonly issues: readonly string[] };

/** Checks an agent's arguments; every problem is named, and nothing is sent when there is one. */
export function parseImageToolCall(kind: ImageToolKind, args: unknown, defaults: ToolDefaults): ParsedToolCall {
  const spec: ToolSpec = kind === 'generate' ? generateToolSpec : editToolSpec;
  const issues: string[] = [];
  const input: Record<string, unknown> = typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
  const known = Object.keys(spec.inputSchema.properties ?? {});
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) issues.push(`Unknown argument "${key}" for ${spec.mcpName}: use ${known.join(', ')}.`);
  }
  const text = (key: string): string | undefined => {
    const value = input[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    issues.push(`${key} must be a string (got ${JSON.stringify(value)}).`);
    return undefined;
  };

  const prompt = text('prompt');
  // The sentence validateRequest gives for a blank prompt, so a missing one reads the same.
  if (prompt === undefined || prompt.trim() === '') issues.push('The prompt is empty: describe the image you want.');
  const providerText = text('provider');
  let provider = defaults.provider;
  if (providerText !== undefined) {
    if (isProviderId(providerText)) provider = providerText;
    else issues.push(`Unknown provider "${providerText}": use one of ${providerIds.join(', ')}.`);
  }
  const modelText = text('model') ?? 'gpt-image-2';
  const offered = modelsFor(provider);
  if (!isModelId(modelText) || !offered.includes(modelText)) issues.push(`Unknown model "${modelText}": the models of ${provider} are ${offered.join(', ')}.`);
  const quality = oneOf(text('quality'), qualities, 'quality', issues);
  const background = kind === 'generate' ? oneOf(text('background'), backgrounds, 'background', issues) : undefined;
  const outputFormat = kind === 'generate' ? oneOf(text('format'), outputFormats, 'format', issues) : undefined;
  const nValue = input.n ?? 1;
  const n = typeof nValue === 'number' && Number.isInteger(nValue) && nValue >= 1 ? nValue : undefined;
  if (n === undefined) issues.push(`n must be a whole number of images, at least 1 (got ${JSON.stringify(nValue)}).`);
  const images = kind === 'edit' ? imageList(input.images, issues) : [];
  const mask = kind === 'edit' ? text('mask') : undefined;
  const outDir = text('out_dir');
  const nameText = kind === 'generate' ? text('name') : undefined;
  const safeName = nameText === undefined ? undefined : safeNameStem(nameText);
  if (safeName && 'issue' in safeName) issues.push(safeName.issue);
  const name = safeName && 'stem' in safeName ? safeName.stem : undefined;
  const size = text('size') ?? 'auto';
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    call: {
      kind,
      provider,
      model: modelText as ModelId,
      prompt: prompt as string,
      size,
      quality,
      n: n as number,
      background,
      outputFormat,
      images,
      mask,
      outDir: outDir?.trim() === '' ? undefined : outDir,
      name,
    },
  };
}

/** The CLI's sentence for a value outside a list (cli/args.ts says the same for its flags). */
function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, issues: string[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  issues.push(`Unknown ${name} "${value}": use ${allowed.join(', ')}.`);
  return undefined;
}

function imageList(value: unknown, issues: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push('edit_image needs at least one image: images is a list of 1 to 16 paths or https URLs.');
    return [];
  }
  const strings = value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
  if (strings.length !== value.length) issues.push('Each entry of images must be a path or an https URL (a non-empty string).');
  if (value.length > 16) issues.push(`images takes at most 16 paths or URLs; you gave ${value.length}.`);
  return strings;
}

/** A reference an agent gave: an URL (validateRequest then insists on https) or a path. */
export function isUrlReference(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}
