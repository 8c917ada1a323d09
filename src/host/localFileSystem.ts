import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';

/**
 * The file system the extension's own storage (journal, Batch API jobs, spend ledger, kept copies)
 * is written through. Global storage is a local folder of the extension host wherever it runs
 * (desktop, Remote-SSH, WSL, containers): there it is node:fs, because workspace.fs cannot replace a
 * file atomically. VS Code's FileService renames over an existing file by deleting the target first
 * and renaming after (seen in its doMoveCopy), so a window closed in between leaves no record at all:
 * a polling job, paid for, would vanish from the journal. Storage that is not a local folder keeps
 * workspace.fs (and the stores' best-effort handling of it).
 */
export function storageFileSystem(storage: vscode.Uri): vscode.FileSystem {
  return storage.scheme === 'file' ? localFileSystem : vscode.workspace.fs;
}

/**
 * vscode.FileSystem over node:fs for file: URIs, with what the stores rely on:
 * - `rename(…, { overwrite: true })` is rename(2): the target is the old file or the new one, never absent;
 * - `rename(…, { overwrite: false })` is link(2) then unlink: it fails when the target exists, exactly,
 *   so a lease claim between windows has one winner (where the file system has no hard links it falls
 *   back to VS Code's check-then-rename);
 * - `writeFile` is flushed to the disk before it returns, so a record renamed into place after it
 *   survives a power cut, not only a crash.
 * Errors are vscode.FileSystemError with VS Code's codes (FileNotFound, FileExists, …), as the stores expect.
 */
export const localFileSystem: vscode.FileSystem = {
  stat: (uri) =>
    translated(uri, async () => {
      const found = await stat(uri.fsPath);
      return { type: found.isDirectory() ? vscode.FileType.Directory : vscode.FileType.File, ctime: found.ctimeMs, mtime: found.mtimeMs, size: found.size };
    }),
  readDirectory: (uri) =>
    translated(uri, async () => (await readdir(uri.fsPath, { withFileTypes: true })).map((entry) => [entry.name, entry.isDirectory() ? vscode.FileType.Directory : entry.isSymbolicLink() ? vscode.FileType.SymbolicLink : vscode.FileType.File])),
  createDirectory: (uri) => translated(uri, async () => void (await mkdir(uri.fsPath, { recursive: true }))),
  readFile: (uri) => translated(uri, async () => new Uint8Array(await readFile(uri.fsPath))),
  writeFile: (uri, content) =>
    translated(uri, async () => {
      await mkdir(dirname(uri.fsPath), { recursive: true });
      const handle = await open(uri.fsPath, 'w');
      try {
        await handle.writeFile(content);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    }),
  delete: (uri, options) => translated(uri, () => rm(uri.fsPath, { recursive: options?.recursive ?? false })),
  rename: (source, target, options) =>
    translated(target, async () => {
      if (options?.overwrite) return rename(source.fsPath, target.fsPath);
      try {
        await link(source.fsPath, target.fsPath);
      } catch (error) {
        if (!withoutHardLinks(error)) throw error;
        // No hard links here (or a folder): VS Code's own way, check then rename.
        if (await stat(target.fsPath).then(() => true, () => false)) throw Object.assign(new Error('the target exists'), { code: 'EEXIST' });
        return rename(source.fsPath, target.fsPath);
      }
      await unlink(source.fsPath);
    }),
  copy: (source, target, options) => translated(target, () => copyFile(source.fsPath, target.fsPath, options?.overwrite ? 0 : constants.COPYFILE_EXCL)),
  isWritableFileSystem: (scheme) => (scheme === 'file' ? true : undefined),
};

function withoutHardLinks(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV' || code === 'ENOSYS';
}

async function translated<T>(uri: vscode.Uri, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asFileSystemError(uri, error);
  }
}

function asFileSystemError(uri: vscode.Uri, error: unknown): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return vscode.FileSystemError.FileNotFound(uri);
    case 'EEXIST':
      return vscode.FileSystemError.FileExists(uri);
    case 'EISDIR':
      return vscode.FileSystemError.FileIsADirectory(uri);
    case 'ENOTDIR':
      return vscode.FileSystemError.FileNotADirectory(uri);
    case 'EACCES':
    case 'EPERM':
      return vscode.FileSystemError.NoPermissions(uri);
    default:
      return error;
  }
}
