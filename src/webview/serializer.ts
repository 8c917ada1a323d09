import type * as vscode from 'vscode';
import { StudioPanel } from './studioPanel';
import type { StudioServices } from './studioServices';

/**
 * Brings the Studio back after a window reload. extension.ts registers the WebviewPanelSerializer
 * for `gptImage.studio` and routes here through the engine's `restoreStudio(panel, state)`. The
 * state is the page's own (vscode.setState); the page reads it back with getState, so the host only
 * has to re-attach message handling (extension.ts already loaded the page, see studioShell.ts).
 */
export function restoreStudio(panel: vscode.WebviewPanel, _state: unknown, services: StudioServices): void {
  StudioPanel.adopt(panel, services);
}
