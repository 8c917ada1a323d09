import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { runCommand } from '../harness/browser';
import { listFiles, pngSize, waitForFiles } from '../harness/files';
import { resultsDir } from '../harness/paths';
import { waitFor } from '../harness/processes';
import type { Scenario, ScenarioContext } from '../harness/scenario';
import { setOpenAiKey } from './setApiKey';
import { setKeyFromPanel, switchTheme } from './studio';
import { openStudioTimed, studioFrame } from './studioPage';

const prompt = 'A glass greenhouse in the snow, e2e compare';
const gravitexKey = 'sk-test-gravitex-e2e-key-91d3aa';

/**
 * Issue 13: one prompt on two providers at once ("Compare on…", one job each), shown side by side
 * with each one's time, cost and actual size. The Gravitex key is set from the palette while the
 * panel is open: the panel shows it (SecretStorage.onDidChange). Then the main view in dark, light
 * and high-contrast themes (studio-theme-*.png).
 */
export const studioCompareScenario: Scenario = {
  name: 'studio-compare',
  userSettings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  run: async (context) => {
    const { page, profile, fakes } = context;
    await page.setViewportSize({ width: 1600, height: 1000 });
    await openStudioTimed(page);
    let studio = await studioFrame(page);
    await setKeyFromPanel(page, studio);
    await setOpenAiKey(context, gravitexKey, 'Gravitex');
    studio = await studioFrame(page);
    await studio.locator('[data-testid="provider"] option[value="gravitex"]', { hasText: 'key set' }).waitFor({ state: 'attached', timeout: 15000 });

    await studio.locator('[data-testid="prompt"]').fill(prompt);
    await studio.locator('[data-testid="size"]').selectOption('1024x1024');
    await studio.locator('[data-testid="quality"]').selectOption('low');
    await studio.locator('[data-testid="compare-open"]').click();
    const chooser = studio.locator('[data-testid="compare-chooser"]');
    await chooser.waitFor({ timeout: 5000 });
    assert.equal(await chooser.locator('[data-target="openai/gpt-image-2"]').isChecked(), true, 'the current row is ticked');
    assert.match((await studio.locator('[data-testid="compare-problems"]').textContent()) ?? '', /at least two/, 'one row is not a compare');
    assert.equal(await studio.locator('[data-testid="compare-run"]').isDisabled(), true);
    await chooser.locator('[data-target="gravitex/gpt-image-2"]').check();
    assert.match((await studio.locator('[data-testid="compare-estimate"]').textContent()) ?? '', /^Estimated cost of the compare: about \$[\d.]+ plus Gravitex \(no published price\)\.$/, 'what the compare may cost, before it is sent');
    assert.equal((await fakes.requests('openai')).length + (await fakes.requests('gravitex')).length, 0, 'nothing sent before Run compare');
    await studio.locator('[data-testid="compare-run"]', { hasText: 'Run compare (2 jobs)' }).click();

    const cells = studio.locator('[data-testid="compare-cell"]');
    await waitFor('both rows saved', async () => ((await studio.locator('[data-testid="compare-cell"][data-phase="saved"] [data-testid="compare-facts"]').count()) === 2 ? true : undefined), 90000);
    assert.deepEqual(await cells.evaluateAll((items) => items.map((item) => (item as unknown as { getAttribute(name: string): string | null }).getAttribute('data-target'))), ['openai/gpt-image-2', 'gravitex/gpt-image-2'], 'side by side, in the order chosen');
    for (const target of ['openai/gpt-image-2', 'gravitex/gpt-image-2']) {
      const facts = ((await studio.locator(`[data-testid="compare-cell"][data-target="${target}"] [data-testid="compare-facts"]`).innerText()) ?? '').replace(/\s+/g, ' ');
      context.log(`${target}: ${facts}`);
      assert.match(facts, /Time (\d+\.\d s|\d+:\d\d)/, `${target} shows its time`);
      assert.match(facts, /Cost (about \$[\d.]+|unknown)/, `${target} shows its cost`);
      // The fake draws at a quarter of the size asked for: the actual size, not the requested one.
      assert.match(facts, /Size 256x256/, `${target} shows the actual size`);
    }
    const openai = await fakes.requests('openai');
    const gravitex = await fakes.requests('gravitex');
    assert.equal(openai.length, 1, 'one OpenAI job');
    assert.equal(gravitex.length, 1, 'one Gravitex job');
    for (const request of [...openai, ...gravitex]) assert.equal((JSON.parse(request.body || '{}') as { prompt?: string }).prompt, prompt, 'the same prompt');
    assert.equal(gravitex[0]?.headers.authorization, `Bearer ${gravitexKey}`, 'each with its own key');
    const files = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 2, 30000);
    assert.ok(files.every((file) => pngSize(readFileSync(file))), 'both images saved');
    await studio.locator('[data-testid="compare-close"]').click();
    await studio.evaluate('window.scrollTo(0, 0)');
    await context.screenshot('side-by-side');

    // The main view in each kind of theme.
    await themeShot(context, studio, 'dark');
    await switchTheme(context, 'Default Light Modern');
    await themeShot(context, await studioFrame(page), 'light');
    await switchTheme(context, 'Default High Contrast', 'Dark High Contrast');
    await themeShot(context, await studioFrame(page), 'hc');
    // Windows' forced colours (system colours replace the theme's): borders and focus stay visible.
    await page.emulateMedia({ forcedColors: 'active' });
    const forced = await studioFrame(page);
    assert.equal(await forced.evaluate("matchMedia('(forced-colors: active)').matches"), true, 'the page sees forced colours');
    await themeShot(context, forced, 'forced-colors');
    await page.emulateMedia({ forcedColors: 'none' });

    // Nothing the page rendered was blocked by its CSP (no inline style or script crept in).
    const blocked = listFiles(join(profile.userDataDir, 'logs')).flatMap((path) => readFileSync(path, 'utf8').split('\n')).filter((line) => line.includes('CSP blocked'));
    assert.deepEqual(blocked, [], 'the CSP blocked nothing');
  },
};

/** The Studio panel alone, scrolled to the top, no notification over it: test-results/e2e/studio-theme-<kind>.png. */
async function themeShot(context: ScenarioContext, studio: Frame, kind: string): Promise<void> {
  await runCommand(context.page, 'Notifications: Clear All Notifications');
  await studio.evaluate('window.scrollTo(0, 0)');
  mkdirSync(resultsDir, { recursive: true });
  await (await studio.frameElement()).screenshot({ path: join(resultsDir, `studio-theme-${kind}.png`) });
}
