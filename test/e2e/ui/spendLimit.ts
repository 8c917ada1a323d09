import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toast } from '../harness/browser';
import { providerNames } from '../harness/fakes';
import type { Scenario } from '../harness/scenario';
import { generateFromPalette } from './generateFlow';
import { e2eOpenAiKey } from './setApiKey';

/**
 * Issue 15 item 5: a daily spend limit in user settings stops a run whose estimate would pass it, before
 * anything is sent, and says what it would cost and what was spent. The cloned workspace's own, far
 * higher limit is ignored (user settings only), so it cannot lift the cap.
 */
export const spendLimitScenario: Scenario = {
  name: 'spend-limit',
  userSettings: { 'gptImage.spendLimit': { day: 0.005 } },
  prepareWorkspace: (workspace) => {
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'gptImage.spendLimit': { day: 1000 } }, null, 2));
  },
  run: async (context) => {
    const { page, profile, fakes } = context;
    // gpt-image-2 low at 1024x1024: about $0.006, over the $0.005 daily limit.
    await generateFromPalette(page, { prompt: 'A paper boat, e2e spend limit', provider: 'OpenAI', keyIfAsked: e2eOpenAiKey, size: '1024x1024', quality: 'low' });
    const refusal = toast(page, /daily limit/).first();
    await refusal.waitFor({ timeout: 30000 });
    const text = (await refusal.textContent()) ?? '';
    context.log(`refusal: ${text}`);
    assert.match(text, /would cost about \$0\.0060/);
    assert.match(text, /\$0\.0000 was already spent today/);
    assert.match(text, /\(gptImage\.spendLimit\.day\) is \$0\.0050; nothing was sent/);
    // The progress notification ends with the refusal: nothing is left running.
    await toast(page, /Generating with OpenAI/).first().waitFor({ state: 'detached', timeout: 15000 });
    // Expanded, as a user does to read the whole message (both figures and the limit).
    await refusal.hover();
    const expand = refusal.locator('.codicon-notifications-expand');
    if (await expand.isVisible()) await expand.click();
    await context.screenshot('refused');
    for (const name of providerNames) assert.deepEqual(await fakes.requests(name), [], `no request reached ${name}`);
    // The output folder is checked (and created) before the spend check; no image is in it.
    const images = join(profile.workspace, 'images');
    assert.deepEqual(existsSync(images) ? readdirSync(images).filter((name) => !name.startsWith('.')) : [], [], 'nothing was written');
  },
};
