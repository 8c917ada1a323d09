// The real-editor test run: `node out/test/e2e/main.js [--summary file] [--only name,name] [--skip-host]`.
// scripts/e2e.mjs sets up, builds and packages first, then runs this. Every suite's counts go into
// the summary JSON that scripts/test.mjs folds into its `N passed, M failed` line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runExtensionHostSuite } from './harness/extensionHost';
import { installVsix, startCodeServer } from './harness/codeServer';
import { startFakes, fakeSettings } from './harness/fakes';
import type { Fakes } from './harness/fakes';
import { baseUserSettings, createProfile } from './harness/profile';
import { suiteEntry, vsixPath } from './harness/paths';
import { runScenario } from './harness/runScenario';
import { scenarios } from './scenarios';

interface SuiteSummary {
  name: string;
  passed: number;
  failed: number;
  seconds: string;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function extensionHostSuite(fakes: Fakes): Promise<SuiteSummary> {
  const started = Date.now();
  console.log('\n--- e2e extension-host: mocha inside code-server\'s extension host ---');
  let passed = 0;
  let failed = 0;
  const profile = createProfile('extension-host', { ...baseUserSettings(), ...fakeSettings(fakes) });
  try {
    const extensionPath = await installVsix(profile, vsixPath);
    // Environment given to code-server reaches the extension host: the suite finds the fakes here.
    const server = await startCodeServer(profile, { E2E_FAKES_FILE: fakes.portsFile });
    try {
      const outcome = await runExtensionHostSuite(server, profile, extensionPath, suiteEntry);
      passed = outcome.passed;
      failed = outcome.failed;
      console.log(`extension host exit code: ${outcome.exitCode}`);
    } finally {
      await server.stop();
    }
  } catch (error) {
    console.error(error);
    failed += 1;
  } finally {
    profile.dispose();
    console.log(`profile and logs: ${profile.dir}`);
  }
  return { name: 'e2e extension-host', passed, failed, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

async function uiSuite(fakes: Fakes, only: readonly string[] | undefined): Promise<SuiteSummary> {
  const started = Date.now();
  console.log('\n--- e2e ui: Playwright scenarios in Chromium against code-server ---');
  let passed = 0;
  let failed = 0;
  for (const scenario of scenarios) {
    if (only && !only.includes(scenario.name)) continue;
    const ok = await runScenario(scenario, fakes);
    if (ok) passed++;
    else failed++;
  }
  return { name: 'e2e ui', passed, failed, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

async function main(): Promise<number> {
  const summaryPath = argument('--summary');
  const only = argument('--only')?.split(',');
  const suites: SuiteSummary[] = [];
  const fakes = await startFakes();
  try {
    if (!process.argv.includes('--skip-host') && !only) suites.push(await extensionHostSuite(fakes));
    if (!process.argv.includes('--skip-ui')) suites.push(await uiSuite(fakes, only));
  } finally {
    await fakes.stop();
  }
  console.log('\n--- e2e summary ---');
  for (const suite of suites) console.log(`${suite.name.padEnd(22)} ${suite.passed} passed, ${suite.failed} failed  ${suite.seconds} s`);
  if (summaryPath) {
    mkdirSync(dirname(summaryPath), { recursive: true });
    writeFileSync(summaryPath, JSON.stringify(suites, null, 2));
  }
  const failed = suites.reduce((sum, suite) => sum + suite.failed, 0);
  const passed = suites.reduce((sum, suite) => sum + suite.passed, 0);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
