import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { firstFreeName, isTemporaryName, maxNumberedNames, numberedName, temporaryName } from '../core/naming';
import type { ImageWriter } from '../core/output';
import type { Provenance } from '../core/provenance';
import { baseName, provenanceUri } from './imageUris';
import { imageHasTransparentPixels } from '../providers/pngAlpha';

/**
 * Writes results through `vscode.workspace.fs` only, so Remote-SSH, WSL, containers and
 * Codespaces write on the machine that holds the workspace. Locations are URI strings.
 * Each file is written under a temporary name and renamed without overwrite: a half-written
 * image never carries the final name, and an existing file is never replaced.
 */
export function createWorkspaceWriter(fileSystem: vscode.FileSystem = vscode.workspace.fs): ImageWriter {
  const exists = async (uri: vscode.Uri): Promise<boolean> => {
    try {
      await fileSystem.stat(uri);
      return true;
    } catch {
      return false;
    }
  };

  const writeAtomically = async (folder: vscode.Uri, name: string, bytes: Uint8Array, overwrite: boolean): Promise<void> => {
    // Short and not derived from `name`, which may already be at the 255-byte limit.
    const temp = vscode.Uri.joinPath(folder, temporaryName(randomBytes(6).toString('hex')));
    try {
      // Inside the try: a write cut short (disk full) must not leave half an image behind.
      await fileSystem.writeFile(temp, bytes);
      await fileSystem.rename(temp, vscode.Uri.joinPath(folder, name), { overwrite });
    } catch (error) {
      await fileSystem.delete(temp).then(undefined, () => undefined);
      throw error;
    }
  };

  /**
   * The first free numbered name. Another window or process may take it between the check and the
   * rename; the rename refuses to overwrite, so pick the next free name and retry.
   */
  const writeNew = async (folder: vscode.Uri, fileName: string, bytes: Uint8Array): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      const name = await firstFreeName(fileName, (candidate) => exists(vscode.Uri.joinPath(folder, candidate)));
      const target = vscode.Uri.joinPath(folder, name);
      try {
        await writeAtomically(folder, name, bytes, false);
        return target.toString();
      } catch (error) {
        if (attempt >= 4 || !(await exists(target))) throw error;
      }
    }
  };

  return {
    hasTransparentPixels: imageHasTransparentPixels,
    async prepare(dir) {
      const folder = vscode.Uri.parse(dir, true);
      const shown = folder.scheme === 'file' ? folder.fsPath : folder.toString(true);
      let type: vscode.FileType | undefined;
      try {
        type = (await fileSystem.stat(folder)).type;
      } catch {
        type = undefined;
      }
      if (type === undefined) {
        try {
          await fileSystem.createDirectory(folder);
          type = (await fileSystem.stat(folder)).type;
        } catch (error) {
          throw new Error(vscode.l10n.t('Cannot create the output folder {0} ({1}).', shown, reasonOf(error)), { cause: error });
        }
      }
      if ((type & vscode.FileType.Directory) === 0) throw new Error(vscode.l10n.t('Cannot save images in {0}: it is a file, not a folder.', shown));
      // Permissions, a read-only mount, a full quota: only a real file says whether writing works.
      const probe = vscode.Uri.joinPath(folder, `.gpt-image-probe.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fileSystem.writeFile(probe, new Uint8Array(0));
      } catch (error) {
        throw new Error(vscode.l10n.t('Cannot write in the output folder {0} ({1}).', shown, reasonOf(error)), { cause: error });
      } finally {
        await fileSystem.delete(probe).then(undefined, () => undefined);
      }
    },
    async removeLeftovers(dir) {
      const folder = vscode.Uri.parse(dir, true);
      let entries: [string, vscode.FileType][];
      try {
        entries = await fileSystem.readDirectory(folder);
      } catch {
        return;
      }
      for (const [name] of entries.filter(([candidate]) => isTemporaryName(candidate))) {
        const uri = vscode.Uri.joinPath(folder, name);
        // Temp names carry no owner: only one old enough that no live write can still own it goes.
        const stat = await fileSystem.stat(uri).then((value) => value, () => undefined);
        if (stat && Date.now() - stat.mtime > leftoverAgeMs) await fileSystem.delete(uri).then(undefined, () => undefined);
      }
    },
    async writeImage(dir, fileName, bytes) {
      const folder = vscode.Uri.parse(dir, true);
      await fileSystem.createDirectory(folder);
      // workspace.fs's "no overwrite" rename is check-then-rename: two jobs of this window saving
      // the same name at once (a compare) would both pass the check, and one image would replace
      // the other. One naming at a time per folder in this extension host closes that.
      return inTurn(folder.toString(), () => writeNew(folder, fileName, bytes));
    },
    async findExisting(dir, fileName, bytes) {
      const folder = vscode.Uri.parse(dir, true);
      // firstFreeName numbers without gaps, so the first missing name ends the search.
      for (let counter = 1; counter < maxNumberedNames; counter++) {
        const uri = vscode.Uri.joinPath(folder, numberedName(fileName, counter));
        let existing: Uint8Array;
        try {
          existing = await fileSystem.readFile(uri);
        } catch {
          return undefined;
        }
        if (sameBytes(existing, bytes)) return uri.toString();
      }
      return undefined;
    },
    async writeProvenance(imageLocation, provenance: Provenance) {
      const image = vscode.Uri.parse(imageLocation, true);
      const sidecar = provenanceUri(image);
      const folder = vscode.Uri.joinPath(sidecar, '..');
      await fileSystem.createDirectory(folder);
      const text = `${JSON.stringify(provenance, null, 2)}\n`;
      // The sidecar belongs to a file we just created, so replacing a stale one is right.
      await writeAtomically(folder, baseName(sidecar), new TextEncoder().encode(text), true);
    },
  };
}

/** The naming under way per folder in this extension host: each waits for the one before. */
const turns = new Map<string, Promise<unknown>>();

function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const mine = (turns.get(key) ?? Promise.resolve()).then(work, work);
  const settled = mine.then(() => undefined, () => undefined);
  turns.set(key, settled);
  void settled.then(() => {
    if (turns.get(key) === settled) turns.delete(key);
  });
  return mine;
}

/** A temporary file this old belongs to a write that died (a write takes seconds). */
const leftoverAgeMs = 10 * 60_000;

function reasonOf(error: unknown): string {
  if (error instanceof vscode.FileSystemError) return error.code || error.message;
  return error instanceof Error ? error.message : String(error);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
