import { format } from 'node:util';
import { launchBrowser, injectDevelopmentOptions } from './browser';
import type { CodeServer } from './codeServer';
import type { Profile } from './profile';

/** What the mocha run inside the extension host reported. */
export interface ExtensionHostOutcome {
  readonly exitCode: number | 'timeout';
  readonly passed: number;
  readonly failed: number;
  readonly output: string[];
}

// Harmless offline noise (ENOTFOUND for open-vsx.org and telemetry hosts) and workbench chatter
// that would bury the test output.
const noise = /^Canceled|AgentHost|ChatModelSelection|AccountPolicyGate|open-vsx|onnection token|Creating a socket|grace time|Service Worker|builtin extensions cache|ENOTFOUND|\[Extension Host\] *$/;

/**
 * Runs the compiled mocha entry (`run()` contract, as with @vscode/test-electron) inside code-server's
 * real Node extension host. The result comes back through `window.codeAutomationExit(code)`, the
 * console through `window.codeAutomationLog(type, args)`.
 */
export async function runExtensionHostSuite(server: CodeServer, profile: Profile, extensionPath: string, testsPath: string, timeoutMs = 300000): Promise<ExtensionHostOutcome> {
  const browser = await launchBrowser(profile.chromeProfile, profile.env);
  const output: string[] = [];
  try {
    await injectDevelopmentOptions(browser.page, server.origin, extensionPath, testsPath);
    let finish: (code: number | 'timeout') => void = () => undefined;
    const exited = new Promise<number | 'timeout'>((resolve) => (finish = resolve));
    await browser.page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    await browser.page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[] | undefined) => {
      const line = format(...(args ?? []));
      if (noise.test(line)) return;
      output.push(line);
      console.log(`  | ${line}`);
    });
    await browser.page.goto(server.workbenchUrl);
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const exitCode = await exited;
    clearTimeout(timer);
    // The suite prints `N passed, M failed` last (test/e2e/suite/index.ts).
    const counts = [...output].reverse().map((line) => /^(\d+) passed, (\d+) failed$/.exec(line.trim())).find((match) => match !== null);
    const passed = Number(counts?.[1] ?? 0);
    let failed = Number(counts?.[2] ?? 0);
    if (exitCode !== 0 && failed === 0) failed = 1;
    return { exitCode, passed, failed, output };
  } finally {
    await browser.close();
  }
}
