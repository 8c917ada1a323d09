import * as vscode from 'vscode';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import { planCost } from '../core/batch/batchPlan';
import type { PlannedTarget } from '../core/batch/batchPlan';
import { targetLabel } from '../core/batch/batchTargets';
import { batchApiPriceFactor, formatUsd } from '../core/cost';
import { errorMessage } from '../core/errors';
import { providerLabels } from '../core/ids';
import type { SpendItem } from '../core/spendGuard';
import { batchApiJobFor } from '../providers/openai/batchApiJobFor';
import { keepPreviousInWorkspace } from './batchDocument';
import type { HostBatch } from './batchDocument';
import { batchJobSummary } from './batchJobList';
import { showError } from './messages';
import type { Services } from './services';

export type HowToRun = 'now' | 'batchApi';

interface WayItem extends vscode.QuickPickItem {
  readonly way: HowToRun;
}

function costText(targets: readonly PlannedTarget[], factor: number): string {
  const cost = planCost(targets, factor);
  const usd = `${cost.approximate ? '≈ ' : ''}${formatUsd(cost.usd)}`;
  return cost.uncounted.length === 0 ? usd : vscode.l10n.t('{0} + {1} entries without a published price', usd, cost.uncounted.length);
}

/**
 * Asked before anything is sent when a run has OpenAI entries: now at the normal price, or the
 * OpenAI ones as one Batch API job at half the price (results within 24 h). Entries for other
 * providers have no Batch API: they run now either way, which the second choice says.
 */
export async function askHowToRun(all: readonly PlannedTarget[], openAi: readonly PlannedTarget[]): Promise<HowToRun | undefined> {
  const others = all.filter((target) => !openAi.includes(target));
  const otherProviders = [...new Set(others.map((target) => providerLabels[target.target.provider]))].join(', ');
  const items: WayItem[] = [
    {
      way: 'now',
      label: vscode.l10n.t('$(play) Now'),
      description: costText(all, 1),
      detail: all.length === 1 ? vscode.l10n.t('1 entry at the normal price; images arrive as each is made.') : vscode.l10n.t('{0} entries at the normal price; images arrive as each is made.', all.length),
    },
    {
      way: 'batchApi',
      label: vscode.l10n.t('$(clock) OpenAI Batch API: half price, results within 24 h'),
      description: others.length === 0 ? costText(openAi, batchApiPriceFactor) : vscode.l10n.t('{0} + {1} now', costText(openAi, batchApiPriceFactor), costText(others, 1)),
      detail:
        others.length === 0
          ? openAi.length === 1
            ? vscode.l10n.t('1 OpenAI entry in one batch; its images are saved when it is done.')
            : vscode.l10n.t('{0} OpenAI entries in one batch; images are saved when it is done.', openAi.length)
          : others.length === 1
            ? vscode.l10n.t('{0} OpenAI entries in one batch; the entry for {1} has no Batch API and runs now.', openAi.length, otherProviders)
            : vscode.l10n.t('{0} OpenAI entries in one batch; the {1} entries for {2} have no Batch API and run now.', openAi.length, others.length, otherProviders),
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('How should this batch run?'), placeHolder: vscode.l10n.t('Nothing is sent before you choose') });
  return picked?.way;
}

/** What each target would cost, as the spend guard counts it (unpriced: undefined). */
function spendItems(targets: readonly PlannedTarget[], factor: number): SpendItem[] {
  return targets.map((target) => ({
    provider: target.target.provider,
    estimate: target.cost.kind === 'usd' ? { usd: target.cost.usd * factor, approximate: target.cost.approximate, basis: target.cost.basis } : { usd: undefined, approximate: false, basis: target.cost.basis },
  }));
}

/**
 * Sends `targets` (OpenAI, none held by another job) as one Batch API job: the spend guard on the
 * discounted total, every refusal and folder check, the previous files set aside, then the job is
 * journaled and runs in the window's background with a notification that follows it.
 */
export async function startBatchApiJob(services: Services, file: vscode.Uri, batch: Extract<HostBatch, { ok: true }>, targets: readonly PlannedTarget[]): Promise<BatchJobRecord | undefined> {
  const resolveOut = (out: string): string => batch.resolveOut(out).toString();
  // The images' provenance names the batch file as a synchronous run of it does (runBatch.ts).
  const originFile = vscode.workspace.asRelativePath(file, false);
  try {
    const baseUrl = services.baseUrlFor('openai');
    // Refusals first (a size a batch edit cannot take…): all at once, nothing sent.
    batchApiJobFor(targets, file.fsPath, baseUrl, resolveOut, originFile);
    for (const dir of new Set(targets.map((target) => resolveOut(target.target.out)))) await services.writer.prepare(dir);
    const sent: PlannedTarget[] = [];
    for (const target of targets) {
      try {
        await keepPreviousInWorkspace(batch.resolveOut(target.target.out), target.existing.filter((existing) => existing !== undefined), new Date());
        sent.push(target);
      } catch (error) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0}: the previous file could not be set aside, so it was not sent ({1}).', targetLabel(target.target), errorMessage(error)));
      }
    }
    if (sent.length === 0) return undefined;
    const cost = planCost(sent, batchApiPriceFactor);
    // The spend guard (gptImage.spendLimit) sees the discounted total before the job is journaled.
    const job = await services.batchApi.start(batchApiJobFor(sent, file.fsPath, baseUrl, resolveOut, originFile), {
      items: spendItems(sent, batchApiPriceFactor),
      limits: services.settings.spendLimits(),
      estimateUsd: cost.uncounted.length > 0 ? undefined : cost.usd,
    });
    void followBatchJob(services, job.id, vscode.l10n.t('Batch API job {0}', job.id));
    return job;
  } catch (error) {
    await showError(services, error);
    return undefined;
  }
}

function phaseText(phase: string | undefined): string {
  switch (phase) {
    case 'uploading':
      return vscode.l10n.t('uploading the requests');
    case 'creating':
      return vscode.l10n.t('creating the batch at OpenAI');
    case 'polling':
      return vscode.l10n.t('OpenAI is working on it (results within 24 h)');
    case 'downloading':
      return vscode.l10n.t('saving the images');
    default:
      return vscode.l10n.t('starting');
  }
}

/**
 * A notification that follows a Batch API job while this window runs it: where it is and its counts.
 * Cancel asks: cancel the batch at OpenAI (what is done is still saved), or keep it in the
 * background (the status bar shows it; its images are saved when it completes).
 */
export function followBatchJob(services: Services, jobId: string, title: string): Thenable<void> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    new Promise<void>((resolve) => {
      let settled = false;
      const update = async (): Promise<void> => {
        if (!services.batchApi.isFollowing(jobId)) return finish();
        const job = await services.batchApi.get(jobId).catch(() => undefined);
        if (!settled) progress.report({ message: job ? `${phaseText(services.batchApi.progressOf(jobId)?.phase)} · ${batchJobSummary(job)}` : phaseText(undefined) });
      };
      const subscription = services.batchApi.onDidChange(() => void update());
      const finish = (): void => {
        if (settled) return;
        settled = true;
        subscription.dispose();
        resolve();
      };
      void update();
      token.onCancellationRequested(async () => {
        const cancelBatch = vscode.l10n.t('Cancel the batch');
        const keep = vscode.l10n.t('Keep in background');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Cancel Batch API job {0} at OpenAI?', jobId),
          { modal: true, detail: vscode.l10n.t('Images OpenAI has already made are still saved (and charged). Keep it in the background instead, and its images are saved when it completes; the status bar shows it.') },
          cancelBatch,
          keep,
        );
        finish();
        if (choice === cancelBatch) await services.batchApi.cancel(jobId);
      });
    }),
  );
}
