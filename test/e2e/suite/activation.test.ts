import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'gpt-image-studio.gpt-image-studio';

interface ContributedCommand {
  readonly command: string;
  readonly title: string;
}

suite('activation (the installed .vsix in a real extension host)', () => {
  test('the extension is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    console.log(`VS Code ${vscode.version}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, remote ${vscode.env.remoteName ?? 'none'}`);
  });

  test('every command in package.json is registered after activation', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    const contributed = (extension.packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands.map((entry) => entry.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  test('activation is lazy: nothing activates the extension at startup', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    const events = (extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `activationEvents: ${events.join(', ')}`);
  });
});
