import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, screenshot, waitForWorkbench } from './browser';
import type { Browser } from './browser';
import { installVsix, startCodeServer } from './codeServer';
import type { CodeServer } from './codeServer';
import { fakeSettings } from './fakes';
import type { Fakes } from './fakes';
import { installLanguagePack } from './languagePack';
import { resultsDir, vsixPath } from './paths';
import { baseUserSettings, createProfile } from './profile';
import type { Scenario, ScenarioContext } from './scenario';

/**
 * Runs one scenario as a brand-new user: fresh profile, the packaged .vsix installed, fresh fakes
 * state, a fresh browser profile. Saves a screenshot whether it passes or fails. Returns pass/fail.
 */
export async function runScenario(scenario: Scenario, fakes: Fakes): Promise<boolean> {
  const started = Date.now();
  console.log(`\n[ui] ${scenario.name}`);
  const profile = createProfile(scenario.name, { ...baseUserSettings(), ...fakeSettings(fakes), ...scenario.userSettings });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let ok = false;
  const logFile = join(resultsDir, `${scenario.name}.log`);
  mkdirSync(resultsDir, { recursive: true });
  const log = (message: string): void => {
    console.log(`  ${message}`);
    appendFileSync(logFile, `${message}\n`);
  };
  try {
    await fakes.reset();
    await scenario.prepareWorkspace?.(profile.workspace, fakes);
    await installVsix(profile, vsixPath);
    if (scenario.locale !== undefined) await installLanguagePack(profile, scenario.locale);
    server = await startCodeServer(profile, {}, undefined, scenario.locale === undefined ? [] : ['--locale', scenario.locale]);
    browser = await launchBrowser(profile.chromeProfile, profile.env);
    const page = browser.page;
    page.on('pageerror', (error) => appendFileSync(logFile, `pageerror: ${error.message}\n`));
    await page.goto(server.workbenchUrl);
    await waitForWorkbench(page);
    const context: ScenarioContext = {
      page,
      profile,
      server,
      fakes,
      screenshot: (label) => screenshot(page, `${scenario.name}-${label}`),
      reload: async () => {
        await page.reload();
        await waitForWorkbench(page);
      },
      log,
    };
    await scenario.run(context);
    ok = true;
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`FAILED: ${text}`);
  } finally {
    if (browser) {
      await screenshot(browser.page, `${scenario.name}-${ok ? 'final' : 'failure'}`).catch(() => undefined);
      await browser.close().catch(() => undefined);
    }
    await server?.stop();
    profile.dispose();
  }
  console.log(`[ui] ${scenario.name}: ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s (profile: ${profile.dir})`);
  return ok;
}
