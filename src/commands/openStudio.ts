import type * as vscode from 'vscode';
import { StudioPanel } from '../webview/studioPanel';
import type { StudioServices } from '../webview/studioServices';

/**
 * `gptImage.openStudio`: extension.ts has already created the panel and loaded its page
 * (studioShell.ts), or revealed the open one; the engine takes the new panel over here.
 */
export function openStudio(services: StudioServices): (panel?: unknown) => Promise<void> {
  return async (panel) => {
    if (!isWebviewPanel(panel)) throw new Error('Open Studio runs through the extension entry, which creates the panel.');
    StudioPanel.adopt(panel, services);
  };
}

function isWebviewPanel(value: unknown): value is vscode.WebviewPanel {
  return typeof value === 'object' && value !== null && 'webview' in value && 'reveal' in value;
}
