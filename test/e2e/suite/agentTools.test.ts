import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

// Issue 14 in the real editor (code-server 4.139.1 = VS Code 1.139.1, user setting
// chat.disableAIFeatures: true): what vscode.lm exposes to an extension there, and the Copilot
// tools through vscode.lm.tools / vscode.lm.invokeTool where it does.

const extensionId = 'gpt-image-studio.gpt-image-studio';

/** invokeTool outside chat may wait on a modal confirmation nobody clicks here: bounded. */
function within<T>(promise: Thenable<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([Promise.resolve(promise), new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))]);
}

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

suite('agent tools (vscode.lm in the real extension host)', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
  });

  test('what vscode.lm exposes here', () => {
    const lm = vscode.lm as unknown as Record<string, unknown>;
    const names = vscode.lm.tools.map((tool) => tool.name);
    console.log(`agents: VS Code ${vscode.version}; lm.registerTool ${typeof lm.registerTool}, lm.invokeTool ${typeof lm.invokeTool}, lm.registerMcpServerDefinitionProvider ${typeof lm.registerMcpServerDefinitionProvider}, McpStdioServerDefinition ${typeof (vscode as unknown as Record<string, unknown>).McpStdioServerDefinition}`);
    console.log(`agents: lm.tools (${names.length}): ${names.join(', ')}`);
    assert.equal(typeof lm.registerTool, 'function');
    assert.equal(typeof lm.invokeTool, 'function');
  });

  test('invokeTool with arguments our checks refuse answers the sentence as a result, nothing sent', async () => {
    let outcome: string;
    try {
      const result = await within(
        vscode.lm.invokeTool('gptImage_generate', { input: { prompt: 'A fox', provider: 'apixo', model: 'gpt-image-1.5' }, toolInvocationToken: undefined }),
        15_000,
      );
      outcome = result === 'timeout' ? 'timeout' : textOf(result);
    } catch (error) {
      outcome = `threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
    console.log(`agents: invokeTool(refused input) -> ${outcome}`);
    assert.equal(outcome, 'Not sent (nothing was paid): Unknown model "gpt-image-1.5": the models of apixo are gpt-image-2.');
  });

  // In an extension-test run VS Code's DialogService answers every confirm() with "confirmed"
  // without showing it (skipDialogs: extensionTestsLocationURI is set), so the confirmation is
  // passed here; the UI scenario 9-copilot-tool shows and clicks the real one.
  test('a paid invokeTool passes the (test-mode) confirmation and, without a key, answers readably', async () => {
    let outcome: string;
    try {
      const result = await within(vscode.lm.invokeTool('gptImage_generate', { input: { prompt: 'A fox', size: '1024x1024', quality: 'low' }, toolInvocationToken: undefined }), 15_000);
      outcome = result === 'timeout' ? 'timeout' : textOf(result);
    } catch (error) {
      outcome = `threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
    console.log(`agents: invokeTool(paid input) -> ${outcome}`);
    assert.equal(outcome, 'Not sent (nothing was paid): No OpenAI API key is set: run "GPT Image: Set API Key…" and try again.');
  });

  test('paths outside the workspace folder are refused before anything is sent: .., absolute, a link out, out_dir', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const elsewhere = mkdtempSync(join(tmpdir(), 'gpt-image-agent-elsewhere-'));
    writeFileSync(join(elsewhere, 'private.png'), new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]));
    const link = join(folder.uri.fsPath, 'agent-linked-out');
    symlinkSync(elsewhere, link);
    try {
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['gptImage_edit', { prompt: 'x', images: ['../private.png'] }, /^Not sent \(nothing was paid\): Image \.\.\/private\.png is outside the workspace folder/],
        ['gptImage_edit', { prompt: 'x', images: [join(elsewhere, 'private.png')] }, /is outside the workspace folder/],
        ['gptImage_edit', { prompt: 'x', images: ['agent-linked-out/private.png'] }, /Image agent-linked-out\/private\.png is outside the workspace folder/],
        ['gptImage_generate', { prompt: 'x', out_dir: '../elsewhere' }, /out_dir "\.\.\/elsewhere" is outside the workspace folder/],
        ['gptImage_generate', { prompt: 'x', out_dir: 'agent-linked-out/new' }, /out_dir "agent-linked-out\/new" resolves to .* outside the workspace folder/],
      ];
      for (const [name, input, expected] of cases) {
        const result = await within(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }), 15_000);
        const text = result === 'timeout' ? 'timeout' : textOf(result);
        assert.match(text, expected, `${name} ${JSON.stringify(input)}`);
        assert.doesNotMatch(text, /No OpenAI API key/, 'refused for its path, before the key is even looked at');
      }
      assert.equal(existsSync(join(elsewhere, 'new')), false, 'nothing was created through the link');
    } finally {
      rmSync(link, { force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('VS Code as the MCP client: the provided gpt-image server starts, lists its four tools and answers list_jobs', async function () {
    this.timeout(150_000);
    // The extension's collection reaches VS Code's MCP registry a moment after activation, and
    // lm.tools learns the tools a moment after a start: start ('*' = every known server) until they show.
    const ours = (): vscode.LanguageModelToolInformation[] => vscode.lm.tools.filter((tool) => tool.name.startsWith('mcp_gpt-image_'));
    const started = Date.now();
    while (ours().length < 4 && Date.now() - started < 90_000) {
      await within(vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true }), 20_000);
      if (ours().length < 4) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    console.log(`agents: the MCP tools appeared after ${Date.now() - started} ms`);
    const mcpTools = ours();
    console.log(`agents: MCP tools in lm.tools: ${mcpTools.map((tool) => tool.name).join(', ')}`);
    assert.deepEqual(mcpTools.map((tool) => tool.name).sort(), ['mcp_gpt-image_edit_image', 'mcp_gpt-image_generate_image', 'mcp_gpt-image_list_jobs', 'mcp_gpt-image_resume_jobs']);
    assert.match(mcpTools.find((tool) => tool.name === 'mcp_gpt-image_generate_image')?.description ?? '', /Costs money/);
    const listed = await within(vscode.lm.invokeTool('mcp_gpt-image_list_jobs', { input: {}, toolInvocationToken: undefined }), 30_000);
    const text = listed === 'timeout' ? 'timeout' : textOf(listed);
    console.log(`agents: mcp_gpt-image_list_jobs -> ${text}`);
    // The server runs with the profile's XDG_STATE_HOME: a journal of its own, empty.
    assert.equal(text, 'the journal is empty.');
  });
});
