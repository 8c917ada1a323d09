import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { JobRunner } from '../../../src/core/runner';
import type { HistoryFileSystem } from '../../../src/host/history';
import type { HistoryItemView, ToWebview } from '../../../src/webview/protocol';
import type * as StudioGalleryModule from '../../../src/webview/studioGallery';
import type { StudioServices } from '../../../src/webview/studioServices';
import { installFakeVscode } from './fakeVscode';

const uriOf = (path: string): { scheme: string; authority: string; path: string; fsPath: string; toString(): string } => ({ scheme: 'file', authority: '', path, fsPath: path, toString: () => pathToFileURL(path).toString() });
installFakeVscode({ Uri: { parse: (text: string) => uriOf(fileURLToPath(text)) }, workspace: { workspaceFolders: [] }, window: {}, commands: {}, env: {} });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StudioGallery } = require('../../../src/webview/studioGallery') as typeof StudioGalleryModule;

/** node:fs behind the history's port, over file: URLs, as workspace.fs is in the editor. */
const fileSystem: HistoryFileSystem = {
  listFiles: async (dir) => readdirSync(new URL(dir)).map((name) => ({ name, mtimeMs: statSync(new URL(`${dir}/${name}`)).mtimeMs })),
  readText: async (location) => readFileSync(new URL(location), 'utf8'),
  join: (dir, name) => `${dir}/${name}`,
};

function sidecar(file: string, extra: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    file,
    provider: 'openai',
    model: 'gpt-image-2',
    request: { prompt: `prompt of ${file}`, size: '1024x1024', inputImages: [] },
    index: 1,
    jobId: 'job-1',
    createdAt: '2026-12-01T10:00:00.000Z',
    durationMs: 4200,
    width: 256,
    height: 256,
    warnings: [],
    ...extra,
  });
}

describe('Studio gallery: the batch origin of each image, from its provenance', () => {
  it('hands the page the batch file and entry and the time taken; an old sidecar without them and a malformed origin are plain images', async () => {
    const images = join(mkdtempSync(join(tmpdir(), 'gallery-batch-')), 'images');
    mkdirSync(join(images, '.gpt-image'), { recursive: true });
    writeFileSync(join(images, '.gpt-image', 'mascot-openai.png.json'), sidecar('mascot-openai.png', { batch: { file: 'site.images.yaml', entry: 'mascot' } }));
    writeFileSync(join(images, '.gpt-image', 'old.png.json'), sidecar('old.png', { durationMs: undefined }));
    writeFileSync(join(images, '.gpt-image', 'odd.png.json'), sidecar('odd.png', { batch: { file: 42, entry: 'mascot' } }));
    const posted: ToWebview[] = [];
    const services = { outputFolders: () => [uriOf(images)], runner: { list: async () => [] } as Partial<JobRunner> } as unknown as StudioServices;
    const gallery = new StudioGallery(services, { post: (message) => void posted.push(message), thumbnail: () => undefined }, fileSystem);
    await gallery.load('load', '', 0, 40);
    const history = posted.find((message) => message.type === 'history');
    assert.ok(history?.type === 'history');
    const byLabel = new Map<string, HistoryItemView>(history.items.map((item) => [item.label, item]));
    assert.deepEqual(byLabel.get('mascot-openai.png')?.batch, { file: 'site.images.yaml', entry: 'mascot' });
    assert.equal(byLabel.get('mascot-openai.png')?.durationMs, 4200);
    assert.equal(byLabel.get('mascot-openai.png')?.size, '256x256', 'the actual size');
    assert.equal(byLabel.get('old.png')?.batch, undefined);
    assert.equal(byLabel.get('old.png')?.durationMs, undefined);
    assert.equal(byLabel.get('old.png')?.prompt, 'prompt of old.png', 'an old sidecar is still read');
    assert.equal(byLabel.get('odd.png')?.batch, undefined, 'a hand-edited origin that is not two strings is not shown');
  });
});
