import type { Page } from 'playwright-core';
import { answerInput, pickItem, quickInputTitle } from '../harness/browser';

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
