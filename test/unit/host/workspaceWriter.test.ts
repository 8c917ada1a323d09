import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import type * as RescueStoreModule from '../../../src/host/rescueStore';
import type * as WorkspaceWriterModule from '../../../src/host/workspaceWriter';
import { makePng } from '../../fake-providers/png';
import { installFakeVscode } from '../webview/fakeVscode';

/**
 * The extension's writer and keep over a node:fs stand-in for `workspace.fs` (the real one runs in
 * the editor suite): the preflight, and that a write cut short leaves no temporary file behind.
 */
class FakeUri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  static parse(text: string): FakeUri {
    const url = new URL(text);
    return new FakeUri(url.protocol.replace(':', ''), decodeURIComponent(url.pathname));
  }

  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri(base.scheme, posix.normalize(posix.join(base.path, ...parts)));
  }

  get fsPath(): string {
    return this.path;
  }

  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

class FakeFileSystemError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const fileType = { File: 1, Directory: 2 } as const;
installFakeVscode({ Uri: FakeUri, FileType: fileType, FileSystemError: FakeFileSystemError, workspace: {} });
// Required only now, so that their `import * as vscode` gets the fake.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createWorkspaceWriter } = require('../../../src/host/workspaceWriter') as typeof WorkspaceWriterModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createRescueStore } = require('../../../src/host/rescueStore') as typeof RescueStoreModule;

/** workspace.fs over node:fs; `cutShort` makes the next writeFile stop halfway with a full disk. */
function nodeFileSystem(): { fs: Parameters<typeof createWorkspaceWriter>[0]; cutShort: () => void } {
  let cut = false;
  const failure = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FakeFileSystemError(code === 'ENOENT' ? 'FileNotFound' : code === 'EEXIST' ? 'FileExists' : code === 'ENOTDIR' ? 'FileNotADirectory' : 'Unknown');
  };
  const fs = {
    stat: async (uri: FakeUri) => {
      const info = await stat(uri.path).catch(failure);
      return { type: info.isDirectory() ? fileType.Directory : fileType.File, ctime: info.ctimeMs, mtime: info.mtimeMs, size: info.size };
    },
    createDirectory: async (uri: FakeUri) => void (await mkdir(uri.path, { recursive: true }).catch(failure)),
    readFile: async (uri: FakeUri) => new Uint8Array(await readFile(uri.path).catch(failure)),
    readDirectory: async (uri: FakeUri) =>
      (await readdir(uri.path, { withFileTypes: true }).catch(failure)).map((entry) => [entry.name, entry.isDirectory() ? fileType.Directory : fileType.File]),
    writeFile: async (uri: FakeUri, bytes: Uint8Array) => {
      if (cut) {
        cut = false;
        await writeFile(uri.path, bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
        throw new FakeFileSystemError('Unavailable');
      }
      await writeFile(uri.path, bytes).catch(failure);
    },
    rename: async (from: FakeUri, to: FakeUri, options?: { overwrite?: boolean }) => {
      if (!options?.overwrite && existsSync(to.path)) throw new FakeFileSystemError('FileExists');
      await rename(from.path, to.path).catch(failure);
    },
    delete: async (uri: FakeUri) => void (await rm(uri.path, { recursive: true }).catch(failure)),
  };
  return { fs: fs as unknown as Parameters<typeof createWorkspaceWriter>[0], cutShort: () => (cut = true) };
}

const folderUri = (path: string): string => `file://${path}`;

describe('workspace writer and keep (extension, over a workspace.fs stand-in)', () => {
  it('the preflight creates a missing folder, refuses a file, and leaves no probe behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-ws-'));
    const writer = createWorkspaceWriter(nodeFileSystem().fs);
    await writer.prepare(folderUri(join(root, 'images', 'deep')));
    assert.deepEqual(readdirSync(join(root, 'images', 'deep')), []);
    writeFileSync(join(root, 'taken'), 'a file');
    await assert.rejects(writer.prepare(folderUri(join(root, 'taken'))), /Cannot save images in .*taken: it is a file, not a folder\./);
  });

  it('a write cut short (disk full) removes its temporary file and names no file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-ws-'));
    const { fs, cutShort } = nodeFileSystem();
    const writer = createWorkspaceWriter(fs);
    const dir = folderUri(join(root, 'images'));
    await writer.prepare(dir);
    cutShort();
    await assert.rejects(writer.writeImage(dir, 'cat-1.png', makePng({ width: 32, height: 32 })));
    assert.deepEqual(readdirSync(join(root, 'images')), [], 'no half-written temporary file stays');
  });

  it('two jobs of this window saving the same name at once keep both images (workspace.fs renames check-then-rename)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-ws-'));
    const writer = createWorkspaceWriter(nodeFileSystem().fs);
    const dir = folderUri(join(root, 'images'));
    await writer.prepare(dir);
    const first = makePng({ width: 32, height: 32 });
    const second = makePng({ width: 48, height: 48 });
    // A compare: the same prompt on two providers, both answers written in the same instant.
    const [a, b] = await Promise.all([writer.writeImage(dir, 'kite-1.png', first), writer.writeImage(dir, 'kite-1.png', second)]);
    assert.notEqual(a, b, 'two names');
    const names = readdirSync(join(root, 'images')).sort();
    assert.deepEqual(names, ['kite-1-2.png', 'kite-1.png'], 'the second takes the next free name');
    const saved = names.map((name) => readFileSync(join(root, 'images', name)));
    assert.ok(saved.some((bytes) => bytes.equals(first)) && saved.some((bytes) => bytes.equals(second)), 'each paid image is on disk, none replaced');
  });

  it('keeps bytes in global storage, reads and removes them, and refuses locations outside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-ws-'));
    const store = createRescueStore(FakeUri.parse(folderUri(join(root, 'storage'))) as never, nodeFileSystem().fs);
    const bytes = makePng({ width: 16, height: 16 });
    const kept = await store.keep('20260511-142233-3f9a1c', 'image-1.png', bytes);
    assert.equal(kept, folderUri(join(root, 'storage', 'rescued', '20260511-142233-3f9a1c', 'image-1.png')));
    assert.deepEqual(readFileSync(join(root, 'storage', 'rescued', '20260511-142233-3f9a1c', 'image-1.png')), Buffer.from(bytes));
    assert.deepEqual(Buffer.from(await store.read(kept)), Buffer.from(bytes));
    writeFileSync(join(root, 'secret.txt'), 'not yours');
    await assert.rejects(store.read(folderUri(join(root, 'secret.txt'))), /not in GPT Image's storage/);
    await assert.rejects(store.remove(folderUri(join(root, 'storage', 'rescued', '..', '..', 'secret.txt'))), /not in GPT Image's storage/);
    assert.equal(existsSync(join(root, 'secret.txt')), true);
    await store.remove(kept);
    assert.equal(existsSync(join(root, 'storage', 'rescued', '20260511-142233-3f9a1c')), false, 'the job folder goes with its last copy');
  });
});
