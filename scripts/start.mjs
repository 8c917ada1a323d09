// `npm start`: try the extension without a paid key. Sets up (cached), builds, packages, starts the
// fake providers (synthetic images, NOT the real services) and code-server on 127.0.0.1 with the .vsix
// installed, a sample workspace and every provider's base URL pointed at the fakes. Runs until Ctrl+C.
// Usage: npm start [-- --port 8080]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const portIndex = process.argv.indexOf('--port');
const port = Number(portIndex >= 0 ? process.argv[portIndex + 1] : (process.env.PORT ?? 8080));

function step(name, command, args) {
  console.log(`start: ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: ${name} failed`);
    process.exit(1);
  }
}

step('setup (cached under .vscode-test/)', 'bash', ['scripts/setupE2e.sh']);
step('build and package', process.execPath, ['scripts/package.mjs', '--out', '.vscode-test/gpt-image-studio.vsix']);
step('build the harness', process.execPath, ['scripts/buildTests.mjs']);

// The compiled harness (test/e2e/harness) does the rest, exactly as the tests do.
const require = createRequire(import.meta.url);
const { startFakes, fakeSettings } = require('../out/test/e2e/harness/fakes.js');
const { baseUserSettings, createProfile } = require('../out/test/e2e/harness/profile.js');
const { installVsix, startCodeServer } = require('../out/test/e2e/harness/codeServer.js');
const { vsixPath } = require('../out/test/e2e/harness/paths.js');

const fakes = await startFakes({ stdout: true });
const profile = createProfile('start', { ...baseUserSettings(1), ...fakeSettings(fakes) });
let server;
const stop = async () => {
  console.log('\nstart: stopping code-server and the fake providers');
  await server?.stop();
  await fakes.stop();
  profile.dispose();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
try {
  await installVsix(profile, vsixPath);
  server = await startCodeServer(profile, {}, port);
} catch (error) {
  console.error(error);
  await fakes.stop();
  process.exit(1);
}
console.log(`
GPT Image Studio is running in VS Code (code-server) at:

    ${server.workbenchUrl}

The providers' base URLs point at FAKE providers on 127.0.0.1: they draw simple synthetic images and
cost nothing. Set a key with F1 → "GPT Image: Set API Key…": the fakes accept any key starting with
"sk-" (for example sk-try-it). Workspace: ${profile.workspace}
Logs: ${profile.logFile}
Press Ctrl+C to stop.`);
