import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { quickInputTitle, runCommand, toast } from '../harness/browser';
import { pngSize, waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario } from '../harness/scenario';
import { explorerMenu } from '../harness/explorerMenu';
import { answerAfterPrompt, answerPrompt, paletteCommand, polishSettings } from './polishHelpers';
import { e2eOpenAiKey } from './setApiKey';

/**
 * Right-click a folder → Generate Image Here…: the image and its sidecar land in that folder, not in
 * gptImage.outputFolder; then Copy as Markdown on the new image puts its link on the clipboard.
 */
export const polishGenerateHereScenario: Scenario = {
  name: 'polish-generate-here',
  userSettings: polishSettings,
  prepareWorkspace: (workspace) => {
    mkdirSync(join(workspace, 'assets'), { recursive: true });
    writeFileSync(join(workspace, 'assets', 'readme.txt'), 'Icons live here.\n');
  },
  run: async (context) => {
    const { page, profile, fakes } = context;
    const prompt = 'A round settings gear icon, flat, e2e polish';
    // A user following the walkthrough has it open (VS Code tracks step events only from then on).
    await runCommand(page, 'GPT Image: Get Started');
    await page.locator('.getting-started-step', { hasText: 'Make your first image' }).first().waitFor({ timeout: 30000 });
    const folderRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*assets\s*$/ }).first();
    // The questions say where the image goes.
    await explorerMenu(context, folderRow, 'Generate Image Here…', { opened: quickInputTitle(page).filter({ hasText: 'Generate Image in assets/: prompt' }) });
    await context.screenshot('prompt');
    await answerPrompt(page, prompt);
    await answerAfterPrompt(page, e2eOpenAiKey);

    const [file] = await waitForFiles(join(profile.workspace, 'assets'), /\.png$/, 1, 60000);
    assert.ok(file);
    assert.ok(pngSize(readFileSync(file)), 'a valid PNG in the folder that was right-clicked');
    // The sidecar is written just after the image.
    await waitFor('its provenance sidecar beside it', () => existsSync(join(profile.workspace, 'assets', '.gpt-image', `${basename(file)}.json`)) || undefined, 15000);
    assert.equal(existsSync(join(profile.workspace, 'images')), false, 'nothing went to the output folder setting');
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 1, 'one paid request');
    assert.equal((JSON.parse(requests[0]?.body ?? '{}') as { prompt?: string }).prompt, prompt);
    await page.locator('.tabs-container .tab', { hasText: basename(file) }).first().waitFor({ timeout: 20000 });
    await context.screenshot('saved-in-folder');

    // Copy as Markdown on the new image (Explorer): the prompt as alt text, the workspace path.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const imageRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: basename(file) }).first();
    const copied = toast(page, 'to the clipboard');
    await explorerMenu(context, imageRow, 'Copy as Markdown', { opened: copied });
    const expected = `![${prompt}](assets/${basename(file)})`;
    await toast(page, `Copied ${expected}`).waitFor({ timeout: 10000 });
    const clipboard = await page.evaluate<string>('navigator.clipboard.readText()');
    assert.equal(clipboard, expected);
    await context.screenshot('copied-as-markdown');

    // The walkthrough saw it: the key (asked inline) and the first image are ticked off, the edit is not.
    await paletteCommand(page, 'GPT Image: Get Started');
    const done = (title: string) => page.locator('.getting-started-step', { hasText: title }).first().locator('[role="checkbox"][aria-checked="true"]');
    await done('Make your first image').first().waitFor({ timeout: 20000 });
    await done('Choose a provider and store its key').first().waitFor({ timeout: 5000 });
    assert.equal(await done('Edit an image').count(), 0, 'no edit yet');
    await context.screenshot('walkthrough-progress');
  },
};

const selectedPrompt = 'A lighthouse on a cliff at dawn, watercolor';

/**
 * Select a line of a Markdown file → Generate Image from Selection: the line is the prompt (no
 * prompt box), and the image link lands on its own paragraph right below it.
 */
export const polishFromSelectionScenario: Scenario = {
  name: 'polish-from-selection',
  userSettings: polishSettings,
  prepareWorkspace: (workspace) => {
    mkdirSync(join(workspace, 'docs'), { recursive: true });
    writeFileSync(join(workspace, 'docs', 'story.md'), `# Story\n\n${selectedPrompt}\n\nThe next paragraph.\n`);
  },
  run: async (context) => {
    const { page, profile, fakes } = context;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input.input').first().fill('story.md');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'story.md' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    const line = page.locator('.monaco-editor .view-line', { hasText: selectedPrompt }).first();
    await line.waitFor({ timeout: 20000 });
    await line.click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await context.screenshot('selected');
    await runCommand(page, 'GPT Image: Generate Image from Selection');
    // The prompt box is skipped: the first question is the provider (step 2).
    await answerAfterPrompt(page, e2eOpenAiKey);

    const [file] = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 1, 60000);
    assert.ok(file);
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 1, 'one paid request');
    assert.equal((JSON.parse(requests[0]?.body ?? '{}') as { prompt?: string }).prompt, selectedPrompt);
    const link = `![${selectedPrompt}](../images/${basename(file)})`;
    await page.locator('.monaco-editor .view-line', { hasText: '![' }).first().waitFor({ timeout: 20000 });
    await context.screenshot('inserted');
    await page.locator('.monaco-editor .view-line', { hasText: 'The next paragraph.' }).first().click();
    await page.keyboard.press('Control+S');
    const story = join(profile.workspace, 'docs', 'story.md');
    const saved = await waitFor('docs/story.md saved with the link', () => (readFileSync(story, 'utf8').includes('![') ? readFileSync(story, 'utf8') : undefined), 15000);
    assert.equal(saved, `# Story\n\n${selectedPrompt}\n\n${link}\n\nThe next paragraph.\n`);
  },
};
