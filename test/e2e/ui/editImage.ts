import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickItem, quickInput, quickInputTitle } from '../harness/browser';
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
    await row.waitFor({ timeout: 20000 });
    await row.click({ button: 'right' });
    const menuItem = page.locator('.monaco-menu .action-item', { hasText: 'Edit Image…' }).first();
    await menuItem.waitFor({ timeout: 15000 });
    await context.screenshot('context-menu');
    // A click that lands while the menu is still settling after the right-click is ignored (the menu
    // stays open with the item highlighted): click again only while the menu is still there.
    const prompt = quickInputTitle(page).filter({ hasText: 'describe the change' });
    for (let attempt = 1; ; attempt++) {
      await menuItem.click();
      const opened = await prompt.waitFor({ timeout: 5000 }).then(() => true, () => false);
      if (opened) break;
      if (!(await menuItem.isVisible())) {
        // The click was taken (the menu closed): the prompt is only slow.
        await prompt.waitFor({ timeout: 20000 });
        break;
      }
      assert.ok(attempt < 3, 'the Explorer menu ignored three clicks on Edit Image…');
      context.log(`the menu ignored click ${attempt}; clicking again`);
    }
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
