import * as vscode from 'vscode';
import { isAbortError } from '../core/errors';
import type { Logger } from '../core/logger';
import { describeError } from './errorText';
import type { ErrorAction } from './errorText';
import type { SecretScrubber } from '../core/secrets';

const buttons = (): Readonly<Record<ErrorAction, { readonly label: string; readonly command: string }>> => ({
  showLog: { label: vscode.l10n.t('Show Log'), command: 'gptImage.showLog' },
  setApiKey: { label: vscode.l10n.t('Set API Key…'), command: 'gptImage.setApiKey' },
  showJobs: { label: vscode.l10n.t('Show Jobs'), command: 'gptImage.showJobs' },
});

/** What showError needs; a Services object satisfies it. */
export interface MessageDependencies {
  readonly log: Logger;
  readonly scrubber: SecretScrubber;
}

/**
 * One message for a failed job: the actionable sentence from errorText.ts, with "Show Log" (and
 * "Set API Key…" for a refused key, "Show Jobs" when the outcome is unknown). The full error goes
 * to the log; no key ever reaches either (scrubbed).
 */
export async function showError(
  dependencies: MessageDependencies,
  error: unknown,
  context: { readonly jobId?: string | undefined; readonly title?: string | undefined } = {},
): Promise<void> {
  if (isAbortError(error)) return;
  const text = describeError(error, context);
  const message = dependencies.scrubber.scrub(context.title ? `${context.title}: ${text.message}` : text.message);
  dependencies.log.error(dependencies.scrubber.scrub(describeForLog(error, context.jobId)));
  const show = text.inputProblem ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const labels = buttons();
  const choice = await show(message, ...text.actions.map((action) => labels[action].label));
  const action = text.actions.find((candidate) => labels[candidate].label === choice);
  if (action) await vscode.commands.executeCommand(labels[action].command);
}

function describeForLog(error: unknown, jobId: string | undefined): string {
  const prefix = jobId ? `Job ${jobId} failed: ` : 'Failed: ';
  if (!(error instanceof Error)) return prefix + String(error);
  const details = error as Error & { kind?: unknown; status?: unknown; requestId?: unknown; code?: unknown };
  const facts = [
    details.kind !== undefined ? `kind ${String(details.kind)}` : '',
    details.status !== undefined ? `status ${String(details.status)}` : '',
    details.code !== undefined ? `code ${String(details.code)}` : '',
    details.requestId !== undefined ? `request id ${String(details.requestId)}` : '',
  ].filter((fact) => fact !== '');
  return `${prefix}${error.name}: ${error.message}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

/** Warnings about a job (a size that was mapped, an option not sent), shown once each. */
export function createWarningShower(dependencies: MessageDependencies): (warnings: readonly string[]) => void {
  const shown = new Set<string>();
  return (warnings) => {
    const fresh = warnings.filter((warning) => !shown.has(warning));
    if (fresh.length === 0) return;
    for (const warning of fresh) {
      shown.add(warning);
      dependencies.log.warn(dependencies.scrubber.scrub(warning));
    }
    void vscode.window.showWarningMessage(dependencies.scrubber.scrub(fresh.join(' ')));
  };
}
