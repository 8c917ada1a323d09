import * as vscode from 'vscode';
import { batchLineCounts } from '../core/batch/batchApiJob';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import { createBatchRunner } from '../core/batch/batchApiRunner';
import type { HttpClient } from '../core/httpClient';
import type { Logger } from '../core/logger';
import type { ImageWriter } from '../core/output';
import type { SpendLedgerStore } from '../core/spendLedger';
import { createOpenAiBatchApi } from '../providers/openai/batchApi';
import { BatchApiWindow } from './batchApiWindow';
import { batchJobSummary } from './batchJobList';
import { createBatchJobStore } from './batchJobStore';
import { storageFileSystem } from './localFileSystem';
import { createRescueStore } from './rescueStore';

export interface BatchApiHostDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: Logger;
  readonly writer: ImageWriter;
  readonly ledger: SpendLedgerStore;
  readonly ownerId: string;
  http(): HttpClient;
  /** The recorded base URL if it is still one the user trusts (services.ts); throws otherwise. */
  trustedBaseUrl(recorded: string): string;
  getApiKey(): Promise<string>;
  requestTimeoutMs(): number;
  /** A run that stopped on an error: the window's usual error message (messages.ts). */
  showError(error: unknown, jobId: string): void;
  /** gptImage.pollIntervalSeconds, which (as the CLI's --poll-interval) also replaces the slow Batch API schedule. */
  pollIntervalOverrideMs(): number | undefined;
}

/**
 * The window's Batch API jobs over the extension's storage (`batches/` in global storage), the
 * shared HTTP client and the key store, with a status bar item while any is followed and a message
 * when one ends (its files, or what failed; as a background job announces itself).
 */
export function createBatchApiHost(deps: BatchApiHostDeps): BatchApiWindow {
  const runner = createBatchRunner({
    store: createBatchJobStore(deps.context.globalStorageUri, deps.log, storageFileSystem(deps.context.globalStorageUri)),
    api: (baseUrl) =>
      createOpenAiBatchApi({ baseUrl: deps.trustedBaseUrl(baseUrl), http: deps.http(), log: deps.log, now: () => Date.now(), getApiKey: deps.getApiKey, requestTimeoutMs: deps.requestTimeoutMs() }),
    writer: deps.writer,
    rescue: createRescueStore(deps.context.globalStorageUri, storageFileSystem(deps.context.globalStorageUri)),
    log: deps.log,
    now: () => Date.now(),
    ownerId: deps.ownerId,
    // A window's lease is only ever taken over once it has expired (as the journal's jobs).
    isOwnerGone: () => false,
    // A getter: a settings change applies at the next wait.
    get pollIntervalOverrideMs() {
      return deps.pollIntervalOverrideMs();
    },
  });
  let closing = false;
  const window = new BatchApiWindow({
    runner,
    ledger: deps.ledger,
    log: deps.log,
    now: () => Date.now(),
    ended: (job) => {
      if (closing) return;
      // The batch file's CodeLenses (commands/commands.ts, internalCommandIds) now say "made".
      void vscode.commands.executeCommand('gptImage.refreshBatchLenses');
      void announce(job);
    },
    failed: (jobId, error) => {
      if (!closing) deps.showError(error, jobId);
    },
  });
  const item = vscode.window.createStatusBarItem('gptImage.batchJobs', vscode.StatusBarAlignment.Left, 9);
  item.name = vscode.l10n.t('GPT Image Batch API jobs');
  item.command = 'gptImage.showJobs';
  let followedBefore = '';
  const refresh = (): void => {
    const ids = window.followed();
    // A job started or ended here: the batch file's lenses say which entries it holds.
    if (ids.join() !== followedBefore) void vscode.commands.executeCommand('gptImage.refreshBatchLenses');
    followedBefore = ids.join();
    if (ids.length === 0) {
      item.hide();
      return;
    }
    item.text = ids.length === 1 ? vscode.l10n.t('$(sync~spin) Batch API: 1 job') : vscode.l10n.t('$(sync~spin) Batch API: {0} jobs', ids.length);
    item.tooltip = ids.map((id) => `${id}: ${window.progressOf(id)?.message ?? vscode.l10n.t('starting…')}`).join('\n');
    item.show();
  };
  const subscription = window.onDidChange(refresh);
  deps.context.subscriptions.push({
    dispose: () => {
      closing = true;
      subscription.dispose();
      item.dispose();
      void window.dispose();
    },
  });
  return window;
}

/** The end of a job this window ran: its images (open the Studio) or what went wrong (Show Jobs). */
async function announce(job: BatchJobRecord): Promise<void> {
  const counts = batchLineCounts(job);
  const files = job.parts.flatMap((part) => part.lines.flatMap((line) => line.files));
  const summary = batchJobSummary(job);
  if (counts.failed > 0 || counts.kept > 0 || job.state === 'unknown') {
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Batch API job {0} ended: {1}', job.id, summary), vscode.l10n.t('Show Jobs'));
    if (choice) await vscode.commands.executeCommand('gptImage.showJobs');
    return;
  }
  if (files.length === 0) return;
  const studio = vscode.l10n.t('Show in Studio');
  const choice = await vscode.window.showInformationMessage(
    files.length === 1 ? vscode.l10n.t('Batch API job {0}: saved 1 image.', job.id) : vscode.l10n.t('Batch API job {0}: saved {1} images.', job.id, files.length),
    studio,
  );
  if (choice === studio) await vscode.commands.executeCommand('gptImage.openStudio');
}
