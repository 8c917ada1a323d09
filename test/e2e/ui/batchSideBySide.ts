import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { pickItem, runCommand, toast } from '../harness/browser';
import { listFiles, pngSize, waitForFiles } from '../harness/files';
import { resultsDir } from '../harness/paths';
import { waitFor } from '../harness/processes';
import type { Scenario, ScenarioContext } from '../harness/scenario';
import { setOpenAiKey } from './setApiKey';
import { switchTheme } from './studio';
import { openStudioTimed, studioFrame } from './studioPage';

const batchFile = `# One mascot from three providers, to pick from; the icon from one.
defaults: { provider: openai, size: 1024x1024, quality: low }
images:
  - name: mascot
    prompt: A friendly otter mascot, sticker style, e2e side by side
    providers: [openai, modellix, gravitex]
  - name: icon
    prompt: A paper boat app icon, e2e side by side
`;

const mascotFiles = ['mascot-gravitex.png', 'mascot-modellix.png', 'mascot-openai.png'];

/**
 * Issue 15: a batch entry made by several providers is one side-by-side group in the Studio's
 * gallery (entry name as heading, a column per provider with time, cost and actual size), while a
 * one-provider entry stays a card. The Studio is open beside the batch file while Run Image Batch
 * runs from the CodeLens: the gallery shows the results without any click. Each image is reached
 * with Tab, opens the large preview, and ← → move between the group's images. Dark and light.
 */
export const batchSideBySideScenario: Scenario = {
  name: 'batch-side-by-side',
  userSettings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  prepareWorkspace: (workspace) => {
    writeFileSync(join(workspace, 'mascots.images.yaml'), batchFile);
  },
  run: async (context) => {
    const { page, profile, fakes } = context;
    await page.setViewportSize({ width: 1600, height: 1000 });
    await setOpenAiKey(context);
    await setOpenAiKey(context, 'sk-test-gravitex-e2e-sbs-5c1e', 'Gravitex');
    await setOpenAiKey(context, 'sk-test-modellix-e2e-sbs-77ab', 'Modellix');

    // The batch file, then the Studio beside it (it opens beside an active editor).
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input.input').first().fill('mascots.images.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'mascots.images.yaml' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    const lens = (text: string | RegExp) => page.locator('.codelens-decoration a', { hasText: text });
    await lens(/Run Image Batch \(4 to make, 0 up to date\)/).first().waitFor({ timeout: 60000 });
    await openStudioTimed(page);
    let studio = await studioFrame(page);
    await studio.locator('[data-testid="gallery-status"]', { hasText: 'No images yet' }).waitFor({ timeout: 30000 });

    // Run the whole file from its CodeLens; the Studio stays open and is not touched.
    await lens('Run Image Batch').first().click();
    // OpenAI entries: the run asks how (now, or the Batch API at half price); now.
    await pickItem(page, 'Now');
    const images = join(profile.workspace, 'images');
    await waitForFiles(images, /\.png$/, 4, 90000);
    for (const name of mascotFiles) {
      const sidecar = join(images, '.gpt-image', `${name}.json`);
      await waitFor(`the sidecar of ${name}`, () => (existsSync(sidecar) ? true : undefined), 30000);
      const recorded = JSON.parse(readFileSync(sidecar, 'utf8')) as { batch?: unknown };
      assert.deepEqual(recorded.batch, { file: 'mascots.images.yaml', entry: 'mascot' }, `${name} records its batch file and entry`);
    }
    await toast(page, /Image batch: saved 4 images/).waitFor({ timeout: 30000 });

    studio = await studioFrame(page);
    const group = studio.locator('[data-testid="gallery-group"][data-entry="mascot"]');
    await group.waitFor({ timeout: 30000 });
    const columns = group.locator('[data-testid="group-column"]');
    await waitFor('three provider columns', async () => ((await columns.count()) === 3 ? true : undefined), 30000);
    assert.deepEqual(await columns.evaluateAll((items) => items.map((item) => item.getAttribute('data-provider'))), ['openai', 'gravitex', 'modellix'], 'one column per provider');
    assert.equal((await group.locator('h3').innerText()).trim(), 'mascot', 'the entry name is the heading');
    for (const provider of ['openai', 'gravitex', 'modellix']) {
      const column = group.locator(`[data-testid="group-column"][data-provider="${provider}"]`);
      const heading = (await column.locator('h4').innerText()).trim();
      const facts = (await column.locator('[data-testid="group-facts"]').innerText()).replace(/\s+/g, ' ');
      context.log(`${heading}: ${facts}`);
      assert.match(heading, /^(OpenAI|Gravitex|Modellix) · gpt-image-2$/, `${provider}: provider and model`);
      assert.match(facts, /Time (\d+\.\d s|\d+:\d\d)/, `${provider} shows its time`);
      assert.match(facts, /Cost (about \$[\d.]+|unknown)/, `${provider} shows its cost`);
      // The fakes draw smaller than asked (256 or 128 for 1024): the actual size, as the file on disk has it.
      const actual = pngSize(readFileSync(join(images, `mascot-${provider}.png`)));
      assert.ok(actual && actual.width < 1024, `${provider}: the fake's own size`);
      assert.match(facts, new RegExp(`Size ${actual.width}x${actual.height}`), `${provider} shows the actual size`);
    }
    // The one-provider entry is an ordinary card; the mascot is not listed twice.
    const cards = studio.locator('[data-testid="gallery-item"][data-kind="image"]');
    const ids = await cards.evaluateAll((items) => items.map((item) => decodeURIComponent(item.getAttribute('data-item-id') ?? '')));
    assert.deepEqual(ids.map((id) => id.split('/').pop()), ['icon.png'], 'only the icon is a card');
    await waitFor('the group to scroll into view', () => group.scrollIntoViewIfNeeded({ timeout: 5000 }).then(() => true), 20000);
    await waitFor('the group thumbnails to load', () => group.locator('img').evaluateAll((items) => items.every((img) => {
      const image = img as unknown as { readonly complete: boolean; readonly naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    })).then((loaded) => (loaded ? true : undefined)), 30000);

    // Keyboard: Tab from the search field reaches the group's first image; Enter opens the preview,
    // → goes to the next provider's image, Escape returns to the image that opened it.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await studio.locator('[data-testid="history-search"]').focus();
    const focusedTestId = (): Promise<string> => studio.evaluate<string>('document.activeElement?.getAttribute("data-testid") ?? ""');
    const focusedLabel = (): Promise<string> => studio.evaluate<string>('document.activeElement?.getAttribute("aria-label") ?? ""');
    let tabs = 0;
    while ((await focusedTestId()) !== 'group-image' && tabs < 40) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    assert.equal(await focusedTestId(), 'group-image', 'Tab reaches the group');
    assert.match(await focusedLabel(), /^Preview: mascot by OpenAI \(mascot-openai\.png\)$/);
    await page.keyboard.press('ArrowRight');
    assert.match(await focusedLabel(), /by Gravitex/, '→ moves to the next image of the group');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    const caption = studio.locator('[data-testid="preview-caption"]');
    await caption.waitFor({ timeout: 10000 });
    assert.match(await caption.innerText(), /^mascot by OpenAI: A friendly otter mascot/);
    await context.screenshot('preview');
    await page.keyboard.press('ArrowRight');
    await waitFor('the Gravitex image in the preview', async () => (/^mascot by Gravitex:/.test(await caption.innerText()) ? true : undefined), 10000);
    await page.keyboard.press('ArrowRight');
    await waitFor('the Modellix image in the preview', async () => (/^mascot by Modellix:/.test(await caption.innerText()) ? true : undefined), 10000);
    await page.keyboard.press('Escape');
    await studio.locator('[data-testid="preview"]').waitFor({ state: 'detached', timeout: 10000 });
    assert.match(await focusedLabel(), /by OpenAI/, 'Escape returns to the image that opened the preview');

    // Each image keeps a card's actions.
    assert.equal(await group.locator('[data-testid="card-menu"]').count(), 3, 'one actions menu per image');
    await themeShot(context, studio, 'dark');
    await switchTheme(context, 'Default Light Modern');
    await themeShot(context, await studioFrame(page), 'light');

    // Nothing the page rendered was blocked by its CSP; one request per entry and provider.
    const blocked = listFiles(join(profile.userDataDir, 'logs')).flatMap((path) => readFileSync(path, 'utf8').split('\n')).filter((line) => line.includes('CSP blocked'));
    assert.deepEqual(blocked, [], 'the CSP blocked nothing');
    const prompts = async (name: 'openai' | 'gravitex' | 'modellix'): Promise<string[]> =>
      (await fakes.requests(name)).flatMap((request) => {
        const prompt = (JSON.parse(request.body || '{}') as { prompt?: string }).prompt ?? '';
        return prompt.endsWith('e2e side by side') ? [prompt] : [];
      });
    assert.equal((await prompts('openai')).length, 2, 'OpenAI: the mascot and the icon, once each');
    assert.equal((await prompts('gravitex')).length, 1, 'Gravitex: the mascot once');
    assert.equal((await prompts('modellix')).length, 1, 'Modellix: the mascot once');
  },
};

/** The Studio panel alone, at the gallery, no notification over it: test-results/e2e/batch-side-by-side-<theme>.png. */
async function themeShot(context: ScenarioContext, studio: Frame, kind: string): Promise<void> {
  await runCommand(context.page, 'Notifications: Clear All Notifications');
  await studio.locator('[data-testid="gallery-group"]').first().evaluate((element) => (element as unknown as { scrollIntoView(options: unknown): void }).scrollIntoView({ block: 'center' }));
  mkdirSync(resultsDir, { recursive: true });
  await (await studio.frameElement()).screenshot({ path: join(resultsDir, `batch-side-by-side-${kind}.png`) });
}
