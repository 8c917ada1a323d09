import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installFakeVscode } from '../webview/fakeVscode';

/**
 * The parts of the vscode API the extension's storage modules use (host/journalStore.ts,
 * batchJobStore.ts, spendLedgerStore.ts, localFileSystem.ts), for tests that run them over node:fs.
 */
export class FakeUri {
  constructor(
    readonly fsPath: string,
    readonly scheme = 'file',
  ) {}
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export class FileSystemError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
  static FileNotFound = (uri: FakeUri): FileSystemError => new FileSystemError(`not found: ${uri.fsPath}`, 'FileNotFound');
  static FileExists = (uri: FakeUri): FileSystemError => new FileSystemError(`exists: ${uri.fsPath}`, 'FileExists');
  static FileIsADirectory = (uri: FakeUri): FileSystemError => new FileSystemError(`a folder: ${uri.fsPath}`, 'FileIsADirectory');
  static FileNotADirectory = (uri: FakeUri): FileSystemError => new FileSystemError(`not a folder: ${uri.fsPath}`, 'FileNotADirectory');
  static NoPermissions = (uri: FakeUri): FileSystemError => new FileSystemError(`no permission: ${uri.fsPath}`, 'NoPermissions');
}

export const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 } as const;

/** `require('vscode')` gives these from now on in this test process; `workspaceFs` stands for workspace.fs. */
export function installStorageVscode(workspaceFs: unknown = undefined): void {
  installFakeVscode({
    Uri: { joinPath: (base: FakeUri, ...parts: string[]) => new FakeUri(join(base.fsPath, ...parts), base.scheme) },
    FileType,
    FileSystemError,
    workspace: { fs: workspaceFs },
  });
}

const translate = (error: unknown): unknown => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FileSystemError(String(error), 'FileNotFound');
  if (code === 'EEXIST') return new FileSystemError(String(error), 'FileExists');
  return error;
};

/**
 * workspace.fs as VS Code implements it for file: URIs: a rename stats the target, deletes it when
 * overwriting (its FileService's move), yields, then renames; the event loop is free in between. It
 * counts reads in flight, so a test can see how many files are open at once.
 */
export function vscodeLikeWorkspaceFs(): { fs: never; mostReadsInFlight: () => number } {
  let inFlight = 0;
  let most = 0;
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw translate(error);
    }
  };
  const fs = {
    readFile: (uri: FakeUri) =>
      guard(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          await new Promise((resolve) => setImmediate(resolve));
          return new Uint8Array(await readFile(uri.fsPath));
        } finally {
          inFlight--;
        }
      }),
    writeFile: (uri: FakeUri, content: Uint8Array) => guard(() => writeFile(uri.fsPath, content)),
    createDirectory: (uri: FakeUri) => guard(async () => void (await mkdir(uri.fsPath, { recursive: true }))),
    readDirectory: (uri: FakeUri) =>
      guard(async () => (await readdir(uri.fsPath, { withFileTypes: true })).map((entry) => [entry.name, entry.isDirectory() ? FileType.Directory : FileType.File] as [string, number])),
    delete: (uri: FakeUri) => guard(() => rm(uri.fsPath, { recursive: true })),
    rename: (from: FakeUri, to: FakeUri, options?: { overwrite?: boolean }) =>
      guard(async () => {
        const exists = await stat(to.fsPath).then(
          () => true,
          () => false,
        );
        if (exists && !options?.overwrite) throw new FileSystemError('File at target already exists', 'FileExists');
        if (exists) await rm(to.fsPath, { recursive: true });
        await new Promise((resolve) => setImmediate(resolve));
        await rename(from.fsPath, to.fsPath);
      }),
  };
  return { fs: fs as never, mostReadsInFlight: () => most };
}
