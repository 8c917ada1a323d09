import { gptImage15Sizes, modellixGptImage2Sizes } from '../capabilities';
import { aspectRatios, backgrounds, outputFormats, providerIds, qualities, resolutionTiers } from '../ids';
import { freeSizeRulesText } from '../size';
import { copilotToolNames } from './toolNames';

/**
 * The agent tools' names, descriptions and input schemas, written once: `gpt-image mcp` lists them
 * (cli/mcp/), and package.json's `languageModelTools` carries the same schemas and descriptions for
 * Copilot (a unit test holds the two equal). Descriptions tell an agent what costs money and which
 * sizes each provider takes (docs/providers.md has the rules behind them).
 */

/** A JSON Schema fragment, as far as these tools use it. */
export interface JsonSchema {
  readonly type: 'object' | 'string' | 'integer' | 'array';
  readonly description?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

export type ImageToolKind = 'generate' | 'edit';

export interface ToolSpec {
  readonly kind: ImageToolKind | 'listJobs' | 'resumeJobs';
  /** The MCP tool name. */
  readonly mcpName: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
}

const sizeRules =
  'Sizes: "auto", WIDTHxHEIGHT, or an aspect ratio with a tier such as "16:9@2k". ' +
  `OpenAI and Gravitex (gpt-image-2) take any ${freeSizeRulesText} ` +
  `Modellix takes ${modellixGptImage2Sizes.join(', ')}; gpt-image-1.5 (OpenAI, Modellix) only ${gptImage15Sizes.join(', ')}. ` +
  `APIXO takes aspect ratios ${aspectRatios.filter((ratio) => ratio !== 'auto').join(', ')} at ${resolutionTiers.join(', ')}. ` +
  'Other sizes are mapped to the nearest offered one, with a warning.';

const money =
  'Costs money: every call is a paid request to the provider (APIXO publishes a price per image; OpenAI bills tokens; Gravitex and Modellix publish no price). ' +
  'Ask for n > 1 only when the user wants several images.';

const files =
  'Writes PNG/JPEG/WebP files into the workspace (never overwriting) and returns their paths, never image data. ' +
  'Every job is journaled first: a job still running when the call returns is finished by resume_jobs.';

const common = {
  provider: { type: 'string', enum: providerIds, description: 'openai (default unless GPT_IMAGE_PROVIDER says otherwise), gravitex, modellix or apixo. Needs that provider\'s API key.' },
  model: { type: 'string', description: 'gpt-image-2 (default); gpt-image-1.5 with OpenAI or Modellix; gpt-image-2.5-flare, gpt-image-2.5-sunburst, gpt-image-2.6-flare, gpt-image-2.6-sunburst with OpenAI.' },
  size: { type: 'string', description: `Default "auto". ${sizeRules}` },
  quality: { type: 'string', enum: qualities, description: 'low, medium, high or auto (higher takes longer and costs more); xhigh and max only on gpt-image-2.5/2.6. Gravitex and Modellix have no auto; APIXO has no quality.' },
  n: { type: 'integer', minimum: 1, description: 'How many images (default 1). Modellix and APIXO make one paid task per image.' },
  out_dir: { type: 'string', description: 'Folder for the files, relative to the workspace (default "images"; for edits, the folder of the first input file). It must stay inside the workspace.' },
} as const satisfies Record<string, JsonSchema>;

export const generateToolSpec: ToolSpec = {
  kind: 'generate',
  mcpName: 'generate_image',
  description: `Generate images from a text prompt with gpt-image-2 and related models through OpenAI, Gravitex, Modellix or APIXO. ${money} ${files} ${sizeRules}`,
  inputSchema: {
    type: 'object',
    properties: {
      prompt: { type: 'string', description: 'What to draw: subject, style, composition, text to render.' },
      ...common,
      background: { type: 'string', enum: backgrounds, description: 'auto, opaque or transparent. Transparent needs gpt-image-1.5 or gpt-image-2.5 (OpenAI or Modellix) and png or webp.' },
      format: { type: 'string', enum: outputFormats, description: 'png, jpeg or webp (OpenAI only; the others return PNG).' },
      name: { type: 'string', description: 'File name stem instead of the default {date}-{slug}-{index} (made safe; an existing file is never overwritten: -2, -3 … are added).' },
    },
    required: ['prompt'],
    additionalProperties: false,
  },
};

export const editToolSpec: ToolSpec = {
  kind: 'edit',
  mcpName: 'edit_image',
  description: `Edit images, or make a new one from reference images, with a text prompt. ${money} ${files} Masks: a PNG with an alpha channel, the size of the first image, transparent where it may change. ${sizeRules}`,
  inputSchema: {
    type: 'object',
    properties: {
      prompt: { type: 'string', description: 'What to change, or what to make from the references.' },
      images: {
        type: 'array',
        minItems: 1,
        maxItems: 16,
        items: { type: 'string' },
        description: '1 to 16 reference images: workspace paths (PNG, JPEG or WebP) or https URLs. APIXO takes URLs only; Modellix uploads files first.',
      },
      mask: { type: 'string', description: 'Optional mask for the first image (path or https URL): PNG with alpha, transparent where the image may change.' },
      ...common,
    },
    required: ['prompt', 'images'],
    additionalProperties: false,
  },
};

export const listJobsToolSpec: ToolSpec = {
  kind: 'listJobs',
  mcpName: 'list_jobs',
  description: 'List the journal: unfinished and recent image jobs with their state, provider, prompt and files. Free: sends nothing to any provider.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
};

export const resumeJobsToolSpec: ToolSpec = {
  kind: 'resumeJobs',
  mcpName: 'resume_jobs',
  description:
    'Finish the jobs that are still running or were left unfinished (a job a call returned before it was done, one interrupted by a restart), and return the files they write. Already-paid tasks are polled and downloaded; nothing is sent again.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
};

export const toolSpecs: readonly ToolSpec[] = [generateToolSpec, editToolSpec, listJobsToolSpec, resumeJobsToolSpec];

/** The Copilot tools (package.json `languageModelTools`): the same inputs as the MCP image tools. */
export const copilotTools = [
  { name: copilotToolNames.generate, toolReferenceName: 'generateImage', displayName: 'Generate Image (GPT Image Studio)', spec: generateToolSpec },
  { name: copilotToolNames.edit, toolReferenceName: 'editImage', displayName: 'Edit Image (GPT Image Studio)', spec: editToolSpec },
] as const;
