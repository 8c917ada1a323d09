import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { runCommand } from '../harness/browser';
import { waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario } from '../harness/scenario';
import { setOpenAiKey } from './setApiKey';
import { openWorkspaceFile } from './studio';
import { focusedControl, openStudioTimed, studioFrame, takeFocusLog, watchFocus } from './studioPage';

const prompt = 'A kite over dunes typed with the keyboard alone';

/**
 * Issue 13: generate → preview → insert Markdown with the keyboard alone. After every update of the
 * page (each render, recorded by a MutationObserver) focus is still on the control just used:
 * arrowing through the Provider list, typing, Ctrl+Enter while the job runs, the preview and its
 * Escape, the card's menu and its Insert Markdown.
 */
export const studioKeyboardScenario: Scenario = {
  name: 'studio-keyboard',
  userSettings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  run: async (context) => {
    const { page, profile, fakes } = context;
    const notes = join(profile.workspace, 'notes.md');
    await setOpenAiKey(context);
    await openWorkspaceFile(page, 'notes.md');
    await openStudioTimed(page);
    const studio = await studioFrame(page);
    await studio.locator('[data-testid="key-status"]', { hasText: /^Key set$/ }).waitFor({ timeout: 15000 });
    await watchFocus(studio);

    // Into the page with Tab, onto the Provider list; arrowing through it changes the provider
    // at once (Linux), and focus stays on the list through the re-render.
    await tabTo(page, studio, 'provider');
    await takeFocusLog(studio);
    await page.keyboard.press('ArrowDown');
    await waitFor('the provider to change', async () => ((await studio.locator('[data-testid="provider"]').inputValue()) === 'gravitex' ? true : undefined), 10000);
    await expectFocus(studio, 'provider', 'after arrowing to Gravitex');
    await page.keyboard.press('ArrowUp');
    await waitFor('the provider to change back', async () => ((await studio.locator('[data-testid="provider"]').inputValue()) === 'openai' ? true : undefined), 10000);
    await expectFocus(studio, 'provider', 'after arrowing back to OpenAI');

    // Type the prompt and generate with Ctrl+Enter: every progress update leaves focus in the prompt.
    await tabTo(page, studio, 'prompt');
    await page.keyboard.type(prompt);
    await expectFocus(studio, 'prompt', 'while typing');
    await page.keyboard.press('Control+Enter');
    await studio.locator('[data-testid="job"][data-phase="saved"]').first().waitFor({ timeout: 60000 });
    await studio.locator('[data-testid="gallery-item"][data-kind="image"]').first().waitFor({ timeout: 20000 });
    await expectFocus(studio, 'prompt', 'through the job\'s progress, its end and the gallery reload');
    await context.screenshot('generated');
    await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 1, 30000);
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 1, 'Ctrl+Enter sent one request');
    assert.equal((JSON.parse(requests[0]?.body ?? '{}') as { prompt?: string }).prompt, prompt);

    // The job's image → Enter opens the large preview; Escape brings focus back to the image.
    await tabTo(page, studio, 'job-image');
    await page.keyboard.press('Enter');
    await studio.locator('[data-testid="preview"]').waitFor({ timeout: 10000 });
    await expectFocus(studio, 'preview-stage', 'the preview opened');
    await page.keyboard.press('+');
    await studio.locator('[data-testid="preview-zoom"]', { hasText: '100%' }).waitFor({ timeout: 5000 });
    await expectFocus(studio, 'preview-stage', 'after zooming');
    await context.screenshot('preview');
    await page.keyboard.press('Escape');
    await studio.locator('[data-testid="preview"]').waitFor({ state: 'detached', timeout: 5000 });
    await expectFocus(studio, 'job-image', 'Escape returned to the image that opened the preview');

    // The gallery card: its one menu (one tab stop), ↓ moves, Enter inserts Markdown into notes.md.
    await tabTo(page, studio, 'card-menu');
    await page.keyboard.press('Enter');
    await studio.locator('[data-testid="card-menu-list"]').waitFor({ timeout: 5000 });
    await expectFocus(studio, 'action-insert-markdown', 'the menu opened on its first item');
    await page.keyboard.press('ArrowDown');
    await expectFocus(studio, 'action-insert-html', 'ArrowDown moved within the menu');
    await page.keyboard.press('ArrowUp');
    await expectFocus(studio, 'action-insert-markdown', 'ArrowUp moved back');
    await context.screenshot('menu');
    await page.keyboard.press('Enter');
    await studio.locator('[data-testid="status"]', { hasText: 'Inserted into notes.md' }).waitFor({ timeout: 15000 });
    await expectFocus(studio, 'card-menu', 'after Insert Markdown ran and the status updated');
    await context.screenshot('inserted');

    await runCommand(page, 'File: Save All Files');
    const link = await waitFor('the link in notes.md on disk', () => /!\[([^\]]*)\]\(([^)]+)\)/.exec(readFileSync(notes, 'utf8')) ?? undefined, 20000);
    assert.equal(link[1], prompt, 'the alt text is the prompt');
    const [file] = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 1, 1000);
    assert.equal(resolve(dirname(notes), decodeURIComponent(link[2] ?? '')), file, 'the link resolves to the generated image');
  },
};

/** Presses Tab (at most 40 times) until `testId` has focus; every step is a real key press. */
async function tabTo(page: Page, studio: Frame, testId: string): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    if ((await focusedControl(studio)) === testId) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${testId} (focus is on ${await focusedControl(studio)})`);
}

/** Focus is on `testId` now, and was after every update since the last check. */
async function expectFocus(studio: Frame, testId: string, when: string): Promise<void> {
  await waitFor(`focus on ${testId} (${when})`, async () => ((await focusedControl(studio)) === testId ? true : undefined), 5000, 50);
  const log = await takeFocusLog(studio);
  // Updates between the key press and focus arriving are the move itself; from then on, no update may take it away.
  const first = log.indexOf(testId);
  const after = first < 0 ? [] : log.slice(first);
  assert.deepEqual(after.filter((name) => name !== testId), [], `focus left ${testId} during an update (${when}): ${log.join(' → ')}`);
}
