import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { commandIds, internalCommandIds } from '../../../src/commands/commands';
import { studioViewType } from '../../../src/webview/studioViewType';
import { installVscodeStub, makeExtensionContext } from '../../bench/activation/vscodeStub';

// out/test/unit/bench → the project's dist/, built by scripts/test.mjs before the tests run.
const activationBundle = resolve(__dirname, '../../../../dist/extension.js');

test('require("vscode") returns the stand-in, which records calls and is not a thenable', async () => {
  const stub = installVscodeStub();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vscode = require('vscode') as { commands: { registerCommand(id: string, handler: () => void): { dispose(): void } }; window: unknown };
  const disposable = vscode.commands.registerCommand('demo.command', () => undefined);
  disposable.dispose();
  assert.deepEqual(stub.calls[0], { path: 'commands.registerCommand', firstArg: 'demo.command' });
  // Awaiting a stand-in must resolve to it rather than hang.
  assert.equal(await Promise.resolve(vscode.window), vscode.window);
});

test('the real activation bundle registers every command and the Studio serializer against the stand-in', { skip: !existsSync(activationBundle) && 'dist/ not built' }, () => {
  const stub = installVscodeStub();
  const context = makeExtensionContext(resolve(activationBundle, '../..'), mkdtempSync(join(tmpdir(), 'bench-stub-')), stub.calls);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(activationBundle) as { activate(context: unknown): unknown };
  extension.activate(context);
  const registered = stub.calls.filter((call) => call.path === 'commands.registerCommand').map((call) => call.firstArg);
  assert.deepEqual([...registered].sort(), [...commandIds, ...internalCommandIds].sort());
  assert.ok(stub.calls.some((call) => call.path === 'languages.registerCodeLensProvider'), 'the batch files\' CodeLens provider');
  assert.ok(stub.calls.some((call) => call.path === 'window.registerWebviewPanelSerializer' && call.firstArg === studioViewType));
  assert.ok(context.subscriptions.length >= commandIds.length + 1);
  for (const subscription of context.subscriptions) subscription.dispose();
});
