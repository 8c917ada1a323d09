import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toast } from '../harness/browser';
import { filesContaining } from '../harness/files';
import { runCommand } from '../harness/browser';
import type { Scenario } from '../harness/scenario';
import { polishSettings } from './polishHelpers';
import { e2eOpenAiKey, setOpenAiKey } from './setApiKey';

/**
 * Check Setup against the fakes with APIXO failing: keys for OpenAI, Gravitex and APIXO (none for
 * Modellix). Only the free requests are sent (OpenAI's model list, APIXO's balance); Gravitex has
 * none and Modellix has no key, so neither is contacted. The summary names the failure; the log
 * has the details.
 */
export const polishCheckSetupScenario: Scenario = {
  name: 'polish-check-setup',
  userSettings: polishSettings,
  run: async (context) => {
    const { page, fakes, profile } = context;
    const apixoKey = 'sk-test-apixo-e2e-key-9d3f';
    await setOpenAiKey(context);
    await setOpenAiKey(context, 'sk-test-gravitex-e2e-key-71a2', 'Gravitex');
    await setOpenAiKey(context, apixoKey, 'APIXO');
    await fakes.control('apixo', { faults: [{ on: 'balance', kind: 'status', status: 503, message: 'Service temporarily unavailable' }] });

    // Only the summary in the screenshots: the three "key is stored" toasts go first.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'GPT Image: Check Setup');
    const summary = toast(page, 'Check Setup:');
    await summary.waitFor({ timeout: 30000 });
    const text = (await summary.innerText()).replace(/\s+/g, ' ');
    context.log(`summary: ${text}`);
    assert.match(text, /APIXO failed; OpenAI answers; Gravitex: key stored, not contacted \(no free request\); the output folder images \(created on the first save\) is writable\. Details are in the log\./);
    await toast(page, 'checking setup').waitFor({ state: 'hidden', timeout: 15000 });
    await context.screenshot('summary');

    assert.deepEqual((await fakes.requests('openai')).map((request) => `${request.method} ${request.url}`), ['GET /v1/models']);
    assert.deepEqual((await fakes.requests('apixo')).map((request) => `${request.method} ${request.url}`), ['GET /api/v1/apikeys/current-balance']);
    assert.deepEqual(await fakes.requests('gravitex'), [], 'Gravitex has no free request: not contacted');
    assert.deepEqual(await fakes.requests('modellix'), [], 'Modellix has no key: not contacted');

    await summary.locator('.monaco-button', { hasText: 'Show Log' }).first().click();
    await page.locator('.output-view .view-line', { hasText: 'FAILED' }).first().waitFor({ timeout: 15000 });
    await context.screenshot('log');
    const logs = `${profile.userDataDir}/logs`;
    const lines = filesContaining(logs, 'APIXO: key stored; base URL');
    assert.ok(lines.length > 0, 'the details are in the extension log');
    for (const key of [e2eOpenAiKey, apixoKey]) assert.deepEqual(filesContaining(profile.userDataDir, key), [], 'no key in any file');
    assert.equal(existsSync(join(profile.workspace, 'images')), false, 'a check creates no folder');
  },
};
