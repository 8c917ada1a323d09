import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, it } from 'node:test';
import type { JobRunner } from '../../../src/core/runner';
import type { HistoryFileSystem } from '../../../src/host/history';
import type { ToWebview } from '../../../src/webview/protocol';
import type * as StudioGalleryModule from '../../../src/webview/studioGallery';
import type { StudioServices } from '../../../src/webview/studioServices';
import { installFakeVscode } from './fakeVscode';

/** History lists sidecars (.gpt-image/*.json). file: URIs over a real temporary folder: the gallery's deletes are observed on disk. */
interface FakeUri {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly fsPath: string;
  toString(): string;
}
function uriOf(path: string): FakeUri {
  return { scheme: 'file', authority: '', path, fsPath: path, toString: () => pathToFileURL(path).toString() };
}

let trashWorks = true;
let answer: string | undefined;
const questions: string[] = [];
const deletes: Array<{ name: string; useTrash: boolean }> = [];
let trash = '';
installFakeVscode({
  Uri: {
    parse: (text: string) => uriOf(decodeURIComponent(new URL(text).pathname)),
    joinPath: (base: FakeUri, ...segments: string[]) => uriOf(posix.join(base.path, ...segments)),
  },
  workspace: {
    workspaceFolders: [],
    fs: {
      stat: async (uri: FakeUri) => statSync(uri.fsPath),
      delete: async (uri: FakeUri, options: { useTrash: boolean }) => {
        deletes.push({ name: basename(uri.fsPath), useTrash: options.useTrash });
        if (options.useTrash && !trashWorks) throw new Error('the trash is not supported here');
        if (options.useTrash) renameSync(uri.fsPath, join(trash, basename(uri.fsPath)));
        else rmSync(uri.fsPath);
      },
    },
  },
  window: {
    showWarningMessage: async (message: string) => {
      questions.push(message);
      return answer;
    },
  },
  commands: {},
  env: {},
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StudioGallery } = require('../../../src/webview/studioGallery') as typeof StudioGalleryModule;

const fileSystem: HistoryFileSystem = {
  listFiles: async (dir) => readdirSync(new URL(dir)).map((name) => ({ name, mtimeMs: 1 })),
  readText: async () => Promise.reject(new Error('no sidecar read in this test')),
  join: (dir, name) => `${dir}/${name}`,
};

let images = '';
let posted: ToWebview[] = [];

function gallery(): InstanceType<typeof StudioGallery> {
  const services = { outputFolders: () => [uriOf(images)], runner: { list: async () => [] } as Partial<JobRunner> } as unknown as StudioServices;
  return new StudioGallery(services, { post: (message) => void posted.push(message), thumbnail: () => undefined }, fileSystem);
}

async function deleteFirst(): Promise<Extract<ToWebview, { type: 'done' }>> {
  const studio = gallery();
  await studio.load('load', '', 0, 40);
  const history = posted.find((message) => message.type === 'history');
  assert.ok(history?.type === 'history' && history.items[0]);
  await studio.act('del', 'delete', history.items[0].id);
  const done = posted.find((message) => message.type === 'done' && message.requestId === 'del');
  assert.ok(done?.type === 'done');
  return done;
}

describe('Studio gallery: Delete', () => {
  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'studio-delete-'));
    images = join(root, 'images');
    trash = join(root, 'trash');
    mkdirSync(join(images, '.gpt-image'), { recursive: true });
    mkdirSync(trash);
    writeFileSync(join(images, 'kite.png'), 'png');
    writeFileSync(join(images, '.gpt-image', 'kite.png.json'), '{}');
    trashWorks = true;
    answer = undefined;
    questions.length = 0;
    deletes.length = 0;
    posted = [];
  });

  it('moves the image and its provenance sidecar to the trash, asking nothing', async () => {
    const done = await deleteFirst();
    assert.equal(done.error, undefined);
    assert.match(done.info ?? '', /Moved kite\.png and its provenance to the trash/);
    assert.equal(existsSync(join(images, 'kite.png')), false);
    assert.equal(existsSync(join(images, '.gpt-image', 'kite.png.json')), false, 'the sidecar goes with it');
    assert.deepEqual(readdirSync(trash).sort(), ['kite.png', 'kite.png.json']);
    assert.deepEqual(questions, []);
  });

  it('without a trash, asks before deleting for good, and keeps both files when the answer is no', async () => {
    trashWorks = false;
    const done = await deleteFirst();
    assert.equal(done.error, 'Not deleted.');
    assert.match(questions[0] ?? '', /cannot be moved to the trash here.*Delete it and its provenance permanently\?/);
    assert.equal(existsSync(join(images, 'kite.png')), true);
    assert.equal(existsSync(join(images, '.gpt-image', 'kite.png.json')), true);
    assert.equal(deletes.some((call) => !call.useTrash), false, 'nothing deleted for good without a yes');
  });

  it('without a trash, deletes both for good once the user says so', async () => {
    trashWorks = false;
    answer = 'Delete permanently';
    const done = await deleteFirst();
    assert.equal(done.error, undefined);
    assert.equal(existsSync(join(images, 'kite.png')), false);
    assert.equal(existsSync(join(images, '.gpt-image', 'kite.png.json')), false);
  });
});
