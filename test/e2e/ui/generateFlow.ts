import type { Page } from 'playwright-core';
import { answerInput, pickItem, quickInputTitle, runCommand } from '../harness/browser';

/** The choices a user makes in `GPT Image: Generate Image…` (labels as the quick picks show them). */
export interface GenerateChoices {
  readonly prompt: string;
  /** Provider label: OpenAI, Gravitex, Modellix, APIXO. */
  readonly provider: string;
  /** Typed into the password box when the provider has no key yet. */
  readonly keyIfAsked?: string;
  readonly size: string;
  /** Skipped when the provider has no quality choice; undefined accepts the preselected one if asked. */
  readonly quality?: string;
}

/** Walks the palette's multi-step generate input as a user would. */
export async function generateFromPalette(page: Page, choices: GenerateChoices): Promise<void> {
  await runCommand(page, 'GPT Image: Generate Image');
  await quickInputTitle(page).filter({ hasText: 'prompt' }).waitFor({ timeout: 20000 });
  await answerInput(page, choices.prompt);
  await quickInputTitle(page).filter({ hasText: 'provider' }).waitFor({ timeout: 15000 });
  await pickItem(page, choices.provider);
  const password = page.locator('.quick-input-widget input[type="password"]');
  const sizeTitle = quickInputTitle(page).filter({ hasText: 'size' });
  await Promise.race([password.waitFor({ state: 'visible', timeout: 15000 }), sizeTitle.waitFor({ timeout: 15000 })]);
  if (await password.isVisible()) {
    if (choices.keyIfAsked === undefined) throw new Error(`${choices.provider} asked for a key the scenario did not expect`);
    await password.fill(choices.keyIfAsked);
    await page.keyboard.press('Enter');
  }
  await sizeTitle.waitFor({ timeout: 15000 });
  await pickItem(page, choices.size);
  const qualityTitle = quickInputTitle(page).filter({ hasText: 'quality' });
  if (choices.quality !== undefined) {
    await qualityTitle.waitFor({ timeout: 15000 });
    await pickItem(page, choices.quality);
  } else if (await qualityTitle.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
    await page.keyboard.press('Enter');
  }
}
