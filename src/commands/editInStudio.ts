import * as vscode from 'vscode';
import { isEditableImageName, isMaskFileName } from '../core/editDefaults';
import { InputError } from '../core/errors';
import { urisFromArguments } from '../host/editTargets';
import { baseName } from '../host/imageUris';
import type { Services } from '../host/services';
import { StudioPanel } from '../webview/studioPanel';

/**
 * "Edit in Studio…" from the Explorer, the image preview's title bar or the palette: opens the
 * Studio on one image in the mask painter (webview/studioMask.ts). The first image of a selection
 * is the one painted on; nothing is sent until the user saves and edits in the painter.
 */
export function createEditInStudioCommand(_services: Services): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const uris = urisFromArguments(args) ?? (await pickImage());
    if (!uris) return;
    const image = uris.find((uri) => isEditableImageName(baseName(uri)) && !isMaskFileName(baseName(uri)));
    if (!image) {
      const names = uris.map(baseName).join(', ');
      throw new InputError([vscode.l10n.t('Edit in Studio paints a mask on a PNG, JPEG or WebP image (not on a mask); {0} is not one.', names)]);
    }
    // Through the activation bundle, which creates (or reveals) the one Studio and has the engine adopt it.
    await vscode.commands.executeCommand('gptImage.openStudio');
    const panel = await adoptedStudio();
    await panel.openMask(image);
  };
}

async function pickImage(): Promise<vscode.Uri[] | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Edit in Studio: choose the image to paint a mask on'),
    canSelectMany: false,
    openLabel: vscode.l10n.t('Open in Studio'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'PNG', 'JPG', 'JPEG', 'WEBP'] },
  });
  return picked && picked.length > 0 ? picked : undefined;
}

/** A Studio restored after a reload is adopted once the engine has loaded: wait for it briefly. */
async function adoptedStudio(): Promise<StudioPanel> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const panel = StudioPanel.adopted();
    if (panel) return panel;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(vscode.l10n.t('The Studio did not open; run "GPT Image: Open Studio", then try again.'));
}
