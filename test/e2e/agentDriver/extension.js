// Test-only driver for the 9-copilot-tool scenario: there is no chat in the test editor, so this
// extension plays the agent. It reads `.agent-input.json` ({ tool, input, startMcp? }) from the workspace,
// calls vscode.lm.invokeTool outside chat (VS Code then shows the tool's confirmation as a modal
// dialog), and writes what came back (or what was thrown) to `.agent-result.txt`.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS extension, loaded unbuilt
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('e2eAgentDriver.invoke', async () => {
      const folder = vscode.workspace.workspaceFolders[0].uri;
      const request = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.agent-input.json'))).toString('utf8'));
      let text;
      try {
        // An MCP tool (mcp_gpt-image_*) exists once VS Code started the server the extension provides.
        if (request.startMcp) await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
        const result = await vscode.lm.invokeTool(request.tool, { input: request.input, toolInvocationToken: undefined });
        text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : `[${part.constructor.name}]`)).join('');
      } catch (error) {
        text = `threw: ${error && error.name}: ${error && error.message}`;
      }
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, '.agent-result.txt'), Buffer.from(text, 'utf8'));
    }),
  );
}

module.exports = { activate };
