import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, toast, webviewFrame } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import type { Scenario } from '../harness/scenario';

const locale = 'zh-cn';

function readJson(file: string): Record<string, string> {
  const path = join(repoRoot, file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

/** The palette's words for an English manifest string: its package.nls translation when there is one. */
function manifestText(english: string): string {
  const base = readJson('package.nls.json');
  const translated = readJson(`package.nls.${locale}.json`);
  const key = Object.keys(base).find((candidate) => base[candidate] === english);
  return (key !== undefined ? translated[key] : undefined) ?? english;
}

/**
 * The editor in Simplified Chinese: a host notification (vscode.l10n.t) and the Studio page (the
 * bundle sent in `init`) speak the extension's l10n/bundle.l10n.zh-cn.json.
 */
export const l10nStudioScenario: Scenario = {
  name: 'l10n-zh-cn-studio',
  locale,
  run: async (context) => {
    const { page } = context;
    const zh = readJson(`l10n/bundle.l10n.${locale}.json`);
    const text = (english: string): string => {
      const translated = zh[english];
      assert.ok(translated !== undefined, `no ${locale} text for "${english}"`);
      return translated;
    };
    const command = (title: string): string => `${manifestText('GPT Image')}: ${manifestText(title)}`;

    await runCommand(page, command('Show Jobs'));
    const noJobs = toast(page, text('No GPT Image jobs yet. Run "GPT Image: Generate Image…" to start one.'));
    await noJobs.waitFor({ timeout: 30000 });
    context.log(`host: ${(await noJobs.innerText()).replace(/\s+/g, ' ')}`);

    await runCommand(page, command('Open Studio'));
    const frame = webviewFrame(page);
    const generate = frame.locator('[data-testid="generate"]');
    await generate.waitFor({ timeout: 60000 });
    assert.equal((await generate.innerText()).trim(), text('Generate'));
    assert.equal((await frame.locator('label[for="provider"]').innerText()).trim(), text('Provider'));
    assert.equal((await frame.locator('[data-testid="key-status"]').innerText()).trim(), text('No key set'));
    await frame.locator('.hint', { hasText: text('No {0} key is set: use "Set key…" first.').replace('{0}', 'OpenAI') }).waitFor({ timeout: 10000 });
    context.log(`page: ${(await frame.locator('[data-testid="form"]').innerText()).replace(/\s+/g, ' ').slice(0, 200)}`);
    await context.screenshot('studio');
  },
};
