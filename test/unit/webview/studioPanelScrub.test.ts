import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobRunner } from '../../../src/core/runner';
import { JobOwner } from '../../../src/core/jobOwner';
import { createSecretScrubber } from '../../../src/core/secrets';
import type * as StudioPanelModule from '../../../src/webview/studioPanel';
import type { StudioServices } from '../../../src/webview/studioServices';
import { installFakeVscode } from './fakeVscode';

const key = 'sk-live-0123456789abcdef';
const none = { dispose: () => undefined };
installFakeVscode({
  workspace: { onDidChangeConfiguration: () => none, onDidChangeWorkspaceFolders: () => none, workspaceFolders: [] },
  window: {},
  commands: {},
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StudioPanel } = require('../../../src/webview/studioPanel') as typeof StudioPanelModule;

const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('Studio panel: what reaches the page', () => {
  it('every string posted to the page is scrubbed of registered keys, whichever path produced it', async () => {
    const scrubber = createSecretScrubber();
    scrubber.add(key);
    const posted: unknown[] = [];
    let receive: (message: unknown) => void = () => undefined;
    const panel = {
      visible: true,
      webview: {
        postMessage: async (message: unknown) => void posted.push(message),
        onDidReceiveMessage: (listener: (message: unknown) => void) => ((receive = listener), none),
        asWebviewUri: (uri: unknown) => uri,
      },
      onDidChangeViewState: () => none,
      onDidDispose: () => none,
      dispose: () => undefined,
    };
    // A runner whose provider echoed the key in its error, unscrubbed on the way (the panel is the last line).
    const runner = { run: async () => Promise.reject(new Error(`upstream refused key ${key}`)), get: async () => undefined } as Partial<JobRunner> as JobRunner;
    const services: StudioServices = {
      extensionUri: undefined as never,
      log: silent,
      scrub: (text) => scrubber.scrub(text),
      runner,
      owner: new JobOwner(runner, silent),
      askKeepOrStop: async () => 'dismissed',
      describeError: (error) => String(error),
      readProvenance: async () => undefined,
      keyStatus: async () => ({ openai: true, gravitex: false, modellix: false, apixo: false }),
      defaults: () => ({ provider: 'openai', model: 'gpt-image-2' }),
      tokenRates: () => ({ textInputPerMillion: 5, imageInputPerMillion: 8, imageOutputPerMillion: 30 }),
      outputFolders: () => [],
      jobOutput: async () => ({ dir: 'file:///w/images', template: '{slug}' }),
      lastTextEditor: () => undefined,
    };
    StudioPanel.adopt(panel as never, services);
    receive({ type: 'generate', requestId: 'r1', form: { provider: 'openai', model: 'gpt-image-2', prompt: `a fox ${key}`, size: 'auto', n: 1, references: [] } });
    for (let tries = 0; tries < 100 && !posted.some((message) => (message as { type?: string }).type === 'done'); tries++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const text = JSON.stringify(posted);
    assert.match(text, /upstream refused key/, 'the error did reach the page');
    assert.equal(text.includes(key), false, 'but never the key');
  });
});
