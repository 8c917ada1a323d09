import * as vscode from 'vscode';
import type { AfterGeneration } from './settingsRules';

/** The setting's three modes, plus 'beside' for edits (the result next to the original, to compare). */
export type OpenMode = AfterGeneration | 'beside';

export function fileLabel(location: string): string {
  const uri = vscode.Uri.parse(location, true);
  return vscode.workspace.asRelativePath(uri, true);
}

export async function openFiles(files: readonly string[], beside = false): Promise<void> {
  const options: vscode.TextDocumentShowOptions = beside ? { preview: false, viewColumn: vscode.ViewColumn.Beside } : { preview: false };
  for (const file of files) {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(file, true), options);
  }
}

/**
 * After a job saved its files: open each image, or reveal the first in the Explorer, or just say
 * where they are (`gptImage.afterGeneration`). A job that finished in the background always
 * announces itself, since the user is no longer watching it.
 */
export async function presentResults(files: readonly string[], mode: OpenMode, announce: boolean): Promise<void> {
  if (files.length === 0) return;
  if ((mode === 'open' || mode === 'beside') && !announce) {
    await openFiles(files, mode === 'beside');
    return;
  }
  if (mode === 'reveal') {
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(files[0] as string, true));
  }
  if (mode === 'reveal' && !announce) return;
  const open = files.length === 1 ? vscode.l10n.t('Open') : vscode.l10n.t('Open All');
  const saved =
    files.length === 1
      ? vscode.l10n.t('GPT Image: saved {0}.', fileLabel(files[0] as string))
      : vscode.l10n.t('GPT Image: saved {0} images ({1}, …).', files.length, fileLabel(files[0] as string));
  const choice = await vscode.window.showInformationMessage(saved, open);
  if (choice === open) await openFiles(files);
}
