import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { firstFreeName, maxNumberedNames, numberedName, temporaryName } from '../core/naming';
import type { ImageWriter } from '../core/output';
import type { Provenance } from '../core/provenance';
import { baseName, provenanceUri } from './imageUris';

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
    await fileSystem.writeFile(temp, bytes);
    try {
      await fileSystem.rename(temp, vscode.Uri.joinPath(folder, name), { overwrite });
    } catch (error) {
      await fileSystem.delete(temp).then(undefined, () => undefined);
      throw error;
    }
  };

  return {
    async writeImage(dir, fileName, bytes) {
      const folder = vscode.Uri.parse(dir, true);
      await fileSystem.createDirectory(folder);
      // Another writer (a second window, a parallel job) may take the name between the check
      // and the rename; the rename refuses to overwrite, so pick the next free name and retry.
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
