import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, resultsDir } from './paths';

/** Debian's chromium driven by playwright-core (never `playwright install`: that downloads). */
export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(profileDir: string, env: NodeJS.ProcessEnv): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    env: env as Record<string, string>,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}

/**
 * Makes the workbench run an extension-tests module, as `--extensionTestsPath` does on desktop. The
 * built workbench ignores the URL payload, so the web configuration element's JSON is rewritten
 * after parsing and before workbench.js (a module script) reads it.
 */
export async function injectDevelopmentOptions(page: Page, serverOrigin: string, extensionPath: string, testsPath: string | undefined): Promise<void> {
  const authority = new URL(serverOrigin).host;
  const uri = (path: string): { scheme: string; authority: string; path: string } => ({ scheme: 'vscode-remote', authority, path });
  const development: Record<string, unknown> = { extensions: [uri(extensionPath)] };
  if (testsPath !== undefined) development.extensionTestsPath = uri(testsPath);
  // A string, not a function: this code runs in the page, and the project compiles without DOM types.
  await page.addInitScript(`(() => {
    const options = ${JSON.stringify(development)};
    if (window.top !== window) return;
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      const element = document.getElementById('vscode-workbench-web-configuration');
      const raw = element && element.getAttribute('data-settings');
      if (!raw) return;
      const configuration = JSON.parse(raw);
      configuration.developmentOptions = Object.assign({}, configuration.developmentOptions, options);
      element.setAttribute('data-settings', JSON.stringify(configuration));
    });
  })();`);
}

/** Waits until the workbench has rendered (status bar present). */
export async function waitForWorkbench(page: Page, timeoutMs = 60000): Promise<void> {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: timeoutMs });
}

/**
 * Runs a command from the palette by its title and returns when Enter was pressed on it (for
 * timings that should not count the typing). Retries: commands of an extension that registers
 * late are missing from an already open palette, which does not refresh.
 */
export async function runCommand(page: Page, title: string, tries = 20): Promise<number> {
  for (let attempt = 0; attempt < tries; attempt++) {
    await page.keyboard.press('F1');
    const input = quickInput(page);
    try {
      await input.waitFor({ state: 'visible' });
      // A quick pick that is still closing (a theme just chosen) can take the key press and then go
      // away: its input turns inert and hidden. Start again rather than wait on it.
      await input.fill(`>${title}`, { timeout: 5000 });
    } catch {
      await page.keyboard.press('Escape');
      continue;
    }
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 3000 });
    } catch {
      await page.keyboard.press('Escape');
      continue;
    }
    const pressedAt = Date.now();
    await page.keyboard.press('Enter');
    return pressedAt;
  }
  throw new Error(`command not in the palette: ${title}`);
}

/** The quick input's text box (palette, input boxes, quick picks). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input.input').first();
}

/** Types into the open quick input and accepts it. */
export async function answerInput(page: Page, text: string): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** Picks the quick-pick row whose label is exactly `label` (waits for it to be listed). */
export async function pickItem(page: Page, label: string, timeoutMs = 15000): Promise<void> {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const row = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
}

/** The quick input's title bar text (e.g. "Generate Image: size (OpenAI · gpt-image-2)"). */
export function quickInputTitle(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-title').first();
}

/** The validation / prompt message under the quick input's box. */
export function quickInputMessage(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-message').first();
}

/** A notification toast containing `text`. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notification-toast', { hasText: text }).first();
}

/** The inner document of the active webview panel. */
export function webviewFrame(page: Page): ReturnType<Page['frameLocator']> {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
