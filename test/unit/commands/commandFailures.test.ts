import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as HandlersModule from '../../../src/commands/handlers';
import { createSecretScrubber } from '../../../src/core/secrets';
import type { Services } from '../../../src/host/services';
import { installFakeVscode } from '../webview/fakeVscode';

const shown: { message: string; buttons: string[] }[] = [];
const executed: string[] = [];
installFakeVscode({
  window: {
    showErrorMessage: async (message: string, ...buttons: string[]) => {
      shown.push({ message, buttons });
      return 'Show Log';
    },
    showWarningMessage: async (message: string, ...buttons: string[]) => {
      shown.push({ message, buttons });
      return undefined;
    },
  },
  commands: { executeCommand: async (id: string) => void executed.push(id) },
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { guarded } = require('../../../src/commands/handlers') as typeof HandlersModule;

describe('a command that fails', () => {
  it('is reported once, with its title, the sentence, Show Log and the error in the log (a keyring that refuses a key)', async () => {
    const logged: string[] = [];
    const key = 'sk-keyring-0123456789';
    const scrubber = createSecretScrubber();
    scrubber.add(key);
    const log = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (line: string) => void logged.push(line) };
    const services = { log, scrubber } as unknown as Services;
    const setKey = guarded('gptImage.setApiKey', () => async () => {
      throw new Error(`The keyring refused to store ${key}: org.freedesktop.secrets is not available`);
    });
    assert.equal(await setKey(services)(), undefined);
    assert.equal(shown.length, 1);
    assert.match(shown[0]?.message ?? '', /^Set API Key: /);
    assert.doesNotMatch(shown[0]?.message ?? '', /could not start/);
    assert.match(shown[0]?.message ?? '', /keyring refused/);
    assert.equal(shown[0]?.message.includes(key), false, 'the message is scrubbed');
    assert.ok(shown[0]?.buttons.includes('Show Log'));
    assert.deepEqual(executed, ['gptImage.showLog'], 'Show Log opens the log');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.includes(key), false, 'the log line too');
  });
});
