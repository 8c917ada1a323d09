import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JobOwner } from '../../../src/core/jobOwner';
import type { GenerationRequest } from '../../../src/core/request';
import type * as StudioPanelModule from '../../../src/webview/studioPanel';
import type { StudioServices } from '../../../src/webview/studioServices';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { runnerRig, silentLog } from '../core/jobRunnerHarness';
import { installFakeVscode } from './fakeVscode';

const none = { dispose: () => undefined };
installFakeVscode({
  workspace: { onDidChangeConfiguration: () => none, onDidChangeWorkspaceFolders: () => none, workspaceFolders: [] },
  window: {},
  commands: {},
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StudioPanel } = require('../../../src/webview/studioPanel') as typeof StudioPanelModule;

const request = (prompt: string): GenerationRequest => ({ provider: 'openai', model: 'gpt-image-2', prompt, size: '1024x1024', quality: 'low', n: 1 });
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Studio panel: jobs the Studio did not start (Run Image Batch) reload its gallery', () => {
  let openai: FakeOpenAi;
  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(async () => {
    await openai.close();
  });

  it('tells the page once the window’s jobs saved images (one message for a burst); a job that saved nothing does not', async () => {
    const rig = runnerRig({ openai: openai.baseUrl });
    const owner = new JobOwner(rig.runner, silentLog);
    const posted: Array<{ type?: string }> = [];
    let disposePanel: (() => void) | undefined;
    const panel = {
      visible: true,
      webview: { postMessage: async (message: never) => void posted.push(message), onDidReceiveMessage: () => none, asWebviewUri: (uri: unknown) => uri },
      onDidChangeViewState: () => none,
      onDidDispose: (listener: () => void) => {
        disposePanel = listener;
        return none;
      },
      dispose: () => undefined,
    };
    const services = {
      log: silentLog,
      scrub: (text: string) => text,
      runner: rig.runner,
      owner,
      keyStatus: async () => ({ openai: true, gravitex: false, modellix: false, apixo: false }),
      outputFolders: () => [],
    } as Partial<StudioServices> as StudioServices;
    StudioPanel.adopt(panel as never, services);
    const changes = (): number => posted.filter((message) => message.type === 'galleryChanged').length;

    // Three entries of a batch, run by the owner as host/batchRun.ts does (not through the Studio).
    const output = { dir: rig.outDir, template: '{slug}', batch: { file: 'site.images.yaml', entry: 'mascot' } };
    const ends = await Promise.all(['A', 'B', 'C'].map((prompt) => owner.run({ request: request(`An otter ${prompt}`), output }).ended));
    assert.deepEqual(ends.map((end) => end.state), ['saved', 'saved', 'saved']);
    const made = readdirSync(rig.outDir).filter((name) => name.endsWith('.png'));
    assert.equal(made.length, 3);
    // Each image's provenance names the batch file and entry its job's output carried.
    for (const name of made) assert.deepEqual((JSON.parse(readFileSync(join(rig.outDir, '.gpt-image', `${name}.json`), 'utf8')) as { batch?: unknown }).batch, { file: 'site.images.yaml', entry: 'mascot' });
    await settle(600);
    assert.equal(changes(), 1, 'one reload for the burst');

    // Refused before anything was sent: nothing new to show.
    openai.reset();
    const refused = await owner.run({ request: { ...request('An otter D'), size: '7x7' }, output }).ended;
    assert.equal(refused.state, 'failed');
    await settle(600);
    assert.equal(changes(), 1, 'a job without images does not reload the gallery');

    // A closed panel stops listening.
    disposePanel?.();
    await owner.run({ request: request('An otter E'), output }).ended;
    await settle(600);
    assert.equal(changes(), 1, 'nothing is posted after the panel closed');
    await owner.dispose();
    await rig.http.close();
  });
});
