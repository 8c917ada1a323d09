import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { answerInput, pickItem, quickInput, quickInputMessage, quickInputTitle, runCommand } from '../harness/browser';
import { providerNames } from '../harness/fakes';
import type { Scenario } from '../harness/scenario';
import type { Locator, Page } from 'playwright-core';

function errorBox(page: Page): Locator {
  return page.locator('.quick-input-widget .monaco-inputbox.error').first();
}
import { setOpenAiKey } from './setApiKey';

/** Scenario 6: an empty prompt and an invalid size are refused with a clear message; nothing is sent. */
export const badInputScenario: Scenario = {
  name: '6-bad-input',
  run: async (context) => {
    const { page, profile, fakes } = context;
    await setOpenAiKey(context);
    await runCommand(page, 'GPT Image: Generate Image');
    await quickInputTitle(page).filter({ hasText: 'prompt' }).waitFor({ timeout: 20000 });

    // Empty (only spaces): Enter does not move on, and the box says why.
    await answerInput(page, '   ');
    // The box turns into an error box (red border); the message under it says what to do.
    await errorBox(page).waitFor({ timeout: 10000 });
    assert.match((await quickInputTitle(page).textContent()) ?? '', /prompt/, 'still on the prompt step');
    assert.match((await quickInputMessage(page).textContent()) ?? '', /Describe the image you want/);
    await context.screenshot('empty-prompt');

    // A size OpenAI cannot serve: not a multiple of 16.
    await answerInput(page, 'A cat, e2e scenario six');
    await quickInputTitle(page).filter({ hasText: 'provider' }).waitFor({ timeout: 15000 });
    await pickItem(page, 'OpenAI');
    await quickInputTitle(page).filter({ hasText: 'size' }).waitFor({ timeout: 15000 });
    await pickItem(page, 'Custom size…');
    await quickInputTitle(page).filter({ hasText: 'custom size' }).waitFor({ timeout: 15000 });
    await quickInput(page).fill('1000x1000');
    await page.keyboard.press('Enter');
    await quickInputMessage(page).filter({ hasText: /must be multiples of 16/ }).waitFor({ timeout: 10000 });
    await errorBox(page).waitFor({ timeout: 10000 });
    const message = (await quickInputMessage(page).textContent()) ?? '';
    assert.match((await quickInputTitle(page).textContent()) ?? '', /custom size/, 'still on the size step');
    context.log(`invalid size message: ${message}`);
    await context.screenshot('invalid-size');
    await page.keyboard.press('Escape');

    await page.waitForTimeout(1000);
    for (const name of providerNames) assert.deepEqual(await fakes.requests(name), [], `no request reached ${name}`);
    assert.equal(existsSync(join(profile.workspace, 'images')), false, 'no images folder was created');
  },
};
