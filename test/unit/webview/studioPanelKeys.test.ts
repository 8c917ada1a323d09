import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobOwner } from '../../../src/core/jobOwner';
import type { JobRunner } from '../../../src/core/runner';
import { isApiKeySecret, secretKeyName } from '../../../src/host/apiKeyStore';
import type * as StudioPanelModule from '../../../src/webview/studioPanel';
import type { StudioServices } from '../../../src/webview/studioServices';
import { installFakeVscode } from './fakeVscode';

const none = { dispose: () => undefined };
installFakeVscode({
  workspace: { onDidChangeConfiguration: () => none, onDidChangeWorkspaceFolders: () => none, workspaceFolders: [] },
  window: {},
  commands: {},
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StudioPanel } = require('../../../src/webview/studioPanel') as typeof StudioPanelModule;

const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('Studio panel: keys set elsewhere', () => {
  it('posts the new key status when SecretStorage says a key changed (another window, the palette)', async () => {
    const posted: Array<{ type?: string; keys?: Record<string, boolean> }> = [];
    const panel = {
      visible: true,
      webview: { postMessage: async (message: never) => void posted.push(message), onDidReceiveMessage: () => none, asWebviewUri: (uri: unknown) => uri },
      onDidChangeViewState: () => none,
      onDidDispose: () => none,
      dispose: () => undefined,
    };
    const runner = { list: async () => [] } as Partial<JobRunner> as JobRunner;
    let status = { openai: false, gravitex: false, modellix: false, apixo: false };
    let changed: (() => void) | undefined;
    let disposed = false;
    const services: StudioServices = {
      extensionUri: undefined as never,
      log: silent,
      scrub: (text) => text,
      runner,
      owner: new JobOwner(runner, silent),
      askKeepOrStop: async () => 'dismissed',
      describeError: (error) => String(error),
      readProvenance: async () => undefined,
      keyStatus: async () => status,
      onKeysChanged: (listener) => {
        changed = listener;
        return { dispose: () => void (disposed = true) };
      },
      defaults: () => ({ provider: 'openai', model: 'gpt-image-2' }),
      tokenRates: () => ({ textInputPerMillion: 5, imageInputPerMillion: 8, imageOutputPerMillion: 30 }),
      outputFolders: () => [],
      jobOutput: async () => ({ dir: 'file:///w/images', template: '{slug}' }),
      lastTextEditor: () => undefined,
    };
    StudioPanel.adopt(panel as never, services);
    assert.ok(changed, 'the panel listens for key changes');
    status = { ...status, openai: true };
    changed();
    for (let tries = 0; tries < 50 && !posted.some((message) => message.type === 'keys'); tries++) await new Promise((resolve) => setImmediate(resolve));
    const keys = posted.find((message) => message.type === 'keys');
    assert.deepEqual(keys?.keys, status, 'the page learns that OpenAI now has a key');
    assert.equal(JSON.stringify(posted).includes('sk-'), false);
    assert.equal(disposed, false);
  });

  it('counts only our provider keys as key changes', () => {
    assert.equal(isApiKeySecret(secretKeyName('openai')), true);
    assert.equal(isApiKeySecret(secretKeyName('apixo')), true);
    assert.equal(isApiKeySecret('gptImage.apiKey.other'), false);
    assert.equal(isApiKeySecret('someone.else'), false);
  });
});
