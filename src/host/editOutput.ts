import * as vscode from 'vscode';
import { editFileTemplate, sourceNameOf } from '../core/editDefaults';
import type { JobOutput } from '../core/journal';
import { fileNamesIn } from './editTargets';
import { baseName } from './imageUris';
import { assertWritesInside, resolveOutputTarget } from './outputFolder';

/** `gptImage.editOutput`: beside the original (default) or in the output folder. */
export type EditOutputMode = 'besideOriginal' | 'outputFolder';

export function editOutputMode(resource: vscode.Uri): EditOutputMode {
  const value = vscode.workspace.getConfiguration('gptImage', resource).get<unknown>('editOutput');
  return value === 'outputFolder' ? 'outputFolder' : 'besideOriginal';
}

/**
 * Where an edit of `original` is written and under which name: `<name>-edit-<n>.<ext>` beside the
 * original, numbered after the edits already there. An original outside every workspace folder
 * (picked from elsewhere) sends the result to the output folder instead: images are only ever
 * written inside the workspace. Undefined when the user cancels the folder question.
 * Throws InputError when gptImage.outputFolder, or the original's folder through a symbolic link,
 * points outside the workspace folder.
 */
export async function resolveEditOutput(original: vscode.Uri, imageCount: number): Promise<JobOutput | undefined> {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(original);
  const beside = editOutputMode(original) === 'besideOriginal' && workspaceFolder !== undefined;
  let folder: vscode.Uri;
  if (beside) {
    folder = vscode.Uri.joinPath(original, '..');
    await assertWritesInside(
      workspaceFolder,
      folder,
      vscode.l10n.t('The folder of {0}', baseName(original)),
      vscode.l10n.t('edit a copy inside the workspace, or set gptImage.editOutput to "outputFolder".'),
    );
  } else {
    const target = await resolveOutputTarget(original);
    if (!target) return undefined;
    folder = target.uri;
  }
  const sourceName = sourceNameOf(baseName(original));
  const template = editFileTemplate(await fileNamesIn(folder), sourceName, imageCount);
  return { dir: folder.toString(), template, sourceName };
}
