// `npm run test:vscode`: the same extension-host mocha suite (test/e2e/suite, `run()` contract) in a
// desktop VS Code downloaded by @vscode/test-electron. Needs internet (Microsoft's update server), so
// CI runs the suite in code-server instead (scripts/e2e.mjs); this entry is for machines that can.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, suiteEntry, workspaceTemplate } from './harness/paths';

async function main(): Promise<void> {
  const userDataDir = join(repoRoot, '.vscode-test', 'electron-user');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }, null, 2));
  // A copy, so the tests' generated images never land in the repository's template.
  const workspace = join(repoRoot, '.vscode-test', 'electron-workspace');
  rmSync(workspace, { recursive: true, force: true });
  cpSync(workspaceTemplate, workspace, { recursive: true });
  // Without E2E_FAKES_FILE the suite starts the fake providers itself, inside the extension host.
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteEntry,
    launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
