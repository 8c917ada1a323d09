import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { pickItem, quickInput, runCommand } from '../harness/browser';
import { filesContaining, listFiles, pngSize, waitForFiles } from '../harness/files';
import { resultsDir } from '../harness/paths';
import { waitFor } from '../harness/processes';
import { assertSavedExactlyServed } from '../harness/fakes';
import type { Scenario, ScenarioContext } from '../harness/scenario';
import { e2eOpenAiKey } from './setApiKey';
import { openStudioTimed, persistedIn, studioFrame, studioIsOpen } from './studioPage';
import type { StudioOpenTiming } from './studioPage';

const prompt = 'A lighthouse on a cliff at dawn, e2e scenario five';
// Plain words only: it is searched for verbatim in the workbench's stored state.
const laterPrompt = 'Studio state survives a window reload e2e five';
const dark = 'Default Dark Modern';
const light = 'Default Light Modern';

/**
 * Scenario 5: a new user opens the Studio from the palette, sets the key from the panel, types a
 * prompt, picks size and quality, generates → the job is saved, the image is in the gallery and on
 * disk; "Insert Markdown" links it from the open notes.md; the panel is screenshotted in a dark and a
 * light theme; reopening and a window reload bring it back with its state. Times to interactive go to
 * test-results/e2e/studio-timing.json.
 */
export const studioScenario: Scenario = {
  name: '5-studio',
  // The empty secondary side bar (chat is off) would only narrow the panel in the screenshots.
  userSettings: { 'workbench.colorTheme': dark, 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  run: async (context) => {
    const { page, profile, fakes } = context;
    const images = join(profile.workspace, 'images');
    const notes = join(profile.workspace, 'notes.md');

    // A Markdown file is open first: it is where "Insert Markdown" goes.
    await openWorkspaceFile(page, 'notes.md');

    const firstOpen = await openStudioTimed(page);
    context.log(`time to interactive, first open (extension not yet active): ${firstOpen.interactiveMs} ms`);
    let studio = await studioFrame(page);
    await setKeyFromPanel(page, studio);

    // The form: prompt, a non-default size, low quality; the estimate is shown before anything is paid.
    await studio.locator('[data-testid="prompt"]').fill(prompt);
    await studio.locator('[data-testid="size"]').selectOption('1536x1024');
    await studio.locator('[data-testid="quality"]').selectOption('low');
    const estimate = (await studio.locator('[data-testid="cost-estimate"]').textContent()) ?? '';
    assert.match(estimate, /\$|unknown/i, 'a cost estimate is shown before generating');
    assert.equal((await fakes.requests('openai')).length, 0, 'nothing was sent before Generate');
    await studio.locator('[data-testid="generate"]').click();

    await studio.locator('[data-testid="job"][data-phase="saved"]').first().waitFor({ timeout: 60000 });
    const [file, ...others] = await waitForFiles(images, /\.png$/, 1, 30000);
    assert.ok(file);
    assert.deepEqual(others, [], 'one image saved');
    const bytes = readFileSync(file);
    // The fake draws at a quarter of the requested size.
    assert.deepEqual(pngSize(bytes), { width: 384, height: 256 }, 'a valid PNG of the size the fake drew');
    await assertSavedExactlyServed(fakes, 'openai', bytes);
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 1, 'one request to OpenAI');
    assert.match(requests[0]?.url ?? '', /\/v1\/images\/generations$/);
    assert.equal(requests[0]?.headers.authorization, `Bearer ${e2eOpenAiKey}`);
    const body = JSON.parse(requests[0]?.body ?? '{}') as Record<string, unknown>;
    assert.equal(body.prompt, prompt);
    assert.equal(body.model, 'gpt-image-2');
    assert.equal(body.size, '1536x1024', 'the size chosen in the form');
    assert.equal(body.quality, 'low', 'the quality chosen in the form');

    // The gallery shows the new image, with a thumbnail the webview really loaded.
    const item = studio.locator('[data-testid="gallery-item"][data-kind="image"]').first();
    await item.waitFor({ timeout: 20000 });
    const itemId = (await item.getAttribute('data-item-id')) ?? '';
    assert.equal(decodeURIComponent(new URL(itemId).pathname), file, 'the gallery item is the saved file');
    assert.match((await item.textContent()) ?? '', /lighthouse on a cliff/, 'the gallery item shows its prompt');
    context.log(`job: ${(await studio.locator('[data-testid="job"]').first().innerText()).replace(/\s+/g, ' ')}`);
    // Thumbnails load lazily: scrolled into view, the webview fetches it through asWebviewUri.
    // Retried: a card re-rendered while scrolling (e.g. the panel shown again) detaches the old element.
    await waitFor('the gallery item to scroll into view', () => item.scrollIntoViewIfNeeded({ timeout: 5000 }).then(() => true), 20000);
    await waitFor('the gallery thumbnail to load', () => item.locator('img').first().evaluate((img) => {
      // Runs in the page (no DOM types here): an <img> that has loaded real pixels.
      const image = img as unknown as { readonly complete: boolean; readonly naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    }).then((loaded) => (loaded ? true : undefined)), 20000);
    await panelScreenshots(context, studio, 'dark');

    // Insert as Markdown into notes.md (from the card's one menu), save, and follow the link from the file on disk.
    await item.locator('[data-testid="card-menu"]').click();
    await item.locator('[data-testid="action-insert-markdown"]').click();
    await studio.locator('[data-testid="status"]', { hasText: 'Inserted into notes.md' }).waitFor({ timeout: 15000 });
    await runCommand(page, 'File: Save All Files');
    const markdown = await waitFor('the link in notes.md on disk', () => {
      const match = /!\[([^\]]*)\]\(([^)]+)\)/.exec(readFileSync(notes, 'utf8'));
      return match ?? undefined;
    }, 20000);
    const [, alt, target] = markdown;
    context.log(`notes.md now links ${markdown[0]}`);
    assert.equal(alt, prompt, 'the alt text is the prompt');
    assert.ok(!/^([a-z-]+:|\/)/i.test(target ?? ''), `the link is relative (${target})`);
    assert.equal(resolve(dirname(notes), decodeURIComponent(target ?? '')), file, 'the link resolves to the generated image');
    assert.ok(readFileSync(notes, 'utf8').includes('# Notes'), 'the rest of notes.md is untouched');
    assert.match(readFileSync(notes, 'utf8'), /^# Notes$/m, 'the heading stays a heading: the image is a block of its own');

    // The same panel in a light theme.
    await switchTheme(context, light);
    studio = await studioFrame(page);
    await studio.locator('body.vscode-light').waitFor({ timeout: 20000 });
    await panelScreenshots(context, studio, 'light');
    await switchTheme(context, dark);

    // Close the panel and open it again: the time to interactive with the extension running.
    await closeStudio(page);
    const secondOpen = await openStudioTimed(page);
    context.log(`time to interactive, second open: ${secondOpen.interactiveMs} ms`);
    studio = await studioFrame(page);
    await studio.locator('[data-testid="gallery-item"][data-kind="image"]').first().waitFor({ timeout: 20000 });

    // Reload the window: the panel comes back with what the user had typed and chosen. (A panel the
    // user closed starts afresh, so this is set on the reopened one.)
    await studio.locator('[data-testid="prompt"]').fill(laterPrompt);
    await studio.locator('[data-testid="size"]').selectOption('1024x1536');
    await studio.locator('[data-testid="quality"]').selectOption('high');
    // No event says "the workbench stored the webview state": look for it where it is stored.
    const storedIn = await waitFor('the workbench to store the Studio state', async () => ((await persistedIn(page, laterPrompt)) || undefined), 30000, 250);
    context.log(`the Studio state was stored in ${storedIn}`);
    await context.reload();
    studio = await studioFrame(page, 60000);
    await studio.locator('[data-testid="generate"]').waitFor({ timeout: 60000 });
    assert.equal(await studio.locator('[data-testid="prompt"]').inputValue(), laterPrompt, 'the prompt survived the reload');
    assert.equal(await studio.locator('[data-testid="quality"]').inputValue(), 'high', 'the quality survived the reload');
    assert.equal(await studio.locator('[data-testid="size"]').inputValue(), '1024x1536', 'the size survived the reload');
    await studio.locator('[data-testid="gallery-item"][data-kind="image"]').first().waitFor({ timeout: 20000 });
    await context.screenshot('after-reload');

    assert.equal((await fakes.requests('openai')).length, 1, 'opening, inserting and reloading sent no further request');
    const leaks = [...filesContaining(profile.userDataDir, e2eOpenAiKey), ...filesContaining(profile.workspace, e2eOpenAiKey)];
    assert.deepEqual(leaks, [], 'the API key was found in these files');
    recordTiming(context, firstOpen, secondOpen);
  },
};

/** Quick Open (Go to File), as a user opens a file by name; waits until it is the active editor. */
export async function openWorkspaceFile(page: Page, name: string): Promise<void> {
  await runCommand(page, 'Go to File');
  await quickInput(page).fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 15000 });
}

/** A new user has no key: the panel says so and its Set Key button asks for it in a password box. */
export async function setKeyFromPanel(page: Page, studio: Frame): Promise<void> {
  const status = studio.locator('[data-testid="key-status"]');
  await status.waitFor({ timeout: 15000 });
  if ((await status.textContent())?.trim() === 'Key set') return;
  assert.equal((await status.textContent())?.trim(), 'No key set');
  assert.ok(await studio.locator('[data-testid="generate"]').isVisible(), 'Generate is shown without a key');
  await studio.locator('[data-testid="set-key"]').click();
  const password = page.locator('.quick-input-widget input[type="password"]');
  await password.waitFor({ state: 'visible', timeout: 15000 });
  await password.fill(e2eOpenAiKey);
  await page.keyboard.press('Enter');
  await studio.locator('[data-testid="key-status"]', { hasText: /^Key set$/ }).waitFor({ timeout: 15000 });
}

/**
 * The whole window (the panel beside notes.md) and the Studio panel alone, from its top, in a window
 * tall enough to show the form, the job and the gallery together; no notification over it.
 */
async function panelScreenshots(context: ScenarioContext, studio: Frame, theme: string): Promise<void> {
  const { page } = context;
  const size = page.viewportSize();
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 10000 });
  await page.setViewportSize({ width: size?.width ?? 1400, height: 1500 });
  try {
    await studio.evaluate('window.scrollTo(0, 0)');
    await context.screenshot(theme);
    const panel = await studio.frameElement();
    mkdirSync(resultsDir, { recursive: true });
    await panel.screenshot({ path: join(resultsDir, `5-studio-panel-${theme}.png`) });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/**
 * Picks a color theme the way a user does (Preferences: Color Theme), which writes the user setting
 * workbench.colorTheme, and waits until the Studio page wears it (VS Code puts the theme kind on the
 * webview's body). Editing settings.json on disk is not picked up by code-server's workbench.
 */
export async function switchTheme(context: ScenarioContext, theme: string, label = theme.replace(/^Default /, '')): Promise<void> {
  const { page } = context;
  // Exactly this row: "Browse Color Themes in Marketplace" also contains the words (and is offline here).
  await page.keyboard.press('F1');
  await quickInput(page).fill('>Preferences: Color Theme');
  await pickItem(page, 'Preferences: Color Theme');
  await quickInput(page).waitFor({ state: 'visible' });
  await quickInput(page).fill(label);
  await pickItem(page, label);
  // The picker closes after the theme applies; the next palette command must not find it still open.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => page.keyboard.press('Escape'));
  const kind = /High Contrast/.test(theme) ? 'vscode-high-contrast' : theme === light ? 'vscode-light' : 'vscode-dark';
  await waitFor(`the Studio in ${theme}`, async () => ((await (await studioFrame(page)).locator(`body.${kind}`).count()) > 0 ? true : undefined), 30000, 100);
}

/** Closes the Studio's editor tab and waits until its page is gone. */
export async function closeStudio(page: Page): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: 'GPT Image Studio' }).first();
  await tab.click();
  await tab.locator('.tab-actions .action-label').first().click();
  await waitFor('the Studio to close', async () => ((await studioIsOpen(page)) ? undefined : true), 15000);
}

/** Console, the scenario log and test-results/e2e/studio-timing.json, with the host's own figures. */
function recordTiming(context: ScenarioContext, firstOpen: StudioOpenTiming, secondOpen: StudioOpenTiming): void {
  const hostLines = listFiles(join(context.profile.userDataDir, 'logs'))
    .flatMap((path) => readFileSync(path, 'utf8').split('\n'))
    .filter((line) => line.includes('Studio: page ready'))
    .map((line) => line.replace(/^.*Studio: /, 'Studio: '));
  const timing = {
    measured: 'from pressing Enter on "GPT Image: Open Studio" in the palette to the Generate button being visible',
    firstOpenMs: firstOpen.interactiveMs,
    secondOpenMs: secondOpen.interactiveMs,
    firstOpen: { ...firstOpen, note: 'a new user\'s first open: the extension activates, and VS Code\'s webview host frame waits for its service worker to install (first webview in this browser profile) before it loads the page' },
    secondOpen: { ...secondOpen, note: 'after closing the panel; the extension is running' },
    breakdown: 'ms after Enter: webviewFrameStarted = VS Code\'s webview host frame starts loading, pageStarted = the Studio page starts loading, pageDomContentLoaded = its script ran',
    hostLog: hostLines,
    at: new Date().toISOString(),
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'studio-timing.json'), `${JSON.stringify(timing, null, 2)}\n`);
  context.log(`time to interactive: first open ${firstOpen.interactiveMs} ms, second open ${secondOpen.interactiveMs} ms`);
  context.log(`breakdown (ms after Enter): first ${JSON.stringify(firstOpen)}, second ${JSON.stringify(secondOpen)}; host: ${hostLines.join(' | ')}`);
  context.log(`saved ${basename(join(resultsDir, 'studio-timing.json'))}`);
}
