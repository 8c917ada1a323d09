import * as vscode from 'vscode';
import { InputError } from '../core/errors';
import { provenanceFolderName } from '../core/provenance';
import { firstLinkedSegment, nodePathState, outputFolderRelativePath, outsideThroughLinkError, realLocation } from './outputFolderRules';

/** Where a job's images go: a folder inside one workspace folder. */
export interface OutputTarget {
  readonly workspaceFolder: vscode.WorkspaceFolder;
  readonly uri: vscode.Uri;
  /** Relative to the workspace folder, POSIX separators ('' for the folder itself). */
  readonly relativePath: string;
}

/**
 * Picks the workspace folder (the one holding `resource`, else the active editor's, else the only
 * one, else a pick) and applies `gptImage.outputFolder`, confined to that folder.
 * Returns undefined when the user cancels or has no folder open (after offering to open one):
 * images are never written outside a workspace folder.
 * Throws InputError when the setting points outside the folder, lexically or through a symbolic link.
 */
export async function resolveOutputTarget(resource?: vscode.Uri): Promise<OutputTarget | undefined> {
  const folder = await pickWorkspaceFolder(resource);
  return folder ? checkedTargetIn(folder) : undefined;
}

async function pickWorkspaceFolder(resource: vscode.Uri | undefined): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    const open = vscode.l10n.t('Open Folder…');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('GPT Image Studio saves images inside a workspace folder. Open a folder first.'),
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  for (const candidate of [resource, activeResource()]) {
    const folder = candidate ? vscode.workspace.getWorkspaceFolder(candidate) : undefined;
    if (folder) return folder;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({
    placeHolder: vscode.l10n.t('Which workspace folder should the images go into?'),
    ignoreFocusOut: true,
  });
}

/** The active text editor's document, or the active tab's resource (image previews are custom editors). */
function activeResource(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (editor) return editor;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}

/**
 * The same rules without questions, for callers that cannot ask (the Studio): the folder of
 * `resource` or the active editor, else the first workspace folder. Throws InputError when no
 * folder is open or the setting points outside it (lexically or through a symbolic link).
 */
export async function outputTargetWithoutAsking(resource?: vscode.Uri): Promise<OutputTarget> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder =
    [resource, activeResource()].map((uri) => (uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined)).find((found) => found !== undefined) ??
    folders[0];
  if (!folder) throw new InputError(['GPT Image Studio saves images inside a workspace folder: open a folder first.']);
  return checkedTargetIn(folder);
}

/**
 * A folder the user picked (Explorer: "Generate Image Here…") as the output folder, under the same
 * rules as the setting: inside a workspace folder, also after resolving symbolic links. Throws
 * InputError otherwise, before anything is sent.
 */
export async function folderTarget(uri: vscode.Uri): Promise<OutputTarget> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) throw new InputError([`${uri.toString(true)} is not inside a workspace folder; GPT Image Studio only saves images inside the workspace.`]);
  const relativePath = relativeSegments(folder.uri, uri).join('/');
  await assertWritesInside(folder, uri, vscode.l10n.t('The folder "{0}"', relativePath || folder.name), vscode.l10n.t('pick a real folder inside the workspace, or remove the link.'));
  return { workspaceFolder: folder, uri, relativePath };
}

/**
 * The output folder of every workspace folder whose setting is valid (history, thumbnails). Only
 * the lexical rule: this lists where to read, and nothing is written from it.
 */
export function allOutputTargets(): OutputTarget[] {
  const targets: OutputTarget[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      targets.push(targetIn(folder));
    } catch {
      // A folder whose setting points outside it simply has no history to show.
    }
  }
  return targets;
}

function targetIn(folder: vscode.WorkspaceFolder): OutputTarget {
  const setting = vscode.workspace.getConfiguration('gptImage', folder.uri).get<unknown>('outputFolder');
  const rule = outputFolderRelativePath(setting, folder.uri.path);
  if (!rule.ok) throw new InputError([rule.error]);
  const uri = rule.relativePath === '' ? folder.uri : vscode.Uri.joinPath(folder.uri, ...rule.relativePath.split('/'));
  return { workspaceFolder: folder, uri, relativePath: rule.relativePath };
}

async function checkedTargetIn(folder: vscode.WorkspaceFolder): Promise<OutputTarget> {
  const target = targetIn(folder);
  await assertWritesInside(
    folder,
    target.uri,
    vscode.l10n.t('The output folder "{0}" (setting gptImage.outputFolder)', target.relativePath || '.'),
    vscode.l10n.t('point gptImage.outputFolder at a real folder inside it, or remove the link.'),
  );
  return target;
}

/**
 * Refuses `dir` when images written there, or sidecars in its `.gpt-image` folder, would really land
 * outside `folder`: a symbolic link on the way (a committed `images -> /tmp/elsewhere`) passes the
 * lexical rule. On `file:` every link is resolved (node:fs realpath of the deepest existing
 * ancestor). workspace.fs has no realpath, so on other schemes (remote, virtual) any symbolic link
 * on the way is refused: where it points cannot be checked. Called before any paid request.
 * Throws InputError with `what` and `advice` in its sentence.
 */
export async function assertWritesInside(folder: vscode.WorkspaceFolder, dir: vscode.Uri, what: string, advice: string): Promise<void> {
  for (const target of [dir, vscode.Uri.joinPath(dir, provenanceFolderName)]) {
    if (folder.uri.scheme === 'file' && target.scheme === 'file') {
      const location = await realLocation(folder.uri.fsPath, target.fsPath, nodePathState);
      if (!location.inside) throw new InputError([outsideThroughLinkError(what, location, folder.name, advice)]);
      continue;
    }
    const linked = await firstLinkedSegment(relativeSegments(folder.uri, target), async (prefix) => {
      try {
        const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, ...prefix));
        return (stat.type & vscode.FileType.SymbolicLink) !== 0;
      } catch (error) {
        if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
        throw error;
      }
    });
    if (linked !== undefined) {
      throw new InputError([
        vscode.l10n.t('{0} goes through the symbolic link "{1}". GPT Image Studio cannot see where a link points on a {2} workspace, so it does not write through one; {3}', what, linked, folder.uri.scheme, advice),
      ]);
    }
  }
}

/** `target`'s path below `folder` as segments (both URIs of one workspace folder). */
function relativeSegments(folder: vscode.Uri, target: vscode.Uri): string[] {
  const root = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  if (target.scheme !== folder.scheme || target.authority !== folder.authority || !`${target.path}/`.startsWith(root)) {
    throw new InputError([`${target.toString(true)} is not inside the workspace folder ${folder.toString(true)}.`]);
  }
  return target.path.slice(root.length).split('/').filter((segment) => segment !== '');
}
