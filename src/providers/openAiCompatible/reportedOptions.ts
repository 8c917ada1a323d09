import type { ReportedOptions } from '../../core/provider';
import type { ResolvedRequest } from '../../core/request';
import type { ImagesResponse } from './responseSchema';

/**
 * Asked vs got (issue 12): OpenAI echoes the size, quality, background and format it used. Where it
 * differs from an explicit choice (not `auto`, which lets the model pick), the user is told instead of
 * finding out from the file. Gravitex echoes nothing: nothing is claimed.
 */
/** What the answer says was used; undefined when it says nothing (Gravitex). */
export function reportedOptions(reply: ImagesResponse): ReportedOptions | undefined {
  const reported: ReportedOptions = {
    size: reply.size ?? undefined,
    quality: reply.quality ?? undefined,
    background: reply.background ?? undefined,
    outputFormat: reply.output_format ?? undefined,
    revisedPrompt: reply.data?.find((entry) => entry.revised_prompt)?.revised_prompt ?? undefined,
  };
  return Object.values(reported).some((value) => value !== undefined) ? reported : undefined;
}

export function reportedDifferences(request: ResolvedRequest, reply: ImagesResponse, label: string): string[] {
  const asked: [string, string | undefined, string | null | undefined][] = [
    ['size', request.size.kind === 'wxh' ? request.size.value : undefined, reply.size],
    ['quality', request.quality, reply.quality],
    ['background', request.background, reply.background],
    ['output format', request.outputFormat, reply.output_format],
  ];
  const warnings: string[] = [];
  for (const [name, want, got] of asked) {
    if (want === undefined || want === 'auto' || !got || got === want) continue;
    warnings.push(`${label} reports ${name} "${got}" where "${want}" was asked.`);
  }
  const revised = reply.data?.find((entry) => entry.revised_prompt)?.revised_prompt;
  if (revised && revised.trim() !== request.prompt.trim()) warnings.push(`${label} revised the prompt to: "${revised}".`);
  return warnings;
}
