import * as vscode from 'vscode';
import { maskFileNameFor, splitSelection } from '../core/editDefaults';
import type { InputImage } from '../core/request';
import { baseName } from './imageUris';

/** VS Code's built-in image preview (a custom editor), whose title bar also offers "Edit Image…". */
export const imagePreviewViewType = 'imagePreview.previewEditor';

/** What "Edit Image…" acts on. */
export interface EditTargets {
  /** Images to edit, in selection order; the first one decides the default size and the mask. */
  readonly images: readonly vscode.Uri[];
  /** A `<first image>.mask.png` selected together with the images. */
  readonly selectedMask: vscode.Uri | undefined;
  /** Selected files that are not PNG, JPEG or WebP by name. */
  readonly skipped: readonly vscode.Uri[];
}

function isUri(value: unknown): value is vscode.Uri {
  return value instanceof vscode.Uri;
}

/**
 * The command's arguments depend on where it was run: the Explorer passes (clicked, selection[]),
 * the image preview's title bar passes its resource, the palette passes nothing. Returns the URIs
 * it was given, the active image preview's, or undefined (the caller asks with a file picker).
 */
export function urisFromArguments(args: readonly unknown[]): vscode.Uri[] | undefined {
  const [first, second] = args;
  if (Array.isArray(second)) {
    const selection = second.filter(isUri);
    if (selection.length > 0) return selection;
  }
  if (isUri(first)) return [first];
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.viewType === imagePreviewViewType) return [input.uri];
  return undefined;
}

/** Asks for one or more images; the filter is a convenience, the bytes are checked later anyway. */
export async function pickImageFiles(): Promise<vscode.Uri[] | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Edit Image: choose the image(s) to edit'),
    canSelectMany: true,
    openLabel: vscode.l10n.t('Edit'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'PNG', 'JPG', 'JPEG', 'WEBP'] },
  });
  return picked && picked.length > 0 ? picked : undefined;
}

/** Asks for a mask PNG, starting in the image's folder. */
export async function pickMaskFile(image: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Edit Image: choose a mask (PNG with transparency where the image may change)'),
    canSelectMany: false,
    openLabel: vscode.l10n.t('Use as mask'),
    defaultUri: vscode.Uri.joinPath(image, '..'),
    filters: { 'PNG mask': ['png', 'PNG'] },
  });
  return picked?.[0];
}

/** Collects the targets from the arguments, the active image preview, or a file picker. */
export async function collectEditTargets(args: readonly unknown[]): Promise<EditTargets | undefined> {
  const uris = urisFromArguments(args) ?? (await pickImageFiles());
  if (!uris) return undefined;
  const split = splitSelection(uris, baseName);
  return { images: split.images, selectedMask: split.mask, skipped: split.skipped };
}

/** `<name>.mask.png` beside the image when it exists. */
export async function findMaskBeside(image: vscode.Uri): Promise<vscode.Uri | undefined> {
  const maskName = maskFileNameFor(baseName(image));
  if (maskName === undefined) return undefined;
  const candidate = vscode.Uri.joinPath(image, '..', maskName);
  try {
    const stat = await vscode.workspace.fs.stat(candidate);
    return stat.type & vscode.FileType.File ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a workspace file for the request. `source` is what the journal and provenance keep, and
 * what a manual resubmit reads again (services.ts resolves a relative path against the first
 * workspace folder, anything else as a URI).
 */
export async function readInputImage(uri: vscode.Uri): Promise<InputImage> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { kind: 'file', source: inputSource(uri), fileName: baseName(uri), bytes };
}

/**
 * Workspace-relative (`art/photo.png`) for a file in the first workspace folder, so provenance stays
 * meaningful when the repository moves; the full URI otherwise (another root of a multi-root
 * workspace, a file outside the workspace), which resolves the same way on any remote.
 */
export function inputSource(uri: vscode.Uri): string {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (first && vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() === first.uri.toString()) {
    return vscode.workspace.asRelativePath(uri, false);
  }
  return uri.toString();
}

/** Names of the files already in a folder, for the output numbering; empty when it cannot be read. */
export async function fileNamesIn(folder: vscode.Uri): Promise<string[]> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(folder);
    return entries.filter(([, type]) => type & vscode.FileType.File).map(([name]) => name);
  } catch {
    return [];
  }
}
