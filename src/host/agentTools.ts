import * as vscode from 'vscode';
import { parseImageToolCall } from '../core/agentTools/toolArgs';
import type { ImageToolCall } from '../core/agentTools/toolArgs';
import { toolRequest, toolTemplate } from '../core/agentTools/toolRequest';
import type { ImageToolKind } from '../core/agentTools/toolSpec';
import { resultText, summarizeToolCall } from '../core/agentTools/toolSummary';
import { capabilityFor, localFileRefusal } from '../core/capabilities';
import { defaultTokenRates } from '../core/cost';
import type { TokenRates } from '../core/cost';
import { InputError } from '../core/errors';
import { providerLabels } from '../core/ids';
import { cancelJob } from '../core/jobHandle';
import type { JobOutput } from '../core/journal';
import type { InputImage } from '../core/request';
import { describeError } from './errorText';
import { askKeepOrStop } from './jobViews';
import { assertWritesInside, outputTargetWithoutAsking } from './outputFolder';
import type { OutputTarget } from './outputFolder';
import { nodePathState, outputFolderRelativePath, realLocation } from './outputFolderRules';
import type { Services } from './services';

/** What prepareInvocation shows: every image call is paid, so it always carries a confirmation. */
export interface PreparedAgentTool {
  readonly invocationMessage: string;
  readonly confirmation?: { readonly title: string; readonly markdown: string } | undefined;
}

/**
 * The Copilot tools' work (gptImage_generate, gptImage_edit): the same arguments and sentences as
 * `gpt-image mcp` (core/agentTools), run as a job of this window's owner like the Studio's, written
 * into the workspace. Failures are returned as text the agent can read, never thrown.
 */
export function createAgentTools(services: Services): {
  prepare(kind: ImageToolKind, input: unknown): PreparedAgentTool;
  invoke(kind: ImageToolKind, input: unknown, token: vscode.CancellationToken): Promise<string>;
} {
  const parse = (kind: ImageToolKind, input: unknown) => parseImageToolCall(kind, input, { provider: services.settings.defaultProvider() });
  return {
    prepare: (kind, input) => {
      const parsed = parse(kind, input);
      // Invalid arguments are answered by invoke without sending anything: nothing to confirm.
      if (!parsed.ok) return { invocationMessage: vscode.l10n.t('Checking the image request') };
      const summary = summarizeToolCall(parsed.call, tokenRates());
      return {
        invocationMessage:
          kind === 'generate'
            ? vscode.l10n.t('Generating with {0}', providerLabels[parsed.call.provider])
            : vscode.l10n.t('Editing with {0}', providerLabels[parsed.call.provider]),
        confirmation: { title: summary.title, markdown: summary.lines.join('  \n') },
      };
    },
    invoke: async (kind, input, token) => {
      const parsed = parse(kind, input);
      if (!parsed.ok) return notSent(parsed.issues.join(' '));
      try {
        return await run(services, parsed.call, token);
      } catch (error) {
        const text = describeError(error).message;
        return error instanceof InputError ? notSent(text) : vscode.l10n.t('Failed: {0}', services.scrubber.scrub(text));
      }
    },
  };
}

/** `gptImage.openaiPricing`, each rate falling back to core/cost.ts's default when missing or invalid. */
function tokenRates(): TokenRates {
  const value: unknown = vscode.workspace.getConfiguration('gptImage').get('openaiPricing');
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const rate = (name: keyof TokenRates): number => {
    const candidate = record[name];
    return typeof candidate === 'number' && Number.isFinite(candidate) && candidate >= 0 ? candidate : defaultTokenRates[name];
  };
  return { textInputPerMillion: rate('textInputPerMillion'), imageInputPerMillion: rate('imageInputPerMillion'), imageOutputPerMillion: rate('imageOutputPerMillion') };
}

function notSent(text: string): string {
  return vscode.l10n.t('Not sent (nothing was paid): {0}', text);
}

async function run(services: Services, call: ImageToolCall, token: vscode.CancellationToken): Promise<string> {
  const label = providerLabels[call.provider];
  // Paths first, then the key: every refusal here comes before anything is sent.
  const target = await outputTargetWithoutAsking();
  const request = await toolRequest(call, (reference, role) => readInside(target, call, reference, role));
  const output = await outputFor(target, call, request.inputImages?.[0]);
  if (!(await services.keys.has(call.provider))) throw new InputError([vscode.l10n.t('No {0} API key is set: run "GPT Image: Set API Key…" and try again.', label)]);
  services.checkProvider(call.provider);
  if (token.isCancellationRequested) throw new InputError([vscode.l10n.t('Cancelled before anything was sent.')]);
  const handle = services.owner.run({ request, output });
  // Watched while the agent waits, so the background view does not announce it a second time.
  const watching = handle.watch();
  const cancel = token.onCancellationRequested(() => void cancelJob(handle, askKeepOrStop));
  try {
    const result = await handle.done;
    const files = result.files.map((file) => {
      const shown = vscode.workspace.asRelativePath(vscode.Uri.parse(file), false);
      return { shown, link: shown.split('/').map(encodeURIComponent).join('/') };
    });
    return resultText(files, result.warnings, true);
  } finally {
    cancel.dispose();
    watching.dispose();
  }
}

/** out_dir inside the workspace folder (links resolved), else the edit's source folder or gptImage.outputFolder. */
async function outputFor(target: OutputTarget, call: ImageToolCall, first: InputImage | undefined): Promise<JobOutput> {
  const folder = target.workspaceFolder;
  let dir = target.uri;
  const firstFile = first?.kind === 'file' ? vscode.Uri.parse(first.source) : undefined;
  if (call.outDir !== undefined) {
    const rule = outputFolderRelativePath(call.outDir, folder.uri.path);
    if (!rule.ok) throw new InputError([`out_dir "${call.outDir}" is outside the workspace folder "${folder.name}": use a path inside it, such as "images".`]);
    dir = rule.relativePath === '' ? folder.uri : vscode.Uri.joinPath(folder.uri, ...rule.relativePath.split('/'));
    await assertWritesInside(folder, dir, `out_dir "${call.outDir}"`, vscode.l10n.t('use a real folder inside the workspace.'));
  } else if (call.kind === 'edit' && firstFile) {
    dir = vscode.Uri.joinPath(firstFile, '..');
  }
  const sourcePath = firstFile?.path ?? (first?.kind === 'url' ? first.url : 'image');
  const sourceName = call.kind === 'edit' ? (sourcePath.split('/').pop() ?? 'image').replace(/\.[^.]*$/, '') || 'image' : undefined;
  const existing = await vscode.workspace.fs.readDirectory(dir).then((entries) => entries.map(([name]) => name), () => []);
  return { dir: dir.toString(), template: toolTemplate(call, existing, sourceName), ...(sourceName ? { sourceName } : {}) };
}

/** A reference path inside the workspace folder (links resolved on file: workspaces), read through workspace.fs. */
async function readInside(target: OutputTarget, call: ImageToolCall, reference: string, role: 'Image' | 'Mask'): Promise<InputImage | string> {
  const folder = target.workspaceFolder;
  const outside = `${role} ${reference} is outside the workspace folder "${folder.name}": only files inside it are read.`;
  const rule = outputFolderRelativePath(reference, folder.uri.path);
  if (!rule.ok || rule.relativePath === '') return outside;
  const uri = vscode.Uri.joinPath(folder.uri, ...rule.relativePath.split('/'));
  if (folder.uri.scheme === 'file' && !(await realLocation(folder.uri.fsPath, uri.fsPath, nodePathState)).inside) return outside;
  const capability = capabilityFor(call.provider, call.model);
  if (capability && !capability.edit.acceptsLocalFile) return localFileRefusal(providerLabels[call.provider], call.model, rule.relativePath);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return `${role} ${reference} is a folder, not an image file.`;
    const limit = capability?.edit.maxImageBytes;
    if (limit !== undefined && stat.size > limit) {
      return `${role} ${reference} is ${(stat.size / 1024 / 1024).toFixed(1)} MB; ${providerLabels[call.provider]} accepts up to ${(limit / 1024 / 1024).toFixed(0)} MB per image.`;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { kind: 'file', source: uri.toString(), fileName: uri.path.split('/').pop() ?? 'image', bytes };
  } catch {
    return `${role} ${reference} cannot be read: check the path (relative to the workspace folder "${folder.name}").`;
  }
}
