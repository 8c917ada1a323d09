import * as vscode from 'vscode';
import { parseInputSource } from './inputSourcePath';

/**
 * The one reader of input sources (inputSourcePath.ts): the Studio's gallery uses it to load a
 * recorded edit's references, and services.readInput can use it for a manual resubmit, so a source
 * written by Edit Image, the Studio or an older record resolves the same everywhere.
 * Undefined when the source cannot be placed (no workspace folder, or `..` in a relative path).
 */
export function resolveInputSource(source: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const parsed = parseInputSource(source, folders.map((folder) => folder.name));
  if (!parsed) return undefined;
  switch (parsed.kind) {
    case 'uri':
      return vscode.Uri.parse(parsed.uri, true);
    case 'absolute': {
      const local = vscode.Uri.file(parsed.path);
      // Remote workspaces: the same path on the workspace's machine, not on this one.
      const folder = folders[0];
      return folder ? local.with({ scheme: folder.uri.scheme, authority: folder.uri.authority }) : local;
    }
    case 'relative': {
      const folder = folders[parsed.folderIndex];
      return folder ? vscode.Uri.joinPath(folder.uri, ...parsed.segments) : undefined;
    }
  }
}
