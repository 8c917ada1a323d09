import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickItem, quickInput, quickInputTitle } from '../harness/browser';
import { explorerMenu } from '../harness/explorerMenu';
import { pngSize, waitForFiles } from '../harness/files';
import type { Scenario } from '../harness/scenario';
import { e2eOpenAiKey, setOpenAiKey } from './setApiKey';

/** Scenario 4: right-click an image in the Explorer → Edit Image… → the edit lands beside the original. */
export const editImageScenario: Scenario = {
  name: '4-edit-image-from-explorer',
  run: async (context) => {
    const { page, profile, fakes } = context;
    const original = join(profile.workspace, 'sample.png');
    const originalBytes = readFileSync(original);
    await setOpenAiKey(context);

    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sample.png' }).first();
    await explorerMenu(context, row, 'Edit Image…', {
      opened: quickInputTitle(page).filter({ hasText: 'describe the change' }),
      onMenuShown: async () => void (await context.screenshot('context-menu')),
    });
    await quickInput(page).fill('Add a small red boat, e2e scenario four');
    await page.keyboard.press('Enter');
    await quickInputTitle(page).filter({ hasText: 'provider' }).waitFor({ timeout: 15000 });
    await pickItem(page, 'OpenAI');
    // Size and quality: the preselected defaults, as a hurried user would accept them.
    await quickInputTitle(page).filter({ hasText: 'size' }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await quickInputTitle(page).filter({ hasText: 'quality' }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await quickInputTitle(page).filter({ hasText: 'mask' }).waitFor({ timeout: 15000 });
    await pickItem(page, 'No mask');

    const [edited] = await waitForFiles(profile.workspace, /sample-edit-\d+\.png$/, 1, 60000);
    assert.ok(edited);
    assert.equal(join(edited, '..'), profile.workspace, 'the edit sits beside the original');
    assert.ok(pngSize(readFileSync(edited)), 'the edit is a valid PNG');
    assert.ok(readFileSync(original).equals(originalBytes), 'the original is unchanged');
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 1, 'one request to OpenAI');
    assert.match(requests[0]?.url ?? '', /\/v1\/images\/edits$/);
    assert.equal(requests[0]?.headers.authorization, `Bearer ${e2eOpenAiKey}`);
    // The original's bytes travelled in the request (multipart or JSON data URL).
    const body = requests[0]?.body ?? '';
    assert.ok(body.includes(originalBytes.subarray(0, 64).toString('latin1')) || body.includes(originalBytes.toString('base64').slice(0, 64)), 'the request carries the original image');
    await context.screenshot('edited');
  },
};
