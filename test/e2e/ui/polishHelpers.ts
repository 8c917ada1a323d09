import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { answerInput, pickItem, quickInputTitle } from '../harness/browser';
import type { ScenarioContext } from '../harness/scenario';

/**
 * Clicks an item of the Explorer's context menu on `row`. The first click on a freshly opened menu is
 * often ignored (seen in scenario 4 and in every run of this one): click again on the same menu. While
 * the menu settles it can also be rebuilt under the pointer, the item detached again and again until the
 * click times out (seen once on a clean clone): then open the menu again.
 */
export async function explorerMenu(context: ScenarioContext, row: Locator, item: string, opened: Locator): Promise<void> {
  const { page } = context;
  await row.waitFor({ timeout: 20000 });
  const menuItem = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  for (let opening = 1; ; opening++) {
    assert.ok(opening <= 5, `the Explorer menu never ran ${item}`);
    await row.click({ button: 'right' });
    // A menu opened before the extension's contributions are registered lacks its items.
    if (!(await menuItem.waitFor({ timeout: 3000 }).then(() => true, () => false))) {
      await closeMenu(page);
      continue;
    }
    for (let click = 1; click <= 3; click++) {
      const clicked = await menuItem.click({ timeout: 10000 }).then(() => true, (error: Error) => {
        context.log(`click ${click} on ${item} failed (${error.message.split('\n')[0]})`);
        return false;
      });
      if (!clicked) break;
      if (await opened.waitFor({ timeout: 5000 }).then(() => true, () => false)) return;
      if (!(await menuItem.isVisible())) {
        // The menu took the click and closed: whatever it opens is just slow.
        await opened.waitFor({ timeout: 20000 });
        return;
      }
      context.log(`the menu ignored click ${click} on ${item}; clicking again`);
    }
    context.log(`opening the menu again for ${item}`);
    await closeMenu(page);
  }
}

async function closeMenu(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForTimeout(1000);
}

/** The rest of the generate questions after the prompt: provider (key if asked), size, quality. */
export async function answerAfterPrompt(page: Page, key: string): Promise<void> {
  await quickInputTitle(page).filter({ hasText: 'provider' }).waitFor({ timeout: 15000 });
  await pickItem(page, 'OpenAI');
  const password = page.locator('.quick-input-widget input[type="password"]');
  const sizeTitle = quickInputTitle(page).filter({ hasText: 'size' });
  await Promise.race([password.waitFor({ state: 'visible', timeout: 15000 }), sizeTitle.waitFor({ timeout: 15000 })]);
  if (await password.isVisible()) {
    await password.fill(key);
    await page.keyboard.press('Enter');
  }
  await sizeTitle.waitFor({ timeout: 15000 });
  await pickItem(page, '1024x1024');
  await quickInputTitle(page).filter({ hasText: 'quality' }).waitFor({ timeout: 15000 });
  await pickItem(page, 'low');
}

/** Settings of the polish scenarios: no empty secondary side bar taking a third of the screenshots. */
export const polishSettings: Record<string, unknown> = { 'workbench.secondarySideBar.defaultVisibility': 'hidden' };

/** Types the prompt into the open prompt box. */
export async function answerPrompt(page: Page, prompt: string): Promise<void> {
  await quickInputTitle(page).filter({ hasText: 'prompt' }).waitFor({ timeout: 20000 });
  await answerInput(page, prompt);
}

/**
 * The palette, with short waits and retries: after the walkthrough page had the focus, a palette
 * opened at once was seen closing again (inert, then hidden) before it could be typed into.
 */
export async function paletteCommand(page: Page, title: string, tries = 10): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input.input').first();
      await input.fill(`>${title}`, { timeout: 3000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 3000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (attempt >= tries) throw error;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
}
