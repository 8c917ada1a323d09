import * as vscode from 'vscode';
import { deflateSync, inflateSync } from 'node:zlib';
import { maskFileNameFor } from '../core/editDefaults';
import { InputError } from '../core/errors';
import { decodeMaskPng, encodeMaskPng } from '../core/mask/maskPng';
import type { MaskRaster } from '../core/mask/maskRaster';
import { baseName } from './imageUris';
import { assertWritesInside } from './outputFolder';

const zlib = { deflate: (data: Uint8Array) => deflateSync(data), inflate: (data: Uint8Array) => inflateSync(data) };

/** `<name>.mask.png` beside the image; InputError for a file that is itself a mask. */
export function maskUriFor(image: vscode.Uri): vscode.Uri {
  const name = maskFileNameFor(baseName(image));
  if (name === undefined) throw new InputError([`${baseName(image)} is a mask: open the image it belongs to in the Studio instead.`]);
  return vscode.Uri.joinPath(image, '..', name);
}

/** An existing mask as the painter's base layer, or a note saying why it starts empty. */
export interface MaskBase {
  readonly raster?: MaskRaster | undefined;
  readonly note?: string | undefined;
}

/** Reads `mask` if it exists: a readable mask of the image's size continues; anything else starts empty, saying so. */
export async function readMaskBase(mask: vscode.Uri, width: number, height: number): Promise<MaskBase> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(mask);
  } catch {
    return {};
  }
  const name = baseName(mask);
  const decoded = decodeMaskPng(bytes, zlib);
  if (!decoded.ok) return { note: `${name} could not be continued (${decoded.reason}); saving replaces it.` };
  if (decoded.raster.width !== width || decoded.raster.height !== height) {
    return { note: `${name} is ${decoded.raster.width}x${decoded.raster.height}, not the image's ${width}x${height}; saving replaces it.` };
  }
  return { raster: decoded.raster, note: vscode.l10n.t('Continuing {0}.', name) };
}

/**
 * Writes the mask beside its image: only inside the image's workspace folder (checked through
 * symbolic links, host/outputFolder.ts), never through a link at the mask's own name, and through a
 * temporary file renamed into place, so a reader never sees half a PNG. Returns the bytes written.
 */
export async function writeMaskFile(image: vscode.Uri, raster: MaskRaster): Promise<{ readonly uri: vscode.Uri; readonly bytes: Uint8Array }> {
  const uri = maskUriFor(image);
  const folder = vscode.workspace.getWorkspaceFolder(image);
  if (!folder) throw new InputError([`${baseName(image)} is outside the workspace: the mask is saved beside the image, so open its folder first.`]);
  await assertWritesInside(folder, vscode.Uri.joinPath(image, '..'), vscode.l10n.t('The folder of {0}', baseName(image)), vscode.l10n.t('paint on a copy inside the workspace.'));
  const existing = await vscode.workspace.fs.stat(uri).then(
    (stat) => stat,
    () => undefined,
  );
  if (existing && (existing.type & vscode.FileType.SymbolicLink) !== 0) {
    throw new InputError([`${baseName(uri)} is a symbolic link; the mask is not written through it. Remove the link, then save again.`]);
  }
  const bytes = encodeMaskPng(raster, zlib);
  const temporary = vscode.Uri.joinPath(uri, '..', `.${baseName(uri)}.${Date.now().toString(36)}.tmp`);
  await vscode.workspace.fs.writeFile(temporary, bytes);
  try {
    await vscode.workspace.fs.rename(temporary, uri, { overwrite: true });
  } catch (error) {
    await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
    throw error;
  }
  return { uri, bytes };
}
