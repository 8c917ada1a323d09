import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pickItem, runCommand, toast } from '../harness/browser';
import { filesContaining, listFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario, ScenarioContext } from '../harness/scenario';

/** Obviously fake, and unique enough that finding it anywhere on disk means it leaked. */
export const e2eOpenAiKey = 'sk-test-openai-e2e-key-5c1b7e';

/** Sets the OpenAI key through the palette's password box, as scenario 1 does and others need first. */
export async function setOpenAiKey(context: ScenarioContext, key = e2eOpenAiKey, provider = 'OpenAI'): Promise<void> {
  const { page } = context;
  await runCommand(page, 'GPT Image: Set API Key');
  await pickItem(page, provider);
  const password = page.locator('.quick-input-widget input[type="password"]');
  await password.waitFor({ state: 'visible', timeout: 15000 });
  await password.fill(key);
  await page.keyboard.press('Enter');
  await toast(page, `The ${provider} API key is stored`).waitFor({ timeout: 15000 });
}

/** Scenario 1: the key goes into SecretStorage only: no settings file, no log, no workspace file. */
export const setApiKeyScenario: Scenario = {
  name: '1-set-api-key',
  run: async (context) => {
    const { page, profile } = context;
    await setOpenAiKey(context);
    await context.screenshot('stored');

    // The picker now says the key is set: it really was stored.
    await runCommand(page, 'GPT Image: Set API Key');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI' }).filter({ hasText: 'key set' }).first().waitFor({ timeout: 15000 });
    await context.screenshot('picker-says-key-set');
    await page.keyboard.press('Escape');

    // The extension logged the event, so the log files exist and the search below means something.
    const logs = join(profile.userDataDir, 'logs');
    await waitFor('the extension log line "Stored an API key for OpenAI"', () => (filesContaining(logs, 'Stored an API key for OpenAI').length > 0 ? true : undefined), 20000);
    context.log(`searched ${listFiles(profile.userDataDir).length} files under the user-data-dir, ${listFiles(profile.extensionsDir).length} under extensions, and the workspace`);
    const leaks = [
      ...filesContaining(profile.userDataDir, e2eOpenAiKey),
      ...filesContaining(profile.extensionsDir, e2eOpenAiKey),
      ...filesContaining(profile.workspace, e2eOpenAiKey),
      ...filesContaining(join(profile.dir, 'xdg'), e2eOpenAiKey),
      ...filesContaining(profile.logFile.replace(/[^/]+$/, ''), e2eOpenAiKey).filter((file) => file === profile.logFile),
    ];
    assert.deepEqual(leaks, [], 'the API key was found in these files');
    const settings = listFiles(join(profile.userDataDir, 'User')).filter((file) => file.endsWith('settings.json'));
    assert.ok(settings.length > 0, 'the user settings file exists');
  },
};
