import * as vscode from 'vscode';
import { isBatchFileName } from '../core/batch/batchFile';
import { internalCommandIds } from './commands';
import { targetsToMake, unfinishedJobFor } from '../core/batch/batchPlan';
import { targetLabel } from '../core/batch/batchTargets';
import { askHowToRun, startBatchApiJob } from '../host/batchApiStart';
import { batchHolderKey } from '../core/batch/batchApiJob';
import { loadHostBatch } from '../host/batchDocument';
import { runBatchWithProgress } from '../host/batchRun';
import type { BatchRunSummary } from '../host/batchRun';
import { showError } from '../host/messages';
import { assertWritesInside } from '../host/outputFolder';
import type { Services } from '../host/services';
import { askApiKey } from './setApiKey';

/** The lenses show each entry's new state (extension.ts owns the provider's change event). */
function refreshLenses(): void {
  void vscode.commands.executeCommand(internalCommandIds[0]);
}

/**
 * Entries started at once in the editor (the CLI's --concurrency). What reaches a provider is
 * decided by the window's adaptive per-provider limit (host/services.ts, windowLimits).
 */
const editorConcurrency = 16;

/**
 * `GPT Image: Run Image Batch` (palette, Explorer, editor title, the file's CodeLens) and the
 * entry's "Generate" CodeLens (`entry` given): every problem first (nothing sent), then what is
 * missing or changed, with progress, Cancel and the files in the Studio's gallery.
 */
export function createRunBatchCommand(services: Services): (...args: unknown[]) => Promise<BatchRunSummary | undefined> {
  return async (...args) => {
    const uri = args[0] instanceof vscode.Uri ? args[0] : vscode.window.activeTextEditor?.document.uri;
    const entry = typeof args[1] === 'string' ? args[1] : undefined;
    const name = uri?.path.split('/').pop() ?? '';
    if (!uri || !isBatchFileName(name)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Run Image Batch works on a batch file: open or select a *.images.yaml or *.images.json file.'));
      return undefined;
    }
    // A batch file chooses folders and file names, which Restricted Mode keeps from a workspace.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Run Image Batch needs a trusted workspace: a batch file chooses where images are written.'));
      return undefined;
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not inside an open workspace folder; images are written only into the workspace.', name));
      return undefined;
    }
    // The editor's text, saved or not: what the user sees is what runs.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const batch = await loadHostBatch(text, uri);
    if (!batch.ok) {
      const shown = batch.problems.slice(0, 3).map((problem) => vscode.l10n.t('line {0}: {1}', problem.line, problem.message)).join(' ');
      const more = batch.problems.length > 3 ? vscode.l10n.t(' (and {0} more, shown above their lines)', batch.problems.length - 3) : '';
      void vscode.window.showErrorMessage(
        batch.problems.length === 1
          ? vscode.l10n.t('{0} has 1 problem; nothing was sent. {1}', name, shown + more)
          : vscode.l10n.t('{0} has {1} problems; nothing was sent. {2}', name, batch.problems.length, shown + more),
      );
      return undefined;
    }
    const chosen = batch.plan.targets.filter((target) => entry === undefined || target.target.entry.name === entry);
    let toMake = targetsToMake({ targets: chosen }, false);
    const conflicts = chosen.filter((target) => target.status === 'conflict');
    for (const target of conflicts) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0}: a file under its name in {1} was not made by GPT Image; it is left alone. Rename or move it to make this entry.', targetLabel(target.target), target.target.out));
    }
    if (toMake.length === 0) {
      if (conflicts.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('{0}: everything is up to date; nothing was sent.', entry ?? name));
      return undefined;
    }
    try {
      const providers = [...new Set(toMake.map((target) => target.target.provider))];
      for (const provider of providers) services.checkProvider(provider);
      const keys = await services.keys.status();
      for (const provider of providers) {
        if (!keys[provider] && (await askApiKey(services, provider)).kind !== 'value') return undefined;
      }
      for (const out of new Set(toMake.map((target) => target.target.out))) {
        await assertWritesInside(folder, batch.resolveOut(out), vscode.l10n.t('The batch\'s output folder "{0}"', out), vscode.l10n.t('Choose an `out` folder inside the workspace.'));
      }
    } catch (error) {
      await showError(services, error);
      return undefined;
    }
    // An entry an unfinished Batch API job still holds is that job's: never paid for twice.
    const holders = await services.batchApi.holders();
    const held = toMake.filter((target) => holders.has(batchHolderKey(batch.resolveOut(target.target.out).toString(), target.target.template)));
    for (const target of held) {
      const job = holders.get(batchHolderKey(batch.resolveOut(target.target.out).toString(), target.target.template));
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is in Batch API job {1} ({2}); it is not sent again. Show Jobs follows it.', targetLabel(target.target), job?.id ?? '', job?.state ?? ''));
    }
    toMake = toMake.filter((target) => !held.includes(target));
    if (toMake.length === 0) return undefined;
    const journaled = await services.runner.list();
    if (entry === undefined) {
      // An entry with an earlier run's unfinished job is finished by that job (below), never batched.
      const eligible = toMake.filter((target) => target.target.provider === 'openai' && !unfinishedJobFor(target, batch.resolveOut(target.target.out).toString(), journaled));
      if (eligible.length > 0) {
        const way = await askHowToRun(toMake, eligible);
        if (way === undefined) return undefined;
        if (way === 'batchApi') {
          if (!(await startBatchApiJob(services, uri, batch, eligible))) return undefined;
          refreshLenses();
          toMake = toMake.filter((target) => !eligible.includes(target));
          if (toMake.length === 0) return undefined;
        }
      }
    }
    const summary = await runBatchWithProgress({
      owner: services.owner,
      log: services.log,
      title: entry === undefined ? vscode.l10n.t('Image batch {0}', name) : vscode.l10n.t('Image batch {0}: {1}', name, entry),
      targets: toMake,
      skipped: chosen.length - toMake.length - conflicts.length,
      resolveOut: batch.resolveOut,
      journaled,
      concurrency: editorConcurrency,
      changed: refreshLenses,
      batchFile: vscode.workspace.asRelativePath(uri, false),
    });
    // Again once the last sidecar has settled: the file watcher may report late, or not at all remotely.
    refreshLenses();
    setTimeout(refreshLenses, 1000);
    void announce(summary);
    return summary;
  };
}

async function announce(summary: BatchRunSummary): Promise<void> {
  const problems = [...summary.failed, ...summary.unknown];
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(
      problems.length === 1
        ? vscode.l10n.t('Image batch: 1 entry not made: {0}', problems.join('; '))
        : vscode.l10n.t('Image batch: {0} entries not made: {1}', problems.length, problems.join('; ')),
      vscode.l10n.t('Show Jobs'),
    ).then((choice) => {
      if (choice) void vscode.commands.executeCommand('gptImage.showJobs');
    });
  }
  if (summary.files.length === 0) return;
  const studio = vscode.l10n.t('Show in Studio');
  const choice = await vscode.window.showInformationMessage(
    summary.files.length === 1
      ? vscode.l10n.t('Image batch: saved 1 image (1 entry).')
      : summary.made === 1
        ? vscode.l10n.t('Image batch: saved {0} images (1 entry).', summary.files.length)
        : vscode.l10n.t('Image batch: saved {0} images ({1} entries).', summary.files.length, summary.made),
    studio,
  );
  if (choice === studio) await vscode.commands.executeCommand('gptImage.openStudio');
}
