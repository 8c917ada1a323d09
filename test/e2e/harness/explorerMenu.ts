import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { ScenarioContext } from './scenario';

export interface ExplorerMenuOptions {
  /** What the item opens; without it, the menu closing counts as the item taken. */
  opened?: Locator;
  /** Called once the item is shown, before the first click (a screenshot of the menu, say). */
  onMenuShown?: () => Promise<void>;
}

/**
 * Runs an item of the Explorer's context menu on `row`, and returns when the click that was taken
 * happened (Date.now()). The first click on a freshly opened menu is often ignored, the item staying
 * highlighted (seen in every run of polish-generate-here): click again on the same menu. While it
 * settles, the menu can also be rebuilt under the pointer, the item detached again and again until the
 * click times out (seen once on a clean clone): then open the menu again.
 */
export async function explorerMenu(context: ScenarioContext, row: Locator, item: string, options: ExplorerMenuOptions = {}): Promise<number> {
  const { page } = context;
  await row.waitFor({ timeout: 20000 });
  const menuItem = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  let shown = false;
  for (let opening = 1; ; opening++) {
    assert.ok(opening <= 5, `the Explorer menu never ran ${item}`);
    await row.click({ button: 'right' });
    // A menu opened before the extension's contributions are registered lacks its items.
    if (!(await menuItem.waitFor({ timeout: 3000 }).then(() => true, () => false))) {
      await closeMenu(page);
      continue;
    }
    if (!shown) await options.onMenuShown?.();
    shown = true;
    for (let click = 1; click <= 3; click++) {
      const clickedAt = Date.now();
      const clicked = await menuItem.click({ timeout: 10000 }).then(() => true, (error: Error) => {
        context.log(`click ${click} on ${item} failed (${error.message.split('\n')[0]})`);
        return false;
      });
      if (!clicked) break;
      if (await wasTaken(menuItem, options.opened)) return clickedAt;
      context.log(`the menu ignored click ${click} on ${item}; clicking again`);
    }
    context.log(`opening the menu again for ${item}`);
    await closeMenu(page);
  }
}

async function wasTaken(menuItem: Locator, opened: Locator | undefined): Promise<boolean> {
  if (!opened) return menuItem.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false);
  if (await opened.waitFor({ timeout: 5000 }).then(() => true, () => false)) return true;
  if (await menuItem.isVisible()) return false;
  // The menu took the click and closed: whatever it opens is just slow.
  await opened.waitFor({ timeout: 20000 });
  return true;
}

async function closeMenu(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForTimeout(1000);
}
