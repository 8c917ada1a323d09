import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { resolveEditOutput } from '../../../src/host/editOutput';
import { folderTarget, outputTargetWithoutAsking, resolveOutputTarget } from '../../../src/host/outputFolder';

// Issue 10 item 15 in a real editor: the output folder, its .gpt-image sidecar folder and an edit's
// folder beside the original are checked on their real path, so a committed symbolic link cannot
// send images outside the workspace folder. The links are real ones in the opened workspace.

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  assert.equal(folder.uri.scheme, 'file');
  return folder;
}

suite('output containment on the real path (symbolic links in the workspace)', () => {
  let elsewhere: string;
  const created: string[] = [];
  const configuration = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('gptImage');
  const inWorkspace = (...segments: string[]): string => join(workspaceFolder().uri.fsPath, ...segments);

  suiteSetup(() => {
    elsewhere = mkdtempSync(join(tmpdir(), 'gpt-image-elsewhere-'));
    // As a cloned repository could carry them: a link out, a real folder whose sidecar folder links
    // out, a folder of images that links out, and a link that stays inside.
    symlinkSync(elsewhere, inWorkspace('linked-out'));
    mkdirSync(inWorkspace('real-out'));
    symlinkSync(elsewhere, inWorkspace('real-out', '.gpt-image'));
    mkdirSync(join(elsewhere, 'photos'));
    writeFileSync(join(elsewhere, 'photos', 'cat.png'), new Uint8Array([137, 80, 78, 71]));
    symlinkSync(join(elsewhere, 'photos'), inWorkspace('photos'));
    mkdirSync(inWorkspace('assets', 'generated'), { recursive: true });
    symlinkSync(inWorkspace('assets', 'generated'), inWorkspace('generated-link'));
    created.push('linked-out', 'real-out', 'photos', 'assets', 'generated-link');
  });

  suiteTeardown(async () => {
    await configuration().update('outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
    await configuration().update('editOutput', undefined, vscode.ConfigurationTarget.Workspace);
    for (const name of created) rmSync(inWorkspace(name), { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  test('a workspace outputFolder through a link out of the workspace is refused, in the palette and the Studio', async () => {
    await configuration().update('outputFolder', 'linked-out/generated', vscode.ConfigurationTarget.Workspace);
    const refusal = /^The output folder "linked-out\/generated" \(setting gptImage\.outputFolder\) resolves to .*gpt-image-elsewhere-[^/]*\/generated, outside the workspace folder ".*" \(through a symbolic link\)\. Images and their sidecars are only written inside the workspace; point gptImage\.outputFolder at a real folder inside it, or remove the link\.$/;
    await assert.rejects(resolveOutputTarget(), (error: unknown) => {
      const issues = (error as { issues?: readonly string[] }).issues ?? [];
      assert.match(issues.join(' '), refusal);
      return true;
    });
    await assert.rejects(outputTargetWithoutAsking(), /resolves to .* outside the workspace folder/);
    assert.deepEqual(readdirSync(elsewhere).sort(), ['photos'], 'nothing was created through the link');
  });

  test('a real output folder whose .gpt-image sidecar folder links out is refused', async () => {
    await configuration().update('outputFolder', 'real-out', vscode.ConfigurationTarget.Workspace);
    await assert.rejects(resolveOutputTarget(), /The output folder "real-out" \(setting gptImage\.outputFolder\) resolves to .*gpt-image-elsewhere-[^/]*, outside the workspace folder/);
  });

  test('a link that stays inside the workspace is fine', async () => {
    await configuration().update('outputFolder', 'generated-link/new', vscode.ConfigurationTarget.Workspace);
    const target = await resolveOutputTarget();
    assert.ok(target);
    assert.equal(target.relativePath, 'generated-link/new');
    await configuration().update('outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
    assert.equal((await outputTargetWithoutAsking()).relativePath, 'images');
  });

  test('an edit beside an original in a folder that links out is refused; into the output folder it works', async () => {
    const original = vscode.Uri.file(inWorkspace('photos', 'cat.png'));
    assert.ok(vscode.workspace.getWorkspaceFolder(original), 'lexically the original is in the workspace');
    await configuration().update('editOutput', 'besideOriginal', vscode.ConfigurationTarget.Workspace);
    await assert.rejects(
      resolveEditOutput(original, 1),
      /The folder of cat\.png resolves to .*gpt-image-elsewhere-[^/]*\/photos, outside the workspace folder .*; edit a copy inside the workspace, or set gptImage\.editOutput to "outputFolder"\./,
    );
    await configuration().update('editOutput', 'outputFolder', vscode.ConfigurationTarget.Workspace);
    const output = await resolveEditOutput(original, 1);
    assert.ok(output);
    assert.equal(output.dir, vscode.Uri.joinPath(workspaceFolder().uri, 'images').toString());
    assert.deepEqual(readdirSync(join(elsewhere, 'photos')), ['cat.png'], 'nothing was written beside the linked original');
  });

  test('Generate Image Here… takes a real folder in the workspace, and refuses one that links out or lies outside', async () => {
    const here = await folderTarget(vscode.Uri.file(inWorkspace('assets', 'generated')));
    assert.equal(here.relativePath, 'assets/generated');
    assert.equal(here.workspaceFolder.uri.toString(), workspaceFolder().uri.toString());
    await assert.rejects(folderTarget(vscode.Uri.file(inWorkspace('linked-out'))), /The folder "linked-out" resolves to .*gpt-image-elsewhere-.*, outside the workspace folder .* \(through a symbolic link\)/);
    await assert.rejects(folderTarget(vscode.Uri.file(inWorkspace('real-out'))), /resolves to .*gpt-image-elsewhere-/, 'a folder whose .gpt-image links out');
    await assert.rejects(folderTarget(vscode.Uri.file(elsewhere)), /is not inside a workspace folder; GPT Image Studio only saves images inside the workspace\./);
    assert.deepEqual(readdirSync(elsewhere).sort(), ['photos'], 'nothing was created outside');
  });
});
