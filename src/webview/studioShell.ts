import * as vscode from 'vscode';
import { allOutputTargets } from '../host/outputFolder';
import { createNonce, renderHtml } from './html';
import { studioViewType } from './studioViewType';

const title = 'GPT Image Studio';

/**
 * The Studio's panel and page, made by the activation bundle before the engine loads: a webview's
 * own start-up takes seconds on a first open (code-server installs its service worker first), and
 * this way it overlaps with loading the engine, which then adopts the panel (StudioPanel.adopt).
 * Kept small and free of the engine's imports: it is part of dist/extension.js.
 */
export function createStudioPanel(extensionUri: vscode.Uri, storageUri?: vscode.Uri): vscode.WebviewPanel {
  // Beside the text editor when there is one: "insert into the editor" then shows where it went.
  const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
  const panel = vscode.window.createWebviewPanel(studioViewType, title, column, {
    enableScripts: true,
    localResourceRoots: studioResourceRoots(extensionUri, storageUri),
  });
  showStudioPage(panel.webview, extensionUri, storageUri);
  return panel;
}

/** Loads the page into a new or restored panel. Options are final here: changing them later reloads the page. */
export function showStudioPage(webview: vscode.Webview, extensionUri: vscode.Uri, storageUri?: vscode.Uri): void {
  webview.options = { enableScripts: true, localResourceRoots: studioResourceRoots(extensionUri, storageUri) };
  webview.html = renderHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'studio.css')).toString(),
    title,
  });
}

/**
 * Thumbnails may only come from the resource roots, which include the output folders: after the
 * output folder setting or the workspace folders change, the roots are set again. That reloads the
 * page, which restores itself from its saved state and asks `ready` again.
 */
export function refreshStudioRoots(webview: vscode.Webview, extensionUri: vscode.Uri, storageUri?: vscode.Uri): void {
  webview.options = { enableScripts: true, localResourceRoots: studioResourceRoots(extensionUri, storageUri) };
}

/** Where the Studio writes streamed partial images for the page to load: its own folder, emptied as jobs end. */
export function studioPreviewFolder(storageUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(storageUri, 'studio-previews');
}

/**
 * dist/ (the script), media/ (the stylesheet), the output folders (thumbnails), the workspace
 * folders (an edit's source image, for the preview's before/after) and the preview folder (streamed
 * partial images; not the rest of global storage, which holds the journal); nothing else.
 */
function studioResourceRoots(extensionUri: vscode.Uri, storageUri: vscode.Uri | undefined): vscode.Uri[] {
  return [
    vscode.Uri.joinPath(extensionUri, 'dist'),
    vscode.Uri.joinPath(extensionUri, 'media'),
    ...(storageUri ? [studioPreviewFolder(storageUri)] : []),
    ...allOutputTargets().map((target) => target.uri),
    ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri),
  ];
}
