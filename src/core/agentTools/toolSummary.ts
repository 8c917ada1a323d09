import { capabilityFor } from '../capabilities';
import { formatUsd, previewCost } from '../cost';
import type { TokenRates } from '../cost';
import { providerLabels } from '../ids';
import type { ImageToolCall } from './toolArgs';

/** The facts a paid call's confirmation shows (Copilot's prepareInvocation), before anything is sent. */
export interface ToolCallSummary {
  readonly title: string;
  /** Markdown lines: provider, model, size, quality, n, estimated cost. */
  readonly lines: readonly string[];
}

/** Every image call is paid, so every one is confirmed, with the cost estimate of core/cost.ts. */
export function summarizeToolCall(call: ImageToolCall, rates?: TokenRates): ToolCallSummary {
  const capability = capabilityFor(call.provider, call.model);
  const quality = call.quality ?? capability?.defaultQuality ?? (capability && capability.qualities.length === 0 ? 'none (not offered)' : 'auto');
  const cost = previewCost({ capability, size: call.size, quality: call.quality, images: call.n, promptLength: call.prompt.length, rates });
  const costText = cost.kind === 'usd' ? `${cost.approximate ? 'about ' : ''}${formatUsd(cost.usd)} (${cost.basis})` : `unknown (${cost.basis})`;
  const what = call.kind === 'generate' ? 'Generate' : 'Edit';
  const lines = [
    `**Provider:** ${providerLabels[call.provider]}`,
    `**Model:** ${call.model}`,
    `**Size:** ${call.size}`,
    `**Quality:** ${quality}`,
    `**Images (n):** ${call.n}`,
    `**Estimated cost:** ${costText}`,
    ...(call.kind === 'edit' ? [`**Inputs:** ${[...call.images, ...(call.mask ? [`mask ${call.mask}`] : [])].join(', ')}`] : []),
    `**Prompt:** ${call.prompt.length > 300 ? `${call.prompt.slice(0, 299)}…` : call.prompt}`,
  ];
  return { title: `${what} ${call.n === 1 ? 'an image' : `${call.n} images`} with ${providerLabels[call.provider]} (paid)`, lines };
}

/** A written file as an agent is told about it: the path it can open, and a Markdown image link. */
export interface ToolFile {
  /** Absolute (MCP) or workspace-relative (Copilot) path. */
  readonly shown: string;
  /** The link target for Markdown (Copilot), URL-encoded. */
  readonly link?: string | undefined;
}

/** The text of a successful call: one line per file, then any warnings. Never image data. */
export function resultText(files: readonly ToolFile[], warnings: readonly string[], markdown: boolean): string {
  const lines = [`Wrote ${files.length} image${files.length === 1 ? '' : 's'}:`];
  for (const file of files) lines.push(markdown && file.link ? `- ${file.shown}\n  ![${file.shown}](${file.link})` : file.shown);
  for (const warning of warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}
