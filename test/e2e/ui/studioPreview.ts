import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { quickInput } from '../harness/browser';
import { pngSize, waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario } from '../harness/scenario';
import { setKeyFromPanel } from './studio';
import { openStudioTimed, studioFrame } from './studioPage';

const prompt = 'Two lanterns in the fog, e2e large preview';
const editPrompt = 'Paint the sample in warm sunset colours, e2e before and after';

/**
 * Issue 13: a job's two images open in the large preview (fit, zoom, arrows between them, Escape
 * back); an edit made in the Studio from a workspace image shows before/after against its source.
 * Also: setting the key from the panel leaves the form as it was (the Generate button is the same
 * element), so the click that follows is not lost.
 */
export const studioPreviewScenario: Scenario = {
  name: 'studio-preview',
  userSettings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  run: async (context) => {
    const { page, profile, fakes } = context;
    await openStudioTimed(page);
    const studio = await studioFrame(page);
    // A mark the page's rendering never sets: a rebuilt button would come back without it.
    await studio.locator('[data-testid="generate"]').evaluate((element) => (element as unknown as { setAttribute(name: string, value: string): void }).setAttribute('data-e2e-mark', 'before-key'));
    await setKeyFromPanel(page, studio);
    // The key status arrives more than once (the command's answer, SecretStorage.onDidChange, the panel shown again).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(await studio.locator('[data-testid="generate"][data-e2e-mark="before-key"]').count(), 1, 'the form was not rebuilt when the key status changed');

    await studio.locator('[data-testid="prompt"]').fill(prompt);
    await studio.locator('[data-testid="quality"]').selectOption('low');
    await studio.locator('[data-testid="n"]').fill('2');
    await studio.locator('[data-testid="n"]').dispatchEvent('change');
    await studio.locator('[data-testid="generate"][data-e2e-mark="before-key"]').click();
    await studio.locator('[data-testid="job"][data-phase="saved"]').first().waitFor({ timeout: 60000 });
    // "saved" arrives with the phase, the thumbnails right after (once the provenance is read).
    await waitFor('the job\'s two images in its grid', async () => ((await studio.locator('[data-testid="job"]').first().locator('[data-testid="job-image"]').count()) === 2 ? true : undefined), 15000);

    // The large preview: fitted, then zoomed; the arrows go to the other image; Escape goes back.
    await studio.locator('[data-testid="job-image"]').first().click();
    const preview = studio.locator('[data-testid="preview"]');
    await preview.waitFor({ timeout: 10000 });
    await expectText(studio, 'preview-position', /^Image 1 of 2/);
    await waitForDecoded(studio);
    const fitted = await imageBox(studio);
    await context.screenshot('large');
    await page.keyboard.press('ArrowRight');
    await expectText(studio, 'preview-position', /^Image 2 of 2/);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expectText(studio, 'preview-zoom', /^200%$/);
    await waitForDecoded(studio);
    const zoomed = await imageBox(studio);
    assert.equal(zoomed.width, zoomed.natural * 2, 'at 200% the image is twice its natural width');
    assert.notEqual(fitted.width, zoomed.width, 'fit and zoom differ');
    await context.screenshot('zoomed');
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'detached', timeout: 5000 });

    // An edit from the Studio: sample.png as the reference, then its before/after in the preview.
    await studio.locator('[data-testid="add-reference"]').click();
    const sample = join(profile.workspace, 'sample.png');
    // VS Code's own file dialog (a quick input in the browser): it fills its box with the folder
    // once the folder is listed, so type the file only after that, and again if it was overwritten.
    await quickInput(page).waitFor({ state: 'visible', timeout: 15000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'sample.png' }).first().waitFor({ timeout: 15000 });
    for (let attempt = 1; ; attempt++) {
      await quickInput(page).fill(sample);
      await page.keyboard.press('Enter');
      const added = await studio.locator('[data-testid="reference-item"]').first().waitFor({ timeout: 5000 }).then(() => true, () => false);
      if (added) break;
      assert.ok(attempt < 3 && (await quickInput(page).isVisible()), 'the file dialog did not take sample.png');
      context.log(`the file dialog did not take the path (attempt ${attempt}); typing it again`);
    }
    await studio.locator('[data-testid="prompt"]').fill(editPrompt);
    await studio.locator('[data-testid="n"]').fill('1');
    await studio.locator('[data-testid="n"]').dispatchEvent('change');
    await studio.locator('[data-testid="generate"]').click();
    await waitFor('the edit to be saved', async () => ((await studio.locator('[data-testid="job"][data-phase="saved"]').count()) >= 2 ? true : undefined), 60000);
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 2, 'one generation and one edit');
    assert.match(requests[1]?.url ?? '', /\/v1\/images\/edits$/, 'the second job was an edit');
    const files = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 3, 30000);
    assert.equal(files.length, 3);
    assert.ok(files.every((file) => pngSize(readFileSync(file))), 'three valid PNGs');

    // The edit's card is the newest; its preview offers before/after against sample.png.
    const card = studio.locator('[data-testid="gallery-item"]', { hasText: editPrompt }).first();
    await card.waitFor({ timeout: 20000 });
    await card.locator('[data-testid="card-preview"]').click();
    await preview.waitFor({ timeout: 10000 });
    const image = studio.locator('[data-testid="preview-image"]');
    await waitForDecoded(studio);
    assert.equal(await image.getAttribute('data-showing'), 'after');
    const after = (await image.getAttribute('src')) ?? '';
    await context.screenshot('edit-after');
    await studio.locator('[data-testid="preview-before"]').click();
    await waitFor('the source image', async () => ((await image.getAttribute('data-showing')) === 'before' ? true : undefined), 5000);
    const before = (await image.getAttribute('src')) ?? '';
    assert.match(decodeURIComponent(before), /\/sample\.png$/, 'before is the source image');
    assert.notEqual(before, after);
    await waitForDecoded(studio);
    const natural = await imageBox(studio);
    assert.deepEqual({ width: natural.natural }, { width: pngSize(readFileSync(sample))?.width }, 'the page really loaded sample.png');
    await context.screenshot('edit-before');
    await page.keyboard.press('b');
    await waitFor('back to the result', async () => ((await image.getAttribute('data-showing')) === 'after' ? true : undefined), 5000);
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'detached', timeout: 5000 });
  },
};

async function expectText(studio: Frame, testId: string, pattern: RegExp): Promise<void> {
  await waitFor(`${testId} to read ${pattern}`, async () => (pattern.test(((await studio.locator(`[data-testid="${testId}"]`).textContent()) ?? '').trim()) ? true : undefined), 5000, 50);
}

/** The preview image has really decoded (the webview could load it). */
async function waitForDecoded(studio: Frame): Promise<void> {
  await waitFor('the preview image to load', async () => ((await imageBox(studio)).natural > 0 ? true : undefined), 15000, 50);
}

async function imageBox(studio: Frame): Promise<{ width: number; natural: number }> {
  return (await studio.locator('[data-testid="preview-image"]').evaluate((element) => {
    const image = element as unknown as { readonly complete: boolean; readonly naturalWidth: number; readonly clientWidth: number };
    return { width: image.clientWidth, natural: image.complete ? image.naturalWidth : 0 };
  })) as { width: number; natural: number };
}
