import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RescueStore } from '../core/output';

const safeName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The extension's keep for paid images that could not be written into the workspace:
 * `<globalStorage>/rescued/<job id>/<name>`, written under a temporary name and renamed. Reads and
 * removals are refused outside that folder: a location comes from the journal.
 */
export function createRescueStore(storage: vscode.Uri, fileSystem: vscode.FileSystem = vscode.workspace.fs): RescueStore {
  const root = vscode.Uri.joinPath(storage, 'rescued');
  const inside = (location: string): vscode.Uri => {
    const uri = vscode.Uri.parse(location, true);
    const prefix = `${root.toString()}/`;
    if (!uri.toString().startsWith(prefix) || uri.path.split('/').includes('..')) {
      throw new Error(`${location} is not in GPT Image's storage.`);
    }
    return uri;
  };
  return {
    async keep(jobId, name, bytes) {
      if (!safeName.test(jobId) || !safeName.test(name)) throw new Error(`Cannot keep "${name}" of job "${jobId}": not a safe file name.`);
      const folder = vscode.Uri.joinPath(root, jobId);
      await fileSystem.createDirectory(folder);
      const target = vscode.Uri.joinPath(folder, name);
      const temp = vscode.Uri.joinPath(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fileSystem.writeFile(temp, bytes);
        await fileSystem.rename(temp, target, { overwrite: true });
      } catch (error) {
        await fileSystem.delete(temp).then(undefined, () => undefined);
        throw error;
      }
      return target.toString();
    },
    read: async (location) => fileSystem.readFile(inside(location)),
    async remove(location) {
      const uri = inside(location);
      await fileSystem.delete(uri).then(undefined, () => undefined);
      // The job's folder goes with its last copy.
      const folder = vscode.Uri.joinPath(uri, '..');
      const left = await fileSystem.readDirectory(folder).then((entries) => entries.length, () => -1);
      if (left === 0) await fileSystem.delete(folder).then(undefined, () => undefined);
    },
  };
}
