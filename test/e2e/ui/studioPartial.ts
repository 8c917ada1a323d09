import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Locator } from 'playwright-core';
import { waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import { assertSavedExactlyServed } from '../harness/fakes';
import type { Scenario } from '../harness/scenario';
import { setKeyFromPanel } from './studio';
import { openStudioTimed, studioFrame } from './studioPage';

const prompt = 'A paper boat on a pond, streamed e2e partial previews';
/** Long enough after each partial for a person (and a screenshot) to see the preview before the final image. */
const partialDelayMs = 4000;

/**
 * Issue 12: in the Studio, a user picks "Partial images: 2" for OpenAI (the form says what each
 * costs, and why Gravitex has none) and generates; the job card shows the latest partial as a
 * labelled preview, loaded from a file (asWebviewUri), until the final image replaces it and the
 * preview file is gone.
 */
export const studioPartialScenario: Scenario = {
  name: 'studio-partial',
  userSettings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  run: async (context) => {
    const { page, profile, fakes } = context;
    await fakes.control('openai', { options: { partialDelayMs } });
    await openStudioTimed(page);
    const studio = await studioFrame(page);
    await setKeyFromPanel(page, studio);

    // Gravitex's row does not stream: the form says why instead of offering it.
    await studio.locator('[data-testid="provider"]').selectOption('gravitex');
    const off = (await studio.locator('[data-testid="partial-images-off"]').textContent({ timeout: 15000 })) ?? '';
    assert.match(off, /strips partial_images/, 'the reason is shown for Gravitex');
    assert.equal(await studio.locator('[data-testid="partial-images"]').count(), 0, 'no partial-images option for Gravitex');

    await studio.locator('[data-testid="provider"]').selectOption('openai');
    await studio.locator('[data-testid="model"]').selectOption('gpt-image-2');
    const note = (await studio.locator('[data-testid="partial-images-note"]').textContent({ timeout: 15000 })) ?? '';
    assert.match(note, /each partial adds about 100 output tokens/, 'the cost note is shown');
    await studio.locator('[data-testid="partial-images"]').selectOption('2');
    await studio.locator('[data-testid="prompt"]').fill(prompt);
    await studio.locator('[data-testid="quality"]').selectOption('low');
    await studio.locator('[data-testid="generate"]').click();

    // The preview, before the final image: a real image the webview loaded from the preview file.
    const preview = studio.locator('[data-testid="job"] [data-testid="job-partial"]').first();
    await preview.waitFor({ timeout: 60000 });
    assert.match((await preview.innerText()).trim(), /^Preview \(partial image [12] of 2\)$/);
    const image = preview.locator('img');
    const src = (await image.getAttribute('src')) ?? '';
    context.log(`preview src: ${src}`);
    assert.match(src, /studio-previews/, 'loaded from the preview folder, not inlined');
    await waitForLoaded(image);
    assert.equal((await studio.locator('[data-testid="job"][data-phase="saved"]').count()), 0, 'the preview shows before the final image');
    // The caption under the preview in view, for the screenshot.
    await preview.locator('figcaption').scrollIntoViewIfNeeded({ timeout: 5000 });
    await context.screenshot('preview');

    await studio.locator('[data-testid="job"][data-phase="saved"]').first().waitFor({ timeout: 60000 });
    assert.equal(await studio.locator('[data-testid="job-partial"]').count(), 0, 'the final image replaced the preview');
    const [file, ...others] = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 1, 30000);
    assert.ok(file);
    assert.deepEqual(others, [], 'only the final image is saved');
    await assertSavedExactlyServed(fakes, 'openai', readFileSync(file));
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 1, 'one request to OpenAI');
    const body = JSON.parse(requests[0]?.body ?? '{}') as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.equal(body.partial_images, 2, 'the form’s choice reached the wire');
    // The page shows "saved" as the job reports it; the preview file goes a moment later, once the job has ended.
    const leftovers = await waitFor('the preview files to be removed', () => (previewFiles(profile.dir).length === 0 ? [] : undefined), 10000).catch(() => previewFiles(profile.dir));
    assert.deepEqual(leftovers, [], 'the preview files are removed when the job ends');
    await context.screenshot('final');
    context.log(`saved ${basename(file)}; preview shown, then replaced`);

    // Transparency, honestly: gpt-image-2 has none, and the form offers the switch instead of hiding it.
    await studio.locator('[data-testid="transparency-switch"]').click({ timeout: 15000 });
    assert.equal(await studio.locator('[data-testid="model"]').inputValue(), 'gpt-image-1.5', 'the offer switches the model');
    assert.equal(await studio.locator('[data-testid="background"]').inputValue(), 'transparent', 'and asks for a transparent background');
    assert.equal(await studio.locator('[data-testid="transparency-hint"]').count(), 0, 'no hint once the model can do it');
  },
};

/** Waits until the <img> really decoded (naturalWidth > 0), i.e. the webview could load the file. */
async function waitForLoaded(image: Locator): Promise<void> {
  const deadline = Date.now() + 20000;
  for (;;) {
    const loaded = await image
      .evaluate((img) => {
        // Runs in the page (no DOM types here): an <img> that has loaded real pixels.
        const element = img as unknown as { readonly complete: boolean; readonly naturalWidth: number };
        return element.complete && element.naturalWidth > 0;
      }, undefined, { timeout: 2000 })
      .catch(() => false);
    if (loaded) return;
    assert.ok(Date.now() < deadline, 'the preview image did not load in the webview');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Files left in any `studio-previews` folder of the profile (the extension's global storage). */
function previewFiles(root: string): string[] {
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  const folders = entries.filter((entry) => entry.isDirectory() && entry.name === 'studio-previews').map((entry) => join(entry.parentPath, entry.name));
  assert.ok(folders.length > 0, 'the preview folder exists under global storage');
  return folders.flatMap((folder) => readdirSync(folder));
}
