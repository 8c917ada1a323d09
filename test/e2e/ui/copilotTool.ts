import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { injectDevelopmentOptions, runCommand } from '../harness/browser';
import { filesContaining, waitForFiles } from '../harness/files';
import { repoRoot } from '../harness/paths';
import { waitFor } from '../harness/processes';
import type { Scenario, ScenarioContext } from '../harness/scenario';
import { e2eOpenAiKey, setOpenAiKey } from './setApiKey';

/** The test-only extension that plays the agent (test/e2e/agentDriver: there is no chat here). */
const driverPath = join(repoRoot, 'test', 'e2e', 'agentDriver');

async function invoke(context: ScenarioContext, tool: string, input: Record<string, unknown>): Promise<void> {
  rmSync(join(context.profile.workspace, '.agent-result.txt'), { force: true });
  writeFileSync(join(context.profile.workspace, '.agent-input.json'), JSON.stringify({ tool, input }));
  await runCommand(context.page, 'E2E Agent Driver: Invoke Tool');
}

async function result(context: ScenarioContext): Promise<string> {
  const file = join(context.profile.workspace, '.agent-result.txt');
  // Read until it has content: the driver's write can be seen half done (an empty file).
  return waitFor('the driver\'s .agent-result.txt', () => (existsSync(file) ? readFileSync(file, 'utf8') || undefined : undefined), 60000);
}

/**
 * Scenario 9: the Copilot tool as an agent calls it (vscode.lm.invokeTool outside chat): the real
 * confirmation dialog shows provider, model, size, quality, n and the cost estimate before anything
 * is sent; "Cancel" sends nothing; "Continue" runs the job and answers with workspace paths.
 */
export const copilotToolScenario: Scenario = {
  name: '9-copilot-tool',
  // The estimate uses the user's token price (default $30/M output): doubled, so the dialog must show it.
  userSettings: { 'gptImage.openaiPricing': { textInputPerMillion: 5, imageInputPerMillion: 8, imageOutputPerMillion: 60 } },
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
    for (const fact of ['Generate an image with OpenAI (paid)', 'Provider: OpenAI', 'Model: gpt-image-2', 'Size: 1024x1024', 'Quality: low', 'Images (n): 1', 'Estimated cost: about $0.012 (≈200 output tokens per image at $60/M']) {
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

    // Item 2: VS Code starts the bundled `gpt-image mcp` with the key from SecretStorage and the
    // user-level base URL (the fake's), in the workspace folder; its tool writes into images/.
    rmSync(join(profile.workspace, '.agent-result.txt'), { force: true });
    writeFileSync(join(profile.workspace, '.agent-input.json'), JSON.stringify({ tool: 'mcp_gpt-image_generate_image', input: { prompt: 'A comet, through MCP', size: '1024x1024', quality: 'low' }, startMcp: true }));
    await runCommand(page, 'E2E Agent Driver: Invoke Tool');
    const resultFile = join(profile.workspace, '.agent-result.txt');
    const mcpText = await waitFor(
      'the MCP tool result (answering VS Code\'s questions on the way)',
      async () => {
        if (existsSync(resultFile) && readFileSync(resultFile, 'utf8') !== '') return readFileSync(resultFile, 'utf8');
        const open = page.locator('.monaco-dialog-box');
        if ((await open.count()) > 0 && (await open.isVisible())) {
          context.log(`dialog: ${(await open.innerText()).replace(/\s+/g, ' ')}`);
          await context.screenshot('mcp-dialog');
          await open.locator('.monaco-button', { hasText: /^(Yes|Allow|Trust|Continue|Start|Run)/ }).first().click();
        }
        return undefined;
      },
      90000,
      500,
    );
    context.log(`MCP tool result: ${mcpText}`);
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 2, 'the MCP call sent one request');
    assert.equal(requests[1]?.headers.authorization, `Bearer ${e2eOpenAiKey}`, 'with the key from SecretStorage, at the user-level base URL');
    const written = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 2, 30000);
    assert.ok(written.some((path) => mcpText.includes(path.split('/').pop() ?? '\u0000')), 'the result names the file it wrote in the workspace');
    const leaks = [...filesContaining(profile.userDataDir, e2eOpenAiKey), ...filesContaining(profile.workspace, e2eOpenAiKey)];
    assert.deepEqual(leaks, [], 'the key is in no file (settings, cached MCP definitions, workspace)');

    // Issue 15: the server counted against the window's ledger (its global storage spend/, passed
    // as GPT_IMAGE_SPEND_LEDGER), not one beside its own journal: one ledger holds both jobs.
    const ledgers = foldersNamed(profile.userDataDir, 'spend');
    context.log(`spend ledgers under the user data folder: ${ledgers.join(', ')}`);
    assert.equal(ledgers.length, 1, 'one ledger, in global storage');
    const entries = readdirSync(ledgers[0] as string, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(ledgers[0] as string, name), 'utf8')) as { jobId: string; kind: string });
    context.log(`ledger entries: ${entries.map((entry) => `${entry.jobId} ${entry.kind}`).join(', ')}`);
    assert.equal(new Set(entries.map((entry) => entry.jobId)).size, 2, "the window's job and the server's job");
    assert.deepEqual(entries.map((entry) => entry.kind).sort(), ['actual', 'actual', 'estimate', 'estimate']);
    assert.equal(existsSync(join(profile.dir, 'xdg', 'state', 'gpt-image', 'spend')), false, 'no ledger beside the CLI journal');
  },
};

/** Folders called `name` under `root`, at any depth. */
function foldersNamed(root: string, name: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name === name)
    .map((entry) => join(entry.parentPath, entry.name));
}
