import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobRecord } from '../../../src/core/journal';
import type { Provenance } from '../../../src/core/provenance';
import type { Logger } from '../../../src/core/logger';
import { createJournalStore } from '../../../src/host/journalStore';
import { submittingJob } from '../../unit/core/fixtures';
import { resolveOutputTarget } from '../../../src/host/outputFolder';
import { createSettingsReader } from '../../../src/host/settings';
import { createWorkspaceWriter } from '../../../src/host/workspaceWriter';

// The host services that only a real editor can run: workspace.fs, configuration, workspace folders.
// They are the same modules the engine bundles, loaded from out/ into this extension host.

const lines: string[] = [];
const log: Logger = {
  trace: (message) => lines.push(message),
  debug: (message) => lines.push(message),
  info: (message) => lines.push(message),
  warn: (message) => lines.push(`warn: ${message}`),
  error: (message) => lines.push(`error: ${message}`),
};

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder;
}

async function names(folder: vscode.Uri): Promise<string[]> {
  return (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name).sort();
}

suite('host services (workspace.fs, settings, folders)', () => {
  const scratch = (): vscode.Uri => vscode.Uri.joinPath(workspaceFolder().uri, '.host-services-test');

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(scratch(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('the workspace writer never overwrites, leaves no temp file and finds what it wrote', async () => {
    const writer = createWorkspaceWriter();
    const dir = vscode.Uri.joinPath(scratch(), 'images').toString();
    const first = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const second = new Uint8Array([137, 80, 78, 71, 4, 5, 6]);
    const a = await writer.writeImage(dir, 'cat-1.png', first);
    const b = await writer.writeImage(dir, 'cat-1.png', second);
    assert.match(a, /\/images\/cat-1\.png$/);
    assert.match(b, /\/images\/cat-1-2\.png$/);
    // readFile hands back a Buffer in the extension host: compare the bytes, not the classes.
    assert.deepEqual([...(await vscode.workspace.fs.readFile(vscode.Uri.parse(a)))], [...first]);
    assert.deepEqual([...(await vscode.workspace.fs.readFile(vscode.Uri.parse(b)))], [...second]);
    assert.deepEqual(await names(vscode.Uri.parse(dir)), ['cat-1-2.png', 'cat-1.png']);
    assert.equal(await writer.findExisting?.(dir, 'cat-1.png', second), b);
    assert.equal(await writer.findExisting?.(dir, 'cat-1.png', new Uint8Array([9])), undefined);
  });

  test('the provenance sidecar goes to .gpt-image/<file>.json beside the image', async () => {
    const writer = createWorkspaceWriter();
    const dir = vscode.Uri.joinPath(scratch(), 'provenance').toString();
    const image = await writer.writeImage(dir, 'fox.png', new Uint8Array([137, 80, 78, 71]));
    const provenance = { version: 1, file: 'fox.png', provider: 'openai', model: 'gpt-image-2', index: 1, jobId: 'job-1' } as unknown as Provenance;
    await writer.writeProvenance(image, provenance);
    const sidecar = vscode.Uri.joinPath(vscode.Uri.parse(dir), '.gpt-image', 'fox.png.json');
    const stored = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(sidecar))) as { jobId: string };
    assert.equal(stored.jobId, 'job-1');
    assert.deepEqual(await names(vscode.Uri.joinPath(vscode.Uri.parse(dir), '.gpt-image')), ['fox.png.json']);
  });

  test('the journal keeps one file per job, applies writes in order and skips damaged files', async () => {
    const storage = vscode.Uri.joinPath(scratch(), 'storage');
    const journal = createJournalStore(storage, log);
    // A whole record: the store skips (with a warning) anything that is not a valid job record.
    const job: JobRecord = submittingJob('job-abc', 1);
    const writes: Promise<void>[] = [];
    for (let step = 2; step <= 20; step++) {
      job.updatedAt = step;
      writes.push(journal.put(job));
    }
    await Promise.all(writes);
    assert.equal((await journal.get('job-abc'))?.updatedAt, 20);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(storage, 'jobs', 'broken.json'), new TextEncoder().encode('{"version":'));
    const listed = await journal.list();
    assert.deepEqual(listed.map((entry) => entry.id), ['job-abc']);
    assert.deepEqual(await names(vscode.Uri.joinPath(storage, 'jobs')), ['broken.json', 'job-abc.json']);
    await journal.remove('job-abc');
    await journal.remove('job-abc');
    assert.equal(await journal.get('job-abc'), undefined);
  });

  test('the output folder is images/ in the workspace folder and cannot leave it', async () => {
    const configuration = vscode.workspace.getConfiguration('gptImage');
    const target = await resolveOutputTarget();
    assert.ok(target);
    assert.equal(target.uri.toString(), vscode.Uri.joinPath(workspaceFolder().uri, 'images').toString());
    await configuration.update('outputFolder', '../outside', vscode.ConfigurationTarget.Workspace);
    try {
      await assert.rejects(resolveOutputTarget(), /outside the workspace folder/);
    } finally {
      await configuration.update('outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('settings are read at use time; base URLs come from user settings only', async () => {
    const settings = createSettingsReader(log);
    const configuration = vscode.workspace.getConfiguration('gptImage');
    const before = settings.afterGeneration();
    await configuration.update('afterGeneration', 'none', vscode.ConfigurationTarget.Global);
    try {
      assert.equal(settings.afterGeneration(), 'none');
    } finally {
      await configuration.update('afterGeneration', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(settings.afterGeneration(), before);
    const inspected = configuration.inspect<string>('apixo.baseUrl');
    const expected = inspected?.globalValue ?? 'https://api.apixo.ai/api/v1';
    const result = settings.baseUrl('apixo');
    assert.ok(result.ok);
    assert.equal(result.url, expected.replace(/\/+$/, ''));
  });
});
