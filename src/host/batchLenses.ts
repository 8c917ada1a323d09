import * as vscode from 'vscode';
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

/**
 * The CodeLenses of a batch file: above each entry its state (made / missing / changed / conflict,
 * per provider when it has several) and "Generate" for that entry alone; on the first line "Run
 * Image Batch" for the file. A file with problems shows each one above its line instead.
 */
export async function batchLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const batch = await loadHostBatch(document.getText(), document.uri);
  const at = (line: number): vscode.Range => new vscode.Range(Math.max(0, line - 1), 0, Math.max(0, line - 1), 0);
  if (!batch.ok) {
    return batch.problems.map((problem) => new vscode.CodeLens(at(problem.line), { title: `$(error) ${problem.message}`, command: '' }));
  }
  const targets = batch.plan.targets;
  const toMake = targetsToMake(batch.plan, false).length;
  const lenses: vscode.CodeLens[] = [
    new vscode.CodeLens(at(1), {
      title: vscode.l10n.t('$(run-all) Run Image Batch ({0} to make, {1} up to date)', toMake, targets.filter((target) => target.status === 'upToDate').length),
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
    const title = several ? group.map((target) => `${target.target.provider}: ${statusWords[target.status].replace(/^\$\([\w-]+\) /, '')}`).join(' · ') : statusWords[first.status];
    lenses.push(new vscode.CodeLens(range, { title, command: '', tooltip: several ? undefined : statusHelp()[first.status] }));
    lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('$(play) Generate'), command: 'gptImage.runBatch', arguments: [document.uri, name], tooltip: vscode.l10n.t('Make "{0}" (only what is missing or changed).', name) }));
  }
  return lenses;
}
