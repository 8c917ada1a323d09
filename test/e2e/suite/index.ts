// The extension-tests entry: VS Code's extension host calls `run()` (the contract shared by
// @vscode/test-electron's --extensionTestsPath and the code-server harness in test/e2e/harness).
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  const grep = process.env.E2E_SUITE_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(join(__dirname, file));
  }
  let passed = 0;
  let failed = 0;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The harness reads this last line for the summary.
      console.log(`${passed} passed, ${failed} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
  });
}
