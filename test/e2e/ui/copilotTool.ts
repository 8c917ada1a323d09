import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { injectDevelopmentOptions, runCommand } from '../harness/browser';
import { waitForFiles } from '../harness/files';
import { repoRoot } from '../harness/paths';
import { waitFor } from '../harness/processes';
import type { Scenario, ScenarioContext } from '../harness/scenario';
import { setOpenAiKey } from './setApiKey';

/** The test-only extension that plays the agent (test/e2e/agentDriver: there is no chat here). */
const driverPath = join(repoRoot, 'test', 'e2e', 'agentDriver');

async function invoke(context: ScenarioContext, tool: string, input: Record<string, unknown>): Promise<void> {
  rmSync(join(context.profile.workspace, '.agent-result.txt'), { force: true });
  writeFileSync(join(context.profile.workspace, '.agent-input.json'), JSON.stringify({ tool, input }));
  await runCommand(context.page, 'E2E Agent Driver: Invoke Tool');
}

async function result(context: ScenarioContext): Promise<string> {
  const file = join(context.profile.workspace, '.agent-result.txt');
  return waitFor('the driver\'s .agent-result.txt', () => (existsSync(file) ? readFileSync(file, 'utf8') : undefined), 60000);
}

/**
 * Scenario 9: the Copilot tool as an agent calls it (vscode.lm.invokeTool outside chat): the real
 * confirmation dialog shows provider, model, size, quality, n and the cost estimate before anything
 * is sent; "Cancel" sends nothing; "Continue" runs the job and answers with workspace paths.
 */
export const copilotToolScenario: Scenario = {
  name: '9-copilot-tool',
  run: async (context) => {
    const { page, fakes, profile } = context;
    await setOpenAiKey(context);
    // The driver loads as an extension under development, without a tests module: dialogs are real.
    await injectDevelopmentOptions(page, context.server.origin, driverPath, undefined);
    await context.reload();

    const input = { prompt: 'A lighthouse at dusk, drawn by an agent', size: '1024x1024', quality: 'low' };
    await invoke(context, 'gptImage_generate', input);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30000 });
    const shown = (await dialog.innerText()).replace(/\s+/g, ' ');
    await context.screenshot('confirmation');
    context.log(`confirmation: ${shown}`);
    for (const fact of ['Generate an image with OpenAI (paid)', 'Provider: OpenAI', 'Model: gpt-image-2', 'Size: 1024x1024', 'Quality: low', 'Images (n): 1', 'Estimated cost: about $']) {
      assert.ok(shown.includes(fact), `the confirmation shows "${fact}"`);
    }
    assert.deepEqual(await fakes.requests('openai'), [], 'nothing is sent while the confirmation is open');

    // Cancel: VS Code throws CancellationError to the caller; nothing is sent.
    await dialog.locator('.monaco-button', { hasText: /Cancel/ }).first().click();
    assert.match(await result(context), /^threw: .*Cancel/i);
    assert.deepEqual(await fakes.requests('openai'), []);

    // Again, and confirm: the job runs and the agent reads workspace-relative paths and image links.
    await invoke(context, 'gptImage_generate', input);
    await dialog.waitFor({ timeout: 30000 });
    const buttons = await dialog.locator('.monaco-button').allInnerTexts();
    context.log(`dialog buttons: ${buttons.join(' | ')}`);
    await dialog.locator('.monaco-button', { hasText: /^Yes$/ }).click();
    const text = await result(context);
    context.log(`tool result: ${text}`);
    const [file] = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 1, 60000);
    assert.ok(file);
    assert.match(text, /^Wrote 1 image:\n- images\/[^\n]+\.png\n {2}!\[images\/[^\]]+\.png\]\(images\/[^)]+\.png\)$/);
    assert.equal((await fakes.requests('openai')).length, 1, 'one paid request');
    assert.doesNotMatch(text, /iVBORw0KGgo|data:image/, 'no image data in the result');
    await context.screenshot('after');
  },
};
