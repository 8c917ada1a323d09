import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickItem, toast } from '../harness/browser';
import { waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario } from '../harness/scenario';
import { setOpenAiKey } from './setApiKey';
import { studioFrame } from './studioPage';

const batchFile = `# Images for the site: gpt-image batch site.images.yaml, or the CodeLens above.
defaults: { provider: openai, size: 1024x1024, quality: low }
images:
  - name: icon
    prompt: A paper boat app icon, e2e batch
  - name: hero
    prompt: A watercolor harbour at dawn, e2e batch
    size: 1536x1024
    n: 2
  - name: banner
    prompt: A long banner of waves, e2e batch
`;

const expected = ['banner.png', 'hero-1.png', 'hero-2.png', 'icon.png'];

/**
 * A batch file in the editor: CodeLenses say each entry is missing; "Run Image Batch" from the
 * CodeLens shows one notification with counts while the (slowed) fake works, writes every file
 * under its entry's name, the gallery shows them, and the lenses then say "made". One request per
 * entry: nothing sent twice.
 */
export const batchRunScenario: Scenario = {
  name: 'batch-codelens-run',
  prepareWorkspace: (workspace) => {
    writeFileSync(join(workspace, 'site.images.yaml'), batchFile);
  },
  run: async (context) => {
    const { page, profile, fakes } = context;
    await setOpenAiKey(context);
    const prompts = async (): Promise<string[]> =>
      (await fakes.requests('openai')).flatMap((request) => {
        const prompt = (JSON.parse(request.body ?? '{}') as { prompt?: string }).prompt ?? '';
        return prompt.endsWith('e2e batch') ? [prompt] : [];
      });

    // Open the batch file as a user does (Quick Open) and wait for its lenses.
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input.input').first().fill('site.images.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'site.images.yaml' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    // A lens with a command is a link; a status lens (no command) is plain text in the same line.
    const lens = (text: string | RegExp) => page.locator('.codelens-decoration a', { hasText: text });
    const lensLine = (text: string | RegExp) => page.locator('.codelens-decoration', { hasText: text });
    await lens(/Run Image Batch \(3 to make, 0 up to date\)/).first().waitFor({ timeout: 60000 });
    assert.equal(await lensLine('missing').count(), 3, 'each entry says it is missing');
    assert.equal(await lens('Generate').count(), 3, 'each entry offers Generate');
    await context.screenshot('lenses-missing');

    // Slow answers, so the progress can be seen; then run the whole file from its CodeLens.
    await fakes.control('openai', { options: { latencyMs: 2500 } });
    await lens('Run Image Batch').first().click();
    // OpenAI entries: the run asks how (now, or the Batch API at half price); now.
    await pickItem(page, 'Now');
    const progress = toast(page, /Image batch site\.images\.yaml/);
    await progress.waitFor({ timeout: 20000 });
    await waitFor('the progress to count running entries', async () => ((await progress.innerText()).match(/\d+ running/) && !/0 running/.test(await progress.innerText()) ? true : undefined), 20000);
    await context.screenshot('progress');
    context.log(`progress: ${(await progress.innerText()).replace(/\s+/g, ' ')}`);

    const images = join(profile.workspace, 'images');
    const files = await waitForFiles(images, /\.png$/, expected.length, 60000);
    assert.deepEqual(files.map((file) => file.split('/').pop()).sort(), expected);
    // The sidecar follows its image.
    const sidecarPath = join(images, '.gpt-image', 'hero-2.png.json');
    await waitFor('the sidecar of hero-2.png', () => (existsSync(sidecarPath) ? true : undefined), 20000);
    const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as { request: { prompt: string; n: number }; index: number };
    assert.equal(sidecar.request.prompt, 'A watercolor harbour at dawn, e2e batch');
    assert.equal(sidecar.index, 2);
    assert.deepEqual((await prompts()).sort(), ['A long banner of waves, e2e batch', 'A paper boat app icon, e2e batch', 'A watercolor harbour at dawn, e2e batch'], 'one request per entry');
    await fakes.control('openai', { options: { latencyMs: 0 } });

    // The closing message opens the Studio, whose gallery shows the batch's images.
    const saved = toast(page, /Image batch: saved 4 images \(3 entries\)/);
    await saved.waitFor({ timeout: 30000 });
    await context.screenshot('saved');
    await saved.locator('a.monaco-button, .monaco-button', { hasText: 'Show in Studio' }).first().click();
    const studio = await studioFrame(page);
    const items = studio.locator('[data-testid="gallery-item"][data-kind="image"]');
    await waitFor('the four batch images in the gallery', async () => ((await items.count()) >= 4 ? true : undefined), 30000);
    const ids = await items.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-item-id') ?? ''));
    for (const name of expected) assert.ok(ids.some((id) => decodeURIComponent(id).endsWith(`/images/${name}`)), `${name} is in the gallery`);
    await waitFor('the gallery item to scroll into view', () => items.first().scrollIntoViewIfNeeded({ timeout: 5000 }).then(() => true), 20000);
    await waitFor('a gallery thumbnail to load', () => items.first().locator('img').first().evaluate((img) => {
      const image = img as unknown as { readonly complete: boolean; readonly naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    }).then((loaded) => (loaded ? true : undefined)), 20000);
    await context.screenshot('gallery');

    // Back in the batch file (its own tab, not a second editor of it beside the Studio), every
    // entry now says "made"; a second run sends nothing.
    await page.locator('.tabs-container .tab', { hasText: 'site.images.yaml' }).first().click();
    await lens(/Run Image Batch \(0 to make, 3 up to date\)/).first().waitFor({ timeout: 30000 });
    assert.equal(await lensLine('made').count(), 3, 'each entry says it is made');
    await context.screenshot('lenses-made');
    await lens('Run Image Batch').first().click();
    await toast(page, /everything is up to date; nothing was sent/).waitFor({ timeout: 20000 });
    assert.equal((await prompts()).length, 3, 'the second run sent nothing');
  },
};
