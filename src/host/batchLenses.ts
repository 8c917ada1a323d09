import * as vscode from 'vscode';
import { batchHolderKey } from '../core/batch/batchApiJob';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import type { BatchStatus, PlannedTarget } from '../core/batch/batchPlan';
import { targetsToMake } from '../core/batch/batchPlan';
import { loadHostBatch } from './batchDocument';

const statusWords: Readonly<Record<BatchStatus, string>> = {
  upToDate: '$(check) made',
  missing: '$(circle-large-outline) missing',
  changed: '$(diff-modified) changed',
  conflict: '$(warning) conflict',
};

const statusHelp = (): Readonly<Record<BatchStatus, string>> => ({
  upToDate: vscode.l10n.t('Its files exist and their sidecars record this very request: a run skips it.'),
  missing: vscode.l10n.t('Not made yet: a run makes it.'),
  changed: vscode.l10n.t('Its files were made from another request: a run keeps them under .gpt-image/previous/ and makes it again.'),
  conflict: vscode.l10n.t('A file under its name was not made by GPT Image: a run leaves it alone.'),
});

/** An entry's state as its lens says it: in an unfinished Batch API job, or its status on disk. */
type LensState = BatchStatus | 'inBatch';

/**
 * The CodeLenses of a batch file: above each entry its state (made / missing / changed / conflict,
 * or "in Batch API job" while one still holds it; per provider when it has several) and "Generate"
 * for that entry alone; on the first line "Run Image Batch" for the file. A file with problems shows
 * each one above its line instead. `holders` are the window's unfinished Batch API jobs by entry
 * (BatchApiWindow.holders).
 */
export async function batchLenses(document: vscode.TextDocument, holders: ReadonlyMap<string, BatchJobRecord> = new Map()): Promise<vscode.CodeLens[]> {
  const batch = await loadHostBatch(document.getText(), document.uri);
  const at = (line: number): vscode.Range => new vscode.Range(Math.max(0, line - 1), 0, Math.max(0, line - 1), 0);
  if (!batch.ok) {
    return batch.problems.map((problem) => new vscode.CodeLens(at(problem.line), { title: `$(error) ${problem.message}`, command: '' }));
  }
  const targets = batch.plan.targets;
  const holderOf = (target: PlannedTarget): BatchJobRecord | undefined => holders.get(batchHolderKey(batch.resolveOut(target.target.out).toString(), target.target.template));
  const toMakeAll = targetsToMake(batch.plan, false);
  const held = toMakeAll.filter((target) => holderOf(target) !== undefined).length;
  const toMake = toMakeAll.length - held;
  const upToDate = targets.filter((target) => target.status === 'upToDate').length;
  const lenses: vscode.CodeLens[] = [
    new vscode.CodeLens(at(1), {
      title:
        held > 0
          ? vscode.l10n.t('$(run-all) Run Image Batch ({0} to make, {1} up to date, {2} in a Batch API job)', toMake, upToDate, held)
          : vscode.l10n.t('$(run-all) Run Image Batch ({0} to make, {1} up to date)', toMake, upToDate),
      command: 'gptImage.runBatch',
      arguments: [document.uri],
    }),
  ];
  const byEntry = new Map<string, PlannedTarget[]>();
  for (const target of targets) byEntry.set(target.target.entry.name, [...(byEntry.get(target.target.entry.name) ?? []), target]);
  for (const [name, group] of byEntry) {
    const first = group[0] as PlannedTarget;
    const range = at(first.target.entry.line);
    const several = group.length > 1;
    // A file the job has saved already reads as made; the rest are the job's until it ends.
    const stateOf = (target: PlannedTarget): LensState => (target.status !== 'upToDate' && holderOf(target) ? 'inBatch' : target.status);
    const words = (state: LensState): string => (state === 'inBatch' ? vscode.l10n.t('$(sync) in Batch API job') : statusWords[state]);
    const title = several ? group.map((target) => `${target.target.provider}: ${words(stateOf(target)).replace(/^\$\([\w-]+\) /, '')}`).join(' · ') : words(stateOf(first));
    const holder = group.map(holderOf).find((job) => job !== undefined);
    const tooltip =
      holder && group.some((target) => stateOf(target) === 'inBatch')
        ? vscode.l10n.t('OpenAI is making it in Batch API job {0} ({1}); Show Jobs follows it, and no run sends it again.', holder.id, holder.state)
        : several
          ? undefined
          : statusHelp()[first.status];
    lenses.push(new vscode.CodeLens(range, { title, command: holder ? 'gptImage.showJobs' : '', tooltip }));
    lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('$(play) Generate'), command: 'gptImage.runBatch', arguments: [document.uri, name], tooltip: vscode.l10n.t('Make "{0}" (only what is missing or changed).', name) }));
  }
  return lenses;
}
