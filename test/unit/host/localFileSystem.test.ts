import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type * as JournalStoreModule from '../../../src/host/journalStore';
import type * as LocalFileSystemModule from '../../../src/host/localFileSystem';
import type { Logger } from '../../../src/core/logger';
import { submittingJob } from '../core/fixtures';
import { FakeUri, installStorageVscode } from './fakeStorageVscode';
import type { FileSystemError } from './fakeStorageVscode';

const workspaceFs = { name: 'workspace.fs' };
installStorageVscode(workspaceFs);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localFileSystem, storageFileSystem } = require('../../../src/host/localFileSystem') as typeof LocalFileSystemModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createJournalStore } = require('../../../src/host/journalStore') as typeof JournalStoreModule;

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const folder = (): FakeUri => new FakeUri(mkdtempSync(join(tmpdir(), 'gpt-image-local-fs-')));
const uri = (base: FakeUri, name: string): FakeUri => new FakeUri(join(base.fsPath, name));

describe("the extension's storage file system (node:fs for a local global storage)", () => {
  it('is node:fs for file: storage, workspace.fs for anything else', () => {
    assert.equal(storageFileSystem(new FakeUri('/home/u/.config/Code/User/globalStorage/x') as never), localFileSystem);
    assert.equal(storageFileSystem(new FakeUri('/x', 'vscode-userdata') as never), workspaceFs);
  });

  it('a job record being replaced is never missing: a reader polling it all along always finds a record', async () => {
    // VS Code's own rename over a file deletes the target first: a window closed in that instant
    // left no record of a job that may have been paid for.
    const root = folder();
    const journal = createJournalStore(root as never, quiet, localFileSystem, 0);
    const job = submittingJob('kept-through-writes', 1);
    await journal.put(job);
    let writing = true;
    let reads = 0;
    let missing = 0;
    const reader = (async () => {
      while (writing) {
        reads++;
        if ((await journal.get(job.id)) === undefined) missing++;
      }
    })();
    for (let round = 0; round < 300; round++) {
      job.updatedAt = round;
      await journal.put(job);
    }
    writing = false;
    await reader;
    assert.ok(reads > 50, `the reader ran alongside the writes (${reads} reads)`);
    assert.equal(missing, 0, `the record was missing in ${missing} of ${reads} reads`);
    assert.equal((await journal.get(job.id))?.updatedAt, 299);
  });

  it('a rename that must not overwrite fails on an existing file and leaves both files as they were', async () => {
    const root = folder();
    writeFileSync(join(root.fsPath, 'source'), 'new');
    writeFileSync(join(root.fsPath, 'target'), 'old');
    await assert.rejects(Promise.resolve(localFileSystem.rename(uri(root, 'source') as never, uri(root, 'target') as never, { overwrite: false })), (error) => (error as FileSystemError).code === 'FileExists');
    assert.equal(readFileSync(join(root.fsPath, 'target'), 'utf8'), 'old');
    assert.equal(readFileSync(join(root.fsPath, 'source'), 'utf8'), 'new');
    await localFileSystem.rename(uri(root, 'source') as never, uri(root, 'moved') as never, { overwrite: false });
    assert.deepEqual(readdirSync(root.fsPath).sort(), ['moved', 'target']);
  });

  it('windows claiming one job at the same instant: exactly one holds it, every time', async () => {
    const root = folder();
    for (let round = 0; round < 20; round++) {
      const jobId = `race-${round}`;
      const windows = Array.from({ length: 5 }, () => createJournalStore(root as never, quiet, localFileSystem, 0));
      const claims = await Promise.all(windows.map((journal, index) => journal.claim?.(jobId, `window-${index}`, Date.now())));
      assert.equal(claims.filter((claim) => claim?.ok).length, 1, `round ${round}: ${JSON.stringify(claims)}`);
    }
  });

  it('missing files are FileNotFound, as VS Code words it', async () => {
    const root = folder();
    await assert.rejects(Promise.resolve(localFileSystem.readFile(uri(root, 'absent') as never)), (error) => (error as FileSystemError).code === 'FileNotFound');
    await assert.rejects(Promise.resolve(localFileSystem.delete(uri(root, 'absent') as never)), (error) => (error as FileSystemError).code === 'FileNotFound');
  });
});
