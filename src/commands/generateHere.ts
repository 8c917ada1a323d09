import * as vscode from 'vscode';
import type { JobResult } from '../core/runner';
import { folderTarget } from '../host/outputFolder';
import type { Services } from '../host/services';
import { generate } from './generate';

/**
 * `Generate Image Here…` on a folder in the Explorer: the usual questions (prompt, provider, size,
 * quality), and the images go into that folder instead of `gptImage.outputFolder`, still only inside
 * the workspace (host/outputFolder.ts folderTarget, checked before anything is sent).
 */
export function createGenerateHereCommand(services: Services): (...args: unknown[]) => Promise<JobResult | undefined> {
  return async (...args) => {
    const folder = args[0] instanceof vscode.Uri ? args[0] : undefined;
    if (!folder) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a folder in the Explorer and choose "Generate Image Here…"; from the Command Palette, use "Generate Image…".'));
      return undefined;
    }
    const target = await folderTarget(folder);
    return generate(services, { target, title: vscode.l10n.t('Generate Image in {0}/', target.relativePath === '' ? target.workspaceFolder.name : target.relativePath) });
  };
}
