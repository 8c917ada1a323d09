import * as assert from 'node:assert/strict';
import type { Scenario } from '../harness/scenario';
import { paletteCommand, polishSettings } from './polishHelpers';
import { runCommand, toast } from '../harness/browser';
import { e2eOpenAiKey } from './setApiKey';
import { waitFor } from '../harness/processes';
import { pickItem } from '../harness/browser';

/**
 * The walkthrough's first step as a new user meets it (GPT Image: Get Started): its text and its own
 * media, then its Set API Key button stores a key and the step is ticked off (onContext:gptImage.keyStored).
 */
export const polishWalkthroughScenario: Scenario = {
  name: 'polish-walkthrough',
  userSettings: polishSettings,
  run: async (context) => {
    const { page } = context;
    // The step's media shows only when the page is wide enough: the Explorer makes room.
    await page.keyboard.press('Control+B');
    await runCommand(page, 'GPT Image: Get Started');
    const step = page.locator('.getting-started-step', { hasText: 'Choose a provider and store its key' }).first();
    await step.waitFor({ timeout: 30000 });
    await page.locator('.gettingStartedContainer', { hasText: 'Get started with GPT Image Studio' }).first().waitFor({ timeout: 15000 });
    // The step's own Markdown renders beside it (media/walkthrough/setKey.md), in a webview.
    await page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('text=Choose a provider').first().waitFor({ timeout: 20000 });
    await context.screenshot('first-step');

    assert.equal(await step.locator('[role="checkbox"][aria-checked="true"]').count(), 0, 'not done before a key is stored');
    await step.locator('.button-link, button, a', { hasText: 'Set API Key' }).first().click();
    await pickItem(page, 'OpenAI');
    const password = page.locator('.quick-input-widget input[type="password"]');
    await password.waitFor({ state: 'visible', timeout: 15000 });
    await password.fill(e2eOpenAiKey);
    await page.keyboard.press('Enter');
    await toast(page, 'The OpenAI API key is stored').waitFor({ timeout: 15000 });
    // Ticked off: the step's check box (role checkbox) turns aria-checked; the other steps stay open.
    await step.locator('[role="checkbox"][aria-checked="true"]').first().waitFor({ timeout: 15000 });
    assert.equal(await page.locator('.getting-started-step [role="checkbox"][aria-checked="true"]').count(), 1, 'only the first step is done');
    await context.screenshot('first-step-done');

    // The listing as the editor shows it: the drawn icon loads from the installed .vsix. (The README's
    // screenshots are left out of the .vsix: this page blanks relative image paths, see .vscodeignore.)
    await paletteCommand(page, 'Extensions: Show Installed Extensions');
    await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'GPT Image Studio' }).first().click();
    const icon = page.locator('.extension-editor .header img.icon').first();
    await icon.waitFor({ timeout: 30000 });
    await waitFor('the icon to load', async () => ((await icon.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)) === 128 ? true : undefined), 20000);
    await context.screenshot('extension-page');
  },
};
