import * as vscode from 'vscode';
import { fileLabel } from '../host/results';
import { sidecarPrompt, sidecarSegments } from '../host/sidecarPrompt';
import type { Services } from '../host/services';
import { imageSnippet } from '../webview/insertImage';

/**
 * `Copy as Markdown` on an image in the Explorer: `![prompt](workspace/relative/path.png)` on the
 * clipboard, the alt text taken from the image's provenance sidecar. An image without one (not made
 * here, or its sidecar removed) is said so: there is no prompt to describe it.
 */
export function createCopyAsMarkdownCommand(services: Services): (...args: unknown[]) => Promise<string | undefined> {
  return async (...args) => {
    const image = args[0] instanceof vscode.Uri ? args[0] : activeImage();
    if (!image) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Right-click an image in the Explorer and choose "Copy as Markdown".'));
      return undefined;
    }
    const name = image.path.slice(image.path.lastIndexOf('/') + 1);
    const sidecar = vscode.Uri.joinPath(image, '..', ...sidecarSegments(name));
    let prompt: string | undefined;
    try {
      prompt = sidecarPrompt(new TextDecoder().decode(await vscode.workspace.fs.readFile(sidecar)));
    } catch (error) {
      services.log.info(`Copy as Markdown: no provenance for ${fileLabel(image.toString())} (${String(error)}).`);
    }
    if (prompt === undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} has no provenance (no readable {1} beside it), so there is no prompt to describe it. Only images made by GPT Image Studio have one.', name, sidecarSegments(name).join('/')));
      return undefined;
    }
    const markdown = imageSnippet({ format: 'markdown', imagePath: image.path, documentPath: undefined, fallbackPath: vscode.workspace.asRelativePath(image, false), prompt });
    await vscode.env.clipboard.writeText(markdown);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0} to the clipboard.', markdown));
    return markdown;
  };
}

function activeImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.uri : undefined;
}
